MOD_DEPS_authres := msg util
