/*
 * guess.c - guessability statistics of a bank (guess.h).  Lengths count
 * characters (UTF-8 sequences), not bytes; words are runs of letters and
 * digits, compared without case.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/guess.h"

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool quiz_guess_right_is_longest(const struct quiz_question *q)
{
	size_t right = 0, wrong = 0;
	for (size_t i = 0; i < q->nchoices; i++) {
		size_t n = chars(q->choices[i].text);
		if (q->choices[i].correct)
			right = n > right ? n : right;
		else
			wrong = n > wrong ? n : wrong;
	}
	return right > wrong;
}

bool quiz_guess_multi_giveaway(const struct quiz_question *q)
{
	size_t shortest_right = SIZE_MAX, longest_wrong = 0;
	for (size_t i = 0; i < q->nchoices; i++) {
		size_t n = chars(q->choices[i].text);
		if (q->choices[i].correct)
			shortest_right = n < shortest_right ? n : shortest_right;
		else
			longest_wrong = n > longest_wrong ? n : longest_wrong;
	}
	return shortest_right != SIZE_MAX && longest_wrong <= shortest_right;
}

static void add_stats(struct quiz_guess_stats *all, const struct quiz_guess_stats *st)
{
	all->single += st->single;
	all->single_longest += st->single_longest;
	all->multi += st->multi;
	all->multi_giveaway += st->multi_giveaway;
	all->truefalse += st->truefalse;
	all->truefalse_true += st->truefalse_true;
}

void quiz_guess_count(struct quiz_guess_stats *st, const struct quiz_question *q)
{
	if (q->malformed)
		return;
	switch (q->type) {
	case QUIZ_SINGLE:
		st->single++;
		st->single_longest += quiz_guess_right_is_longest(q);
		break;
	case QUIZ_MULTI:
		st->multi++;
		st->multi_giveaway += quiz_guess_multi_giveaway(q);
		break;
	case QUIZ_TRUEFALSE:
		st->truefalse++;
		st->truefalse_true += q->answer_bool;
		break;
	default:
		break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct lowercase words of s, sorted, as one malloc'd array of
 * pointers into a malloc'd copy (*store); returns how many. */
static size_t words_of(const char *s, char ***out, char **store)
{
	size_t len = strlen(s), n = 0;
	char *copy = malloc(len + 1);
	char **w = malloc((len / 2 + 1) * sizeof *w);
	if (!copy || !w) {
		free(copy);
		free(w);
		*out = NULL;
		*store = NULL;
		return 0;
	}
	for (size_t i = 0; i <= len; i++)
		copy[i] = (char)tolower((unsigned char)s[i]);
	for (char *p = copy; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			*p++ = '\0';
		if (!*p)
			break;
		w[n++] = p;
		while (isalnum((unsigned char)*p))
			p++;
	}
	qsort(w, n, sizeof *w, cmp_word);
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		if (!d || strcmp(w[d - 1], w[i]) != 0)
			w[d++] = w[i];
	*out = w;
	*store = copy;
	return d;
}

/* The overlap of two sorted word lists (see quiz_guess_prompt_overlap). */
static int overlap(char **wa, size_t na, char **wb, size_t nb)
{
	size_t shared = 0;
	for (size_t i = 0, j = 0; i < na && j < nb;) {
		int c = strcmp(wa[i], wb[j]);
		shared += c == 0;
		i += c <= 0;
		j += c >= 0;
	}
	size_t most = na > nb ? na : nb;
	return most ? (int)(shared * 100 / most) : 0;
}

int quiz_guess_prompt_overlap(const char *a, const char *b)
{
	char **wa, **wb, *sa, *sb;
	size_t na = words_of(a, &wa, &sa), nb = words_of(b, &wb, &sb);
	int pct = overlap(wa, na, wb, nb);
	free(wa);
	free(wb);
	free(sa);
	free(sb);
	return pct;
}

struct prompt_words {
	char **w;
	char *store;
	size_t n;
	uint32_t *rank;    /* the words as ranks, rarest first, ascending */
};

/* Words of every question, with the question they belong to. */
struct word_ref {
	const char *w;
	size_t q;
};

static int cmp_word_ref(const void *a, const void *b)
{
	return strcmp(((const struct word_ref *)a)->w, ((const struct word_ref *)b)->w);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

struct pair {
	size_t i, j;
	int pct;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->i != y->i)
		return (x->i > y->i) - (x->i < y->i);
	return (x->j > y->j) - (x->j < y->j);
}

/* The overlap of two ascending rank lists, as overlap() computes it. */
static int rank_overlap(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t shared = 0;
	for (size_t i = 0, j = 0; i < na && j < nb;) {
		shared += a[i] == b[j];
		size_t ai = i;
		i += a[i] <= b[j];
		j += a[ai] >= b[j];
	}
	size_t most = na > nb ? na : nb;
	return most ? (int)(shared * 100 / most) : 0;
}

