build/release/cmd/embedded.c.o: cmd/embedded.c cmd/embedded.h
cmd/embedded.h:
