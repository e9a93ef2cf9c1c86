#!/bin/sh
# check-install.sh - make install into a scratch DESTDIR, then use the
# installed chanlab as a student would, from a folder outside the source
# tree: start an exercise, check the skeleton (fails), check the solution
# (passes), and make uninstall leaves no file behind.  CI never installs
# for real; this is the test of what `make install` promises.
# Usage: tools/check-install.sh MAKE   (run from the source tree)
set -eu
make_cmd=${1:-make}
prefix=/usr/local
root=$(mktemp -d /tmp/chanlab-install-XXXXXX)
work=$(mktemp -d /tmp/chanlab-student-XXXXXX)
trap 'rm -rf "$root" "$work"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

$make_cmd --no-print-directory install DESTDIR="$root" PREFIX="$prefix" >/dev/null
bin=$root$prefix/bin/chanlab
[ -x "$bin" ] || fail "no $bin after make install"
[ -f "$root$prefix/lib/pkgconfig/chanlab.pc" ] || fail "no pkg-config file installed"

ex=01-started-channel
export XDG_DATA_HOME="$work/data"
cd "$work"
"$bin" exercise start $ex >/dev/null || fail "exercise start failed"
file=$work/chanlab-exercises/$ex/started-channel.c
[ -f "$file" ] || fail "exercise start made no $file"
set +e
"$bin" exercise check $ex >"$work/skeleton.out" 2>&1
rc=$?
set -e
[ $rc -eq 6 ] || { cat "$work/skeleton.out" >&2; fail "the skeleton's check exited $rc, want 6"; }
cp "$root$prefix/share/chanlab/exercises/$ex/solution.c" "$file"
"$bin" exercise check $ex >"$work/solution.out" 2>&1 ||
	{ cat "$work/solution.out" >&2; fail "the solution's check failed from the installed tree"; }
grep -q "passed" "$work/solution.out" || fail "no 'passed' in: $(cat "$work/solution.out")"

cd - >/dev/null
$make_cmd --no-print-directory uninstall DESTDIR="$root" PREFIX="$prefix" >/dev/null
left=$(find "$root" -type f | head -5)
[ -z "$left" ] || fail "make uninstall left files behind: $left"
echo "check-install: installed, checked the skeleton (fails) and the solution (passes) from $work, uninstalled"
