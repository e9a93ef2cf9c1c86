/* test_debug.c - the debug build's checks are live: a function documented
 * "locked on entry" called without its lock stops the program with
 * "chanlab: BUG:" and exit 70 (make debug; skipped elsewhere). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/chan.h"
#include "runtime/chanlab.h"
#include "runtime/rt.h"
#include "tests/runtime/record.h"

#ifdef CHANLAB_DEBUG
static void send_without_the_lock(void *arg)
{
	(void)arg;
	cl_chan *c = cl_chan_make("unlocked", sizeof(int), 0);
	struct rt_waiter w;
	memset(&w, 0, sizeof w);
	w.chan = c;
	int v = 1;
	rt_send_to_waiter(c, &w, &v, NULL, __FILE__, __LINE__);   /* c->lock is not held */
}
#endif

START_TEST(a_locked_on_entry_function_without_its_lock_is_a_bug)
{
#ifndef CHANLAB_DEBUG
	fputs("test_debug: skipped (assertions are compiled in by make debug only)\n", stderr);
#else
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		struct cl_config cfg;
		cl_config_init(&cfg);
		struct cl_result r;
		cl_run(send_without_the_lock, NULL, &cfg, &r);
		_exit(0);   /* not reached when the check is live */
	}
	close(fds[1]);
	char out[4096];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof out - 1 && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 70, "status %d: %s", status, out);
	ck_assert_msg(strstr(out, "chanlab: BUG: ") == out, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "rt_send_to_waiter"));
	ck_assert_ptr_nonnull(strstr(out, "task 1 \"main\""));
#endif
}
END_TEST

Suite *suite_debug(void)
{
	Suite *s = suite_create("debug");
	TCase *t = tcase_create("debug");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, a_locked_on_entry_function_without_its_lock_is_a_bug);
	suite_add_tcase(s, t);
	return s;
}
