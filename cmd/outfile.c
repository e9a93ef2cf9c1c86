/* outfile.c - files written whole or not at all (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "cmd/outfile.h"

/* How path is to be written. */
enum out_way {
	OUT_STDOUT,
	OUT_DIRECT,     /* a device, a FIFO, a dangling link: opened and written */
	OUT_REPLACE,    /* a regular file or a new name: temporary file, then rename */
};

/* Decides how to write path and, for OUT_REPLACE, which file is replaced
 * (a link's target, so the link survives).  *target is malloc'd. */
static int classify(const char *path, bool replace, enum out_way *way, char **target)
{
	*target = NULL;
	if (!path || strcmp(path, "-") == 0) {
		*way = OUT_STDOUT;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			if (S_ISDIR(st.st_mode))
				return cmd_fail(CL_EXIT_ERROR, "%s: is a folder, not a file", path);
			*way = OUT_DIRECT;
			return 0;
		}
		if (!replace)
			return cmd_fail(CL_EXIT_ERROR, "%s: exists (--force overwrites it)", path);
		char *real = realpath(path, NULL);
		*target = real ? real : strdup(path);
	} else if (errno != ENOENT) {
		return cmd_fail(CL_EXIT_ERROR, "%s: %s", path, strerror(errno));
	} else if (lstat(path, &st) == 0) {
		*way = OUT_DIRECT;     /* a link to a file not there yet: create it */
		return 0;
	} else {
		*target = strdup(path);
	}
	if (!*target)
		return cmd_fail(CL_EXIT_ERROR, "out of memory");
	*way = OUT_REPLACE;
	return 0;
}

/* The folder file is in: ".", "/" or the path up to its last '/'. */
static void folder_of(const char *file, char dir[PATH_MAX])
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		snprintf(dir, PATH_MAX, ".");
	else if (slash == file)
		snprintf(dir, PATH_MAX, "/");
	else
		snprintf(dir, PATH_MAX, "%.*s", (int)(slash - file), file);
}

/* The folder a new file goes in must exist and be writable. */
static int check_folder(const char *file)
{
	char dir[PATH_MAX];
	folder_of(file, dir);
	struct stat st;
	if (stat(dir, &st) != 0)
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot write: folder %s: %s", file, dir,
		                strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s is not a folder", file, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot write in folder %s: %s", file, dir,
		                strerror(errno));
	return 0;
}

int cmd_outfile_check(const char *path, bool replace)
{
	enum out_way way;
	char *target;
	int rc = classify(path, replace, &way, &target);
	if (!rc && way == OUT_REPLACE)
		rc = check_folder(target);
	free(target);
	return rc;
}

int cmd_outfile_open(struct cmd_outfile *o, const char *path, bool replace)
{
	memset(o, 0, sizeof *o);
	o->replace = replace;
	enum out_way way;
	int rc = classify(path, replace, &way, &o->path);
	if (rc)
		return rc;
	if (way == OUT_STDOUT) {
		o->f = stdout;
		o->is_stdout = true;
		return 0;
	}
	if (way == OUT_DIRECT) {
		fflush(stdout);    /* /dev/stdout, a terminal: what came before stays before */
		o->path = strdup(path);
		o->f = o->path ? fopen(path, "w") : NULL;
		if (!o->f) {
			int e = errno;
			free(o->path);
			o->path = NULL;
			return cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", path, strerror(e));
		}
		return 0;
	}
	if ((rc = check_folder(o->path))) {
		free(o->path);
		o->path = NULL;
		return rc;
	}
	if (asprintf(&o->tmp, "%s.tmp%ld", o->path, (long)getpid()) < 0) {
		o->tmp = NULL;
		free(o->path);
		o->path = NULL;
		return cmd_fail(CL_EXIT_ERROR, "out of memory");
	}
	o->f = fopen(o->tmp, "wx");
	if (!o->f) {
		int e = errno;
		rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot write %s: %s", path, o->tmp, strerror(e));
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof *o);
		return rc;
	}
	/* A replaced file keeps its permissions (a private 0600 stays so). */
	struct stat old;
	if (stat(o->path, &old) == 0)
		(void)fchmod(fileno(o->f), old.st_mode & 07777);
	return 0;
}

static void release(struct cmd_outfile *o)
{
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

void cmd_outfile_abort(struct cmd_outfile *o)
{
	if (o->f && !o->is_stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}

/* A rename is durable once the folder that holds it is synced too. */
static void sync_folder(const char *file)
{
	char dir[PATH_MAX];
	folder_of(file, dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int cmd_outfile_commit(struct cmd_outfile *o)
{
	if (o->is_stdout) {
		int bad = fflush(stdout) != 0 || ferror(stdout);
		release(o);
		return bad ? cmd_fail(CL_EXIT_ERROR, "cannot write stdout: %s", strerror(errno)) : 0;
	}
	bool bad = fflush(o->f) != 0 || ferror(o->f);
	if (!bad && o->tmp)
		bad = fsync(fileno(o->f)) != 0;
	int e = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = true;
		e = errno;
	}
	o->f = NULL;
	int rc = 0;
	bool renamed = false;     /* the temporary file became path: nothing to unlink */
	if (bad) {
		rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", o->path, strerror(e));
	} else if (cmd_interrupted()) {
		rc = CL_EXIT_INTERRUPTED;
	} else if (o->tmp && o->replace) {
		if (!(renamed = rename(o->tmp, o->path) == 0))
			rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", o->path, strerror(errno));
	} else if (o->tmp && link(o->tmp, o->path) != 0) {
		/* link() refuses a name that exists: a file made meanwhile stays.
		 * Where there are no hard links, a rename to a name still free. */
		struct stat st;
		if (errno == EEXIST)
			rc = cmd_fail(CL_EXIT_ERROR, "%s: exists (--force overwrites it)", o->path);
		else if (lstat(o->path, &st) == 0 || !(renamed = rename(o->tmp, o->path) == 0))
			rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", o->path, strerror(errno));
	}
	if (o->tmp) {
		if (!renamed)
			unlink(o->tmp);
		if (!rc)
			sync_folder(o->path);
	}
	release(o);
	return rc;
}
