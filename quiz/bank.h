/*
 * bank.h - the question bank model: questions loaded from one or more YAML
 * bank files (docs/bank-format.md), the diagnostics list every problem is
 * reported to as "file:line:col: message", the loader and the linter.
 *
 * Ownership: a struct quiz_bank owns every string and array reachable from
 * it; quiz_bank_free() releases them all.  Pointers into a bank (to a
 * question, a string) stay valid until the next load into it or its free.
 * Nothing here prints or exits: problems go to a caller-owned quiz_diag.
 */
#ifndef CHANLAB_QUIZ_BANK_H
#define CHANLAB_QUIZ_BANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum quiz_level {
	QUIZ_JUNIOR,
	QUIZ_MIDDLE,
	QUIZ_SENIOR,
	QUIZ_STAFF,
};
#define QUIZ_NLEVELS 4

enum quiz_type {
	QUIZ_SINGLE,     /* one right choice */
	QUIZ_MULTI,      /* one or more right choices */
	QUIZ_TRUEFALSE,  /* answer_bool */
	QUIZ_SHORT,      /* free text, self-graded against answer_text */
	QUIZ_CODE,       /* reading `code`; free text, self-graded */
};
#define QUIZ_NTYPES 5

/* Where a node starts in its file, 1-based (0 = unknown / absent). */
struct quiz_pos {
	int line;
	int col;
};

struct quiz_choice {
	char *text;           /* what the student reads; never NULL once loaded */
	bool correct;         /* `correct: true` */
	char *why;            /* why this choice is wrong; NULL if absent */
	struct quiz_pos pos;  /* of the choice's mapping, for messages */
};

struct quiz_question {
	char *id;                 /* "<bank>.<slug>", unique across banks */
	enum quiz_level level;
	char **topics;            /* at least one */
	size_t ntopics;
	enum quiz_type type;
	char *prompt;             /* the question */
	char *code;               /* snippet shown under the prompt; NULL if none */
	char *lang;               /* language of code; "go" by default (never NULL) */
	struct quiz_choice *choices;  /* single/multi only; NULL otherwise */
	size_t nchoices;
	bool answer_bool;         /* truefalse: the right answer */
	char *answer_text;        /* short/code: model answer; NULL otherwise */
	char *why;                /* truefalse: why the wrong answer is wrong; NULL if absent */
	char *explanation;        /* why the right answer is right */
	char *follow_up_prompt;   /* an interviewer's next question; NULL if none */
	char *follow_up_answer;   /* its answer; NULL if none */
	char *hint;               /* shown on :hint; NULL if none */
	char **patterns;          /* "NAME" or "NAME:VARIANT"; first one runs on :demo */
	size_t npatterns;
	char **sources;           /* source-document items covered (`source:`) */
	size_t nsources;
	bool shuffle;             /* default true; false keeps choices in file order */
	char *go;                 /* minimum Go version `code` needs, "1.N"; NULL if any */
	int go_minor;             /* N of `go` (0 when absent or malformed) */
	char **exercises;         /* ids of related exercises (`exercises:`) */
	size_t nexercises;

	/* For messages and tools; filled by the loader. */
	const char *file;         /* name the bank was loaded under (owned by the bank) */
	int line, col;            /* of the `id` value (or of the question if no id) */
	const char *bank;         /* the file's `bank:` name (owned by the bank); may be NULL */
	struct quiz_pos choices_pos;  /* of the `choices` value */
	struct quiz_pos answer_pos;   /* of the `answer` value */
	struct quiz_pos *pattern_pos; /* of each patterns[i] */
	struct quiz_pos go_pos;       /* of the `go` value */
	struct quiz_pos *exercise_pos; /* of each exercises[i] */
	bool has_answer;          /* an `answer` key was present */
	bool answer_is_bool;      /* ...and its value was a YAML boolean */
	char *answer_raw;         /* the `answer` scalar as written; NULL if absent */
	bool malformed;           /* the loader reported a problem in it (lint
	                             skips checks that depend on the broken part) */
};

struct quiz_bank {
	struct quiz_question *questions;  /* in load order */
	size_t count;
	size_t cap;
	char **files;             /* names loaded, in order (questions point into them) */
	char **names;             /* each file's `bank:` name, parallel to files; may be NULL */
	size_t nfiles;
};

