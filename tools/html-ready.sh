#!/bin/sh
# html-ready.sh - how soon the html player becomes interactive: writes a run
# of PATTERN (default worker-pool --jobs 600, about 10,000 events) as a page,
# opens it five times in headless Chromium and prints the page's own
# "ready in" figure (performance.now() at its first interactive frame):
# median, min and max, with the page's size and event count.
# Usage: tools/html-ready.sh [chanlab run arguments...]
set -eu
bin=${CHANLAB_BIN:-./chanlab}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "html-ready: chromium is not installed (make deps)" >&2; exit 1; }
[ $# -gt 0 ] || set -- worker-pool --jobs 600
page=$(mktemp /tmp/chanlab-ready-XXXXXX.html)
profile=$(mktemp -d /tmp/chanlab-ready-profile-XXXXXX)
trap 'rm -rf "$page" "$profile"' EXIT INT TERM
"$bin" run "$@" --format html --out "$page" >/dev/null 2>&1 || true
events=$(grep -c '^\[' "$page" || true)
size=$(wc -c < "$page")
for i in 1 2 3 4 5; do
	"$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
		--dump-dom "file://$page" 2>/dev/null | sed -n 's/.*ready-ms">\([0-9.]*\).*/\1/p'
done | sort -n | awk -v ev="$events" -v sz="$size" '
	{ v[NR] = $1 }
	END { printf "html player: %d events, %d bytes; ready in %.0f ms (median of %d; min %.0f, max %.0f)\n",
	      ev, sz, v[int((NR + 1) / 2)], NR, v[1], v[NR] }'
