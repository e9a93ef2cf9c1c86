/*
 * test_outfile.c - files written whole or not at all (cmd/outfile.c): a new
 * file appears only at commit and no temporary file is left; an existing
 * file is refused without replace, kept whole on abort, and replaced with
 * its permissions kept; a link keeps being a link to the new content; a
 * FIFO is written through, not replaced by a plain file; a device that
 * fails to write (/dev/full) makes commit fail; a missing folder is refused
 * by the check, before any work.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/outfile.h"
#include "tests/testlib.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/chanlab-outfile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.txt", dir);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* How many entries the scratch folder holds (a left temporary file shows). */
static int entries(void)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void assert_content(const char *p, const char *want)
{
	char *got = test_read_file(p, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(new_file_appears_at_commit)
{
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_check(path, false), 0);
	ck_assert_int_eq(cmd_outfile_open(&o, path, false), 0);
	fputs("whole\n", o.f);
	ck_assert_int_ne(access(path, F_OK), 0);    /* not there until commit */
	ck_assert_int_eq(cmd_outfile_commit(&o), 0);
	assert_content(path, "whole\n");
	ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(existing_file_refused_or_replaced)
{
	put(path, "precious\n");
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_check(path, false), 1);
	ck_assert_int_eq(cmd_outfile_open(&o, path, false), 1);
	assert_content(path, "precious\n");

	ck_assert_int_eq(cmd_outfile_open(&o, path, true), 0);
	fputs("half", o.f);
	cmd_outfile_abort(&o);
	assert_content(path, "precious\n");
	ck_assert_int_eq(entries(), 1);

	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(cmd_outfile_open(&o, path, true), 0);
	fputs("new\n", o.f);
	ck_assert_int_eq(cmd_outfile_commit(&o), 0);
	assert_content(path, "new\n");
	ck_assert_int_eq(entries(), 1);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);    /* the replaced file's permissions */
}
END_TEST

/* Without replace, a file made between open and commit is kept. */
START_TEST(file_made_meanwhile_is_kept)
{
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_open(&o, path, false), 0);
	fputs("mine\n", o.f);
	put(path, "theirs\n");
	ck_assert_int_eq(cmd_outfile_commit(&o), 1);
	assert_content(path, "theirs\n");
	ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(link_keeps_being_a_link)
{
	char target[160], link_path[160];
	snprintf(target, sizeof target, "%s/target.txt", dir);
	snprintf(link_path, sizeof link_path, "%s/link.txt", dir);
	put(target, "old\n");
	ck_assert_int_eq(symlink("target.txt", link_path), 0);
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_open(&o, link_path, true), 0);
	fputs("through the link\n", o.f);
	ck_assert_int_eq(cmd_outfile_commit(&o), 0);
	struct stat st;
	ck_assert_int_eq(lstat(link_path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	assert_content(target, "through the link\n");
	ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(fifo_is_written_through)
{
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* A reader first, so opening for writing does not wait. */
	int rd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_check(path, false), 0);
	ck_assert_int_eq(cmd_outfile_open(&o, path, false), 0);
	fputs("down the pipe\n", o.f);
	ck_assert_int_eq(cmd_outfile_commit(&o), 0);
	char buf[64] = {0};
	ck_assert_int_eq(read(rd, buf, sizeof buf - 1), 14);
	ck_assert_str_eq(buf, "down the pipe\n");
	close(rd);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(device_write_failure_fails_commit)
{
	struct stat st;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
		return;    /* no /dev/full here: nothing to learn */
	struct cmd_outfile o;
	ck_assert_int_eq(cmd_outfile_open(&o, "/dev/full", true), 0);
	for (int i = 0; i < 1000; i++)
		fputs("more than a buffer holds\n", o.f);
	ck_assert_int_eq(cmd_outfile_commit(&o), 1);
	ck_assert_int_eq(stat("/dev/full", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(missing_folder_refused_by_check)
{
	char p[200];
	snprintf(p, sizeof p, "%s/no/such/folder/r.json", dir);
	ck_assert_int_eq(cmd_outfile_check(p, true), 1);
	ck_assert_int_eq(cmd_outfile_check(dir, true), 1);    /* a folder is not a file */
}
END_TEST

Suite *suite_outfile(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = tcase_create("outfile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_file_appears_at_commit);
	tcase_add_test(tc, existing_file_refused_or_replaced);
	tcase_add_test(tc, file_made_meanwhile_is_kept);
	tcase_add_test(tc, link_keeps_being_a_link);
	tcase_add_test(tc, fifo_is_written_through);
	tcase_add_test(tc, device_write_failure_fails_commit);
	tcase_add_test(tc, missing_folder_refused_by_check);
	suite_add_tcase(s, tc);
	return s;
}
