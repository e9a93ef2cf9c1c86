build/release/cmd/util.c.o: cmd/util.c cmd/cmd.h
cmd/cmd.h:
