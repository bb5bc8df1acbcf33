MOD_DEPS_dkim := msg dns util
