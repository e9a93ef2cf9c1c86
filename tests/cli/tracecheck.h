/*
 * tracecheck.h - validators the CLI tests run over `chanlab run` output:
 * the jsonl event trace, the Chrome trace JSON and the Mermaid diagram.
 * Each returns 0, or -1 with one line in err saying what is wrong.
 */
#ifndef CHANLAB_TESTS_CLI_TRACECHECK_H
#define CHANLAB_TESTS_CLI_TRACECHECK_H

#include <stddef.h>

/* A jsonl trace: every line a JSON object; seq increases by one; time never
 * runs backwards; each receive with a flow id pairs with exactly one earlier
 * send of that flow and the same value, no flow has two sends or two
 * receives, and a send left unreceived was buffered (no peer); every block
 * is followed by a wake of that task, or the task is named ("task N ") in
 * report, the runtime's final report (stderr of the run). */
int tc_check_jsonl(const char *jsonl, const char *report, char *err, size_t errsize);

/* Chrome trace JSON: parses; every flow start ("s") has exactly one end
 * ("f", binding "e") with its id; each lies inside an "X" slice of its
 * thread. */
int tc_check_chrome(const char *text, char *err, size_t errsize);

/* Mermaid: starts with "sequenceDiagram"; each diagram (blocks start with a
 * "sequenceDiagram" line) stays under 50,000 characters. */
int tc_check_mermaid(const char *text, char *err, size_t errsize);

#endif
