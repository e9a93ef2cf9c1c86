#!/bin/sh
# golden.sh - regenerates the golden traces of every pattern variant:
# tests/golden/<pattern>-<variant>-seed<N>.txt (text format, NO_COLOR) and
# .jsonl, the stdout of `chanlab run PATTERN --variant V --seed N`.
#
# N is 1 for a variant that declares "ok"; for a broken variant it is the
# first seed (from 1) whose run shows the outcome the variant declares and
# exits with its code (deadlock 3, panic or fatal 2, leak 4, invariant or metric 5,
# limit 7, race 8),
# so the golden trace shows the mistake.  Run after a deliberate change to a
# pattern, a renderer or the runtime (make golden), then review the diff.
#
# Usage: tools/golden.sh [PATTERN...] (default: every pattern).
# Environment: CHANLAB_BIN (default ./chanlab), GOLDEN_MAX_SEED (default 5000).
set -u

BIN=${CHANLAB_BIN:-./chanlab}
DIR=tests/golden
MAX_SEED=${GOLDEN_MAX_SEED:-5000}
NO_COLOR=1
export NO_COLOR
unset COLUMNS

[ -x "$BIN" ] || { echo "golden.sh: no chanlab binary at '$BIN' (run make)" >&2; exit 1; }
mkdir -p "$DIR"

# "pattern variant outcome" per line, from `chanlab list`.
# Par-only patterns ("[par only]") have no golden: their runs are not replayable.
variants=$("$BIN" list | awk '/^[a-z]/ { p = $1; par = /\[par only\]$/ } /^  - / && !par { print p, $2, $3 }')
[ -n "$variants" ] || { echo "golden.sh: 'chanlab list' lists no pattern" >&2; exit 1; }
# Arguments, if any: regenerate only these patterns' goldens.
if [ $# -gt 0 ]; then
	variants=$(printf '%s\n' "$variants" | while read -r p v o; do
		for want in "$@"; do [ "$p" = "$want" ] && echo "$p $v $o"; done
	done)
fi

status=0
while read -r pattern variant outcome; do
	case $outcome in
	ok) code=0 ;; panic|fatal) code=2 ;; deadlock) code=3 ;; leak) code=4 ;; race) code=8 ;;
	limit|limit:*) code=7 ;; *) code=5 ;;
	esac
	seed=1
	if [ "$outcome" != ok ]; then
		seed=
		s=1
		while [ "$s" -le "$MAX_SEED" ]; do
			verdict=$("$BIN" run "$pattern" --variant "$variant" --seed "$s" --quiet 2>/dev/null)
			if [ $? -eq "$code" ] && case $verdict in *"as $variant declares"*) true ;; *) false ;; esac; then
				seed=$s
				break
			fi
			s=$((s + 1))
		done
		if [ -z "$seed" ]; then
			echo "golden.sh: $pattern --variant $variant: no seed up to $MAX_SEED shows $outcome; no golden" >&2
			status=1
			continue
		fi
	fi
	base="$DIR/$pattern-$variant-seed"
	rm -f "$base"[0-9]*.txt "$base"[0-9]*.jsonl
	"$BIN" run "$pattern" --variant "$variant" --seed "$seed" >"$base$seed.txt" 2>/dev/null
	"$BIN" run "$pattern" --variant "$variant" --seed "$seed" --format jsonl >"$base$seed.jsonl" 2>/dev/null
	echo "$pattern --variant $variant ($outcome): seed $seed"
done <<LIST
$variants
LIST
exit $status
