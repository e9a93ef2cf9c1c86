/*
 * quiz_bank.c - `chanlab quiz lint`, `quiz export` and `quiz import`, and
 * the loading of the shipped banks (compiled in, or CHANLAB_DATADIR) that
 * every quiz command shares.  cmd/quiz.c dispatches to the three commands.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/embedded.h"
#include "cmd/quiz_bank.h"
#include "quiz/export.h"
#include "quiz/filter.h"
#include "quiz/guess.h"

/* --- the shipped banks ---------------------------------------------------------- */

static bool is_bank_path(const char *path)
{
	size_t n = strlen(path);
	return strncmp(path, "data/", 5) == 0 && n > 10 && strcmp(path + n - 5, ".yaml") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An install without embedded banks: CHANLAB_DATADIR/NAME.yaml, sorted. */
static int load_datadir(struct quiz_bank *b, struct quiz_diag *diag)
{
	const char *dir = CHANLAB_DATADIR;
	DIR *d = opendir(dir);
	if (!d)
		return quiz_diag_add(diag, dir, 0, 0, "no question banks: %s", strerror(errno));
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0 || e->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof *names);
		char *path = NULL;
		if (!grown || asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			abort();
		names = grown;
		names[n++] = path;
	}
	closedir(d);
	if (n == 0)
		quiz_diag_add(diag, dir, 0, 0, "no question banks (*.yaml)");
	qsort(names, n, sizeof *names, cmp_str);
	int rc = n ? 0 : -1;
	for (size_t i = 0; i < n; i++) {
		if (quiz_bank_load_file(b, names[i], diag) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int cmd_quiz_load_shipped(struct quiz_bank *b, struct quiz_diag *diag)
{
	int rc = 0, found = 0;
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++) {
		if (!is_bank_path(e->path))
			continue;
		found++;
		if (quiz_bank_load_mem(b, e->path, e->data, e->size, diag) < 0)
			rc = -1;
	}
	return found ? rc : load_datadir(b, diag);
}

/* Loads (not lints) the files, or the shipped banks too / instead. */
static void load_all(struct quiz_bank *b, char *const *files, size_t nfiles, bool with_shipped,
                     struct quiz_diag *diag)
{
	if (with_shipped || nfiles == 0)
		cmd_quiz_load_shipped(b, diag);
	for (size_t i = 0; i < nfiles; i++)
		quiz_bank_load_file(b, files[i], diag);
}

int cmd_quiz_load_banks(struct quiz_bank *b, char *const *files, size_t nfiles,
                        bool with_shipped, bool strict, struct quiz_diag *diag)
{
	size_t before = diag->count;
	load_all(b, files, nfiles, with_shipped, diag);
	struct quiz_lint_opts opts = {.strict = strict, .pattern_names = cmd_pattern_link_names()};
	quiz_lint(b, &opts, diag);
	if (diag->count == before)
		return 0;
	quiz_diag_sort(diag, before, b->files, b->nfiles);
	quiz_bank_free(b);
	return -1;
}

/* --- options ------------------------------------------------------------------------ */

/*
 * If argv[*i] is option name ("--name value" or "--name=value"), returns its
 * value (advancing *i past it) and sets *err when the value is missing;
 * otherwise NULL.
 */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *err)
{
	bool missing = false;
	const char *v = cmd_opt_value(argc, argv, i, name, &missing);
	if (missing) {
		*err = true;
		cmd_fail(CL_EXIT_USAGE, "option '%s' needs a value", name);
	}
	return v;
}

/* --- lint ------------------------------------------------------------------------------ */

static const char lint_usage[] =
	"usage: chanlab quiz lint [--strict] [FILES...]\n"
	"\n"
	"Check question banks (docs/bank-format.md); with no FILES, the banks\n"
	"shipped with chanlab.  Each problem is printed on stderr as\n"
	"file:line:col: message.  Exit status 0 when clean, 1 on any problem.\n"
	"\n"
	"  --strict   also require a 'why' on every wrong choice and a 'hint' on every\n"
	"             question, and check and print what makes questions guessable\n"
	"             (long right choices, lopsided true/false)\n";

int cmd_quiz_lint(int argc, char **argv)
{
	bool strict = false;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	if (!files)
		abort();
	size_t nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (cmd_is_help(argv[i])) {
			fputs(lint_usage, stdout);
			free(files);
			return CL_EXIT_OK;
		}
		if (strcmp(argv[i], "--strict") == 0) {
			strict = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			free(files);
			return cmd_fail(CL_EXIT_USAGE, "quiz lint: unknown option '%s'", argv[i]);
		} else {
			files[nfiles++] = argv[i];
		}
	}
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	load_all(&b, files, nfiles, false, &d);
	struct quiz_lint_opts opts = {.strict = strict, .pattern_names = cmd_pattern_link_names()};
	quiz_lint(&b, &opts, &d);
	quiz_diag_sort(&d, 0, b.files, b.nfiles);
	quiz_diag_print(&d, stderr);
	int rc = CL_EXIT_OK;
	if (d.count) {
		fprintf(stderr, "%zu problem%s in %zu file%s\n", d.count, d.count == 1 ? "" : "s",
		        b.nfiles, b.nfiles == 1 ? "" : "s");
		rc = CL_EXIT_ERROR;
	} else {
		printf("%zu question%s in %zu file%s: no problems\n", b.count,
		       b.count == 1 ? "" : "s", b.nfiles, b.nfiles == 1 ? "" : "s");
	}
	if (strict)
		quiz_guess_report(&b, stdout);
	quiz_diag_free(&d);
	quiz_bank_free(&b);
	free(files);
	return rc;
}

