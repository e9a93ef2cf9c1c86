/*
 * outfile.h - a file a command writes whole or not at all: quiz export and
 * import, the exam's and the exercise's --result, explore --html.
 *
 * A regular file (or a name not there yet) is written to a temporary file
 * beside it and renamed over it only once every byte is on disk, so a full
 * disk, an I/O error or Ctrl-C never leaves half a file and never truncates
 * what was there.  Where path is a symbolic link, the file it points to is
 * replaced and the link is kept.  A FIFO, a terminal or another device
 * cannot be renamed over: it is written straight through (so --out
 * /dev/stdout works and a FIFO is not replaced by a plain file).  "-" is
 * stdout.
 *
 * A command that does long work first calls cmd_outfile_check(), so that a
 * path that cannot be written is refused before the work, not after it.
 * Every function that can fail prints "chanlab: ..." and returns an exit
 * status (cmd.h); 0 is success.
 */
#ifndef CHANLAB_CMD_OUTFILE_H
#define CHANLAB_CMD_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct cmd_outfile {
	FILE *f;           /* where to write, between open and commit/abort */
	char *path;        /* the file that is replaced (a link's target) */
	char *tmp;         /* the temporary file, or NULL when writing straight through */
	bool is_stdout;
	bool replace;      /* an existing file may be replaced */
};

/* Whether path can be written: its folder exists and is writable, and
 * unless replace, no file is there already (devices and FIFOs aside). */
int cmd_outfile_check(const char *path, bool replace);

/* Starts writing path (checked as above).  NULL or "-" is stdout. */
int cmd_outfile_open(struct cmd_outfile *o, const char *path, bool replace);

/* Flushes, syncs and puts the file in place.  After Ctrl-C
 * (cmd_interrupted()) the temporary file is removed instead and 130 is
 * returned.  Without replace, a file that appeared at path meanwhile is
 * kept and the write refused. */
int cmd_outfile_commit(struct cmd_outfile *o);

/* Gives up: the temporary file is removed; path is untouched. */
void cmd_outfile_abort(struct cmd_outfile *o);

#endif
