MOD_DEPS_arc := dkim authres msg dns util
