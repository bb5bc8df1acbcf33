MOD_DEPS_auth := spf dkim dmarc arc authres msg dns util
