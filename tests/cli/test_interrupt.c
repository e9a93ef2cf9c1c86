/*
 * test_interrupt.c - Ctrl-C: `chanlab run` stops the run at its next
 * decision, closes its trace (a Chrome trace still parses) and exits 130.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "tests/cli/tracecheck.h"
#include "tests/testlib.h"

/* Starts chanlab with argv, its stdout on a pipe; returns the pid. */
static pid_t start(char *const argv[], int *out_fd)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		int null = open("/dev/null", 1);
		dup2(null, STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	*out_fd = fds[0];
	return pid;
}

START_TEST(ctrl_c_ends_a_paced_par_run_with_a_complete_chrome_trace)
{
	const char *bin = test_chanlab_bin();
	char *argv[] = {(char *)bin, "run", "worker-pool", "--sched", "par", "--procs", "2", "--pace", "1",
	                "--format", "chrome", NULL};
	int fd;
	pid_t pid = start(argv, &fd);
	/* Paced at 40 ms an event at least, the run lasts seconds: wait for
	 * its first output, then interrupt it. */
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	ssize_t n = read(fd, out, cap - 1);
	ck_assert_int_gt(n, 0);
	len = (size_t)n;
	kill(pid, SIGINT);
	while ((n = read(fd, out + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap)
			out = realloc(out, cap *= 2);
	}
	out[len] = '\0';
	close(fd);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CL_EXIT_INTERRUPTED, "status %d", status);
	char err[300];
	ck_assert_msg(tc_check_chrome(out, err, sizeof err) == 0, "%s\n%s", err, out);
	size_t end = len;
	while (end && (out[end - 1] == '\n' || out[end - 1] == ' '))
		end--;
	ck_assert_msg(end && (out[end - 1] == ']' || out[end - 1] == '}'), "%s", out + (len > 80 ? len - 80 : 0));
	free(out);
}
END_TEST

Suite *suite_interrupt(void)
{
	Suite *s = suite_create("interrupt");
	TCase *t = tcase_create("interrupt");
	/* A paced par run on real threads: alone, after the suites that run
	 * side by side (once, under their load, it outlived its timeout). */
	tcase_set_tags(t, TAG_SERIAL);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, ctrl_c_ends_a_paced_par_run_with_a_complete_chrome_trace);
	suite_add_tcase(s, t);
	return s;
}
