MOD_DEPS_dmarc := dns util