/* Problems found, each "file:line:col: message" (lowercase, no full stop). */
struct quiz_diag {
	char **lines;             /* malloc'd strings */
	size_t count;
	size_t cap;
};

/* What the linter checks beyond the format itself. */
struct quiz_lint_opts {
	bool strict;                      /* wrong choices need `why` */
	const char *const *pattern_names; /* NULL-terminated "NAME" / "NAME:VARIANT";
	                                     NULL skips the pattern-link check */
	const char *const *exercise_names; /* NULL-terminated exercise folder names
	                                     ("01-started-channel"); NULL skips the
	                                     check that `exercises:` names exist */
};

/* A bank to load: text in memory (text != NULL) or the file called name. */
struct quiz_source {
	const char *name;         /* shown in messages */
	const char *text;         /* NULL: read the file `name` */
	size_t len;
};

/* Out of memory, the one policy of the quiz module: prints
 * "chanlab: out of memory" on stderr and aborts. */
_Noreturn void quiz_oom(void);

/* --- diagnostics ------------------------------------------------------- */

void quiz_diag_init(struct quiz_diag *d);
void quiz_diag_free(struct quiz_diag *d);
/* Appends "file:line:col: <fmt...>" (":line:col" left out when line is 0).
 * Returns -1, so a caller can "return quiz_diag_add(...)". */
int quiz_diag_add(struct quiz_diag *d, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Orders the lines from index `from` on by file (in the order of files[])
 * then line and column, keeping the order of equal places; lines naming no
 * file of the list go last. */
void quiz_diag_sort(struct quiz_diag *d, size_t from, char *const *files, size_t nfiles);
/* Writes each line followed by '\n'. */
void quiz_diag_print(const struct quiz_diag *d, FILE *out);

/* --- names ----------------------------------------------------------------- */

const char *quiz_level_name(enum quiz_level level);  /* "junior"... */
const char *quiz_type_name(enum quiz_type type);     /* "single"... */
/* 0 and *out set when name is known, else -1. */
int quiz_level_parse(const char *name, enum quiz_level *out);
int quiz_type_parse(const char *name, enum quiz_type *out);

/* --- loading ----------------------------------------------------------- */

void quiz_bank_init(struct quiz_bank *b);
/* Frees what a question owns (not the struct itself); NULL fields are fine. */
void quiz_question_free(struct quiz_question *q);
void quiz_bank_free(struct quiz_bank *b);

/*
 * Parses one bank file and appends its questions.  Every problem of the
 * format (YAML syntax, unknown or missing keys, wrong types, unknown level or
 * type, empty strings) is added to diag.  Returns 0 when the file had none,
 * -1 otherwise; questions that parsed are still appended (flagged
 * `malformed` when broken) so a linter can go on checking.  Does not run
 * the cross-question checks of quiz_lint().
 */
int quiz_bank_load_file(struct quiz_bank *b, const char *path, struct quiz_diag *diag);
/* The same from memory: name is used in messages; text need not be
 * NUL-terminated.  (What bench/ measures.) */
int quiz_bank_load_mem(struct quiz_bank *b, const char *name, const char *text,
                       size_t len, struct quiz_diag *diag);

/*
 * Checks the rules of docs/bank-format.md that need the whole question or
 * the whole bank: id form and uniqueness, right choices, answers, code,
 * pattern links, "all/none of the above", and under strict, `why`.
 * Returns the number of problems it added to diag (0 = clean).
 */
int quiz_lint(const struct quiz_bank *b, const struct quiz_lint_opts *opts,
              struct quiz_diag *diag);

/*
 * What a quiz session uses: loads every source into b, then lints it.
 * Returns 0 when all is clean; otherwise -1 with every problem in diag and
 * b left empty (a session must refuse a broken bank).
 */
int quiz_bank_load_checked(struct quiz_bank *b, const struct quiz_source *srcs,
                           size_t nsrcs, const struct quiz_lint_opts *opts,
                           struct quiz_diag *diag);

/* The question with this id, or NULL. */
const struct quiz_question *quiz_bank_find(const struct quiz_bank *b, const char *id);

/* 64-bit FNV-1a of s: a question's own choice order, the importer's id set. */
uint64_t quiz_hash_str(const char *s);

/* A bank's name: lowercase letters, digits and '-', at least one. */
bool quiz_bank_name_ok(const char *name);

#endif