/* Words a list of n must share with any list it is similar to:
 * ceil(PCT * n / 100), since shared * 100 / max(na, nb) >= PCT. */
static size_t needed_shared(size_t n)
{
	return (n * QUIZ_GUESS_SIMILAR_PCT + 99) / 100;
}

/* Ranks each question's words by how many questions use them, rarest first.
 * Returns -1 if out of memory. */
static int rank_words(struct prompt_words *pw, size_t count)
{
	size_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += pw[i].n;
	struct word_ref *all = malloc((total ? total : 1) * sizeof *all);
	uint32_t *id = malloc((total ? total : 1) * sizeof *id);
	if (!all || !id) {
		free(all);
		free(id);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		for (size_t w = 0; w < pw[i].n; w++)
			all[k++] = (struct word_ref){pw[i].w[w], i};
	if (total)
		qsort(all, total, sizeof *all, cmp_word_ref);
	/* distinct words get ids in alphabetical order; freq counts users
	 * (a question's words are distinct, so each ref is one question) */
	size_t nids = 0;
	uint32_t *freq = calloc(total ? total : 1, sizeof *freq);
	if (!freq) {
		free(all);
		free(id);
		return -1;
	}
	for (size_t r = 0; r < total; r++) {
		if (r == 0 || strcmp(all[r - 1].w, all[r].w) != 0)
			nids++;
		id[r] = (uint32_t)(nids - 1);
		freq[nids - 1]++;
	}
	/* rank = position when ordered by (frequency, id): rare words first */
	uint64_t *order = malloc((nids ? nids : 1) * sizeof *order);
	int rc = 0;
	for (size_t i = 0; i < count && !rc; i++) {
		pw[i].rank = malloc((pw[i].n ? pw[i].n : 1) * sizeof *pw[i].rank);
		rc = pw[i].rank ? 0 : -1;
	}
	if (order && !rc) {
		for (size_t d = 0; d < nids; d++)
			order[d] = (uint64_t)freq[d] << 32 | d;
		qsort(order, nids, sizeof *order, cmp_u64);
		uint32_t *rank_of = freq;   /* reused: freq is no longer needed */
		for (size_t r = 0; r < nids; r++)
			rank_of[(uint32_t)order[r]] = (uint32_t)r;
		size_t *fill = calloc(count ? count : 1, sizeof *fill);
		if (fill) {
			for (size_t r = 0; r < total; r++)
				pw[all[r].q].rank[fill[all[r].q]++] = rank_of[id[r]];
			for (size_t i = 0; i < count; i++)
				if (pw[i].n)
					qsort(pw[i].rank, pw[i].n, sizeof *pw[i].rank, cmp_u32);
			free(fill);
		} else {
			rc = -1;
		}
	} else {
		rc = -1;
	}
	free(order);
	free(freq);
	free(all);
	free(id);
	return rc;
}

/* A set-similarity join with prefix filtering: two lists that share
 * needed_shared(n) words must share one among the first n - needed + 1 of
 * each, taken rarest first.  So each question is compared only with the
 * earlier ones that have one of its rare words, not with all of them (a
 * 1,000-question bank was half a million comparisons). */
static int join_similar(struct prompt_words *pw, size_t count, struct pair **out, size_t *nout)
{
	size_t nranks = 0;
	for (size_t i = 0; i < count; i++)
		if (pw[i].n && pw[i].rank[pw[i].n - 1] + 1 > nranks)
			nranks = pw[i].rank[pw[i].n - 1] + 1;
	/* postings: for each rank, the questions whose prefix holds it */
	size_t **post = calloc(nranks ? nranks : 1, sizeof *post);
	size_t *npost = calloc(nranks ? nranks : 1, sizeof *npost);
	size_t *cap = calloc(nranks ? nranks : 1, sizeof *cap);
	size_t *seen = malloc((count ? count : 1) * sizeof *seen);
	struct pair *pairs = NULL;
	size_t np = 0, pcap = 0;
	int rc = post && npost && cap && seen ? 0 : -1;
	for (size_t j = 0; j < count && !rc; j++)
		seen[j] = SIZE_MAX;
	for (size_t j = 0; j < count && !rc; j++) {
		size_t n = pw[j].n;
		if (!n)
			continue;
		size_t prefix = n - needed_shared(n) + 1;
		for (size_t t = 0; t < prefix && !rc; t++) {
			uint32_t r = pw[j].rank[t];
			for (size_t p = 0; p < npost[r]; p++) {
				size_t i = post[r][p];
				if (seen[i] == j)
					continue;
				seen[i] = j;
				size_t lo = pw[i].n < n ? pw[i].n : n, hi = pw[i].n < n ? n : pw[i].n;
				if (lo * 100 < hi * QUIZ_GUESS_SIMILAR_PCT)
					continue;
				int pct = rank_overlap(pw[i].rank, pw[i].n, pw[j].rank, n);
				if (pct < QUIZ_GUESS_SIMILAR_PCT)
					continue;
				if (np == pcap) {
					struct pair *bigger = realloc(pairs, (pcap = pcap ? 2 * pcap : 16) * sizeof *pairs);
					if (!bigger) {
						rc = -1;
						break;
					}
					pairs = bigger;
				}
				pairs[np++] = (struct pair){i, j, pct};
			}
			if (npost[r] == cap[r]) {
				size_t *bigger = realloc(post[r], (cap[r] = cap[r] ? 2 * cap[r] : 4) * sizeof **post);
				if (!bigger) {
					rc = -1;
					break;
				}
				post[r] = bigger;
			}
			post[r][npost[r]++] = j;
		}
	}
	for (size_t r = 0; post && r < nranks; r++)
		free(post[r]);
	free(post);
	free(npost);
	free(cap);
	free(seen);
	if (rc) {
		free(pairs);
		return -1;
	}
	if (np)
		qsort(pairs, np, sizeof *pairs, cmp_pair);
	*out = pairs;
	*nout = np;
	return 0;
}

int quiz_guess_similar_pairs(const struct quiz_bank *b,
                             void (*fn)(void *ctx, size_t i, size_t j, int pct), void *ctx)
{
	struct prompt_words *pw = calloc(b->count ? b->count : 1, sizeof *pw);
	if (!pw)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < b->count; i++) {
		/* what a student reads: the prompt, the code and the choices */
		const struct quiz_question *q = &b->questions[i];
		size_t len = (q->prompt ? strlen(q->prompt) : 0) + (q->code ? strlen(q->code) : 0) + 2;
		for (size_t c = 0; c < q->nchoices; c++)
			len += strlen(q->choices[c].text) + 1;
		char *text = malloc(len);
		if (!text) {
			rc = -1;
			continue;
		}
		size_t n = (size_t)snprintf(text, len, "%s %s", q->prompt ? q->prompt : "",
		                            q->code ? q->code : "");
		for (size_t c = 0; c < q->nchoices && n < len; c++)
			n += (size_t)snprintf(text + n, len - n, " %s", q->choices[c].text);
		pw[i].n = words_of(text, &pw[i].w, &pw[i].store);
		free(text);
		if (!pw[i].w)
			rc = -1;
	}
	struct pair *pairs = NULL;
	size_t np = 0;
	if (rc == 0)
		rc = rank_words(pw, b->count);
	if (rc == 0)
		rc = join_similar(pw, b->count, &pairs, &np);
	for (size_t k = 0; k < np; k++)
		fn(ctx, pairs[k].i, pairs[k].j, pairs[k].pct);
	free(pairs);
	for (size_t i = 0; i < b->count; i++) {
		free(pw[i].w);
		free(pw[i].store);
		free(pw[i].rank);
	}
	free(pw);
	return rc;
}

static void print_row(FILE *out, const char *name, const struct quiz_guess_stats *st)
{
	fprintf(out, "%-28s %5zu %5zu %4zu%% %5zu %5zu %5zu %5zu %4zu%%\n", name, st->single,
	        st->single_longest, st->single ? st->single_longest * 100 / st->single : 0, st->multi,
	        st->multi_giveaway, st->truefalse, st->truefalse_true,
	        st->truefalse ? st->truefalse_true * 100 / st->truefalse : 0);
}

void quiz_guess_report(const struct quiz_bank *b, FILE *out)
{
	struct quiz_guess_stats all = {0};
	fprintf(out, "%-28s %5s %5s %5s %5s %5s %5s %5s %5s\n", "guessability", "single", "long",
	        "", "multi", "gift", "t/f", "true", "");
	for (size_t f = 0; f < b->nfiles; f++) {
		struct quiz_guess_stats st = {0};
		for (size_t i = 0; i < b->count; i++)
			if (b->questions[i].file == b->files[f])
				quiz_guess_count(&st, &b->questions[i]);
		const char *base = strrchr(b->files[f], '/');
		print_row(out, base ? base + 1 : b->files[f], &st);
		add_stats(&all, &st);
	}
	print_row(out, "all", &all);
	fprintf(out, "(long: the right choice is strictly the longest, at most %d%% in all; gift: a multi\n"
	             " question whose wrong choices are all shorter than every right one, none allowed;\n"
	             " true: %d-%d%% of true/false answers are true)\n",
	        QUIZ_GUESS_LONGEST_MAX_PCT, QUIZ_GUESS_TRUE_MIN_PCT, QUIZ_GUESS_TRUE_MAX_PCT);
}
