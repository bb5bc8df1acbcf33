MOD_DEPS_dns := util
