MOD_DEPS_bounce := msg util
