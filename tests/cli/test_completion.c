/*
 * test_completion.c - the bash completion script (`chanlab completion`,
 * cmd/completion.c): sourced into bash, it offers every command, every
 * pattern after run, every option of run and the pattern's parameters,
 * the variants of the pattern given, and the formats.  Skipped with a
 * notice when bash is missing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/registry.h"
#include "tests/testlib.h"

/* What the script offers for the words of a command line (the last word
 * being completed), as " a b c ". */
static char *offers(const char *words)
{
	char cmd[1200];
	snprintf(cmd, sizeof cmd,
	         "bash -c 'source <(\"%s\" completion) && COMP_WORDS=(%s) && "
	         "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _chanlab && echo \" ${COMPREPLY[*]} \"' 2>&1",
	         test_chanlab_bin(), words);
	int status;
	char *out = test_run_capture(cmd, &status);
	ck_assert_msg(status == 0, "%s: %s", cmd, out ? out : "");
	return out;
}

static void has(const char *out, const char *word)
{
	char w[128];
	snprintf(w, sizeof w, " %s ", word);
	ck_assert_msg(strstr(out, w) != NULL, "'%s' not offered in:%s", word, out);
}

START_TEST(offers_everything)
{
	int status;
	char *bash = test_run_capture("command -v bash >/dev/null && echo yes", &status);
	bool have = bash && strncmp(bash, "yes", 3) == 0;
	free(bash);
	if (!have) {
		fprintf(stderr, "test_completion: notice: no bash; completion not checked\n");
		return;
	}
	char *out = offers("chanlab \"\"");
	static const char *const commands[] = {"list", "run", "show", "explore", "quiz", "bench",
	                                       "completion"};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		has(out, commands[i]);
	free(out);

	out = offers("chanlab run \"\"");
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++)
		has(out, (*pp)->name);
	free(out);

	/* Every option run --help documents, and the pattern's parameters. */
	char *help = test_run_capture("\"${CHANLAB_BIN:-./chanlab}\" run --help", &status);
	out = offers("chanlab run fan-in --");
	int options = 0;
	for (const char *s = help; (s = strstr(s, "  --")) != NULL; s += 4) {
		char word[64];
		if (sscanf(s + 2, "%63[a-z-]", word) == 1 && strcmp(word, "--PARAM") != 0 &&
		    strlen(word) > 2) {
			has(out, word);
			options++;
		}
	}
	ck_assert_int_ge(options, 10);
	const struct pattern *fan_in = pattern_find("fan-in");
	for (int k = 0; k < fan_in->nparams; k++) {
		char w[64];
		snprintf(w, sizeof w, "--%s", fan_in->params[k].name);
		has(out, w);
	}
	free(out);
	free(help);

	out = offers("chanlab run fan-in --variant \"\"");
	for (int v = 0; v < fan_in->nvariants; v++)
		has(out, fan_in->variants[v].name);
	free(out);
	out = offers("chanlab run fan-in --format \"\"");
	has(out, "mermaid");
	has(out, "chrome");
	free(out);
	out = offers("chanlab run pub-sub --policy \"\"");
	has(out, "drop");
	has(out, "block");
	free(out);
}
END_TEST

Suite *suite_completion(void)
{
	Suite *s = suite_create("completion");
	TCase *tc = tcase_create("completion");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, offers_everything);
	suite_add_tcase(s, tc);
	return s;
}
