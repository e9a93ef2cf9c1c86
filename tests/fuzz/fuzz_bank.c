/*
 * fuzz_bank.c - libFuzzer target for the bank loader and linter: any bytes
 * must load to a bank or to diagnostics, never crash, leak or read out of
 * bounds.  Built by `make fuzz-build` (clang), run by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>

#include "quiz/bank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	quiz_bank_load_mem(&b, "fuzz.yaml", (const char *)data, size, &d);
	struct quiz_lint_opts opts = {.strict = true, .pattern_names = NULL};
	quiz_lint(&b, &opts, &d);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	return 0;
}
