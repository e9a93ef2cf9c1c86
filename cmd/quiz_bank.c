/*
 * quiz_bank.c - `chanlab quiz lint`, `quiz export` and `quiz import`, and
 * the loading of the shipped banks (compiled in, or CHANLAB_DATADIR) that
 * every quiz command shares.  cmd/quiz.c dispatches to the three commands.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/embedded.h"
#include "cmd/interrupt.h"
#include "cmd/outfile.h"
#include "cmd/quiz_bank.h"
#include "coach/pack.h"
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

char **cmd_quiz_exercise_names(void)
{
	char dir[4096];
	struct stat st;
	cmd_exercise_shipped_pack(dir, sizeof dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	const char *dirs[] = {dir};
	struct coach_pack pack = {0};
	struct coach_diag d = {0};
	coach_pack_load(dirs, 1, &pack, &d);
	coach_diag_free(&d);
	char **names = calloc((size_t)pack.n + 1, sizeof *names);
	if (!names)
		quiz_oom();
	for (int i = 0; i < pack.n; i++)
		if (!(names[i] = strdup(pack.ex[i]->name)))
			quiz_oom();
	coach_pack_free(&pack);
	return names;
}

void cmd_quiz_names_free(char **names)
{
	for (char **n = names; n && *n; n++)
		free(*n);
	free(names);
}

int cmd_quiz_load_banks(struct quiz_bank *b, char *const *files, size_t nfiles,
                        bool with_shipped, bool strict, struct quiz_diag *diag)
{
	size_t before = diag->count;
	load_all(b, files, nfiles, with_shipped, diag);
	char **exercises = cmd_quiz_exercise_names();
	struct quiz_lint_opts opts = {.strict = strict, .pattern_names = cmd_pattern_link_names(),
	                              .exercise_names = (const char *const *)exercises};
	quiz_lint(b, &opts, diag);
	cmd_quiz_names_free(exercises);
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
	char **exercises = cmd_quiz_exercise_names();
	struct quiz_lint_opts opts = {.strict = strict, .pattern_names = cmd_pattern_link_names(),
	                              .exercise_names = (const char *const *)exercises};
	quiz_lint(&b, &opts, &d);
	cmd_quiz_names_free(exercises);
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
	"                           [--type T] [--pattern P] [--bank FILE]...\n"
	"                           [--out FILE]\n"
	"                           [--seed N] [--key FILE] [--deck NAME]\n"
	"\n"
	"Write questions for other tools: Moodle GIFT, Anki text import, or a\n"
	"Markdown handout.  Questions come from the shipped banks, or from the --bank\n"
	"files; the filters keep those of a level (junior, middle, senior, staff), a\n"
	"topic, a type (single, multi, truefalse, short, code) or linked to a pattern\n"
	"(NAME or NAME:VARIANT).  Choices are shuffled with --seed (default 1; the seed\n"
	"is written in the file).  The Markdown answer key goes to --key FILE, never\n"
	"into the handout; --deck names the Anki deck (default chanlab).  Output goes\n"
	"to stdout or FILE, written whole or not at all (Ctrl-C leaves no partial file).\n";

typedef int (*export_fn)(FILE *, const struct quiz_question *const *, size_t,
                         const struct quiz_export_opts *);

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

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --topic or --pattern naming nothing in the banks: exit 64, listing the
 * valid ones (a typo would otherwise read as "no question matches"). */
static int check_names(const struct quiz_bank *b, const char *what, const char *want)
{
	if (!want)
		return 0;
	bool topic = strcmp(what, "topic") == 0;
	size_t cap = 64, n = 0;
	const char **names = malloc(cap * sizeof *names);
	if (!names)
		quiz_oom();
	bool found = false;
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		char **v = topic ? q->topics : q->patterns;
		size_t nv = topic ? q->ntopics : q->npatterns;
		for (size_t j = 0; j < nv; j++) {
			size_t len = strcspn(v[j], ":");
			if (strcmp(v[j], want) == 0 ||
			    (!topic && strlen(want) == len && strncmp(v[j], want, len) == 0))
				found = true;
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = strcmp(names[k], v[j]) == 0;
			if (seen)
				continue;
			if (n == cap && !(names = realloc(names, (cap *= 2) * sizeof *names)))
				quiz_oom();
			names[n++] = v[j];
		}
	}
	int rc = 0;
	if (!found) {
		qsort(names, n, sizeof *names, cmp_names);
		char list[2048] = "none";
		size_t k = 0;
		for (size_t i = 0; i < n && k < sizeof list; i++)
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
		rc = cmd_fail(CL_EXIT_USAGE, "quiz export: no question has %s '%s' (%ss: %s)", what,
		              want, what, list);
	}
	free(names);
	return rc;
}

int cmd_quiz_export(int argc, char **argv)
{
	const char *format = NULL, *out = NULL, *level = NULL, *type = NULL, *keypath = NULL;
	struct quiz_filter f;
	struct quiz_export_opts o = {.shuffle = true, .seed = 1, .deck = NULL};
	quiz_filter_init(&f);
	char **banks = calloc((size_t)argc + 1, sizeof *banks);
	if (!banks)
		quiz_oom();
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
		} else if ((v = opt_value(argc, argv, &i, "--key", &err))) {
			keypath = v;
		} else if ((v = opt_value(argc, argv, &i, "--deck", &err))) {
			o.deck = v;
		} else if ((v = opt_value(argc, argv, &i, "--seed", &err))) {
			char *end;
			errno = 0;
			o.seed = strtoull(v, &end, 10);
			if (!*v || *v == '-' || *end || errno) {
				cmd_fail(CL_EXIT_USAGE, "quiz export: bad --seed '%s'", v);
				goto done;
			}
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
	if (keypath && fn != quiz_export_markdown) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: --key goes with --format markdown");
		goto done;
	}
	if (o.deck && fn != quiz_export_anki) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: --deck goes with --format anki");
		goto done;
	}
	if (keypath && (strcmp(keypath, "-") == 0 || (out && strcmp(out, keypath) == 0))) {
		cmd_fail(CL_EXIT_USAGE, "quiz export: --key needs a file of its own");
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
	} else if ((rc = check_names(&b, "topic", f.topic)) == 0 &&
	           (rc = check_names(&b, "pattern", f.pattern)) == 0) {
		const struct quiz_question **qs;
		size_t n = quiz_filter_select(&b, &f, &qs);
		struct cmd_outfile main_out, key_out = {0};
		if (n == 0) {
			rc = cmd_fail(CL_EXIT_ERROR, "quiz export: no question matches");
		} else if ((rc = cmd_outfile_open(&main_out, out, true)) == 0) {
			if (keypath && (rc = cmd_outfile_open(&key_out, keypath, true)) != 0) {
				cmd_outfile_abort(&main_out);
			} else {
				cmd_interrupt_install();
				o.key = keypath ? key_out.f : NULL;
				if (fn(main_out.f, qs, n, &o) < 0) {
					rc = cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s",
					              main_out.is_stdout ? "stdout" : out, strerror(errno));
					cmd_outfile_abort(&main_out);
					cmd_outfile_abort(&key_out);
				} else if ((rc = cmd_outfile_commit(&main_out)) != 0) {
					cmd_outfile_abort(&key_out);
				} else if (keypath) {
					rc = cmd_outfile_commit(&key_out);
				}
				if (rc == CL_EXIT_INTERRUPTED)
					fputs("chanlab: interrupted; nothing written\n", stderr);
				cmd_interrupt_restore();
			}
		}
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
	"usage: chanlab quiz import FILE.gift [--out FILE.yaml | --out-dir DIR]\n"
	"                           [--name BANK]\n"
	"\n"
	"Turn Moodle GIFT questions (multiple choice, multiple answer, true/false,\n"
	"short answer, essay) into a YAML bank, written to stdout or FILE.yaml; with\n"
	"--out-dir, one bank per $CATEGORY, DIR/BANK.yaml (what 'quiz export --format\n"
	"gift' writes imports back so, bank for bank).  Input must be UTF-8.  Files\n"
	"are written whole or not at all: a failed or interrupted import leaves them.\n"
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
				quiz_oom();
			buf = g;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 && ferror(f) && errno == EINTR && !cmd_interrupted()) {
			clearerr(f);  /* a signal that is not Ctrl-C: go on reading */
			continue;
		}
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

struct split_ctx {
	const char *dir;
	int files;
};

/* One bank of --out-dir: DIR/BANK.yaml, through a temporary file. */
static int emit_bank(const char *bank, const char *yaml, size_t len, int count, void *ctx)
{
	struct split_ctx *c = ctx;
	if (cmd_interrupted())
		return -1;
	char *path;
	if (asprintf(&path, "%s/%s.yaml", c->dir, bank) < 0)
		quiz_oom();
	struct cmd_outfile af;
	int rc = cmd_outfile_open(&af, path, true);
	if (rc == 0) {
		if (fwrite(yaml, 1, len, af.f) != len) {
			rc = cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s", path, strerror(errno));
			cmd_outfile_abort(&af);
		} else {
			rc = cmd_outfile_commit(&af);
		}
	}
	if (rc == 0) {
		fprintf(stderr, "%s: %d question%s\n", path, count, count == 1 ? "" : "s");
		c->files++;
	}
	free(path);
	return rc;
}

int cmd_quiz_import(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *name = NULL, *out_dir = NULL;
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
		} else if ((v = opt_value(argc, argv, &i, "--out-dir", &err))) {
			out_dir = v;
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
	if (out && out_dir)
		return cmd_fail(CL_EXIT_USAGE, "quiz import: choose one of --out and --out-dir");
	if (name && !quiz_bank_name_ok(name))
		return cmd_fail(CL_EXIT_USAGE, "quiz import: --name '%s' is not a bank name (lowercase "
		                "letters, digits and '-')", name);
	if (out_dir) {
		struct stat sb;
		if (stat(out_dir, &sb) != 0)
			return cmd_fail(CL_EXIT_ERROR, "quiz import: --out-dir %s: %s", out_dir,
			                strerror(errno));
		if (!S_ISDIR(sb.st_mode))
			return cmd_fail(CL_EXIT_ERROR, "quiz import: --out-dir %s is not a folder", out_dir);
	}
	/* Ctrl-C from here on: nothing is written, exit 130 (checked after the
	 * read, which may be slow on a pipe, and before each file is renamed). */
	cmd_interrupt_install();
	size_t len = 0;
	char *text = read_all(in, &len);
	if (cmd_interrupted()) {
		free(text);
		cmd_interrupt_restore();
		fputs("chanlab: interrupted; nothing written\n", stderr);
		return CL_EXIT_INTERRUPTED;
	}
	if (!text) {
		cmd_interrupt_restore();
		return cmd_fail(CL_EXIT_ERROR, "cannot read '%s': %s", in, strerror(errno));
	}

	size_t at = quiz_utf8_bad_offset(text, len);
	if (at < len) {
		free(text);
		return cmd_fail(CL_EXIT_ERROR, "%s: not UTF-8 (bad byte at offset %zu); convert it "
		                "first, e.g. iconv -f LATIN1 -t UTF-8", in, at);
	}
	if (out_dir) {
		struct quiz_diag d;
		quiz_diag_init(&d);
		struct split_ctx c = {out_dir, 0};
		int n = quiz_import_gift_split(in, text, len, name, emit_bank, &c, &d);
		quiz_diag_print(&d, stderr);
		int rc = cmd_interrupted() ? CL_EXIT_INTERRUPTED
		         : n < 0 || d.count ? CL_EXIT_ERROR : CL_EXIT_OK;
		if (rc == CL_EXIT_INTERRUPTED)
			fprintf(stderr, "chanlab: interrupted; %d bank%s written\n", c.files,
			        c.files == 1 ? "" : "s");
		else if (n >= 0)
			fprintf(stderr, "imported %d question%s into %d bank%s in %s\n", n,
			        n == 1 ? "" : "s", c.files, c.files == 1 ? "" : "s", out_dir);
		cmd_interrupt_restore();
		quiz_diag_free(&d);
		free(text);
		return rc;
	}
	bool to_stdout = !out || strcmp(out, "-") == 0;
	struct cmd_outfile af;
	if (cmd_outfile_open(&af, out, true)) {
		free(text);
		return CL_EXIT_ERROR;
	}
	/* The bank is made in memory first: a failed import writes nothing,
	 * not even the bank's header, to stdout or the file. */
	char *yaml = NULL;
	size_t yaml_len = 0;
	FILE *mem = open_memstream(&yaml, &yaml_len);
	if (!mem)
		quiz_oom();
	struct quiz_diag d;
	quiz_diag_init(&d);
	int n = quiz_import_gift(in, text, len, name, mem, &d);
	if (fclose(mem) != 0)
		quiz_oom();
	quiz_diag_print(&d, stderr);
	int rc = CL_EXIT_OK;
	if (n < 0) {
		/* Nothing importable: the target keeps what it had. */
		cmd_outfile_abort(&af);
		rc = CL_EXIT_ERROR;
	} else if (fwrite(yaml, 1, yaml_len, af.f) != yaml_len) {
		rc = cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s", to_stdout ? "stdout" : out,
		              strerror(errno));
		cmd_outfile_abort(&af);
		n = -1;
	} else if ((rc = cmd_outfile_commit(&af)) != 0) {
		if (rc == CL_EXIT_INTERRUPTED)
			fputs("chanlab: interrupted; nothing written\n", stderr);
		n = -1;
	} else if (d.count) {
		rc = CL_EXIT_ERROR;
	}
	free(yaml);
	cmd_interrupt_restore();
	if (n >= 0)
		fprintf(stderr, "imported %d question%s%s%s\n", n, n == 1 ? "" : "s",
		        to_stdout ? "" : " into ", to_stdout ? "" : out);
	quiz_diag_free(&d);
	free(text);
	return rc;
}
