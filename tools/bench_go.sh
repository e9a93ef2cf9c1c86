#!/bin/sh
# bench_go.sh - a reminder printed by `make bench` when Go is missing: the
# benchmark prints Go's figures beside chanlab's only when `go` is on PATH.
command -v go >/dev/null 2>&1 || echo "bench: install golang-go to see Go 1.19's figures beside chanlab's" >&2
exit 0
