/*
 * test_export.c - the exporters (GIFT, Anki, Markdown) and the GIFT importer:
 * escaping, multi-answer weights, true/false, essays, the Anki header and
 * fields, the handout's answer key, a hand-written Moodle file, and the
 * round trip YAML -> GIFT -> YAML keeping ids, choices, answers and whys.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quiz/bank.h"
#include "quiz/export.h"
#include "quiz/filter.h"
#include "tests/testlib.h"

#define GOOD "tests/quiz/data/good.yaml"

typedef int (*export_fn)(FILE *, const struct quiz_question *const *, size_t,
                         const struct quiz_export_opts *);

/* Exports every question of b with fn into a malloc'd string. */
static char *export_all(const struct quiz_bank *b, export_fn fn)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	struct quiz_filter f;
	quiz_filter_init(&f);
	const struct quiz_question **qs;
	size_t n = quiz_filter_select(b, &f, &qs);
	ck_assert_int_eq(fn(out, qs, n, NULL), 0);
	fclose(out);
	free(qs);
	return text;
}

static void load(struct quiz_bank *b, const char *name, const char *text)
{
	struct quiz_diag d;
	quiz_bank_init(b);
	quiz_diag_init(&d);
	if (text)
		quiz_bank_load_mem(b, name, text, strlen(text), &d);
	else
		quiz_bank_load_file(b, name, &d);
	quiz_lint(b, &(struct quiz_lint_opts){0}, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	ck_assert_uint_eq(d.count, 0);
	quiz_diag_free(&d);
}

#define HAS(text, s) ck_assert_msg(strstr((text), (s)) != NULL, "missing: %s", (s))

/* GIFT: categories, titles, single choice with per-choice feedback. */
START_TEST(gift_single)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *g = export_all(&b, quiz_export_gift);
	HAS(g, "\n$CATEGORY: chanlab/sample\n");
	HAS(g, "::sample.nil-send-blocks::What does a send on a nil channel do?{\n"
	       "\t=It blocks forever.\n"
	       "\t~It panics with \"send on nil channel\".#A nil channel panics only on close; "
	       "send and receive block forever.\n");
	HAS(g, "\t####Send and receive on a nil channel block forever");
	free(g);
	quiz_bank_free(&b);
}
END_TEST

/* GIFT: ~ = # { } : and backslash are escaped, in text and in choices. */
START_TEST(gift_escaping)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *g = export_all(&b, quiz_export_gift);
	HAS(g, "closed, empty channel? \\{a\\} \\~b \\=c \\#d \\:e \\\\ f{");
	HAS(g, "reports ok \\=\\= false.");
	/* Code goes in [html] with entities, newlines as \n. */
	HAS(g, "::sample.read-code::[html]<p>What does this program print?</p><pre><code>"
	       "ch \\:\\= make(chan int)\\ngo func() \\{ ch &lt;- 1 \\}()\\nfmt.Println(&lt;-ch)"
	       "</code></pre>{####1<br><br>Explanation\\: The goroutine sends 1");
	free(g);
	quiz_bank_free(&b);
}
END_TEST

/* GIFT multi: right choices share 100%, wrong ones -100%. */
START_TEST(gift_multi_weights)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *g = export_all(&b, quiz_export_gift);
	HAS(g, "\t~%50%It returns the zero value at once.\n");
	HAS(g, "\t~%-100%It panics, as a send on a closed channel does.#Only a send on a closed channel panics.\n");
	free(g);
	quiz_bank_free(&b);

	static const char three[] =
		"bank: w\nquestions:\n  - id: w.three\n    level: junior\n    topics: [t]\n"
		"    type: multi\n    prompt: P\n    explanation: E\n    choices:\n"
		"      - {text: a, correct: true}\n      - {text: b, correct: true}\n"
		"      - {text: c, correct: true}\n      - {text: d}\n      - {text: e}\n";
	load(&b, "w.yaml", three);
	g = export_all(&b, quiz_export_gift);
	HAS(g, "\t~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-50%d\n\t~%-50%e\n");
	free(g);
	quiz_bank_free(&b);
}
END_TEST

/* GIFT true/false: {T#why####explanation}; short answers are essays. */
START_TEST(gift_truefalse_and_essay)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *g = export_all(&b, quiz_export_gift);
	HAS(g, "takes the value.{T#The send and the receive rendezvous; neither side finishes "
	       "alone.####Unbuffered channels synchronise the two tasks.}\n");
	HAS(g, "the right choice?{####When the sender must not block waiting for a receiver that "
	       "may have gone away.\\n\\nExplanation\\: A buffer of one");
	HAS(g, "// chanlab: level=staff type=short topics=design\n");
	free(g);
	quiz_bank_free(&b);
}
END_TEST

/* Anki: the header, then id, front, back and tags separated by tabs. */
START_TEST(anki_fields)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *a = export_all(&b, quiz_export_anki);
	const char *head = "#separator:tab\n#html:true\n#notetype:Basic\n#deck:chanlab\n"
	                   "#guid column:1\n#tags column:4\n";
	ck_assert(strncmp(a, head, strlen(head)) == 0);
	HAS(a, "\nsample.nil-send-blocks\tWhat does a send on a nil channel do?<br>"
	       "a) It blocks forever.<br>b) It panics with &quot;send on nil channel&quot;.<br>"
	       "c) It returns immediately and the value is dropped.\t<b>a)</b> It blocks forever."
	       "<br><br>Send and receive");
	HAS(a, "\tjunior channels nil-channel\n");
	HAS(a, "<pre><code>ch := make(chan int)<br>go func() { ch &lt;- 1 }()<br>");
	HAS(a, "\t<b>True</b><br>The send and the receive");
	/* Every note is one line of exactly four fields. */
	size_t lines = 0;
	for (char *line = strtok(a, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		size_t tabs = 0;
		for (char *p = line; *p; p++)
			tabs += *p == '\t';
		ck_assert_uint_eq(tabs, 3);
		lines++;
	}
	ck_assert_uint_eq(lines, 5);
	free(a);
	quiz_bank_free(&b);
}
END_TEST

/* Anki: tabs and newlines inside text cannot break the line. */
START_TEST(anki_tabs)
{
	static const char tabs[] =
		"bank: t\nquestions:\n  - id: t.tab\n    level: junior\n    topics: [t]\n"
		"    type: code\n    prompt: \"A <b> & c\"\n    code: \"for {\\n\\tx()\\n}\"\n"
		"    answer: loops\n    explanation: E\n";
	struct quiz_bank b;
	load(&b, "t.yaml", tabs);
	char *a = export_all(&b, quiz_export_anki);
	HAS(a, "\nt.tab\tA &lt;b&gt; &amp; c<pre><code>for {<br>&#9;x()<br>}</code></pre>\t"
	       "<b>Model answer:</b> loops<br><br>E\tjunior t\n");
	free(a);
	quiz_bank_free(&b);
}
END_TEST

/* Markdown: questions by topic, then the answer key. */
START_TEST(markdown_handout)
{
	struct quiz_bank b;
	load(&b, GOOD, NULL);
	char *m = export_all(&b, quiz_export_markdown);
	HAS(m, "\n## channels\n\n**1.** What does a send on a nil channel do? *(junior, one "
	       "answer)*\n\n- a) It blocks forever.\n");
	HAS(m, "\n## design\n\n**4.** When is a buffered channel");
	HAS(m, "```go\nch := make(chan int)\n");
	ck_assert_ptr_null(strstr(m, "Answer key"));
	ck_assert_ptr_null(strstr(m, "answer key"));
	free(m);

	/* The key goes to a file of its own, letters as in the handout. */
	char *k = NULL;
	size_t klen = 0;
	FILE *kf = open_memstream(&k, &klen);
	struct quiz_export_opts o = {.shuffle = false, .key = kf};
	char *h = NULL;
	size_t hlen = 0;
	FILE *hf = open_memstream(&h, &hlen);
	struct quiz_filter f;
	quiz_filter_init(&f);
	const struct quiz_question **qs;
	size_t n = quiz_filter_select(&b, &f, &qs);
	ck_assert_int_eq(quiz_export_markdown(hf, qs, n, &o), 0);
	fclose(hf);
	fclose(kf);
	free(qs);
	HAS(k, "# chanlab questions: answer key\n\n1. `sample.nil-send-blocks`: **a)** It blocks "
	       "forever.  \n");
	HAS(k, "3. `sample.unbuffered-sync`: **True**");
	ck_assert_ptr_null(strstr(h, "`sample.nil-send-blocks`"));
	free(h);
	free(k);
	quiz_bank_free(&b);
}
END_TEST

/* The go and exercises keys in the other exports: a snippet that needs a
 * newer Go says so beside the code (handout, card front); the exercises
 * that practise a question are named in the answer key and on the card's
 * back, never on the handout. */
START_TEST(export_go_and_exercises)
{
	static const char bank[] =
		"bank: t\nquestions:\n  - id: t.range-int\n    level: junior\n    topics: [t]\n"
		"    type: code\n    prompt: What does it print?\n    code: \"for i := range 3 {\\n\\tprintln(i)\\n}\"\n"
		"    answer: 0 1 2\n    explanation: E\n    go: \"1.22\"\n"
		"    exercises: [04-fan-in-closer, 13-pipeline-stop]\n";
	struct quiz_bank b;
	load(&b, "t.yaml", bank);
	char *a = export_all(&b, quiz_export_anki);
	HAS(a, "</code></pre><i>(needs Go 1.22 or newer)</i>\t");
	HAS(a, "<br><br>E<br><br>Practice: chanlab exercise start 04-fan-in-closer, "
	       "chanlab exercise start 13-pipeline-stop\tjunior t\n");
	free(a);

	char *k = NULL, *h = NULL;
	size_t klen = 0, hlen = 0;
	FILE *kf = open_memstream(&k, &klen), *hf = open_memstream(&h, &hlen);
	struct quiz_export_opts o = {.key = kf};
	const struct quiz_question *q = &b.questions[0];
	ck_assert_int_eq(quiz_export_markdown(hf, &q, 1, &o), 0);
	fclose(hf);
	fclose(kf);
	HAS(h, "\n```\n\n*(needs Go 1.22 or newer)*\n\nAnswer:");
	ck_assert_ptr_null(strstr(h, "exercise"));
	HAS(k, "0 1 2  \n   E  \n   Practice: `chanlab exercise start 04-fan-in-closer`, "
	       "`chanlab exercise start 13-pipeline-stop`\n");
	free(h);
	free(k);
	quiz_bank_free(&b);
}
END_TEST

/* Imports GIFT text into a YAML string; diag collects the problems. */
static char *import(const char *name, struct quiz_diag *d, int *count)
{
	size_t len;
	char *gift = NULL;
	FILE *f = fopen(name, "rb");
	ck_assert_ptr_nonnull(f);
	gift = malloc(1 << 16);
	len = fread(gift, 1, 1 << 16, f);
	fclose(f);
	char *yaml = NULL;
	size_t ylen = 0;
	FILE *out = open_memstream(&yaml, &ylen);
	*count = quiz_import_gift(name, gift, len, NULL, out, d);
	fclose(out);
	free(gift);
	return yaml;
}

/* A hand-written Moodle file: what can be imported is, the rest is named. */
START_TEST(import_moodle)
{
	struct quiz_diag d;
	quiz_diag_init(&d);
	int n;
	char *yaml = import("tests/quiz/data/moodle.gift", &d, &n);
	ck_assert_int_eq(n, 5);
	static const char *const want[] = {
		"tests/quiz/data/moodle.gift:6:1: question 'moodle.q2' has no general feedback "
		"('####'); fill in its 'explanation'",
		"tests/quiz/data/moodle.gift:16:1: question 'moodle.short' has no general feedback "
		"('####'); fill in its 'explanation'",
		"tests/quiz/data/moodle.gift:18:1: question 'moodle.essay' has no general feedback "
		"('####'); fill in its 'explanation'",
		"tests/quiz/data/moodle.gift:20:1: matching questions are not imported",
		"tests/quiz/data/moodle.gift:22:1: numerical questions are not imported",
		"tests/quiz/data/moodle.gift:24:1: question has no answer block '{...}' "
		"(descriptions are not imported)",
	};
	ck_assert_uint_eq(d.count, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(d.lines[i], want[i]);
	quiz_diag_free(&d);

	/* The YAML loads; only the empty explanations are problems. */
	struct quiz_bank b;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	quiz_bank_load_mem(&b, "moodle.yaml", yaml, strlen(yaml), &d);
	ck_assert_uint_eq(d.count, 3);
	HAS(d.lines[0], "'explanation' is empty");
	ck_assert_uint_eq(b.count, 5);
	const struct quiz_question *q = quiz_bank_find(&b, "moodle.grant-s-tomb");
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(q->type, QUIZ_SINGLE);
	ck_assert_str_eq(q->prompt, "Who's buried in Grant's tomb?");
	ck_assert_uint_eq(q->nchoices, 3);
	ck_assert(q->choices[2].correct);
	ck_assert_str_eq(q->choices[0].why, "No, he is in a tomb");
	ck_assert_str_eq(q->explanation, "Nobody is buried there.");
	ck_assert_str_eq(q->topics[0], "channels");  /* from $CATEGORY */
	q = quiz_bank_find(&b, "moodle.q2");
	ck_assert_int_eq(q->type, QUIZ_MULTI);
	ck_assert(!q->choices[0].correct && q->choices[1].correct && q->choices[2].correct);
	q = quiz_bank_find(&b, "moodle.tf1");
	ck_assert_int_eq(q->type, QUIZ_TRUEFALSE);
	ck_assert(q->answer_bool);
	ck_assert_str_eq(q->why, "No, he was.");
	q = quiz_bank_find(&b, "moodle.short");
	ck_assert_str_eq(q->answer_text, "Grant / Ulysses S. Grant / Ulysses Grant");
	q = quiz_bank_find(&b, "moodle.essay");
	ck_assert_int_eq(q->type, QUIZ_SHORT);
	ck_assert_str_eq(q->answer_text, "A model essay.");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	free(yaml);
}
END_TEST

static bool same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Text that GIFT or HTML could misread: "->" (Moodle's matching), "<-",
 * "&lt;" written out, tabs in code, line breaks in text. */
static const char tricky[] =
	"bank: sample\nquestions:\n"
	"  - id: sample.arrows\n    level: senior\n    topics: [channels]\n    type: single\n"
	"    prompt: \"Which arrow?\\nPick one.\"\n"
	"    code: \"func f(ch chan<- int) {\\n\\tch <- 1 // a & b\\n}\"\n"
	"    choices:\n"
	"      - text: \"data flows ch -> x\"\n        correct: true\n"
	"      - text: \"x <- ch, &lt; as written\"\n        why: \"it is -> not <-\"\n"
	"    explanation: \"Line one.\\nLine two -> three.\"\n"
	"    go: \"1.22\"\n    exercises: [04-fan-in-closer, 13-pipeline-stop]\n"
	"  - id: sample.plain-arrow\n    level: junior\n    topics: [channels]\n"
	"    type: truefalse\n    prompt: \"Is a -> b an arrow?\"\n    answer: false\n"
	"    why: \"it is -> here\"\n    explanation: \"Yes -> no.\"\n";

/* YAML -> GIFT -> YAML keeps every question: ids, text, choices, answers,
 * whys, and what the "// chanlab:" line carries. */
static void round_trip_bank(const char *name, const char *text)
{
	struct quiz_bank a, b;
	load(&a, name, text);
	char *gift = export_all(&a, quiz_export_gift);
	char *yaml = NULL;
	size_t ylen = 0;
	struct quiz_diag d;
	quiz_diag_init(&d);
	FILE *out = open_memstream(&yaml, &ylen);
	ck_assert_int_eq(quiz_import_gift("good.gift", gift, strlen(gift), NULL, out, &d),
	                 (int)a.count);
	fclose(out);
	ck_assert_uint_eq(d.count, 0);
	quiz_diag_free(&d);
	load(&b, "good2.yaml", yaml);
	ck_assert_str_eq(b.names[0], "sample");
	ck_assert_uint_eq(b.count, a.count);
	for (size_t i = 0; i < a.count; i++) {
		const struct quiz_question *p = &a.questions[i];
		const struct quiz_question *q = quiz_bank_find(&b, p->id);
		ck_assert_msg(q != NULL, "lost %s", p->id);
		ck_assert_int_eq(p->type, q->type);
		ck_assert_int_eq(p->level, q->level);
		ck_assert(same(p->prompt, q->prompt));
		ck_assert(same(p->code, q->code));
		ck_assert(same(p->explanation, q->explanation));
		ck_assert(same(p->answer_text, q->answer_text));
		ck_assert(same(p->why, q->why));
		ck_assert_int_eq(p->answer_bool, q->answer_bool);
		ck_assert_int_eq(p->shuffle, q->shuffle);
		ck_assert_uint_eq(p->ntopics, q->ntopics);
		for (size_t k = 0; k < p->ntopics; k++)
			ck_assert_str_eq(p->topics[k], q->topics[k]);
		ck_assert_uint_eq(p->npatterns, q->npatterns);
		for (size_t k = 0; k < p->npatterns; k++)
			ck_assert_str_eq(p->patterns[k], q->patterns[k]);
		ck_assert(same(p->go, q->go));
		ck_assert_int_eq(p->go_minor, q->go_minor);
		ck_assert_uint_eq(p->nexercises, q->nexercises);
		for (size_t k = 0; k < p->nexercises; k++)
			ck_assert_str_eq(p->exercises[k], q->exercises[k]);
		ck_assert_uint_eq(p->nchoices, q->nchoices);
		for (size_t k = 0; k < p->nchoices; k++) {
			ck_assert_str_eq(p->choices[k].text, q->choices[k].text);
			ck_assert(same(p->choices[k].why, q->choices[k].why));
			ck_assert_int_eq(p->choices[k].correct, q->choices[k].correct);
		}
	}
	free(gift);
	free(yaml);
	quiz_bank_free(&a);
	quiz_bank_free(&b);
}

START_TEST(round_trip)
{
	round_trip_bank(GOOD, NULL);
	round_trip_bank("tricky.yaml", tricky);
}
END_TEST

/* "->" in an answer makes the question [html], so Moodle does not take it
 * for a matching question. */
START_TEST(gift_arrow)
{
	struct quiz_bank b;
	load(&b, "tricky.yaml", tricky);
	char *g = export_all(&b, quiz_export_gift);
	HAS(g, "::sample.plain-arrow::[html]<p>Is a -&gt; b an arrow?</p>{F#it is -&gt; here####"
	       "Yes -&gt; no.}");
	HAS(g, "::sample.arrows::[html]<p>Which arrow?<br>Pick one.</p><pre><code>func f(ch chan&lt;- "
	       "int) \\{\\n\tch &lt;- 1 // a &amp; b\\n\\}</code></pre>{\n\t=data flows ch -&gt; x\n");
	ck_assert_ptr_null(strstr(g, "->"));
	free(g);
	quiz_bank_free(&b);
}
END_TEST

/* Imported YAML quotes what YAML would misread. */
START_TEST(import_quoting)
{
	static const char gift[] =
		"::q.tricky::yes{\n=\"quoted\" \\# and: colon #- dash\n~no# why\\: because\n"
		"####true}\n";
	struct quiz_diag d;
	quiz_diag_init(&d);
	char *yaml = NULL;
	size_t ylen = 0;
	FILE *out = open_memstream(&yaml, &ylen);
	ck_assert_int_eq(quiz_import_gift("t.gift", gift, sizeof gift - 1, NULL, out, &d), 1);
	fclose(out);
	ck_assert_uint_eq(d.count, 0);
	struct quiz_bank b;
	load(&b, "t.yaml", yaml);
	const struct quiz_question *q = &b.questions[0];
	ck_assert_str_eq(q->id, "q.tricky");
	ck_assert_str_eq(q->prompt, "yes");
	ck_assert_str_eq(q->choices[0].text, "\"quoted\" # and: colon");
	ck_assert_str_eq(q->choices[0].why, "- dash");
	ck_assert_str_eq(q->choices[1].why, "why: because");
	ck_assert_str_eq(q->explanation, "true");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	free(yaml);
}
END_TEST

static char *chanlab(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s", test_chanlab_bin(), args);
	char *out = test_run_capture(cmd, status);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* `chanlab quiz export` filters and formats; bad values are usage errors;
 * `quiz import` writes YAML and exits 1 when something needs a person. */
START_TEST(export_import_commands)
{
	int st;
	char *out = chanlab("quiz export --format gift --bank " GOOD " --type truefalse", &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "::sample.unbuffered-sync::");
	ck_assert_ptr_null(strstr(out, "::sample.nil-send-blocks::"));
	free(out);
	out = chanlab("quiz export --format=anki --bank " GOOD " --level staff", &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "\nsample.why-buffer\t");
	ck_assert_ptr_null(strstr(out, "sample.read-code"));
	free(out);
	out = chanlab("quiz export --format markdown --bank " GOOD " --pattern fan-in", &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "1 question.");
	free(out);
	out = chanlab("quiz export --format pdf 2>&1", &st);
	ck_assert_int_eq(st, 64);
	HAS(out, "unknown format 'pdf'");
	free(out);
	out = chanlab("quiz export --format gift --level expert 2>&1", &st);
	ck_assert_int_eq(st, 64);
	free(out);
	out = chanlab("quiz export --format gift --bank tests/quiz/data/single-two.yaml 2>&1", &st);
	ck_assert_int_eq(st, 1);
	HAS(out, "single-two.yaml:9:7: single question has 2 right choices");
	free(out);
	out = chanlab("quiz import tests/quiz/data/moodle.gift 2>/dev/null", &st);
	ck_assert_int_eq(st, 1);
	HAS(out, "  - id: \"moodle.tf1\"\n");
	free(out);
	out = chanlab("quiz import 2>&1", &st);
	ck_assert_int_eq(st, 64);
	free(out);
}
END_TEST

/* The shipped banks exported with the default seed: the right choice is no
 * longer a) every time, the seed is in the handout, the key is in its own
 * file and agrees with the handout's letters; another seed, another order;
 * Anki gets #notetype and #deck lines. */
START_TEST(export_shuffled)
{
	char dir[] = "/tmp/chanlab-export-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char args[512];
	int st;
	snprintf(args, sizeof args, "quiz export --format markdown --type single --out %s/h.md "
	         "--key %s/k.md", dir, dir);
	char *out = chanlab(args, &st);
	ck_assert_int_eq(st, 0);
	free(out);
	char path[160];
	snprintf(path, sizeof path, "%s/h.md", dir);
	char *h = test_read_file(path, NULL);
	snprintf(path, sizeof path, "%s/k.md", dir);
	char *k = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(k);
	HAS(h, "Choices shuffled with seed 1.");
	HAS(k, "Choices shuffled with seed 1.");
	ck_assert_ptr_null(strstr(h, "nswer key"));
	size_t letter[26] = {0}, total = 0;
	for (const char *p = k; (p = strstr(p, "`: **")); p += 5) {
		char c = p[5];
		ck_assert(c >= 'a' && c <= 'z');
		letter[c - 'a']++;
		total++;
	}
	ck_assert_uint_ge(total, 100);
	/* No letter is right in more than half of the questions. */
	for (size_t i = 0; i < 26; i++)
		ck_assert_msg(letter[i] * 2 < total, "%c) right in %zu of %zu", (char)('a' + i),
		              letter[i], total);
	snprintf(args, sizeof args, "quiz export --format markdown --type single --seed 2");
	out = chanlab(args, &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "Choices shuffled with seed 2.");
	ck_assert_str_ne(strstr(out, "\n## "), strstr(h, "\n## "));
	free(out);
	free(h);
	free(k);
	out = chanlab("quiz export --format anki --deck 'Go class' --type single", &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "#notetype:Basic\n#deck:Go class\n");
	HAS(out, "#chanlab-seed:1\n");
	free(out);
	out = chanlab("quiz export --format gift --seed 3 --type single", &st);
	ck_assert_int_eq(st, 0);
	HAS(out, "// chanlab: choices shuffled with seed 3\n");
	free(out);
	out = chanlab("quiz export --format gift --key x.md 2>&1", &st);
	ck_assert_int_eq(st, 64);
	free(out);
	snprintf(args, sizeof args, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(args), 0);
}
END_TEST

/* Unknown --topic or --pattern: exit 64 naming the valid ones. */
START_TEST(export_unknown_names)
{
	int st;
	char *out = chanlab("quiz export --format gift --bank " GOOD " --topic nosuch 2>&1", &st);
	ck_assert_int_eq(st, 64);
	HAS(out, "no question has topic 'nosuch' (topics: ");
	HAS(out, "channels");
	free(out);
	out = chanlab("quiz export --format gift --bank " GOOD " --pattern nosuch 2>&1", &st);
	ck_assert_int_eq(st, 64);
	HAS(out, "patterns: fan-in");
	free(out);
	out = chanlab("quiz --cram --bank " GOOD " --topic nosuch --db /tmp/x.db </dev/null 2>&1",
	              &st);
	ck_assert_int_eq(st, 64);
	HAS(out, "no question has topic 'nosuch'");
	free(out);
}
END_TEST

/* Writes text to dir/name; the path goes to path. */
static void put_in(const char *dir, const char *name, const char *text, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A failed import leaves the target as it was; non-UTF-8 is refused. */
START_TEST(import_atomic_and_utf8)
{
	char dir[] = "/tmp/chanlab-import-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char target[128], bad[128], latin[128], args[512];
	put_in(dir, "bank.yaml", "precious\n", target, sizeof target);
	put_in(dir, "bad.gift", "::x:: no braces here\n", bad, sizeof bad);
	put_in(dir, "latin.gift", "::q:: Caf\xe9?{T}\n", latin, sizeof latin);
	int st;
	snprintf(args, sizeof args, "quiz import %s --out %s 2>&1", bad, target);
	char *out = chanlab(args, &st);
	ck_assert_int_eq(st, 1);
	free(out);
	char *text = test_read_file(target, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	snprintf(args, sizeof args, "quiz import %s --out %s 2>&1", latin, target);
	out = chanlab(args, &st);
	ck_assert_int_eq(st, 1);
	HAS(out, "not UTF-8 (bad byte at offset 9)");
	free(out);
	text = test_read_file(target, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	snprintf(args, sizeof args, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(args), 0);
}
END_TEST

/* Ids are unique (a second question with one title gets "-2"), start with
 * the bank the question goes to (also in a bank per $CATEGORY), and a bad
 * --name, a failed import to stdout and a missing --out-dir are told
 * apart: nothing half-made reaches stdout. */
START_TEST(import_ids_and_refusals)
{
	char dir[] = "/tmp/chanlab-import-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char twice[128], split[128], bad[128], args[600];
	put_in(dir, "twice.gift", "::Same:: One? {=a ~b}\n\n::Same:: Two? {=c ~d}\n\n"
	       "::Same:: Three? {T}\n", twice, sizeof twice);
	put_in(dir, "cat.gift", "$CATEGORY: top/chan\n\n::Foo:: One? {=a ~b}\n", split, sizeof split);
	put_in(dir, "bad.gift", "::x:: no braces here\n", bad, sizeof bad);

	struct quiz_diag d;
	quiz_diag_init(&d);
	int n;
	char *yaml = import(twice, &d, &n);
	ck_assert_int_eq(n, 3);
	HAS(yaml, "  - id: \"twice.same\"\n");
	HAS(yaml, "  - id: \"twice.same-2\"\n");
	HAS(yaml, "  - id: \"twice.same-3\"\n");
	bool said = false;
	for (size_t i = 0; i < d.count; i++)
		said |= strstr(d.lines[i], ":3:1: a second question with the id 'twice.same': this one "
		                           "is 'twice.same-2'") != NULL;
	ck_assert_msg(said, "the renamed duplicate is not reported");
	free(yaml);
	quiz_diag_free(&d);

	int st;
	snprintf(args, sizeof args, "quiz import %s --out-dir %s 2>/dev/null && cat %s/chan.yaml",
	         split, dir, dir);
	char *out = chanlab(args, &st);
	ck_assert_int_eq(st, 1);    /* 1: no explanation, which a person must write */
	free(out);
	snprintf(args, sizeof args, "%s/chan.yaml", dir);
	char *text = test_read_file(args, NULL);
	ck_assert_ptr_nonnull(text);
	HAS(text, "  - id: \"chan.foo\"\n");
	free(text);

	snprintf(args, sizeof args, "quiz import %s --name 'Bad name' 2>&1", twice);
	out = chanlab(args, &st);
	ck_assert_int_eq(st, 64);
	HAS(out, "--name 'Bad name' is not a bank name");
	free(out);
	snprintf(args, sizeof args, "quiz import %s 2>/dev/null", bad);
	out = chanlab(args, &st);
	ck_assert_int_eq(st, 1);
	ck_assert_msg(out[0] == '\0', "a failed import printed: %s", out);
	free(out);
	snprintf(args, sizeof args, "quiz import %s --out-dir %s/nope 2>&1", twice, dir);
	out = chanlab(args, &st);
	ck_assert_int_eq(st, 1);
	HAS(out, "/nope: No such file or directory");
	free(out);
	/* 25 questions without general feedback: 20 named, then one line for
	 * the other 5. */
	char many[2000] = "", path[128];
	for (int i = 0; i < 25; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "::Q%d:: Q%d? {T}\n\n", i, i);
	put_in(dir, "many.gift", many, path, sizeof path);
	quiz_diag_init(&d);
	yaml = import(path, &d, &n);
	ck_assert_int_eq(n, 25);
	ck_assert_int_eq(d.count, 21);
	HAS(d.lines[19], "question 'many.q19' has no general feedback");
	HAS(d.lines[20], "many.gift: 5 more questions have no general feedback");
	free(yaml);
	quiz_diag_free(&d);
	snprintf(args, sizeof args, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(args), 0);
}
END_TEST

static int emit_into(const char *bank, const char *yaml, size_t len, int count, void *ctx)
{
	(void)count;
	struct quiz_bank *b = ctx;
	struct quiz_diag d;
	quiz_diag_init(&d);
	char name[160];
	snprintf(name, sizeof name, "%s.yaml", bank);
	int rc = quiz_bank_load_mem(b, name, yaml, len, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	quiz_diag_free(&d);
	return rc;
}

static void same_str(const char *id, const char *what, const char *a, const char *b)
{
	ck_assert_msg((a == NULL) == (b == NULL) && (!a || strcmp(a, b) == 0),
	              "%s: %s differs: '%s' / '%s'", id, what, a ? a : "(null)", b ? b : "(null)");
}

static void same_list(const char *id, const char *what, char **a, size_t na, char **b,
                      size_t nb)
{
	ck_assert_msg(na == nb, "%s: %s: %zu / %zu", id, what, na, nb);
	for (size_t i = 0; i < na; i++)
		same_str(id, what, a[i], b[i]);
}

/* Every shipped bank exported to GIFT and imported back with a bank per
 * $CATEGORY: the same banks, lint-clean, every question field for field. */
START_TEST(gift_full_round_trip)
{
	struct quiz_bank a, back;
	struct quiz_diag d;
	quiz_bank_init(&a);
	quiz_bank_init(&back);
	quiz_diag_init(&d);
	FILE *ls = popen("ls data/*.yaml", "r");
	ck_assert_ptr_nonnull(ls);
	char path[256];
	while (fgets(path, sizeof path, ls)) {
		path[strcspn(path, "\n")] = '\0';
		ck_assert_int_eq(quiz_bank_load_file(&a, path, &d), 0);
	}
	pclose(ls);
	ck_assert_uint_ge(a.count, 300);
	size_t with_go = 0, with_exercises = 0;
	char *gift = NULL;
	size_t glen = 0;
	FILE *out = open_memstream(&gift, &glen);
	struct quiz_filter f;
	quiz_filter_init(&f);
	const struct quiz_question **qs;
	size_t n = quiz_filter_select(&a, &f, &qs);
	struct quiz_export_opts o = {.shuffle = true, .seed = 1};
	ck_assert_int_eq(quiz_export_gift(out, qs, n, &o), 0);
	fclose(out);
	free(qs);
	ck_assert_int_eq(quiz_import_gift_split("all.gift", gift, glen, NULL, emit_into, &back, &d),
	                 (int)a.count);
	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(back.nfiles, a.nfiles);
	ck_assert_int_eq(quiz_lint(&back, &(struct quiz_lint_opts){0}, &d), 0);
	for (size_t i = 0; i < a.count; i++) {
		const struct quiz_question *x = &a.questions[i];
		const struct quiz_question *y = quiz_bank_find(&back, x->id);
		ck_assert_msg(y != NULL, "%s not imported", x->id);
		ck_assert_int_eq(x->level, y->level);
		ck_assert_int_eq(x->type, y->type);
		ck_assert_int_eq(x->shuffle, y->shuffle);
		ck_assert_str_eq(x->bank, y->bank);
		same_list(x->id, "topics", x->topics, x->ntopics, y->topics, y->ntopics);
		same_str(x->id, "prompt", x->prompt, y->prompt);
		same_str(x->id, "code", x->code, y->code);
		same_str(x->id, "lang", x->lang, y->lang);
		ck_assert_uint_eq(x->nchoices, y->nchoices);
		for (size_t c = 0; c < x->nchoices; c++) {
			/* Choices come back in the exported (shuffled) order. */
			bool found = false;
			for (size_t k = 0; k < y->nchoices && !found; k++)
				if (strcmp(x->choices[c].text, y->choices[k].text) == 0) {
					found = true;
					ck_assert_int_eq(x->choices[c].correct, y->choices[k].correct);
					same_str(x->id, "why", x->choices[c].why, y->choices[k].why);
				}
			ck_assert_msg(found, "%s: choice '%s' lost", x->id, x->choices[c].text);
		}
		if (x->type == QUIZ_TRUEFALSE)
			ck_assert_int_eq(x->answer_bool, y->answer_bool);
		same_str(x->id, "answer", x->answer_text, y->answer_text);
		same_str(x->id, "why", x->why, y->why);
		same_str(x->id, "explanation", x->explanation, y->explanation);
		same_str(x->id, "follow_up.prompt", x->follow_up_prompt, y->follow_up_prompt);
		same_str(x->id, "follow_up.answer", x->follow_up_answer, y->follow_up_answer);
		same_str(x->id, "hint", x->hint, y->hint);
		same_list(x->id, "patterns", x->patterns, x->npatterns, y->patterns, y->npatterns);
		same_list(x->id, "source", x->sources, x->nsources, y->sources, y->nsources);
		same_str(x->id, "go", x->go, y->go);
		same_list(x->id, "exercises", x->exercises, x->nexercises, y->exercises, y->nexercises);
		with_go += x->go != NULL;
		with_exercises += x->nexercises > 0;
	}
	/* The shipped bank has both keys, so the trip above carried them. */
	ck_assert_uint_ge(with_go, 4);
	ck_assert_uint_ge(with_exercises, 5);
	free(gift);
	quiz_diag_free(&d);
	quiz_bank_free(&a);
	quiz_bank_free(&back);
}
END_TEST

/* GIFT text the importer must escape: control characters, NEL and line
 * separators, quotes, a level that is not one: the YAML it writes loads
 * (YAML-wise: the level is still reported as unknown). */
START_TEST(import_escapes_everything)
{
	static const char gift[] =
		"// chanlab: level=\"x: [y type=single\n"
		"::t.a:: Ctrl \x01\x7f NEL \xc2\x85 LS \xe2\x80\xa8 BOM \xef\xbb\xbf \"q\" \\\\ end"
		"{=yes\x1b[2J ~no#\xc2\x9b ####E\x02}\n";
	struct quiz_diag d;
	quiz_diag_init(&d);
	char *yaml = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&yaml, &len);
	ck_assert_int_eq(quiz_import_gift("t.gift", gift, sizeof gift - 1, NULL, out, &d), 1);
	fclose(out);
	struct quiz_bank b;
	quiz_bank_init(&b);
	quiz_bank_load_mem(&b, "t.yaml", yaml, len, &d);
	for (size_t i = 0; i < d.count; i++)
		ck_assert_msg(!strstr(d.lines[i], "yaml syntax"), "%s\n%s", d.lines[i], yaml);
	HAS(d.lines[d.count - 1], "unknown level");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	free(yaml);
}
END_TEST

/* Ctrl-C during `quiz import` (here while it reads a FIFO, so the signal
 * surely comes first): exit 130, the target as it was, no temporary file
 * left.  The FIFO's open returning means the child has its handler. */
START_TEST(import_interrupted)
{
	char dir[] = "/tmp/chanlab-intr-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char fifo[128], target[128];
	snprintf(fifo, sizeof fifo, "%s/in.gift", dir);
	snprintf(target, sizeof target, "%s/bank.yaml", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	FILE *f = fopen(target, "w");
	fputs("precious\n", f);
	fclose(f);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		execl(test_chanlab_bin(), test_chanlab_bin(), "quiz", "import", fifo, "--out", target,
		      (char *)NULL);
		_exit(127);
	}
	int w = open(fifo, O_WRONLY);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(kill(pid, SIGINT), 0);
	/* The child may already have stopped reading (exit 130, its end
	 * closed): then the write fails with EPIPE, which is fine. */
	const char gift[] = "::t.a:: Q?{T####E}\n";
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	ssize_t wrote = write(w, gift, sizeof gift - 1);
	(void)wrote;
	close(w);
	signal(SIGPIPE, old);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 130);
	char *text = test_read_file(target, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls %s | wc -l", dir);
	int status;
	char *n = test_run_capture(cmd, &status);
	ck_assert_int_eq(atoi(n), 2);  /* the FIFO and the target only */
	free(n);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Found by fuzz_gift: input that ends inside a comment or a $CATEGORY
 * line, not NUL-terminated, is not read past its end (ASan checks the
 * exactly sized copy). */
START_TEST(import_reads_within_bounds)
{
	const char *ends[] = {"::t.a:: Q?{T####E}\n\n// c", "::t.a:: Q?{T####E}\n\n$CAT"};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(ends[i]);
		char *exact = malloc(n);
		memcpy(exact, ends[i], n);
		struct quiz_diag d;
		quiz_diag_init(&d);
		FILE *out = fopen("/dev/null", "w");
		ck_assert_int_eq(quiz_import_gift("t.gift", exact, n, NULL, out, &d), 1);
		fclose(out);
		quiz_diag_free(&d);
		free(exact);
	}
}
END_TEST

Suite *suite_quiz_export(void)
{
	Suite *s = suite_create("quiz_export");
	TCase *tc = tcase_create("export");
	tcase_add_test(tc, gift_single);
	tcase_add_test(tc, gift_escaping);
	tcase_add_test(tc, gift_multi_weights);
	tcase_add_test(tc, gift_truefalse_and_essay);
	tcase_add_test(tc, anki_fields);
	tcase_add_test(tc, anki_tabs);
	tcase_add_test(tc, markdown_handout);
	tcase_add_test(tc, import_moodle);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, export_go_and_exercises);
	tcase_add_test(tc, gift_arrow);
	tcase_add_test(tc, import_quoting);
	tcase_add_test(tc, export_import_commands);
	tcase_add_test(tc, export_shuffled);
	tcase_add_test(tc, export_unknown_names);
	tcase_add_test(tc, import_atomic_and_utf8);
	tcase_add_test(tc, import_ids_and_refusals);
	tcase_add_test(tc, gift_full_round_trip);
	tcase_add_test(tc, import_escapes_everything);
	tcase_add_test(tc, import_interrupted);
	tcase_add_test(tc, import_reads_within_bounds);
	suite_add_tcase(s, tc);
	return s;
}
