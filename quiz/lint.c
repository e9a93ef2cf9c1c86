/*
 * lint.c - the bank rules that need a whole question or the whole bank
 * (docs/bank-format.md, "Rules the linter checks"): id form and uniqueness
 * across every file loaded, right choices per type, answers, code, pattern
 * links, "all/none of the above" in shuffled choices, and under strict mode
 * wrong choices without `why` and what makes a question guessable (guess.h):
 * multi questions whose long choices are the right ones, prompts that ask
 * the same thing twice, and, over all the files given, right choices that
 * are too often the longest and true/false answers that lean one way.  The format itself (syntax, keys, types,
 * empty strings) is checked while loading, in bank.c.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quiz/bank.h"
#include "quiz/guess.h"

struct lint {
	const struct quiz_bank *b;
	const struct quiz_lint_opts *opts;
	struct quiz_diag *diag;
	int problems;
};

#define REPORT(L, q, pos, ...)                                                         \
	do {                                                                           \
		quiz_diag_add((L)->diag, (q)->file, (pos).line ? (pos).line : (q)->line, \
		              (pos).line ? (pos).col : (q)->col, __VA_ARGS__);         \
		(L)->problems++;                                                       \
	} while (0)

static const struct quiz_pos NOPOS = {0, 0};

/* A choice's text for a message: at most size - 4 bytes of it, on one line,
 * cut between UTF-8 characters and ended with "..." when cut. */
static void excerpt(char *buf, size_t size, const char *text)
{
	size_t n = 0;
	for (const char *s = text; *s && n + 4 < size; s++)
		buf[n++] = (*s == '\n' || *s == '\t') ? ' ' : *s;
	if (text[n] == '\0') {
		buf[n] = '\0';
		return;
	}
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;  /* text[n] would continue a character: cut before it */
	strcpy(buf + n, "...");
}

/* lowercase letters, digits, '-' and '.'; no empty part; at least one '.' */
static bool id_ok(const char *id)
{
	bool dot = false;
	char prev = '.';
	for (const char *s = id; *s; s++) {
		if (*s == '.') {
			if (prev == '.' || prev == '-')
				return false;
			dot = true;
		} else if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-')) {
			return false;
		}
		prev = *s;
	}
	return dot && prev != '.' && prev != '-';
}

