/*
 * show.c - the 'show' subcommand: explains a pattern (summary, handshake,
 * variants and what each teaches, parameters, seed topics), or prints the C
 * source compiled into the binary (--source) or the Go original (--go).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/embedded.h"
#include "patterns/registry.h"

static void usage(FILE *out)
{
	char list[PATTERN_NAMES_SIZE];
	fprintf(out, "usage: chanlab show PATTERN [--source | --go]\n"
	             "\n"
	             "Explains a pattern: what it is for, its handshake, its variants and what each\n"
	             "teaches, its parameters.\n"
	             "\n"
	             "options:\n"
	             "  --source   print the pattern's C source as compiled into this binary\n"
	             "  --go       print the pattern's Go original, to read side by side\n"
	             "\n");
	cmd_print_list(out, "patterns: ", pattern_names_list(list, sizeof list));
}

static int print_embedded(const struct pattern *p, const char *path, const char *what)
{
	const struct cl_embedded *e = path ? cl_embedded_find(path) : NULL;
	if (!e)
		return cmd_fail(CL_EXIT_ERROR, "show: this build has no %s of %s%s%s%s", what, p->name,
		                path ? " ('" : "", path ? path : "", path ? "')" : "");
	fwrite(e->data, 1, e->size, stdout);
	return CL_EXIT_OK;     /* main checks that stdout took it all */
}

static void explain(FILE *out, const struct pattern *p)
{
	bool color = cmd_use_color(out);
	const char *b = color ? "\033[1m" : "", *n = color ? "\033[0m" : "";
	fprintf(out, "%s%s%s (%s, %s)\n\n", b, p->title, n, p->name, pattern_level_name(p->level));
	cmd_print_item(out, "", 2, p->summary, 78);
	if (p->handshake && *p->handshake) {
		fprintf(out, "\n%sThe handshake%s\n", b, n);
		cmd_print_item(out, "", 2, p->handshake, 78);
	}
	if (p->sched == PATTERN_SCHED_PAR) {
		fprintf(out, "\n%sThe scheduler%s\n", b, n);
		cmd_print_item(out, "", 2, "Runs under --sched par only (chanlab run uses it): it shows real threads "
		          "and processors. Par runs are not replayable, so explore refuses it, and a "
		          "broken variant shows its mistake only when the machine gives its tasks "
		          "processors to run on (--procs 2 or more, not busy with other work).", 78);
	}
	fprintf(out, "\n%sVariants%s (chanlab run %s --variant NAME)\n", b, n, p->name);
	for (int v = 0; v < p->nvariants; v++) {
		const struct pattern_variant *var = &p->variants[v];
		fprintf(out, "  %-20s %s\n", var->name, var->outcome);
		cmd_print_item(out, "", 23, var->teaches, 78);
		if (strcmp(var->outcome, "ok") != 0 && p->sched == PATTERN_SCHED_ANY) {
			int n = pattern_failure_count(p, var, PATTERN_SHARE_SEEDS);
			char share[160];
			if (n >= 0) {
				snprintf(share, sizeof share, "shows its mistake on %d of seeds 1..%d (%.1f%%); "
				         "default seed %llu", n, PATTERN_SHARE_SEEDS,
				         100.0 * n / PATTERN_SHARE_SEEDS, (unsigned long long)var->seed);
				cmd_print_item(out, "", 23, share, 78);
			}
		}
	}
	fprintf(out, "\n%sParameters%s\n", b, n);
	if (!p->nparams)
		fprintf(out, "  (none)\n");
	for (int k = 0; k < p->nparams; k++) {
		const struct pattern_param *pp = &p->params[k];
		char name[48], range[200];
		snprintf(name, sizeof name, "--%s", pp->name);
		if (pp->choices) {
			size_t len = 0;
			range[0] = '\0';
			for (int c = 0; pp->choices[c] && len < sizeof range; c++)
				len += (size_t)snprintf(range + len, sizeof range - len, "%s%s", c ? "|" : "",
				                        pp->choices[c]);
		} else {
			snprintf(range, sizeof range, "%ld..%ld", pp->min, pp->max);
		}
		char head[64], text[700];
		snprintf(head, sizeof head, "  %-14s ", name);
		snprintf(text, sizeof text, "%s (default %s; %s)", pp->help, pp->def, range);
		cmd_print_item(out, head, 17, text, 78);
	}
	if (p->topics && p->topics[0]) {
		fprintf(out, "\n%sTopics%s\n", b, n);
		char topics[1200] = "";
		for (int t = 0; p->topics[t]; t++) {
			/* In words: the seed lists' ids ("t17 ") are ours, not the reader's. */
			const char *words = p->topics[t];
			if (words[0] == 't' && words[1] >= '0' && words[1] <= '9') {
				const char *sp = strchr(words, ' ');
				if (sp && strspn(words + 1, "0123456789") == (size_t)(sp - words - 1))
					words = sp + 1;
			}
			size_t len = strlen(topics);
			snprintf(topics + len, sizeof topics - len, "%s%s", t ? "; " : "", words);
		}
		cmd_print_item(out, "", 2, topics, 78);
	}
	fprintf(out, "\nSource: chanlab show %s --source (%s)\n", p->name,
	        p->source ? p->source : "?");
	fprintf(out, "Go:     chanlab show %s --go (%s)\n", p->name, p->go_source ? p->go_source : "?");
}

int cmd_show(int argc, char **argv)
{
	const char *name = NULL;
	bool source = false, go = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (cmd_is_help(arg)) {
			usage(stdout);
			return CL_EXIT_OK;
		}
		if (strcmp(arg, "--source") == 0)
			source = true;
		else if (strcmp(arg, "--go") == 0)
			go = true;
		else if (arg[0] == '-')
			return cmd_fail(CL_EXIT_USAGE, "show: unknown option '%s' (see 'chanlab show --help')", arg);
		else if (name)
			return cmd_fail(CL_EXIT_USAGE, "show: unexpected argument '%s' (one pattern at a time)", arg);
		else
			name = arg;
	}
	char list[PATTERN_NAMES_SIZE];
	if (!name)
		return cmd_fail(CL_EXIT_USAGE, "show: which pattern? (valid: %s)",
		                pattern_names_list(list, sizeof list));
	const struct pattern *p = pattern_find(name);
	if (!p)
		return cmd_fail(CL_EXIT_USAGE, "show: unknown pattern '%s' (valid: %s)", name,
		                pattern_names_list(list, sizeof list));
	if (source && go)
		return cmd_fail(CL_EXIT_USAGE, "show: choose --source or --go, not both");
	if (source)
		return print_embedded(p, p->source, "C source");
	if (go)
		return print_embedded(p, p->go_source, "Go original");
	explain(stdout, p);
	return CL_EXIT_OK;
}
