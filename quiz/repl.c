/*
 * repl.c - the quiz session loop (see repl.h).
 *
 * Reading: on a terminal, libedit with our own character reader
 * (EL_GETCFN) so that a SIGINT, caught by an empty handler installed for the
 * session without SA_RESTART, makes el_gets() return at once: the line is
 * dropped and a fresh prompt shown.  libedit keeps its own process-wide
 * state (terminal modes, the signal disposition we set); nothing else here
 * is global: the session lives in a struct repl on the stack.
 */
#include <errno.h>
#include <histedit.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "quiz/exam.h"
#include "quiz/present.h"
#include "quiz/repl.h"
#include "quiz/stats.h"

#define MAX_CHOICES 26

enum { LINE_OK = 1, LINE_EOF = 0, LINE_INTR = -2 };

/* --- reading lines ------------------------------------------------------------- */

struct reader {
	bool interactive;
	FILE *in;
	char *buf;               /* getline's buffer (not interactive) */
	size_t cap;
	EditLine *el;
	History *hist;
	HistEvent ev;
	const char *prompt;
	bool interrupted;        /* set by read_char on EINTR */
	mbstate_t mb;
	struct sigaction old_int;
};

static void on_sigint(int sig)
{
	(void)sig; /* only interrupts read(2); see the file comment */
}

static char *el_prompt(EditLine *el)
{
	struct reader *rd = NULL;
	el_get(el, EL_CLIENTDATA, &rd);
	return (char *)(rd && rd->prompt ? rd->prompt : "> ");
}

/* libedit's character reader, returning -1 when read(2) is interrupted. */
static int read_char(EditLine *el, wchar_t *wc)
{
	struct reader *rd = NULL;
	el_get(el, EL_CLIENTDATA, &rd);
	for (;;) {
		char c;
		ssize_t got = read(STDIN_FILENO, &c, 1);
		if (got < 0) {
			if (errno == EINTR)
				rd->interrupted = true;
			return -1;
		}
		if (got == 0)
			return 0;
		size_t r = mbrtowc(wc, &c, 1, &rd->mb);
		if (r == (size_t)-2)
			continue;
		if (r == (size_t)-1) {
			memset(&rd->mb, 0, sizeof rd->mb);
			*wc = (unsigned char)c;
		}
		return 1;
	}
}

static int reader_open(struct reader *rd, bool interactive, FILE *in, FILE *out)
{
	memset(rd, 0, sizeof *rd);
	rd->interactive = interactive;
	rd->in = in;
	if (!interactive)
		return 0;
	rd->el = el_init("chanlab", stdin, out, stderr);
	rd->hist = history_init();
	if (!rd->el || !rd->hist)
		return -1;
	history(rd->hist, &rd->ev, H_SETSIZE, 200);
	el_set(rd->el, EL_CLIENTDATA, rd);
	el_set(rd->el, EL_EDITOR, "emacs");
	el_set(rd->el, EL_PROMPT, el_prompt);
	el_set(rd->el, EL_HIST, history, rd->hist);
	el_set(rd->el, EL_GETCFN, read_char);
	el_source(rd->el, NULL); /* ~/.editrc */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: read(2) must return EINTR */
	sigaction(SIGINT, &sa, &rd->old_int);
	return 0;
}

static void reader_close(struct reader *rd)
{
	if (rd->el) {
		el_end(rd->el);
		sigaction(SIGINT, &rd->old_int, NULL);
	}
	if (rd->hist)
		history_end(rd->hist);
	free(rd->buf);
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* One line into *line (owned by rd, valid until the next call), trimmed. */
static int reader_line(struct reader *rd, const char *prompt, char **line)
{
	if (!rd->interactive) {
		ssize_t got = getline(&rd->buf, &rd->cap, rd->in);
		if (got < 0)
			return LINE_EOF;
		/* A NUL byte would end the answer early ("a\0b" read as "a"):
		 * shown as '?', the line is not an answer. */
		for (ssize_t i = 0; i < got; i++)
			if (rd->buf[i] == '\0')
				rd->buf[i] = '?';
		chomp(rd->buf);
		*line = rd->buf + strspn(rd->buf, " \t");
		return LINE_OK;
	}
	rd->prompt = prompt;
	rd->interrupted = false;
	int n = 0;
	const char *s = el_gets(rd->el, &n);
	if (!s || n <= 0) {
		if (rd->interrupted) {
			fputs("^C\n", stdout);
			el_reset(rd->el);
			return LINE_INTR;
		}
		return LINE_EOF;
	}
	size_t len = strlen(s);
	if (len + 1 > rd->cap) {
		char *b = realloc(rd->buf, len + 1);
		if (!b)
			return LINE_EOF;
		rd->buf = b;
		rd->cap = len + 1;
	}
	memcpy(rd->buf, s, len + 1);
	chomp(rd->buf);
	*line = rd->buf + strspn(rd->buf, " \t");
	if (**line)
		history(rd->hist, &rd->ev, H_ENTER, *line);
	return LINE_OK;
}

/* --- the session ------------------------------------------------------------------ */

struct result {
	const struct quiz_question *q;
	int correct;             /* 1, 0 */
};

/* What :undo needs to take the last answer back. */
struct undo {
	bool valid;
	int64_t answer_id;
	const struct quiz_question *q;
	bool card_written;
	bool had_card;
	struct quiz_card prev;
	long requeued;           /* queue index of its re-ask, or -1 */
	bool has_result;
};

struct repl {
	const struct quiz_repl_opts *o;
	FILE *out;
	struct reader rd;
	struct quiz_queue queue;
	char session[64];
	struct undo undo;
	struct result *results;
	size_t nresults, cap;
	const struct quiz_question *last;   /* last answered, for :follow */
	struct quiz_exam exam;
	bool exam_mode;
	struct quiz_err *err;
	/* The [n/N] counter counts questions, not asks: seen[] holds each
	 * question once, in the order first asked; N is the session's size. */
	const struct quiz_question **seen;
	size_t nseen, total;
	bool current_new;        /* the question on screen was added to seen[] */
};

enum step { STEP_NEXT, STEP_QUIT, STEP_ERROR };

/* The columns to wrap to: the terminal's (cmd measures it), within reason. */
static int width_of(const struct repl *r)
{
	int w = r->o->width;
	return w <= 0 ? 78 : w < 30 ? 30 : w > 200 ? 200 : w;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int add_result(struct repl *r, const struct quiz_question *q, int correct)
{
	if (r->nresults == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct result *res = realloc(r->results, cap * sizeof *res);
		if (!res)
			return -1;
		r->results = res;
		r->cap = cap;
	}
	r->results[r->nresults++] = (struct result){q, correct};
	return 0;
}

/* How many of q's graded answers in this session were wrong. */
static size_t misses_of(const struct repl *r, const struct quiz_question *q)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nresults; i++)
		n += r->results[i].q == q && !r->results[i].correct;
	return n;
}

/* Tally of the session: each question's first graded answer. */
static void print_summary(struct repl *r)
{
	struct quiz_tally t;
	quiz_tally_init(&t);
	for (size_t i = 0; i < r->nresults; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = r->results[j].q == r->results[i].q;
		if (!seen)
			quiz_tally_add(&t, r->results[i].q, 1, r->results[i].correct, false);
	}
	quiz_tally_print_summary(r->out, &t);
	quiz_tally_free(&t);
}

static void print_help(FILE *out)
{
	fputs("answers: a letter (b), letters (a,c), t or f; free text for short and code\n"
	      "questions, then grade yourself 1 again, 2 hard, 3 good, 4 easy (Enter = 3)\n"
	      "commands:\n"
	      "  :hint    a hint for this question\n"
	      "  :skip    skip it\n"
	      "  :follow  the interviewer's follow-up to the last question answered\n"
	      "  :demo    run the pattern the question is about, at the seed that shows\n"
	      "           its mistake, with the lesson and the MISTAKE lines\n"
	      "  :undo    take back the last answer\n"
	      "  :stats   score so far\n"
	      "  :help    this list\n"
	      "  :quit    end (Ctrl-D too); Ctrl-C clears the line\n", out);
}

