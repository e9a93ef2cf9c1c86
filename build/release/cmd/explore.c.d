build/release/cmd/explore.c.o: cmd/explore.c cmd/cmd.h
cmd/cmd.h:
