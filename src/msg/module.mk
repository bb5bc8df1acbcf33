MOD_DEPS_msg := util
