/*
 * fuzz_gift.c - libFuzzer target for the GIFT importer: any bytes must
 * import or be refused with diagnostics, and whatever YAML the importer
 * writes must load back: no YAML syntax error, no value of the wrong type,
 * no unknown key (the importer escapes what YAML cannot hold).  Content
 * problems the importer reports itself (an empty explanation, an unknown
 * level from a comment) are allowed.  A broken file aborts, which libFuzzer
 * reports as a crash with the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		quiz_bank_load_mem(&b, "imported.yaml", yaml, len, &d2);
		for (size_t i = 0; i < d2.count; i++)
			if (strstr(d2.lines[i], ": yaml") || strstr(d2.lines[i], "must be") ||
			    strstr(d2.lines[i], "unknown key") || strstr(d2.lines[i], "NUL")) {
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