static bool topic_ok(const char *t)
{
	if (*t == '-')
		return false;
	for (const char *s = t; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return t[strlen(t) - 1] != '-';
}

static int cmp_by_id(const void *a, const void *b, void *arg)
{
	const struct quiz_question *qs = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(qs[i].id, qs[j].id);
	if (c)
		return c;
	return i < j ? -1 : i > j;
}

/*
 * first[i] = index of the earlier question with the same id as question i,
 * or SIZE_MAX.  Sorting keeps a 1,000-question bank from needing a million
 * comparisons.
 */
static size_t *find_duplicates(const struct quiz_bank *b)
{
	size_t *first = malloc((b->count ? b->count : 1) * sizeof *first);
	size_t *order = malloc((b->count ? b->count : 1) * sizeof *order);
	if (!first || !order)
		quiz_oom();
	size_t n = 0;
	for (size_t i = 0; i < b->count; i++) {
		first[i] = SIZE_MAX;
		if (b->questions[i].id)
			order[n++] = i;
	}
	qsort_r(order, n, sizeof *order, cmp_by_id, b->questions);
	for (size_t k = 1; k < n; k++) {
		size_t prev = order[k - 1], cur = order[k];
		if (strcmp(b->questions[prev].id, b->questions[cur].id) == 0)
			first[cur] = first[prev] != SIZE_MAX ? first[prev] : prev;
	}
	free(order);
	return first;
}

static void check_id(struct lint *L, const struct quiz_question *q, const size_t *first,
                     size_t i)
{
	if (!q->id)
		return;
	if (!id_ok(q->id)) {
		REPORT(L, q, NOPOS,
		       "malformed id '%s' (lowercase letters, digits, '-' and '.', as <bank>.<slug>)",
		       q->id);
	} else if (q->bank) {
		size_t n = strlen(q->bank);
		if (strncmp(q->id, q->bank, n) != 0 || q->id[n] != '.')
			REPORT(L, q, NOPOS, "id '%s' does not start with its bank's name '%s.'",
			       q->id, q->bank);
	}
	if (first[i] != SIZE_MAX) {
		const struct quiz_question *p = &L->b->questions[first[i]];
		REPORT(L, q, NOPOS, "duplicate id '%s' (first at %s:%d:%d)", q->id, p->file,
		       p->line, p->col);
	}
}

static void check_topics(struct lint *L, const struct quiz_question *q)
{
	for (size_t i = 0; i < q->ntopics; i++)
		if (!topic_ok(q->topics[i]))
			REPORT(L, q, NOPOS,
			       "malformed topic '%s' (lowercase letters, digits and '-')",
			       q->topics[i]);
	for (size_t i = 0; i < q->nexercises; i++)
		if (!topic_ok(q->exercises[i]))
			REPORT(L, q, NOPOS,
			       "malformed exercise id '%s' (lowercase letters, digits and '-')",
			       q->exercises[i]);
}

static bool refers_by_position(const char *text)
{
	static const struct {
		const char *s;
		size_t len;
	} phrases[] = {
#define PHRASE(s) {s, sizeof s - 1}
		PHRASE("all of the above"), PHRASE("none of the above"), PHRASE("both of the above"),
		PHRASE("all the above"),
#undef PHRASE
	};
	for (const char *t = text; *t; t++) {
		/* each phrase starts 'a', 'b' or 'n': try them only there (a
		 * phrase longer than the rest of the text meets its NUL) */
		int c = tolower((unsigned char)*t);
		if (c != 'a' && c != 'b' && c != 'n')
			continue;
		for (size_t p = 0; p < sizeof phrases / sizeof phrases[0]; p++)
			if (phrases[p].s[0] == c && strncasecmp(t, phrases[p].s, phrases[p].len) == 0)
				return true;
	}
	return false;
}

static bool answer_names_choice(const struct quiz_question *q)
{
	const char *a = q->answer_raw;
	for (size_t i = 0; i < q->nchoices; i++) {
		if (strcmp(a, q->choices[i].text) == 0)
			return true;
		if (a[0] == (char)('a' + i) && a[1] == '\0')
			return true;
	}
	return false;
}

static void check_choices(struct lint *L, const struct quiz_question *q)
{
	const char *tn = quiz_type_name(q->type);
	char ex[48];
	if (!q->choices_pos.line) {
		REPORT(L, q, NOPOS, "missing key 'choices' (%s questions need 2 to 8)", tn);
		return;
	}
	if (q->nchoices < 2 || q->nchoices > 8)
		REPORT(L, q, q->choices_pos, "%s question has %zu choices (2 to 8)", tn, q->nchoices);
	size_t right = 0;
	for (size_t i = 0; i < q->nchoices; i++)
		right += q->choices[i].correct;
	if (q->type == QUIZ_SINGLE && right != 1 && q->nchoices > 0)
		REPORT(L, q, q->choices_pos, "single question has %zu right choices (needs exactly 1)",
		       right);
	if (q->type == QUIZ_MULTI && right == 0 && q->nchoices > 0)
		REPORT(L, q, q->choices_pos, "multi question has no right choice");
	if (q->has_answer && q->answer_raw) {
		if (!answer_names_choice(q))
			REPORT(L, q, q->answer_pos, "answer '%s' names no choice", q->answer_raw);
		else
			REPORT(L, q, q->answer_pos,
			       "'answer' is not used by %s questions (mark the right choices "
			       "'correct: true')", tn);
	}
	for (size_t i = 0; i < q->nchoices; i++) {
		const struct quiz_choice *c = &q->choices[i];
		if (q->shuffle && refers_by_position(c->text)) {
			excerpt(ex, sizeof ex, c->text);
			REPORT(L, q, c->pos,
			       "choice '%s' refers to other choices by position but they are "
			       "shuffled (set 'shuffle: false')", ex);
		}
		if (L->opts && L->opts->strict && !c->correct && !c->why) {
			excerpt(ex, sizeof ex, c->text);
			REPORT(L, q, c->pos, "wrong choice '%s' has no 'why'", ex);
		}
	}
	if (q->why)
		REPORT(L, q, NOPOS, "'why' is used by truefalse questions only (give each wrong "
		                    "choice its own 'why')");
}

static void check_answer(struct lint *L, const struct quiz_question *q)
{
	const char *tn = quiz_type_name(q->type);
	if (q->choices_pos.line)
		REPORT(L, q, q->choices_pos, "'choices' is not used by %s questions", tn);
	if (q->type == QUIZ_TRUEFALSE) {
		if (!q->has_answer)
			REPORT(L, q, NOPOS, "missing key 'answer' (truefalse questions need true or "
			                    "false)");
		else if (q->answer_raw && !q->answer_is_bool)
			REPORT(L, q, q->answer_pos, "truefalse answer '%s' is not true or false",
			       q->answer_raw);
		return;
	}
	if (!q->has_answer)
		REPORT(L, q, NOPOS, "%s question has no model answer ('answer')", tn);
	else if (q->answer_is_bool)
		REPORT(L, q, q->answer_pos, "answer of a %s question must be its model answer, not "
		                            "a boolean", tn);
	if (q->type == QUIZ_CODE && !q->code)
		REPORT(L, q, NOPOS, "code question has no 'code'");
	if (q->why)
		REPORT(L, q, NOPOS, "'why' is used by truefalse questions only");
}

/* Is link ("NAME" or "NAME:VARIANT") in the caller's list?  Sets *name_known
 * when at least its NAME is. */
static bool link_known(const char *const *names, const char *link, bool *name_known)
{
	const char *colon = strchr(link, ':');
	size_t nlen = colon ? (size_t)(colon - link) : strlen(link);
	*name_known = false;
	for (const char *const *n = names; *n; n++) {
		if (strcmp(*n, link) == 0)
			return true;
		if (strncmp(*n, link, nlen) == 0 && ((*n)[nlen] == '\0' || (*n)[nlen] == ':'))
			*name_known = true;
	}
	return false;
}

static void check_patterns(struct lint *L, const struct quiz_question *q)
{
	if (!L->opts || !L->opts->pattern_names)
		return;
	for (size_t i = 0; i < q->npatterns; i++) {
		bool name_known;
		const char *p = q->patterns[i];
		if (link_known(L->opts->pattern_names, p, &name_known))
			continue;
		const char *colon = strchr(p, ':');
		if (colon && name_known)
			REPORT(L, q, q->pattern_pos[i], "unknown variant '%s' of pattern '%.*s'",
			       colon + 1, (int)(colon - p), p);
		else
			REPORT(L, q, q->pattern_pos[i], "unknown pattern '%.*s'",
			       colon ? (int)(colon - p) : (int)strlen(p), p);
	}
}

/* Every `exercises:` id names an exercise of the pack (`chanlab exercise
 * list`), so a question never points a student at nothing. */
static void check_exercises(struct lint *L, const struct quiz_question *q)
{
	if (!L->opts || !L->opts->exercise_names)
		return;
	for (size_t i = 0; i < q->nexercises; i++) {
		bool known = false;
		for (const char *const *n = L->opts->exercise_names; *n && !known; n++)
			known = strcmp(*n, q->exercises[i]) == 0;
		if (!known && topic_ok(q->exercises[i]))  /* a malformed one is reported already */
			REPORT(L, q, q->exercise_pos ? q->exercise_pos[i] : NOPOS,
			       "unknown exercise '%s' (chanlab exercise list names them)", q->exercises[i]);
	}
}

/* A bank-wide rule is judged only over enough questions to mean something:
 * a teacher's five-question file is not held to a share. */
#define GUESS_MIN_QUESTIONS 20

static void report_similar(void *ctx, size_t i, size_t j, int pct)
{
	struct lint *L = ctx;
	const struct quiz_question *a = &L->b->questions[i], *q = &L->b->questions[j];
	REPORT(L, q, NOPOS, "prompt shares %d%% of its words with '%s' (%s:%d): merge them or make "
	       "them test different things", pct, a->id, a->file, a->line);
}

static void check_guessable(struct lint *L)
{
	const struct quiz_bank *b = L->b;
	struct quiz_guess_stats st = {0};
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		quiz_guess_count(&st, q);
		if (!q->malformed && q->type == QUIZ_MULTI && quiz_guess_multi_giveaway(q))
			REPORT(L, q, q->choices_pos, "every wrong choice is shorter than the shortest right "
			       "one: the long choices give the answer away");
	}
	if (quiz_guess_similar_pairs(b, report_similar, L) < 0)
		quiz_diag_add(L->diag, NULL, 0, 0, "out of memory comparing prompts");
	const char *file = b->nfiles ? b->files[0] : "";
	if (st.single >= GUESS_MIN_QUESTIONS &&
	    st.single_longest * 100 > st.single * QUIZ_GUESS_LONGEST_MAX_PCT) {
		quiz_diag_add(L->diag, file, 0, 0, "the right choice is strictly the longest in %zu of %zu "
		              "single-choice questions (%zu%%; at most %d%%)", st.single_longest, st.single,
		              st.single_longest * 100 / st.single, QUIZ_GUESS_LONGEST_MAX_PCT);
		L->problems++;
	}
	if (st.truefalse >= GUESS_MIN_QUESTIONS &&
	    (st.truefalse_true * 100 < st.truefalse * QUIZ_GUESS_TRUE_MIN_PCT ||
	     st.truefalse_true * 100 > st.truefalse * QUIZ_GUESS_TRUE_MAX_PCT)) {
		quiz_diag_add(L->diag, file, 0, 0, "%zu of %zu true/false answers are true (%zu%%; keep it "
		              "between %d%% and %d%%)", st.truefalse_true, st.truefalse,
		              st.truefalse_true * 100 / st.truefalse, QUIZ_GUESS_TRUE_MIN_PCT,
		              QUIZ_GUESS_TRUE_MAX_PCT);
		L->problems++;
	}
}

