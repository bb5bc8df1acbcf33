MOD_DEPS_spf := dns util