/* Records an answer: the card (when scheduling applies) and the log row in
 * one transaction; remembers how to undo it. */
static int record(struct repl *r, const struct quiz_question *q, const char *given,
                  int correct, int rating, long ms)
{
	const struct quiz_repl_opts *o = r->o;
	struct quiz_card card, prev;
	bool found = false;
	bool schedule = rating > 0 && o->mode != QUIZ_MODE_CRAM && o->mode != QUIZ_MODE_EXAM;
	if (schedule) {
		if (quiz_store_card(o->store, q->id, &card, &found, r->err))
			return -1;
		prev = card;
		quiz_fsrs_review(o->fsrs, &card, rating, (int64_t)time(NULL));
	}
	static const char *const modes[] = {
		[QUIZ_MODE_DEFAULT] = "drill", [QUIZ_MODE_REVIEW] = "review",
		[QUIZ_MODE_MISTAKES] = "mistakes", [QUIZ_MODE_CRAM] = "cram", [QUIZ_MODE_EXAM] = "exam",
	};
	struct quiz_answer a = {
		.qid = q->id, .time = (int64_t)time(NULL), .given = given, .correct = correct,
		.rating = rating, .elapsed_ms = ms, .session = r->session, .mode = modes[o->mode],
	};
	int64_t id;
	if (quiz_store_record(o->store, &a, schedule ? &card : NULL, &id, r->err))
		return -1;
	if (!o->interactive) {
		if (r->exam_mode)
			fprintf(r->out, QUIZ_ACK_PREFIX "%zu\n", r->nseen);
		else
			fprintf(r->out, QUIZ_ACK_PREFIX "%s\n", q->id);
		fflush(r->out);
	}
	r->undo = (struct undo){
		.valid = true, .answer_id = id, .q = q, .card_written = schedule,
		.had_card = found, .requeued = -1, .has_result = false,
	};
	if (schedule)
		r->undo.prev = prev;
	if (correct >= 0) {
		if (add_result(r, q, correct))
			return -1;
		r->undo.has_result = true;
	}
	r->last = q;
	return 0;
}

/* :undo while a question is on screen: the last answer's question is asked
 * again next, then the one on screen. */
static int undo_last(struct repl *r)
{
	struct undo *u = &r->undo;
	if (!u->valid) {
		fputs("nothing to undo\n", r->out);
		return 0;
	}
	if (quiz_store_undo(r->o->store, u->answer_id, u->q->id, u->card_written,
	                    u->had_card ? &u->prev : NULL, r->err))
		return -1;
	/* The question on screen was taken from the queue after the answer: put
	 * it back, drop the re-ask the answer queued, and ask the undone one
	 * first.  The re-ask went in at or after the position now current. */
	r->queue.pos--;
	if (r->current_new) {
		r->nseen--;          /* it is asked again later, counted then */
		r->current_new = false;
	}
	if (u->requeued >= 0)
		quiz_queue_remove(&r->queue, (size_t)u->requeued);
	if (quiz_queue_insert(&r->queue, r->queue.pos, u->q))
		return -1;
	if (u->has_result)
		r->nresults--;
	fprintf(r->out, "undone: %s\n", u->q->id);
	u->valid = false;
	return 0;
}

static void follow_up(struct repl *r)
{
	const struct quiz_question *q = r->last;
	if (!q) {
		fputs("no question answered yet\n", r->out);
		return;
	}
	if (!q->follow_up_prompt) {
		fprintf(r->out, "%s has no follow-up\n", q->id);
		return;
	}
	fputs("Follow-up: ", r->out);
	quiz_present_wrapped(r->out, q->follow_up_prompt, 0, width_of(r));
	fputs("Answer: ", r->out);
	quiz_present_wrapped(r->out, q->follow_up_answer ? q->follow_up_answer : "", 0,
	                     width_of(r));
}

