/*
 * session.c - selection and order of a session's questions, checking typed
 * answers, and the in-session queue (see session.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/session.h"

/* --- random numbers ---------------------------------------------------- */

void quiz_rng_seed(struct quiz_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t quiz_rng_next(struct quiz_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t quiz_rng_below(struct quiz_rng *r, size_t n)
{
	/* Rejection keeps it uniform; the limit is the largest multiple of n. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = quiz_rng_next(r);
	while (x >= limit);
	return (size_t)(x % n);
}

static void shuffle(const struct quiz_question **a, size_t n, struct quiz_rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = quiz_rng_below(r, i);
		const struct quiz_question *t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* --- selection ------------------------------------------------------------ */

struct due_item {
	const struct quiz_question *q;
	int64_t due;
};

static int by_id(const void *a, const void *b)
{
	const struct quiz_question *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

static int by_due(const void *a, const void *b)
{
	const struct due_item *x = a, *y = b;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp(x->q->id, y->q->id);
}

int quiz_session_select(const struct quiz_bank *b, const struct quiz_filter *f,
                        enum quiz_mode mode, uint64_t seed, size_t count, int64_t now,
                        quiz_progress_fn progress, void *ctx,
                        const struct quiz_question ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = b->count ? b->count : 1;
	const struct quiz_question **fresh = malloc(cap * sizeof *fresh);
	struct due_item *due = malloc(cap * sizeof *due);
	if (!fresh || !due) {
		free(fresh);
		free(due);
		return -1;
	}
	size_t nfresh = 0, ndue = 0;
	bool scheduled = mode == QUIZ_MODE_DEFAULT || mode == QUIZ_MODE_REVIEW ||
	                 mode == QUIZ_MODE_MISTAKES;
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		if (!quiz_filter_match(f, q))
			continue;
		struct quiz_progress p = {false, 0, -1};
		if (scheduled && progress && progress(q->id, &p, ctx) != 0) {
			free(fresh);
			free(due);
			return -1;
		}
		switch (mode) {
		case QUIZ_MODE_DEFAULT:
		case QUIZ_MODE_REVIEW:
			if (p.has_card && p.due <= now)
				due[ndue++] = (struct due_item){q, p.due};
			else if (!p.has_card && mode == QUIZ_MODE_DEFAULT)
				fresh[nfresh++] = q;
			break;
		case QUIZ_MODE_MISTAKES:
			if (p.last_result == 0)
				fresh[nfresh++] = q;
			break;
		default:
			fresh[nfresh++] = q;
			break;
		}
	}
	/* Sorting before shuffling makes the result independent of load order. */
	qsort(fresh, nfresh, sizeof *fresh, by_id);
	qsort(due, ndue, sizeof *due, by_due);
	struct quiz_rng r;
	quiz_rng_seed(&r, seed);
	shuffle(fresh, nfresh, &r);

	size_t total = ndue + nfresh;
	if (count && total > count)
		total = count;
	const struct quiz_question **res = malloc((total ? total : 1) * sizeof *res);
	if (!res) {
		free(fresh);
		free(due);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < ndue && k < total; i++)
		res[k++] = due[i].q;
	for (size_t i = 0; i < nfresh && k < total; i++)
		res[k++] = fresh[i];
	free(fresh);
	free(due);
	*out = res;
	*n = k;
	return 0;
}

void quiz_choice_order(const struct quiz_question *q, uint64_t seed, size_t *order)
{
	for (size_t i = 0; i < q->nchoices; i++)
		order[i] = i;
	if (!q->shuffle || q->nchoices < 2)
		return;
	struct quiz_rng r;
	quiz_rng_seed(&r, seed ^ quiz_hash_str(q->id));
	for (size_t i = q->nchoices; i > 1; i--) {
		size_t j = quiz_rng_below(&r, i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* --- answers ---------------------------------------------------------------- */

static int parse_bool(const char *s)
{
	static const char *const yes[] = {"t", "true", "y", "yes"};
	static const char *const no[] = {"f", "false", "n", "no"};
	char w[8];
	size_t n = 0;
	while (isspace((unsigned char)*s))
		s++;
	while (*s && !isspace((unsigned char)*s) && n < sizeof w - 1)
		w[n++] = (char)tolower((unsigned char)*s++);
	w[n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(w, yes[i]) == 0)
			return 1;
		if (strcmp(w, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Letters a.. picked in input, as a bit set over positions; -1 if malformed. */
static long parse_letters(const char *s, size_t nchoices)
{
	long set = 0;
	if (nchoices > 26)
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)tolower((unsigned char)*s);
		if (c == ',' || isspace(c))
			continue;
		if (c < 'a' || c >= 'a' + nchoices)
			return -1;
		set |= 1L << (c - 'a');
	}
	return set;
}

static void letters(long set, size_t n, char *buf, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 2 < size; i++) {
		if (!(set & (1L << i)))
			continue;
		if (k)
			buf[k++] = ',';
		buf[k++] = (char)('a' + i);
	}
	buf[k] = '\0';
}

static long right_set(const struct quiz_question *q, const size_t *order)
{
	long set = 0;
	for (size_t i = 0; i < q->nchoices; i++)
		if (q->choices[order[i]].correct)
			set |= 1L << i;
	return set;
}

int quiz_check_answer(const struct quiz_question *q, const size_t *order, const char *input,
                      char *canon, size_t canon_size)
{
	if (q->type == QUIZ_TRUEFALSE) {
		int v = parse_bool(input);
		if (v < 0)
			return -1;
		if (canon)
			snprintf(canon, canon_size, "%s", v ? "t" : "f");
		return v == (q->answer_bool ? 1 : 0);
	}
	if (q->type != QUIZ_SINGLE && q->type != QUIZ_MULTI)
		return -1;
	long set = parse_letters(input, q->nchoices);
	if (set <= 0)
		return -1;
	if (q->type == QUIZ_SINGLE && (set & (set - 1)) != 0)
		return -1;
	if (canon)
		letters(set, q->nchoices, canon, canon_size);
	return set == right_set(q, order);
}

void quiz_right_answer(const struct quiz_question *q, const size_t *order, char *buf,
                       size_t size)
{
	if (q->type == QUIZ_TRUEFALSE)
		snprintf(buf, size, "%s", q->answer_bool ? "t" : "f");
	else if (q->type == QUIZ_SINGLE || q->type == QUIZ_MULTI)
		letters(right_set(q, order), q->nchoices, buf, size);
	else if (size)
		buf[0] = '\0';
}

/* --- the queue ------------------------------------------------------------------ */

void quiz_queue_init(struct quiz_queue *qu, const struct quiz_question **items, size_t n)
{
	qu->items = items;
	qu->len = n;
	qu->cap = n;
	qu->pos = 0;
}

void quiz_queue_free(struct quiz_queue *qu)
{
	free(qu->items);
	qu->items = NULL;
	qu->len = qu->cap = qu->pos = 0;
}

const struct quiz_question *quiz_queue_next(struct quiz_queue *qu)
{
	return qu->pos < qu->len ? qu->items[qu->pos++] : NULL;
}

int quiz_queue_insert(struct quiz_queue *qu, size_t idx, const struct quiz_question *q)
{
	if (idx < qu->pos)
		idx = qu->pos;
	if (idx > qu->len)
		idx = qu->len;
	if (qu->len == qu->cap) {
		size_t cap = qu->cap ? qu->cap * 2 : 8;
		const struct quiz_question **items = realloc(qu->items, cap * sizeof *items);
		if (!items)
			return -1;
		qu->items = items;
		qu->cap = cap;
	}
	memmove(qu->items + idx + 1, qu->items + idx, (qu->len - idx) * sizeof *qu->items);
	qu->items[idx] = q;
	qu->len++;
	return 0;
}

long quiz_queue_again(struct quiz_queue *qu, const struct quiz_question *q, size_t gap)
{
	size_t idx = qu->pos + gap;
	if (idx > qu->len)
		idx = qu->len;
	return quiz_queue_insert(qu, idx, q) == 0 ? (long)idx : -1;
}

void quiz_queue_remove(struct quiz_queue *qu, size_t idx)
{
	if (idx < qu->pos || idx >= qu->len)
		return;
	memmove(qu->items + idx, qu->items + idx + 1, (qu->len - idx - 1) * sizeof *qu->items);
	qu->len--;
}

size_t quiz_queue_left(const struct quiz_queue *qu)
{
	return qu->len - qu->pos;
}