/* --- export ------------------------------------------------------------------------- */

static const char export_usage[] =
	"usage: chanlab quiz export --format gift|anki|markdown [--level L] [--topic T]\n"
	"                           [--type T] [--pattern P] [--bank FILE]... [--out FILE]\n"
	"\n"
	"Write questions for other tools: Moodle GIFT, Anki text import, or a\n"
	"Markdown handout with an answer key.  Questions come from the shipped banks,\n"
	"or from the --bank files; the filters keep those of a level (junior, middle,\n"
	"senior, staff), a topic, a type (single, multi, truefalse, short, code) or\n"
	"linked to a pattern (NAME or NAME:VARIANT).  Output goes to stdout or FILE.\n";

typedef int (*export_fn)(FILE *, const struct quiz_question *const *, size_t);

static export_fn find_format(const char *name)
{
	if (strcmp(name, "gift") == 0)
		return quiz_export_gift;
	if (strcmp(name, "anki") == 0)
		return quiz_export_anki;
	if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
		return quiz_export_markdown;
	return NULL;
}

/* Writes qs with fn to path ("-" or NULL: stdout). */
static int write_export(export_fn fn, const char *path, const struct quiz_question **qs,
                        size_t n)
{
	bool to_stdout = !path || strcmp(path, "-") == 0;
	FILE *out = to_stdout ? stdout : fopen(path, "w");
	if (!out)
		return cmd_fail(CL_EXIT_ERROR, "cannot create '%s': %s", path, strerror(errno));
	int rc = fn(out, qs, n);
	if (to_stdout ? fflush(out) != 0 : fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		return cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s", to_stdout ? "stdout" : path,
		                strerror(errno));
	return CL_EXIT_OK;
}

