#!/usr/bin/env bash
# test_deb.sh — debian/ builds a .deb (in a copy of the tree) that lintian
# finds clean and that holds exactly the files `make install` writes under
# /usr; its binary finds its bundled plans. SKIP without dpkg-buildpackage,
# debhelper and lintian (apt-get install debhelper dpkg-dev lintian fakeroot).
. "$(dirname "$0")/../lib.sh"
for tool in dpkg-buildpackage dh lintian; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        skip deb "$tool is not installed (apt-get install debhelper dpkg-dev lintian fakeroot)"; exit 0
    fi
done
if [ ! -d "$ROOT/debian" ]; then skip deb "no debian/ directory in this tree"; exit 0; fi
version=$(sed -n '1s/^certboard (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")
src="$TMP/certboard-$version"
mkdir -p "$src"
(cd "$ROOT" && tar --exclude=./build --exclude=./build-asan --exclude=./build-deb --exclude=./.git -cf - .) | tar -xf - -C "$src"
if (cd "$src" && env -u MAKEFLAGS -u MAKELEVEL -u CC -u CFLAGS -u LDFLAGS dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1; then
    pass builds
else
    fail builds "$(tail -15 "$TMP/build.log")"; t_exit; exit
fi
deb="$TMP/certboard_${version}_$(dpkg --print-architecture).deb"
[ "$("$CB" --version | awk '{print $2}')" = "$version" ] && pass version-matches ||
    fail version-matches "debian/changelog says $version, certboard --version: $("$CB" --version)"
lintian --pedantic "$deb" >"$TMP/lintian" 2>&1
grep -v "running with root privileges" "$TMP/lintian" >"$TMP/lintian.real"
[ ! -s "$TMP/lintian.real" ] && pass lintian-clean || fail lintian-clean "$(head -10 "$TMP/lintian.real")"
dpkg -c "$deb" | awk '{print $6}' | grep -v '/$' | sed 's|^\./||' | sort >"$TMP/deb-files"
for f in usr/bin/certboard usr/share/man/man1/certboard.1.gz usr/share/bash-completion/completions/certboard \
    usr/share/certboard/plans/de-professional.yaml usr/share/doc/certboard/copyright; do
    grep -qx "$f" "$TMP/deb-files" || missing="${missing:-} $f"
done
[ -z "${missing:-}" ] && pass contents || fail contents "missing:$missing"
dpkg -x "$deb" "$TMP/root"
(cd / && "$TMP/root/usr/bin/certboard" show) 2>&1 | grep -q "^Plan: .*(de-professional)" && pass finds-its-plans ||
    fail finds-its-plans "$( (cd / && "$TMP/root/usr/bin/certboard" show) 2>&1 | head -3)"
t_exit
