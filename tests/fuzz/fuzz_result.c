/*
 * fuzz_result.c - libFuzzer target for the exam result reader of
 * `quiz grade`: any bytes are graded against a small fixed bank or refused
 * with a message, never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "quiz/bank.h"
#include "quiz/grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char bank_text[] =
	"bank: fz\n"
	"questions:\n"
	"  - id: fz.one\n"
	"    level: junior\n"
	"    topics: [channels]\n"
	"    type: single\n"
	"    prompt: Which one?\n"
	"    choices:\n"
	"      - text: This one.\n"
	"        correct: true\n"
	"      - text: That one.\n"
	"    explanation: Because.\n"
	"  - id: fz.two\n"
	"    level: middle\n"
	"    topics: [select]\n"
	"    type: short\n"
	"    prompt: Say why.\n"
	"    answer: Because.\n"
	"    explanation: Because.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	quiz_bank_load_mem(&b, "fz.yaml", bank_text, strlen(bank_text), &d);
	struct quiz_grade g;
	struct quiz_err err = {{0}};
	quiz_grade_init(&g, &b);
	quiz_grade_add_text(&g, "fuzz.json", (const char *)data, size, &err);
	quiz_grade_add_text(&g, "fuzz2.json", (const char *)data, size, &err);
	quiz_grade_sort(&g);
	quiz_grade_free(&g);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	return 0;
}
