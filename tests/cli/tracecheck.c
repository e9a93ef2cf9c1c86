/* tracecheck.c - validators for run output (tracecheck.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/json_mini.h"
#include "tests/cli/tracecheck.h"

#define MAX_TASKS 4096

struct flow {
	uint64_t id;
	int sends, recvs;
	bool direct;          /* the send named a peer: handed straight to a receiver */
	char value[96];       /* what the send carried */
	char rvalue[96];      /* what the receive got */
};

struct flows {
	struct flow *v;
	size_t n, cap;
};

static struct flow *flow_get(struct flows *f, uint64_t id)
{
	/* Flow ids come in increasing order mostly: search from the end. */
	for (size_t i = f->n; i-- > 0;)
		if (f->v[i].id == id)
			return &f->v[i];
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		struct flow *bigger = realloc(f->v, f->cap * sizeof *bigger);
		if (!bigger)
			abort();
		f->v = bigger;
	}
	struct flow *fl = &f->v[f->n++];
	memset(fl, 0, sizeof *fl);
	fl->id = id;
	return fl;
}

static bool named_in_report(const char *report, int task)
{
	char needle[32];
	snprintf(needle, sizeof needle, "task %d ", task);
	return report && strstr(report, needle) != NULL;
}

int tc_check_jsonl(const char *jsonl, const char *report, char *err, size_t errsize)
{
	static long blocked_at[MAX_TASKS];   /* line of the open block, 0: none */
	struct flows flows = {0};
	long line = 0;
	double last_time = -1, last_seq = 0;
	int rc = 0;
	memset(blocked_at, 0, sizeof blocked_at);
	for (const char *s = jsonl; *s && !rc;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char perr[120];
		line++;
		struct jm *ev = jm_parse(s, len, perr, sizeof perr);
		s += len + (nl ? 1 : 0);
		if (!ev || ev->type != JM_OBJECT) {
			snprintf(err, errsize, "line %ld: not a JSON object (%s)", line, ev ? "not an object" : perr);
			jm_free(ev);
			rc = -1;
			break;
		}
		if (!jm_get(ev, "seq")) {   /* the schema header */
			jm_free(ev);
			continue;
		}
		double seq = jm_num(ev, "seq", -1), time = jm_num(ev, "time", -1);
		const char *kind = jm_str(ev, "kind", "");
		int task = (int)jm_num(ev, "task", -1);
		uint64_t flow = (uint64_t)jm_num(ev, "flow", 0);
		if (seq != last_seq + 1) {
			snprintf(err, errsize, "line %ld: seq %.0f after %.0f", line, seq, last_seq);
			rc = -1;
		} else if (time < last_time) {
			snprintf(err, errsize, "line %ld: time %.0f runs backwards (was %.0f)", line, time,
			         last_time);
			rc = -1;
		} else if (task < 0 || task >= MAX_TASKS) {
			snprintf(err, errsize, "line %ld: bad task %d", line, task);
			rc = -1;
		} else if (strcmp(kind, "block") == 0) {
			blocked_at[task] = line;
		} else if (strcmp(kind, "wake") == 0) {
			blocked_at[task] = 0;
		} else if (flow && strcmp(kind, "send") == 0) {
			struct flow *fl = flow_get(&flows, flow);
			if (++fl->sends > 1) {
				snprintf(err, errsize, "line %ld: flow %llu sent twice", line, (unsigned long long)flow);
				rc = -1;
			}
			fl->direct = jm_num(ev, "peer", 0) != 0;
			snprintf(fl->value, sizeof fl->value, "%s", jm_str(ev, "value", ""));
			if (fl->recvs && strcmp(fl->value, fl->rvalue) != 0) {
				snprintf(err, errsize, "line %ld: flow %llu sent '%s' but '%s' was received", line,
				         (unsigned long long)flow, fl->value, fl->rvalue);
				rc = -1;
			}
		} else if (flow && strcmp(kind, "recv") == 0) {
			struct flow *fl = flow_get(&flows, flow);
			if (++fl->recvs > 1) {
				snprintf(err, errsize, "line %ld: flow %llu received twice", line,
				         (unsigned long long)flow);
				rc = -1;
			}
			/* On an unbuffered channel the receive is emitted first
			 * (event.h); its value is checked when the send comes. */
			snprintf(fl->rvalue, sizeof fl->rvalue, "%s", jm_str(ev, "value", ""));
			if (fl->sends && strcmp(fl->value, jm_str(ev, "value", "")) != 0) {
				snprintf(err, errsize, "line %ld: flow %llu received '%s' but '%s' was sent", line,
				         (unsigned long long)flow, jm_str(ev, "value", ""), fl->value);
				rc = -1;
			}
		}
		last_seq = seq;
		last_time = time;
		jm_free(ev);
	}
	for (size_t i = 0; !rc && i < flows.n; i++) {
		struct flow *fl = &flows.v[i];
		if (fl->recvs && !fl->sends) {
			snprintf(err, errsize, "flow %llu received but never sent", (unsigned long long)fl->id);
			rc = -1;
		} else if (fl->sends && !fl->recvs && fl->direct) {
			snprintf(err, errsize, "flow %llu handed to a receiver that never received it",
			         (unsigned long long)fl->id);
			rc = -1;
		}
	}
	for (int t = 0; !rc && t < MAX_TASKS; t++)
		if (blocked_at[t] && !named_in_report(report, t)) {
			snprintf(err, errsize, "task %d blocked at line %ld, never woken, not in the report", t,
			         blocked_at[t]);
			rc = -1;
		}
	if (!rc && line == 0) {
		snprintf(err, errsize, "empty trace");
		rc = -1;
	}
	free(flows.v);
	return rc;
}

/* A slice of a thread: [ts, ts + dur]. */
struct slice {
	double tid, ts, end;
	const char *cat;
};

/* A flow event binds to its enclosing slice: one on the same thread, with
 * the same category, that begins at the flow's timestamp (DevTools' trace
 * engine needs both; Perfetto needs the timestamp inside). */
static bool inside_slice_of(const struct slice *s, size_t n, const struct jm *flow)
{
	double tid = jm_num(flow, "tid", -1), ts = jm_num(flow, "ts", -1);
	const char *cat = jm_str(flow, "cat", "");
	for (size_t i = 0; i < n; i++)
		if (s[i].tid == tid && s[i].ts == ts && ts <= s[i].end && strcmp(s[i].cat, cat) == 0)
			return true;
	return false;
}

int tc_check_chrome(const char *text, char *err, size_t errsize)
{
	char perr[120];
	struct jm *doc = jm_parse(text, strlen(text), perr, sizeof perr);
	if (!doc) {
		snprintf(err, errsize, "not JSON: %s", perr);
		return -1;
	}
	const struct jm *evs = doc->type == JM_ARRAY ? doc : jm_get(doc, "traceEvents");
	if (!evs || evs->type != JM_ARRAY) {
		snprintf(err, errsize, "no traceEvents array");
		jm_free(doc);
		return -1;
	}
	struct slice *slices = calloc(evs->n + 1, sizeof *slices);
	size_t nslices = 0;
	if (!slices)
		abort();
	for (size_t i = 0; i < evs->n; i++) {
		const struct jm *e = evs->items[i];
		if (strcmp(jm_str(e, "ph", ""), "X") == 0) {
			slices[nslices].tid = jm_num(e, "tid", -1);
			slices[nslices].ts = jm_num(e, "ts", 0);
			slices[nslices].end = slices[nslices].ts + jm_num(e, "dur", 0);
			slices[nslices].cat = jm_str(e, "cat", "");
			nslices++;
		}
	}
	int rc = 0;
	for (size_t i = 0; !rc && i < evs->n; i++) {
		const struct jm *e = evs->items[i];
		const char *ph = jm_str(e, "ph", "");
		if (strcmp(ph, "s") != 0)
			continue;
		double id = jm_num(e, "id", -1);
		if (!inside_slice_of(slices, nslices, e)) {
			snprintf(err, errsize, "flow start %.0f binds to no slice of its thread (same ts and category)", id);
			rc = -1;
			break;
		}
		int ends = 0, starts = 0;
		for (size_t k = 0; k < evs->n; k++) {
			const struct jm *f = evs->items[k];
			const char *fph = jm_str(f, "ph", "");
			if (jm_num(f, "id", -2) != id)
				continue;
			if (strcmp(fph, "s") == 0)
				starts++;
			if (strcmp(fph, "f") != 0)
				continue;
			ends++;
			if (strcmp(jm_str(f, "bp", ""), "e") != 0) {
				snprintf(err, errsize, "flow end %.0f without bp \"e\"", id);
				rc = -1;
			} else if (!inside_slice_of(slices, nslices, f)) {
				snprintf(err, errsize, "flow end %.0f binds to no slice of its thread (same ts and category)", id);
				rc = -1;
			}
		}
		if (!rc && (ends != 1 || starts != 1)) {
			snprintf(err, errsize, "flow %.0f has %d starts and %d ends", id, starts, ends);
			rc = -1;
		}
	}
	/* Every end has its start (the loop above saw every start). */
	for (size_t i = 0; !rc && i < evs->n; i++) {
		const struct jm *e = evs->items[i];
		if (strcmp(jm_str(e, "ph", ""), "f") != 0)
			continue;
		double id = jm_num(e, "id", -1);
		bool found = false;
		for (size_t k = 0; k < evs->n && !found; k++)
			found = strcmp(jm_str(evs->items[k], "ph", ""), "s") == 0 &&
			        jm_num(evs->items[k], "id", -2) == id;
		if (!found) {
			snprintf(err, errsize, "flow end %.0f has no start", id);
			rc = -1;
		}
	}
	free(slices);
	jm_free(doc);
	return rc;
}

/* One statement of the grammar we emit, inside a block whose declared
 * participants are in declared[] (ids < 4096): "    participant tN as X",
 * "    tA->>tB: text", "    tA-)tB: text", "    Note over tA: text", or a
 * "%%" comment.  Labels carry no raw ';' (it ends a statement) and every
 * '#' starts an entity code ("#59;"). */
static int mermaid_line(const char *line, size_t len, bool *declared, char *err, size_t errsize)
{
	char buf[2048];
	if (len >= sizeof buf) {
		snprintf(err, errsize, "a line of %zu characters", len);
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (strncmp(buf, "%%", 2) == 0)
		return 0;
	int a, b, n = 0;
	const char *text = NULL;
	if (sscanf(buf, "    participant t%d as %n", &a, &n) == 1 && n > 0) {
		if (a < 0 || a >= 4096)
			goto bad;
		declared[a] = true;
		text = buf + n;
	} else if ((sscanf(buf, "    t%d->>t%d: %n", &a, &b, &n) == 2 && n > 0) ||
	           (sscanf(buf, "    t%d-)t%d: %n", &a, &b, &n) == 2 && n > 0)) {
		if (a < 0 || a >= 4096 || b < 0 || b >= 4096 || !declared[a] || !declared[b]) {
			snprintf(err, errsize, "'%s': a participant not declared in this diagram", buf);
			return -1;
		}
		text = buf + n;
	} else if (sscanf(buf, "    Note over t%d: %n", &a, &n) == 1 && n > 0) {
		if (a < 0 || a >= 4096 || !declared[a]) {
			snprintf(err, errsize, "'%s': a participant not declared in this diagram", buf);
			return -1;
		}
		text = buf + n;
	} else {
		goto bad;
	}
	for (const char *t = text; *t; t++) {
		if (*t == ';') {
			snprintf(err, errsize, "'%s': a raw ';' in a label", buf);
			return -1;
		}
		if (*t == '#') {
			size_t k = strspn(t + 1, "0123456789abcdefghijklmnopqrstuvwxyz");
			if (k == 0 || t[1 + k] != ';') {
				snprintf(err, errsize, "'%s': a '#' that starts no entity code", buf);
				return -1;
			}
			t += k + 1;   /* past the entity's ';' */
		}
	}
	return 0;
bad:
	snprintf(err, errsize, "'%s' is not a statement of our sequenceDiagram grammar", buf);
	return -1;
}

int tc_check_mermaid(const char *text, char *err, size_t errsize)
{
	static const char head[] = "sequenceDiagram\n";
	bool fenced = strncmp(text, "```mermaid\n", 11) == 0;
	if (fenced)
		text += 11;
	if (strncmp(text, head, sizeof head - 1) != 0) {
		snprintf(err, errsize, "does not start with sequenceDiagram");
		return -1;
	}
	bool *declared = calloc(4096, sizeof *declared);
	if (!declared)
		abort();
	int blocks = 0, rc = 0;
	size_t block_len = 0;
	const char *s = text;
	while (*s && !rc) {
		size_t len = strcspn(s, "\n");
		bool sep = len == 0 || (fenced && len == 3 && strncmp(s, "```", 3) == 0) ||
		           (fenced && strncmp(s, "```mermaid", 10) == 0 && len == 10);
		if (strncmp(s, "sequenceDiagram", 15) == 0 && len == 15) {
			blocks++;
			block_len = 0;
			memset(declared, 0, 4096 * sizeof *declared);
		} else if (!sep && mermaid_line(s, len, declared, err, errsize) != 0) {
			rc = -1;
			break;
		}
		if (!sep)
			block_len += len + 1;
		if (block_len >= 50000) {
			snprintf(err, errsize, "diagram %d has %zu characters or more (limit 50,000)", blocks,
			         block_len);
			rc = -1;
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	free(declared);
	return rc;
}
