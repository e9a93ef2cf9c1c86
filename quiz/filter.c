/* filter.c - picking questions by level, topic, type and pattern (filter.h). */
#include <stdlib.h>
#include <string.h>

#include "quiz/filter.h"

void quiz_filter_init(struct quiz_filter *f)
{
	f->level = -1;
	f->type = -1;
	f->topic = NULL;
	f->pattern = NULL;
}

/* "fan-in" links to fan-in and any of its variants; "fan-in:x" to that one. */
static bool pattern_match(const char *want, const char *link)
{
	if (strchr(want, ':'))
		return strcmp(want, link) == 0;
	size_t n = strlen(want);
	return strncmp(want, link, n) == 0 && (link[n] == '\0' || link[n] == ':');
}

bool quiz_filter_match(const struct quiz_filter *f, const struct quiz_question *q)
{
	if (f->level >= 0 && (int)q->level != f->level)
		return false;
	if (f->type >= 0 && (int)q->type != f->type)
		return false;
	if (f->topic) {
		size_t i = 0;
		while (i < q->ntopics && strcmp(q->topics[i], f->topic) != 0)
			i++;
		if (i == q->ntopics)
			return false;
	}
	if (f->pattern) {
		size_t i = 0;
		while (i < q->npatterns && !pattern_match(f->pattern, q->patterns[i]))
			i++;
		if (i == q->npatterns)
			return false;
	}
	return true;
}

size_t quiz_filter_select(const struct quiz_bank *b, const struct quiz_filter *f,
                          const struct quiz_question ***out)
{
	const struct quiz_question **v = malloc((b->count ? b->count : 1) * sizeof *v);
	if (!v)
		quiz_oom();
	size_t n = 0;
	for (size_t i = 0; i < b->count; i++)
		if (quiz_filter_match(f, &b->questions[i]))
			v[n++] = &b->questions[i];
	*out = v;
	return n;
}

static const char *first_topic(const struct quiz_question *q)
{
	return q->ntopics ? q->topics[0] : "";
}

void quiz_group_by_topic(const struct quiz_question **qs, size_t n)
{
	/* Stable: take each not-yet-placed topic in order and pull its
	 * questions forward.  O(n * topics), fine for a bank. */
	const struct quiz_question **tmp = malloc((n ? n : 1) * sizeof *tmp);
	bool *done = calloc(n ? n : 1, sizeof *done);
	if (!tmp || !done)
		quiz_oom();
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		const char *t = first_topic(qs[i]);
		for (size_t j = i; j < n; j++)
			if (!done[j] && strcmp(first_topic(qs[j]), t) == 0) {
				tmp[k++] = qs[j];
				done[j] = true;
			}
	}
	memcpy(qs, tmp, n * sizeof *qs);
	free(tmp);
	free(done);
}
