/*
 * test_bench_interrupt.c - Ctrl-C during `chanlab bench`: the child is sent
 * SIGINT once it has said on stderr that it is measuring (its first
 * progress line; no sleeping), and must exit 130 having removed its
 * temporary folder (made under $TMPDIR, here a folder of the test's own).
 */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "tests/testlib.h"

/* Entries in dir other than . and .. */
static int entries(const char *dir, char *first, size_t size)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!n++)
			snprintf(first, size, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

START_TEST(ctrl_c_removes_the_temporary_folder_and_exits_130)
{
	char tmp[] = "/tmp/chanlab-test-bench-int-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("TMPDIR", tmp, 1);
		dup2(fds[1], STDERR_FILENO);
		FILE *null = freopen("/dev/null", "w", stdout);
		(void)null;
		close(fds[0]);
		close(fds[1]);
		const char *bin = test_chanlab_bin();
		execl(bin, bin, "bench", "--quick", "--only", "pingpong,spsc,mpmc4x4,select2", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* the first progress line: "bench: [1/4] pingpong ..." */
	char line[512];
	size_t len = 0;
	char c;
	while (len + 1 < sizeof line && read(fds[0], &c, 1) == 1 && c != '\n')
		line[len++] = c;
	line[len] = '\0';
	ck_assert_msg(strncmp(line, "bench: ", 7) == 0, "first line on stderr: '%s'", line);
	char name[256] = "";
	ck_assert_msg(entries(tmp, name, sizeof name) == 1 &&
	                      strncmp(name, "chanlab-bench-", 14) == 0,
	              "bench made no temporary folder in $TMPDIR (found '%s')", name);
	ck_assert_int_eq(kill(pid, SIGINT), 0);
	while (read(fds[0], line, sizeof line) > 0) {
	}
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CL_EXIT_INTERRUPTED,
	              "bench exited with status %d, not 130", status);
	int left = entries(tmp, name, sizeof name);
	ck_assert_msg(left == 0, "the temporary folder is still there: %s/%s", tmp, name);
	rmdir(tmp);
}
END_TEST

Suite *suite_bench_interrupt(void)
{
	Suite *s = suite_create("bench_interrupt");
	TCase *t = tcase_create("bench_interrupt");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, ctrl_c_removes_the_temporary_folder_and_exits_130);
	suite_add_tcase(s, t);
	return s;
}