static void demo(struct repl *r, const struct quiz_question *q)
{
	if (!q->npatterns && r->last)
		q = r->last;
	if (!q->npatterns) {
		fputs("no pattern is linked to this question\n", r->out);
		return;
	}
	if (!r->o->run_demo) {
		fputs(":demo is not available here\n", r->out);
		return;
	}
	fflush(r->out);
	char summary[1200] = "";
	int rc = r->o->run_demo(q->patterns[0], r->o->demo_ctx, summary, sizeof summary);
	if (summary[0]) {
		fputs("demo: ", r->out);
		quiz_safe_fputs(r->out, summary, false);
		fputc('\n', r->out);
	} else {
		fprintf(r->out, "(demo %s ended with status %d)\n", q->patterns[0], rc);
	}
}

enum cmd_result { CMD_AGAIN, CMD_SHOW, CMD_SKIP, CMD_QUIT, CMD_REDO, CMD_ERROR };

static enum cmd_result command(struct repl *r, const struct quiz_question *q, const char *line)
{
	const char *c = line + 1;
	bool exam = r->exam_mode;
	if (strcmp(c, "quit") == 0 || strcmp(c, "q") == 0)
		return CMD_QUIT;
	if (strcmp(c, "skip") == 0 || strcmp(c, "s") == 0)
		return CMD_SKIP;
	if (strcmp(c, "help") == 0 || strcmp(c, "h") == 0 || strcmp(c, "?") == 0) {
		print_help(r->out);
		return CMD_AGAIN;
	}
	if (exam && (strcmp(c, "hint") == 0 || strcmp(c, "follow") == 0 ||
	             strcmp(c, "demo") == 0 || strcmp(c, "undo") == 0 || strcmp(c, "stats") == 0)) {
		fprintf(r->out, ":%s is not available during an exam\n", c);
		return CMD_AGAIN;
	}
	if (strcmp(c, "hint") == 0) {
		if (q->hint)
			quiz_present_wrapped(r->out, q->hint, 2, width_of(r));
		else
			fputs("no hint for this one\n", r->out);
		return CMD_AGAIN;
	}
	if (strcmp(c, "follow") == 0) {
		follow_up(r);
		return CMD_AGAIN;
	}
	if (strcmp(c, "demo") == 0) {
		demo(r, q);
		return CMD_SHOW;  /* the demo scrolled the question away */
	}
	if (strcmp(c, "stats") == 0) {
		print_summary(r);
		return CMD_AGAIN;
	}
	if (strcmp(c, "undo") == 0) {
		bool had = r->undo.valid;
		if (undo_last(r))
			return CMD_ERROR;
		return had ? CMD_REDO : CMD_AGAIN;
	}
	fprintf(r->out, "unknown command '%s' (:help lists them)\n", line);
	return CMD_AGAIN;
}

/* Reads a self-grade 1..4 (Enter = 3); 0 at end of input or :quit, -1 on
 * :skip (nothing recorded). */
static int self_grade(struct repl *r)
{
	for (;;) {
		char *line;
		if (!r->o->interactive)
			fputs("grade yourself: 1 again, 2 hard, 3 good, 4 easy (Enter = 3)\n", r->out);
		int rc = reader_line(&r->rd, "grade 1-4 [3]> ", &line);
		if (rc == LINE_EOF)
			return 0;
		if (rc == LINE_INTR)
			continue;
		if (!*line)
			return QUIZ_GOOD;
		if (line[0] >= '1' && line[0] <= '4' && line[1] == '\0')
			return line[0] - '0';
		if (strcmp(line, ":quit") == 0 || strcmp(line, ":q") == 0)
			return 0;
		if (strcmp(line, ":skip") == 0 || strcmp(line, ":s") == 0)
			return -1;
		fputs("type 1, 2, 3 or 4 (Enter = 3; :skip leaves it ungraded)\n", r->out);
	}
}

static bool free_text(const struct quiz_question *q)
{
	return q->type == QUIZ_SHORT || q->type == QUIZ_CODE;
}

/* The answer to q is given: grade, record, show feedback. */
static enum step answered(struct repl *r, const struct quiz_question *q, const size_t *order,
                          const char *line, int64_t start)
{
	char canon[64];
	int correct, rating;
	const char *given = line;
	if (free_text(q)) {
		if (r->exam_mode) {
			correct = -1;
			rating = 0;
		} else {
			quiz_present_model(r->out, q, r->o->color, width_of(r));
			rating = self_grade(r);
			if (rating == 0)
				return STEP_QUIT;
			if (rating < 0) {
				/* Left ungraded: the answer is still kept, outside the
				 * schedule. */
				if (record(r, q, given, -1, 0, (long)(now_ms() - start)))
					return STEP_ERROR;
				return STEP_NEXT;
			}
			correct = rating > QUIZ_AGAIN;
		}
	} else {
		correct = quiz_check_answer(q, order, line, canon, sizeof canon);
		given = canon;
		rating = correct ? QUIZ_GOOD : QUIZ_AGAIN;
	}
	long ms = (long)(now_ms() - start);
	if (record(r, q, given, correct, rating, ms))
		return STEP_ERROR;
	if (r->exam_mode) {
		if (quiz_exam_add(&r->exam, q->id, quiz_type_name(q->type), given, correct, ms))
			return STEP_ERROR;
		return STEP_NEXT;
	}
	if (!free_text(q))
		quiz_present_feedback(r->out, q, order, given, correct, r->o->color, width_of(r));
	if (correct == 0) {
		/* Back after 3 questions, then after 6; after the last miss it
		 * waits for another session (its card says when, outside cram),
		 * so a question missed again and again does not hold the others
		 * back or end the session never. */
		size_t misses = misses_of(r, q);
		if (misses > QUIZ_RELEARN_MAX) {
			fputs("(that one comes back in another session)\n", r->out);
			return STEP_NEXT;
		}
		long at = quiz_queue_again(&r->queue, q, QUIZ_RELEARN_GAP << (misses - 1));
		if (at < 0)
			return STEP_ERROR;
		r->undo.requeued = at;
	}
	return STEP_NEXT;
}

static const char *prompt_for(const struct quiz_question *q)
{
	switch (q->type) {
	case QUIZ_TRUEFALSE:
		return "t/f> ";
	case QUIZ_SHORT:
	case QUIZ_CODE:
		return "answer> ";
	default:
		return "> ";
	}
}

static enum step ask(struct repl *r, const struct quiz_question *q)
{
	size_t order[MAX_CHOICES];
	size_t n = q->nchoices;
	if (n > MAX_CHOICES) {
		fprintf(r->out, "%s: too many choices to letter; skipped\n", q->id);
		return STEP_NEXT;
	}
	quiz_choice_order(q, r->o->seed, order);
	r->current_new = true;
	for (size_t i = 0; i < r->nseen && r->current_new; i++)
		r->current_new = r->seen[i] != q;
	if (r->current_new)
		r->seen[r->nseen++] = q;  /* seen[] holds total entries: no overflow */
	quiz_present_question_as(r->out, q, order, r->nseen, r->total, r->o->color,
	                         r->exam_mode, width_of(r));
	int64_t start = now_ms();
	for (;;) {
		char *line;
		if (!r->o->interactive)
			fflush(r->out);
		int rc = reader_line(&r->rd, prompt_for(q), &line);
		if (rc == LINE_EOF)
			return STEP_QUIT;
		if (rc == LINE_INTR || !*line)
			continue;
		if (line[0] == ':') {
			switch (command(r, q, line)) {
			case CMD_QUIT:
				return STEP_QUIT;
			case CMD_SKIP:
				if (r->exam_mode &&
				    quiz_exam_add(&r->exam, q->id, quiz_type_name(q->type), NULL,
				                  free_text(q) ? -1 : 0, (long)(now_ms() - start)))
					return STEP_ERROR;
				return STEP_NEXT;
			case CMD_REDO:
				return STEP_NEXT;
			case CMD_ERROR:
				return STEP_ERROR;
			case CMD_SHOW:
				quiz_present_question_as(r->out, q, order, r->nseen, r->total, r->o->color,
				                         r->exam_mode, width_of(r));
				continue;
			default:
				continue;
			}
		}
		if (!free_text(q) && quiz_check_answer(q, order, line, NULL, 0) < 0) {
			if (q->type == QUIZ_TRUEFALSE)
				fputs("not an answer: type t or f (or :help)\n", r->out);
			else
				fprintf(r->out, "not an answer: type %s of a-%c (or :help)\n",
				        q->type == QUIZ_SINGLE ? "one letter" : "letters",
				        (char)('a' + n - 1));
			continue;
		}
		return answered(r, q, order, line, start);
	}
}

/* The paper's level for the exam's header: "level senior" when every
 * question has one level, else "level mixed (2 junior, 1 senior)". */
static void exam_level(const struct quiz_question **paper, size_t n, char *buf, size_t size)
{
	size_t count[QUIZ_NLEVELS] = {0}, levels = 0;
	snprintf(buf, size, "no level");
	for (size_t i = 0; i < n; i++)
		count[paper[i]->level]++;
	for (int l = 0; l < QUIZ_NLEVELS; l++)
		levels += count[l] > 0;
	if (levels <= 1) {
		for (int l = 0; l < QUIZ_NLEVELS; l++)
			if (count[l])
				snprintf(buf, size, "level %s", quiz_level_name((enum quiz_level)l));
		return;
	}
	size_t len = (size_t)snprintf(buf, size, "level mixed (");
	for (int l = 0; l < QUIZ_NLEVELS && len < size; l++)
		if (count[l])
			len += (size_t)snprintf(buf + len, size - len, "%s%zu %s", buf[len - 1] == '(' ? "" : ", ",
			                        count[l], quiz_level_name((enum quiz_level)l));
	if (len < size)
		snprintf(buf + len, size - len, ")");
}

/* The exam's end: the review, the score, the result file. */
static int exam_end(struct repl *r, const struct quiz_question **paper, size_t npaper)
{
	if (quiz_exam_fill(&r->exam, paper, npaper))
		return -1;
	r->exam.ended = (int64_t)time(NULL);
	quiz_exam_print_review(r->out, &r->exam, r->o->bank, r->o->color);
	if (r->o->save_result) {
		if (r->o->save_result(&r->exam, r->o->result_ctx)) {
			r->err->msg[0] = '\0';    /* already said */
			return -1;
		}
		fputs("result written to ", r->out);
		quiz_safe_fputs(r->out, r->o->result_path, false);
		fputc('\n', r->out);
	}
	return 0;
}

static int progress_of(const char *qid, struct quiz_progress *p, void *ctx)
{
	struct repl *r = ctx;
	struct quiz_card c;
	if (quiz_store_card(r->o->store, qid, &c, &p->has_card, r->err))
		return -1;
	p->due = c.due;
	return quiz_store_last_result(r->o->store, qid, &p->last_result, r->err);
}

/* The earliest due time of the cards of questions the filter keeps, or 0. */
static int next_due(struct repl *r, int64_t *next)
{
	*next = 0;
	for (size_t i = 0; i < r->o->bank->count; i++) {
		const struct quiz_question *q = &r->o->bank->questions[i];
		if (r->o->filter && !quiz_filter_match(r->o->filter, q))
			continue;
		struct quiz_card c;
		bool found;
		if (quiz_store_card(r->o->store, q->id, &c, &found, r->err))
			return -1;
		if (found && (*next == 0 || c.due < *next))
			*next = c.due;
	}
	return 0;
}

int quiz_repl_run(const struct quiz_repl_opts *o, struct quiz_err *err)
{
	struct repl r;
	memset(&r, 0, sizeof r);
	r.o = o;
	r.out = o->out;
	r.err = err;
	r.exam_mode = o->mode == QUIZ_MODE_EXAM;
	quiz_exam_init(&r.exam);
	snprintf(r.session, sizeof r.session, "%s-%" PRId64 "-%ld", r.exam_mode ? "exam" : "quiz",
	         (int64_t)time(NULL), (long)getpid());

	const struct quiz_question **picked;
	size_t n;
	if (quiz_session_select(o->bank, o->filter, o->mode, o->seed, o->count,
	                        (int64_t)time(NULL), progress_of, &r, &picked, &n)) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof err->msg, "out of memory");
		return -1;
	}
	if (n == 0) {
		free(picked);
		fputs(o->mode == QUIZ_MODE_REVIEW ? "nothing is due; come back later\n"
		      : o->mode == QUIZ_MODE_MISTAKES ? "no mistakes to go over\n"
		      : o->mode == QUIZ_MODE_DEFAULT ? "nothing new or due; try --cram\n"
		      : "no question matches\n", o->out);
		if (o->mode == QUIZ_MODE_REVIEW || o->mode == QUIZ_MODE_DEFAULT) {
			int64_t next;
			if (next_due(&r, &next))
				return -1;
			quiz_print_next_due(o->out, next, (int64_t)time(NULL));
		}
		return 0;
	}
	/* The paper, kept apart from the queue (which :undo and re-asks edit). */
	const struct quiz_question **paper = NULL;
	if (r.exam_mode) {
		paper = malloc(n * sizeof *paper);
		if (!paper || !(r.exam.name = strdup(o->student ? o->student : ""))) {
			free(paper);
			free(picked);
			snprintf(err->msg, sizeof err->msg, "out of memory");
			return -1;
		}
		memcpy(paper, picked, n * sizeof *paper);
		r.exam.seed = o->seed;
		r.exam.bank = o->bank;
		r.exam.count = o->count;
		r.exam.started = (int64_t)time(NULL);
		if (o->filter) {
			r.exam.level = o->filter->level >= 0 ? quiz_level_name((enum quiz_level)o->filter->level)
			                                     : NULL;
			r.exam.type = o->filter->type >= 0 ? quiz_type_name((enum quiz_type)o->filter->type)
			                                   : NULL;
			r.exam.topic = o->filter->topic;
			r.exam.pattern = o->filter->pattern;
		}
		char level[120];
		exam_level(paper, n, level, sizeof level);
		fprintf(o->out, "exam: %zu question%s, %s, seed %" PRIu64 "; answers are shown at the end\n",
		        n, n == 1 ? "" : "s", level, o->seed);
	}
	r.total = n;
	r.seen = calloc(n, sizeof *r.seen);
	if (!r.seen)
		quiz_oom();
	quiz_queue_init(&r.queue, picked, n);
	if (reader_open(&r.rd, o->interactive, o->in, o->out)) {
		snprintf(err->msg, sizeof err->msg, "cannot start line editing");
		reader_close(&r.rd);
		quiz_queue_free(&r.queue);
		free(r.seen);
		free(paper);
		quiz_exam_free(&r.exam);
		return -1;
	}
	int ret = 0;
	const struct quiz_question *q;
	while ((q = quiz_queue_next(&r.queue)) != NULL) {
		enum step s = ask(&r, q);
		if (s == STEP_ERROR) {
			ret = -1;
			break;
		}
		if (s == STEP_QUIT)
			break;
	}
	if (ret == 0) {
		if (r.exam_mode) {
			ret = exam_end(&r, paper, n);
		} else {
			fputs("\n== session\n", o->out);
			print_summary(&r);
		}
	}
	reader_close(&r.rd);
	quiz_queue_free(&r.queue);
	free(paper);
	free(r.results);
	free(r.seen);
	quiz_exam_free(&r.exam);
	return ret;
}
