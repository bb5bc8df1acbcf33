#!/bin/sh
# test_install.sh -- `make install` into a scratch root, then build and run a
# program against the installed library through mailtriage.pc, the way a
# user of the library would.
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

if make -s -C "$top" install DESTDIR="$root" PREFIX=/usr >"$root/log" 2>&1; then ok; else no "make install"; cat "$root/log" >&2; fi
[ -x "$root/usr/bin/mailtriage" ] && ok || no "CLI installed"
[ -f "$root/usr/include/mailtriage/mailtriage.h" ] && ok || no "headers installed"
[ -f "$root/usr/share/man/man1/mailtriage.1" ] && ok || no "man page installed"

cat > "$root/use.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <mailtriage/mailtriage.h>
int main(void)
{
	if (strcmp(mt_version(), MT_VERSION_STRING) != 0) return 1;
	puts(mt_strerror(MT_ETEMP));
	return 0;
}
C
pc="$root/usr/lib/pkgconfig"
flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$root" pkg-config --static --cflags --libs mailtriage 2>&1) \
	&& ok || no "pkg-config mailtriage: $flags"
# shellcheck disable=SC2086
if cc -o "$root/use" "$root/use.c" $flags 2>"$root/cc.log"; then ok; else no "link against the installed library"; cat "$root/cc.log" >&2; fi
# The library sits under the scratch root, not where ld.so looks.
out=$(LD_LIBRARY_PATH="$root/usr/lib" "$root/use" 2>&1) && [ "$out" = "temporary failure, try again later" ] && ok || no "program using the library printed '$out'"

echo "test_install: $pass passed, $fail failed"
[ $fail -eq 0 ]
