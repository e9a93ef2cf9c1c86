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

/* Each question's distinct words, as ranks: rarest first, ascending. */
struct prompt_words {
	uint32_t *rank;    /* into one array shared by every question */
	size_t n;
};

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

/*
 * The words of every question, each distinct word interned once in a hash
 * table (its id is the order it first appeared in), where sorting every
 * word of the bank by strcmp took a sixth of loading and linting a
 * thousand-question bank.  Words are runs of letters and digits of the
 * lowercased text, as words_of() cuts them.
 */
struct word_index {
	char *text;          /* every question's text, lowercased */
	struct word {
		const char *s;
		size_t len;
		uint32_t hash;
		uint32_t users;  /* questions that use it */
		size_t last;     /* the last question that used it, + 1 */
	} *words;
	size_t nwords, capwords;
	uint32_t *slots;     /* open addressing: word id + 1, 0 when free */
	size_t mask;         /* slots - 1, a power of two minus one */
	uint32_t *ids;       /* each question's distinct word ids, one question after another */
	size_t nids;
	size_t *start;       /* question i's are ids[start[i]..start[i + 1]) */
};

static void word_index_free(struct word_index *x)
{
	free(x->text);
	free(x->words);
	free(x->slots);
	free(x->ids);
	free(x->start);
}

/* Doubles the table; returns -1 if out of memory. */
static int rehash(struct word_index *x)
{
	size_t size = (x->mask + 1) * 2;
	uint32_t *slots = calloc(size, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t w = 0; w < x->nwords; w++) {
		size_t h = x->words[w].hash & (size - 1);
		while (slots[h])
			h = (h + 1) & (size - 1);
		slots[h] = (uint32_t)(w + 1);
	}
	free(x->slots);
	x->slots = slots;
	x->mask = size - 1;
	return 0;
}

/* The id of word s[0..len) (interning it if new); -1 if out of memory. */
static long intern(struct word_index *x, const char *s, size_t len)
{
	uint32_t hash = 2166136261u;  /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		hash = (hash ^ (unsigned char)s[i]) * 16777619u;
	size_t h = hash & x->mask;
	for (; x->slots[h]; h = (h + 1) & x->mask) {
		const struct word *w = &x->words[x->slots[h] - 1];
		if (w->hash == hash && w->len == len && memcmp(w->s, s, len) == 0)
			return (long)(x->slots[h] - 1);
	}
	if (x->nwords == x->capwords) {
		size_t cap = x->capwords ? 2 * x->capwords : 1024;
		struct word *bigger = realloc(x->words, cap * sizeof *bigger);
		if (!bigger)
			return -1;
		x->words = bigger;
		x->capwords = cap;
	}
	size_t id = x->nwords++;
	x->words[id] = (struct word){.s = s, .len = len, .hash = hash};
	x->slots[h] = (uint32_t)(id + 1);
	if (2 * x->nwords > x->mask && rehash(x) < 0)
		return -1;
	return (long)id;
}

/* Copies s lowercased to *at, followed by a space (a word ends there). */
static void put_lower(char **at, const char *s)
{
	char *d = *at;
	if (s)
		for (; *s; s++)
			*d++ = (char)tolower((unsigned char)*s);
	*d++ = ' ';
	*at = d;
}

/* Fills x with the words of what a student reads of each question: the
 * prompt, the code and the choices.  Returns -1 if out of memory. */
static int index_words(struct word_index *x, const struct quiz_bank *b)
{
	size_t len = 1;
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		len += (q->prompt ? strlen(q->prompt) : 0) + (q->code ? strlen(q->code) : 0) + 2;
		for (size_t c = 0; c < q->nchoices; c++)
			len += strlen(q->choices[c].text) + 1;
	}
	/* a word takes a letter and the character that ends it */
	size_t most = len / 2 + 1;
	if (most > UINT32_MAX)
		return -1;
	x->text = malloc(len);
	x->ids = malloc(most * sizeof *x->ids);
	x->start = malloc((b->count + 1) * sizeof *x->start);
	x->mask = 1023;
	x->slots = calloc(x->mask + 1, sizeof *x->slots);
	if (!x->text || !x->ids || !x->start || !x->slots)
		return -1;
	char *at = x->text;
	for (size_t i = 0; i < b->count; i++) {
		const struct quiz_question *q = &b->questions[i];
		char *from = at;
		put_lower(&at, q->prompt);
		put_lower(&at, q->code);
		for (size_t c = 0; c < q->nchoices; c++)
			put_lower(&at, q->choices[c].text);
		x->start[i] = x->nids;
		for (char *p = from; p < at;) {
			if (!isalnum((unsigned char)*p)) {
				p++;
				continue;
			}
			char *w = p;
			while (isalnum((unsigned char)*p))
				p++;
			long id = intern(x, w, (size_t)(p - w));
			if (id < 0)
				return -1;
			struct word *word = &x->words[id];
			if (word->last == i + 1)
				continue;  /* a question's words are counted once */
			word->last = i + 1;
			word->users++;
			x->ids[x->nids++] = (uint32_t)id;
		}
	}
	x->start[b->count] = x->nids;
	return 0;
}

/* Ranks each question's words by how many questions use them, rarest first
 * (ties by first appearance: any one order finds the same pairs), into
 * pw[i], ascending: counting sorts, no comparisons.  Returns -1 if out of
 * memory. */
static int rank_words(struct word_index *x, size_t count, struct prompt_words *pw)
{
	size_t nw = x->nwords ? x->nwords : 1, nids = x->nids ? x->nids : 1;
	size_t *at = calloc((count > nw ? count : nw) + 2, sizeof *at);
	uint32_t *rank_of = malloc(nw * sizeof *rank_of);
	size_t *holders = malloc(nids * sizeof *holders);   /* questions, by rank */
	size_t *fill = calloc(count ? count : 1, sizeof *fill);
	int rc = at && rank_of && holders && fill ? 0 : -1;
	if (!rc) {
		/* by users (at most count), ties by id */
		for (size_t w = 0; w < x->nwords; w++)
			at[x->words[w].users + 1]++;
		for (size_t u = 1; u < count + 2; u++)
			at[u] += at[u - 1];
		for (size_t w = 0; w < x->nwords; w++)
			rank_of[w] = (uint32_t)at[x->words[w].users]++;
		/* the questions holding each rank: a word's users, from at[rank] on */
		memset(at, 0, (x->nwords + 2) * sizeof *at);
		for (size_t w = 0; w < x->nwords; w++)
			at[rank_of[w] + 1] = x->words[w].users;
		for (size_t r = 1; r < x->nwords + 2; r++)
			at[r] += at[r - 1];
		for (size_t i = 0; i < count; i++)
			for (size_t k = x->start[i]; k < x->start[i + 1]; k++)
				holders[at[rank_of[x->ids[k]]]++] = i;
		/* at[r] now ends rank r's holders; read the ranks in order */
		for (size_t i = 0; i < count; i++) {
			pw[i].rank = x->ids + x->start[i];
			pw[i].n = x->start[i + 1] - x->start[i];
		}
		for (size_t r = 0, k = 0; r < x->nwords; r++)
			for (; k < at[r]; k++) {
				size_t i = holders[k];
				pw[i].rank[fill[i]++] = (uint32_t)r;
			}
	}
	free(at);
	free(rank_of);
	free(holders);
	free(fill);
	return rc;
}

/* A set-similarity join with prefix filtering: two lists that share
 * needed_shared(n) words must share one among the first n - needed + 1 of
 * each, taken rarest first.  So each question is compared only with the
 * earlier ones that have one of its rare words, not with all of them (a
 * 1,000-question bank was half a million comparisons). */
static int join_similar(const struct prompt_words *pw, size_t count, size_t nranks,
                        struct pair **out, size_t *nout)
{
	/* postings: for each rank, the questions whose prefix holds it; no more
	 * than hold it, so one array cut by those counts holds them all */
	size_t *first = calloc(nranks + 1, sizeof *first);
	size_t *npost = calloc(nranks ? nranks : 1, sizeof *npost);
	size_t *post = NULL;
	size_t *seen = malloc((count ? count : 1) * sizeof *seen);
	struct pair *pairs = NULL;
	size_t np = 0, pcap = 0;
	int rc = first && npost && seen ? 0 : -1;
	for (size_t j = 0; j < count && !rc; j++) {
		seen[j] = SIZE_MAX;
		for (size_t t = 0; t < pw[j].n; t++)
			first[pw[j].rank[t] + 1]++;
	}
	for (size_t r = 1; r <= nranks && !rc; r++)
		first[r] += first[r - 1];
	if (!rc && !(post = malloc((first[nranks] ? first[nranks] : 1) * sizeof *post)))
		rc = -1;
	for (size_t j = 0; j < count && !rc; j++) {
		size_t n = pw[j].n;
		if (!n)
			continue;
		size_t prefix = n - needed_shared(n) + 1;
		for (size_t t = 0; t < prefix && !rc; t++) {
			uint32_t r = pw[j].rank[t];
			const size_t *holders = post + first[r];
			for (size_t p = 0; p < npost[r]; p++) {
				size_t i = holders[p];
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
			post[first[r] + npost[r]++] = j;
		}
	}
	free(first);
	free(npost);
	free(post);
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
	struct word_index x = {0};
	struct prompt_words *pw = calloc(b->count ? b->count : 1, sizeof *pw);
	struct pair *pairs = NULL;
	size_t np = 0;
	int rc = pw ? index_words(&x, b) : -1;
	if (rc == 0)
		rc = rank_words(&x, b->count, pw);
	if (rc == 0)
		rc = join_similar(pw, b->count, x.nwords, &pairs, &np);
	for (size_t k = 0; k < np; k++)
		fn(ctx, pairs[k].i, pairs[k].j, pairs[k].pct);
	free(pairs);
	free(pw);
	word_index_free(&x);
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
