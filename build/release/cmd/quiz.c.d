build/release/cmd/quiz.c.o: cmd/quiz.c cmd/cmd.h
cmd/cmd.h:
