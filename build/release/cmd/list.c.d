build/release/cmd/list.c.o: cmd/list.c cmd/cmd.h
cmd/cmd.h:
