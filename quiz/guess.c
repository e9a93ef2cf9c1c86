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

struct prompt_words {
	char **w;
	char *store;
	size_t n;
};

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
	for (size_t i = 0; rc == 0 && i < b->count; i++)
		for (size_t j = i + 1; j < b->count; j++) {
			/* a pair far apart in length cannot reach the threshold */
			size_t lo = pw[i].n < pw[j].n ? pw[i].n : pw[j].n;
			size_t hi = pw[i].n < pw[j].n ? pw[j].n : pw[i].n;
			if (!hi || lo * 100 < hi * QUIZ_GUESS_SIMILAR_PCT)
				continue;
			int pct = overlap(pw[i].w, pw[i].n, pw[j].w, pw[j].n);
			if (pct >= QUIZ_GUESS_SIMILAR_PCT)
				fn(ctx, i, j, pct);
		}
	for (size_t i = 0; i < b->count; i++) {
		free(pw[i].w);
		free(pw[i].store);
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
