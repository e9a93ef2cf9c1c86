#!/bin/sh
# tools/real-clients.sh - opens chanlab's Mermaid and Chrome outputs in the
# real clients, a check run by hand before a renderer change is called done
# (make check tests the rules; this tests the clients that read them):
#
#   - every Mermaid output renders in mermaid-cli (npm, with Debian's
#     chromium): no "Syntax error", no "Maximum text size" box;
#   - every Chrome trace loads in Chrome DevTools' trace engine (npm), and the
#     engine binds every flow the trace holds (the arrows between lanes).
#
# Each pattern variant at its default seed, and worker-pool with 2,000 jobs
# (a run too long for one diagram).  The npm tools go to a cache folder, never
# into the tree.  Usage: tools/real-clients.sh [chanlab binary]
set -eu
bin=$(realpath "${1:-./chanlab}")
cache=${XDG_CACHE_HOME:-$HOME/.cache}/chanlab-clients
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "real-clients: chromium is not installed" >&2; exit 1; }
command -v node >/dev/null || { echo "real-clients: nodejs is not installed" >&2; exit 1; }

mkdir -p "$cache"
if [ ! -x "$cache/node_modules/.bin/mmdc" ] || [ ! -d "$cache/node_modules/@paulirish/trace_engine" ]; then
	echo "real-clients: installing mermaid-cli and the DevTools trace engine into $cache" >&2
	(cd "$cache" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-save \
		@mermaid-js/mermaid-cli @paulirish/trace_engine >/dev/null)
fi
printf '{"executablePath":"%s","args":["--no-sandbox"]}\n' "$chromium" > "$cache/puppeteer.json"
cat > "$cache/flows.mjs" <<'EOF'
// Prints "<flows the engine bound> <flow starts in the file>" for a trace.
import fs from 'node:fs';
import {analyzeTrace} from '@paulirish/trace_engine/analyze-trace.mjs';
const file = process.argv[2];
const starts = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents.filter(e => e.ph === 's').length;
const {parsedTrace} = await analyzeTrace(file);
const data = parsedTrace.data ?? parsedTrace;
console.log(`${data.Flows.flows.length} ${starts}`);
EOF

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
runs=$("$bin" list --json | node -e '
	let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
		for (const p of JSON.parse(s))
			for (const v of p.variants) console.log(`${p.name} ${v.name}`);
	});')
runs="$runs
worker-pool correct --jobs 2000"

fail=0 n=0 diagrams=0 flows=0
echo "$runs" | {
while read -r pattern variant extra; do
	[ -n "$pattern" ] || continue
	n=$((n + 1))
	name="$pattern-$variant"
	# shellcheck disable=SC2086  # extra holds options
	"$bin" run "$pattern" --variant "$variant" $extra --format mermaid --out "$work/$name.md" >/dev/null 2>&1 || true
	"$bin" run "$pattern" --variant "$variant" $extra --format chrome --out "$work/$name.json" >/dev/null 2>&1 || true
	if ! (cd "$work" && "$cache/node_modules/.bin/mmdc" -q -p "$cache/puppeteer.json" \
			-i "$name.md" -o "$name.svg" >/dev/null 2>"$name.err"); then
		echo "FAIL mermaid: $name: $(head -c 300 "$work/$name.err")"; fail=1
	elif grep -l "Syntax error\|Maximum text size" "$work/$name"-*.svg >/dev/null 2>&1; then
		echo "FAIL mermaid: $name: an error box in the rendered diagram"; fail=1
	fi
	diagrams=$((diagrams + $(ls "$work/$name"-*.svg 2>/dev/null | wc -l)))
	set -- $(cd "$cache" && node flows.mjs "$work/$name.json" 2>/dev/null || echo "x y")
	if [ "$1" != "$2" ]; then
		echo "FAIL chrome: $name: the trace engine bound $1 of $2 flows"; fail=1
	else
		flows=$((flows + $1))
	fi
done
echo "real-clients: $n runs, $diagrams Mermaid diagrams rendered, $flows flows bound by the DevTools trace engine"
exit $fail
}
