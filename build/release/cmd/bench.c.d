build/release/cmd/bench.c.o: cmd/bench.c cmd/cmd.h
cmd/cmd.h:
