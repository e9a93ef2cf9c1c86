build/release/cmd/show.c.o: cmd/show.c cmd/cmd.h
cmd/cmd.h:
