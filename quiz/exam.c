/*
 * exam.c - an exam's record, its end-of-exam review and its JSON result
 * file (see exam.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quiz/exam.h"
#include "quiz/present.h"
#include "quiz/session.h"

void quiz_exam_init(struct quiz_exam *e)
{
	memset(e, 0, sizeof *e);
}

void quiz_exam_free(struct quiz_exam *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->items[i].id);
		free(e->items[i].answer);
	}
	free(e->items);
	free(e->name);
	memset(e, 0, sizeof *e);
}

int quiz_exam_add(struct quiz_exam *e, const char *id, const char *type, const char *answer,
                  int correct, long ms)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct quiz_exam_item *items = realloc(e->items, cap * sizeof *items);
		if (!items)
			return -1;
		e->items = items;
		e->cap = cap;
	}
	struct quiz_exam_item *it = &e->items[e->n];
	it->id = strdup(id);
	it->answer = answer ? strdup(answer) : NULL;
	if (!it->id || (answer && !it->answer)) {
		free(it->id);
		free(it->answer);
		return -1;
	}
	it->type = type;
	it->correct = correct;
	it->ms = ms;
	e->n++;
	return 0;
}

static bool free_text(const struct quiz_question *q)
{
	return q->type == QUIZ_SHORT || q->type == QUIZ_CODE;
}

int quiz_exam_fill(struct quiz_exam *e, const struct quiz_question *const *paper, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < e->n && !seen; j++)
			seen = strcmp(e->items[j].id, paper[i]->id) == 0;
		if (!seen && quiz_exam_add(e, paper[i]->id, quiz_type_name(paper[i]->type), NULL,
		                           free_text(paper[i]) ? -1 : 0, 0))
			return -1;
	}
	return 0;
}

#define MAX_CHOICES 26

static void review_item(FILE *out, size_t num, const struct quiz_exam_item *it,
                        const struct quiz_question *q, uint64_t seed, bool color)
{
	fprintf(out, "\n%zu. %s: %s\n", num, q->id,
	        it->correct < 0 ? "ungraded" : it->correct ? "right" : "wrong");
	fputs("   your answer: ", out);
	quiz_safe_fputs(out, it->answer ? it->answer : "(none)", false);
	fputc('\n', out);
	if (free_text(q)) {
		quiz_present_model(out, q, color, 78);
		return;
	}
	size_t order[MAX_CHOICES];
	char right[64];
	if (q->nchoices > MAX_CHOICES)
		return;
	quiz_choice_order(q, seed, order);
	quiz_right_answer(q, order, right, sizeof right);
	fprintf(out, "   right answer: %s\n", right);
	quiz_present_wrapped(out, q->explanation, 3, 78);
}

void quiz_exam_print_review(FILE *out, const struct quiz_exam *e, const struct quiz_bank *b,
                            bool color)
{
	fputs("\n== exam review\n", out);
	int by_hand = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct quiz_exam_item *it = &e->items[i];
		const struct quiz_question *q = quiz_bank_find(b, it->id);
		if (q)
			review_item(out, i + 1, it, q, e->seed, color);
		by_hand += it->correct < 0 && it->answer;
	}
	int right, graded;
	quiz_exam_score(e, &right, &graded);
	fprintf(out, "\nscore: %d/%d (%d%%)", right, graded,
	        graded ? (int)((200L * right + graded) / (2L * graded)) : 0);
	if (by_hand)
		fprintf(out, ", %d answer%s to grade by hand", by_hand, by_hand == 1 ? "" : "s");
	fputc('\n', out);
}

void quiz_exam_score(const struct quiz_exam *e, int *right, int *graded)
{
	*right = *graded = 0;
	for (size_t i = 0; i < e->n; i++) {
		if (e->items[i].correct < 0)
			continue;
		(*graded)++;
		*right += e->items[i].correct;
	}
}

void quiz_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out); /* UTF-8 passes through */
		}
	}
	fputc('"', out);
}

static uint64_t fnv_add(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3u;
	}
	/* A separator, so "ab"+"c" and "a"+"bc" differ, and NULL from "". */
	h ^= s ? 0x1f : 0x1e;
	return h * 0x100000001b3u;
}

uint64_t quiz_question_digest(const struct quiz_question *q)
{
	uint64_t h = 0xcbf29ce484222325u;
	h = fnv_add(h, quiz_type_name(q->type));
	h = fnv_add(h, q->prompt);
	h = fnv_add(h, q->code);
	for (size_t i = 0; i < q->nchoices; i++) {
		h = fnv_add(h, q->choices[i].text);
		h = fnv_add(h, q->choices[i].correct ? "1" : "0");
	}
	h = fnv_add(h, q->shuffle ? "shuffle" : "fixed");
	if (q->type == QUIZ_TRUEFALSE)
		h = fnv_add(h, q->answer_bool ? "true" : "false");
	h = fnv_add(h, q->answer_text);
	return h;
}

uint64_t quiz_bank_digest(const struct quiz_bank *b)
{
	/* A sum of per-question hashes: the same whatever order files load in. */
	uint64_t sum = 0;
	for (size_t i = 0; i < b->count; i++) {
		uint64_t h = fnv_add(0xcbf29ce484222325u, b->questions[i].id);
		h ^= quiz_question_digest(&b->questions[i]);
		h *= 0x100000001b3u;
		sum += h ^ (h >> 29);
	}
	return sum;
}

static void json_time(FILE *out, int64_t t)
{
	if (!t) {
		fputs("null", out);
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(out, "\"%s\"", buf);
}

static void json_opt_string(FILE *out, const char *s)
{
	if (s)
		quiz_json_string(out, s);
	else
		fputs("null", out);
}

#ifndef CHANLAB_VERSION
#define CHANLAB_VERSION "unknown"
#endif

int quiz_exam_write_json(FILE *out, const struct quiz_exam *e)
{
	int right, graded;
	quiz_exam_score(e, &right, &graded);
	fputs("{\n  \"chanlab\": \"exam-result\",\n  \"version\": 2,\n", out);
	fputs("  \"chanlab_version\": ", out);
	quiz_json_string(out, CHANLAB_VERSION);
	fputs(",\n  \"banks\": ", out);
	if (e->bank)
		fprintf(out, "\"%016" PRIx64 "\"", quiz_bank_digest(e->bank));
	else
		fputs("null", out);
	fputs(",\n  \"name\": ", out);
	quiz_json_string(out, e->name ? e->name : "");
	fprintf(out, ",\n  \"seed\": %" PRIu64 ",\n", e->seed);
	fputs("  \"filters\": {\"level\": ", out);
	json_opt_string(out, e->level);
	fputs(", \"topic\": ", out);
	json_opt_string(out, e->topic);
	fputs(", \"type\": ", out);
	json_opt_string(out, e->type);
	fputs(", \"pattern\": ", out);
	json_opt_string(out, e->pattern);
	fprintf(out, ", \"count\": %zu},\n  \"started\": ", e->count);
	json_time(out, e->started);
	fputs(", \"ended\": ", out);
	json_time(out, e->ended);
	fprintf(out, ",\n  \"score\": %d,\n  \"graded\": %d,\n  \"ungraded\": %d,\n", right, graded,
	        (int)e->n - graded);
	fputs("  \"questions\": [", out);
	for (size_t i = 0; i < e->n; i++) {
		const struct quiz_exam_item *it = &e->items[i];
		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		quiz_json_string(out, it->id);
		fputs(", \"type\": ", out);
		quiz_json_string(out, it->type);
		fputs(", \"answer\": ", out);
		if (it->answer)
			quiz_json_string(out, it->answer);
		else
			fputs("null", out);
		fprintf(out, ", \"correct\": %s, \"ms\": %ld",
		        it->correct < 0 ? "null" : it->correct ? "true" : "false", it->ms);
		const struct quiz_question *q = e->bank ? quiz_bank_find(e->bank, it->id) : NULL;
		if (q)
			fprintf(out, ", \"digest\": \"%016" PRIx64 "\"", quiz_question_digest(q));
		fputc('}', out);
	}
	fputs(e->n ? "\n  ]\n}\n" : "]\n}\n", out);
	return ferror(out) ? -1 : 0;
}
