/*
 * fuzz_gift.c - libFuzzer target for the GIFT importer: any bytes must
 * import or be refused with diagnostics, and whatever YAML the importer
 * writes must load back with no problem (the importer escapes what YAML
 * cannot hold).  A bank that does not load aborts, which libFuzzer reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "quiz/bank.h"
#include "quiz/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quiz_diag d;
	quiz_diag_init(&d);
	char *yaml = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&yaml, &len);
	if (!out)
		return 0;
	int n = quiz_import_gift("fuzz.gift", (const char *)data, size, "fuzz", out, &d);
	fclose(out);
	if (n > 0) {
		struct quiz_bank b;
		struct quiz_diag d2;
		quiz_bank_init(&b);
		quiz_diag_init(&d2);
		if (quiz_bank_load_mem(&b, "imported.yaml", yaml, len, &d2) != 0) {
			quiz_diag_print(&d2, stderr);
			fwrite(yaml, 1, len, stderr);
			abort();
		}
		quiz_bank_free(&b);
		quiz_diag_free(&d2);
	}
	free(yaml);
	quiz_diag_free(&d);
	return 0;
}
