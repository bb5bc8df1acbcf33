MOD_DEPS_util :=
