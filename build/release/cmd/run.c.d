build/release/cmd/run.c.o: cmd/run.c cmd/cmd.h
cmd/cmd.h:
