build/release/cmd/main.c.o: cmd/main.c cmd/cmd.h
cmd/cmd.h:
