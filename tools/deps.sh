#!/bin/sh
# deps.sh - install the Debian packages chanlab needs, skipping those present.
# Runs apt-get only as root; otherwise says what to install and carries on, so
# a machine that already has everything needs no privileges.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "chanlab: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ echo "chanlab: apt-get install$missing failed" >&2; exit 1; }
else
	echo "chanlab: missing packages:$missing (install them with: sudo apt-get install$missing)" >&2
fi