int cmd_quiz_export(int argc, char **argv)
{
	const char *format = NULL, *out = NULL, *level = NULL, *type = NULL;
	struct quiz_filter f;
	quiz_filter_init(&f);
	char **banks = calloc((size_t)argc + 1, sizeof *banks);
	if (!banks)
		abort();
	size_t nbanks = 0;
	int rc = CL_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		bool err = false;
		const char *v;
		if (cmd_is_help(argv[i])) {
			fputs(export_usage, stdout);
			rc = CL_EXIT_OK;
			goto done;
		} else if ((v = opt_value(argc, argv, &i, "--format", &err))) {
			format = v;
		} else if ((v = opt_value(argc, argv, &i, "--level", &err))) {
			level = v;
		} else if ((v = opt_value(argc, argv, &i, "--type", &err))) {
			type = v;
		} else if ((v = opt_value(argc, argv, &i, "--topic", &err))) {
			f.topic = v;
		} else if ((v = opt_value(argc, argv, &i, "--pattern", &err))) {
			f.pattern = v;
		} else if ((v = opt_value(argc, argv, &i, "--bank", &err))) {
			banks[nbanks++] = (char *)v;
		} else if ((v = opt_value(argc, argv, &i, "--out", &err))) {
			out = v;
		} else if (!err) {
			cmd_fail(CL_EXIT_USAGE, "quiz export: unknown argument '%s' (try --help)",
			         argv[i]);
			goto done;
		}
		if (err)
			goto done;
	}
	export_fn fn = format ? find_format(format) : NULL;
	if (!format) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: --format gift|anki|markdown is required");
		goto done;
	}
	if (!fn) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: unknown format '%s' (gift, anki or markdown)",
		         format);
		goto done;
	}
	enum quiz_level l;
	enum quiz_type t;
	if (level && quiz_level_parse(level, &l) < 0) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: unknown level '%s' "
		                        "(junior, middle, senior or staff)", level);
		goto done;
	}
	if (type && quiz_type_parse(type, &t) < 0) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: unknown type '%s' "
		                        "(single, multi, truefalse, short or code)", type);
		goto done;
	}
	f.level = level ? (int)l : -1;
	f.type = type ? (int)t : -1;

	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	if (cmd_quiz_load_banks(&b, banks, nbanks, false, false, &d) < 0) {
		quiz_diag_print(&d, stderr);
		rc = cmd_fail(CL_EXIT_ERROR, "refusing a bank with %zu problem%s (see 'chanlab quiz "
		                             "lint')", d.count, d.count == 1 ? "" : "s");
	} else {
		const struct quiz_question **qs;
		size_t n = quiz_filter_select(&b, &f, &qs);
		if (n == 0)
			rc = cmd_fail(CL_EXIT_ERROR, "quiz export: no question matches");
		else
			rc = write_export(fn, out, qs, n);
		free(qs);
	}
	quiz_diag_free(&d);
	quiz_bank_free(&b);
done:
	free(banks);
	return rc;
}

/* --- import ------------------------------------------------------------------------- */

static const char import_usage[] =
	"usage: chanlab quiz import FILE.gift [--out FILE.yaml] [--name BANK]\n"
	"\n"
	"Turn Moodle GIFT questions (multiple choice, multiple answer, true/false,\n"
	"short answer, essay) into a YAML bank, written to stdout or FILE.yaml.\n"
	"Ids come from the ::titles::; the bank's name from --name, the titles or\n"
	"the file's name.  Questions that cannot be imported and missing\n"
	"explanations are reported as file:line:col: message (exit status 1).\n";

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = (n + 4096) * 2;
			char *g = realloc(buf, cap);
			if (!g)
				abort();
			buf = g;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int cmd_quiz_import(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		bool err = false;
		const char *v;
		if (cmd_is_help(argv[i])) {
			fputs(import_usage, stdout);
			return CL_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--out", &err))) {
			out = v;
		} else if ((v = opt_value(argc, argv, &i, "--name", &err))) {
			name = v;
		} else if (err) {
			return CL_EXIT_USAGE;
		} else if (argv[i][0] == '-' || in) {
			return cmd_fail(CL_EXIT_USAGE, "quiz import: unexpected argument '%s' "
			                               "(try --help)", argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in)
		return cmd_fail(CL_EXIT_USAGE, "quiz import: which GIFT file? (try --help)");
	size_t len = 0;
	char *text = read_all(in, &len);
	if (!text)
		return cmd_fail(CL_EXIT_ERROR, "cannot read '%s': %s", in, strerror(errno));

	bool to_stdout = !out || strcmp(out, "-") == 0;
	FILE *f = to_stdout ? stdout : fopen(out, "w");
	if (!f) {
		free(text);
		return cmd_fail(CL_EXIT_ERROR, "cannot create '%s': %s", out, strerror(errno));
	}
	struct quiz_diag d;
	quiz_diag_init(&d);
	int n = quiz_import_gift(in, text, len, name, f, &d);
	bool write_failed = to_stdout ? fflush(f) != 0 : fclose(f) != 0;
	quiz_diag_print(&d, stderr);
	int rc = CL_EXIT_OK;
	if (write_failed)
		rc = cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s", to_stdout ? "stdout" : out,
		              strerror(errno));
	else if (n < 0 || d.count)
		rc = CL_EXIT_ERROR;
	if (n >= 0)
		fprintf(stderr, "imported %d question%s%s%s\n", n, n == 1 ? "" : "s",
		        to_stdout ? "" : " into ", to_stdout ? "" : out);
	quiz_diag_free(&d);
	free(text);
	return rc;
}