int quiz_lint(const struct quiz_bank *b, const struct quiz_lint_opts *opts,
              struct quiz_diag *diag)
{
	struct lint L = {.b = b, .opts = opts, .diag = diag};
	size_t *first = find_duplicates(b);
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		check_id(&L, q, first, i);
		check_topics(&L, q);
		check_patterns(&L, q);
		check_exercises(&L, q);
		if (q->malformed)
			continue;  /* the loader already reported what is broken */
		if (q->type == QUIZ_SINGLE || q->type == QUIZ_MULTI)
			check_choices(&L, q);
		else
			check_answer(&L, q);
		if (opts && opts->strict && !q->hint)
			REPORT(&L, q, NOPOS, "question has no 'hint' (a nudge shown on :hint)");
	}
	free(first);
	if (opts && opts->strict)
		check_guessable(&L);
	return L.problems;
}

struct place {
	size_t file, line, col, index;
	char *text;
};

static int cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void quiz_diag_sort(struct quiz_diag *d, size_t from, char *const *files, size_t nfiles)
{
	if (from >= d->count)
		return;
	size_t n = d->count - from;
	struct place *v = malloc(n * sizeof *v);
	if (!v)
		quiz_oom();
	for (size_t i = 0; i < n; i++) {
		const char *s = d->lines[from + i];
		struct place p = {.file = SIZE_MAX, .index = i, .text = d->lines[from + i]};
		size_t best = 0;
		for (size_t f = 0; f < nfiles; f++) {
			size_t len = strlen(files[f]);
			if (len > best && strncmp(s, files[f], len) == 0 && s[len] == ':') {
				best = len;
				p.file = f;
			}
		}
		if (p.file != SIZE_MAX) {
			char *end;
			p.line = strtoul(s + best + 1, &end, 10);
			p.col = *end == ':' ? strtoul(end + 1, NULL, 10) : 0;
		}
		v[i] = p;
	}
	qsort(v, n, sizeof *v, cmp_place);
	for (size_t i = 0; i < n; i++)
		d->lines[from + i] = v[i].text;
	free(v);
}

int quiz_bank_load_checked(struct quiz_bank *b, const struct quiz_source *srcs, size_t nsrcs,
                           const struct quiz_lint_opts *opts, struct quiz_diag *diag)
{
	size_t before = diag->count;
	for (size_t i = 0; i < nsrcs; i++) {
		if (srcs[i].text)
			quiz_bank_load_mem(b, srcs[i].name, srcs[i].text, srcs[i].len, diag);
		else
			quiz_bank_load_file(b, srcs[i].name, diag);
	}
	quiz_lint(b, opts, diag);
	if (diag->count == before)
		return 0;
	quiz_diag_sort(diag, before, b->files, b->nfiles);
	quiz_bank_free(b);
	return -1;
}
