/*
 * stats.c - tallies by level and topic, printed as a summary table or a
 * terminal bar chart (see stats.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quiz/stats.h"

#define BAR 30  /* columns of the longest bar */

void quiz_tally_init(struct quiz_tally *t)
{
	memset(t, 0, sizeof *t);
	for (int i = 0; i < QUIZ_NLEVELS; i++)
		t->levels[i].key = NULL; /* named by quiz_level_name() when printed */
}

void quiz_tally_free(struct quiz_tally *t)
{
	for (size_t i = 0; i < t->ntopics; i++)
		free(t->topics[i].key);
	free(t->topics);
	memset(t, 0, sizeof *t);
}

static void bump(struct quiz_tally_row *r, int answered, int right, bool due)
{
	r->questions++;
	r->answered += answered;
	r->right += right;
	r->due += due ? 1 : 0;
}

static struct quiz_tally_row *topic_row(struct quiz_tally *t, const char *topic)
{
	for (size_t i = 0; i < t->ntopics; i++)
		if (strcmp(t->topics[i].key, topic) == 0)
			return &t->topics[i];
	if (t->ntopics == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct quiz_tally_row *rows = realloc(t->topics, cap * sizeof *rows);
		if (!rows)
			return NULL;
		t->topics = rows;
		t->cap = cap;
	}
	struct quiz_tally_row *r = &t->topics[t->ntopics];
	memset(r, 0, sizeof *r);
	if (!(r->key = strdup(topic)))
		return NULL;
	t->ntopics++;
	return r;
}

int quiz_tally_add(struct quiz_tally *t, const struct quiz_question *q, int answered,
                   int right, bool due)
{
	bump(&t->levels[q->level], answered, right, due);
	bump(&t->total, answered, right, due);
	for (size_t i = 0; i < q->ntopics; i++) {
		struct quiz_tally_row *r = topic_row(t, q->topics[i]);
		if (!r)
			return -1;
		bump(r, answered, right, due);
	}
	return 0;
}

static int pct(int right, int answered)
{
	return answered ? (int)((200L * right + answered) / (2L * answered)) : 0;
}

static size_t key_width(const struct quiz_tally *t)
{
	size_t w = 8;
	for (size_t i = 0; i < t->ntopics; i++)
		if (strlen(t->topics[i].key) > w)
			w = strlen(t->topics[i].key);
	return w;
}

static void summary_row(FILE *out, int w, const char *key, const struct quiz_tally_row *r)
{
	fprintf(out, "  %-*s %4d/%-4d %3d%%\n", w, key, r->right, r->answered,
	        pct(r->right, r->answered));
}

void quiz_tally_print_summary(FILE *out, const struct quiz_tally *t)
{
	int w = (int)key_width(t);
	fprintf(out, "score: %d/%d (%d%%)\n", t->total.right, t->total.answered,
	        pct(t->total.right, t->total.answered));
	if (t->total.answered == 0)
		return;
	fputs("by level:\n", out);
	for (int i = 0; i < QUIZ_NLEVELS; i++)
		if (t->levels[i].answered)
			summary_row(out, w, quiz_level_name((enum quiz_level)i), &t->levels[i]);
	fputs("by topic:\n", out);
	for (size_t i = 0; i < t->ntopics; i++)
		if (t->topics[i].answered)
			summary_row(out, w, t->topics[i].key, &t->topics[i]);
}

static void bar(FILE *out, int n, int max, bool color, const char *colour)
{
	int len = max ? (n * BAR + max - 1) / max : 0;
	if (color)
		fputs(colour, out);
	for (int i = 0; i < len; i++)
		fputc('#', out);
	if (color)
		fputs("\033[0m", out);
	fprintf(out, "%*s", BAR - len, "");
}

static void chart_row(FILE *out, int w, const char *key, const struct quiz_tally_row *r,
                      int max, bool color)
{
	fprintf(out, "  %-*s %8d ", w, key, r->answered);
	bar(out, r->answered, max, color, "\033[34m");
	if (r->answered)
		fprintf(out, " %7d%%", pct(r->right, r->answered));
	else
		fprintf(out, " %8s", "-");
	fprintf(out, " %5d\n", r->due);
}

static void chart_header(FILE *out, int w, const char *first)
{
	fprintf(out, "  %-*s %8s %-*s %8s %5s\n", w, first, "answered", BAR, "", "accuracy", "due");
}

void quiz_tally_print_chart(FILE *out, const struct quiz_tally *t, bool color)
{
	int w = (int)key_width(t);
	int max = 0;
	for (int i = 0; i < QUIZ_NLEVELS; i++)
		if (t->levels[i].answered > max)
			max = t->levels[i].answered;
	for (size_t i = 0; i < t->ntopics; i++)
		if (t->topics[i].answered > max)
			max = t->topics[i].answered;
	fprintf(out, "answered %d, right %d (%d%%), due now %d\n\n", t->total.answered,
	        t->total.right, pct(t->total.right, t->total.answered), t->total.due);
	chart_header(out, w, "level");
	for (int i = 0; i < QUIZ_NLEVELS; i++)
		chart_row(out, w, quiz_level_name((enum quiz_level)i), &t->levels[i], max, color);
	fputc('\n', out);
	chart_header(out, w, "topic");
	for (size_t i = 0; i < t->ntopics; i++)
		chart_row(out, w, t->topics[i].key, &t->topics[i], max, color);
}

void quiz_print_next_due(FILE *out, int64_t due, int64_t now)
{
	if (due <= 0) {
		fputs("no card is scheduled yet\n", out);
		return;
	}
	int64_t left = due > now ? due - now : 0;
	char when[64];
	time_t t = (time_t)due;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	fputs("the next card is due ", out);
	if (left == 0)
		fputs("now", out);
	else if (left < 3600)
		fprintf(out, "in %d min", (int)((left + 59) / 60));
	else if (left < 86400 * 2)
		fprintf(out, "in %d h %d min", (int)(left / 3600), (int)(left % 3600 / 60));
	else
		fprintf(out, "in %d days", (int)((left + 43200) / 86400));
	fprintf(out, " (%s)\n", when);
}
