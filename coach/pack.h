/*
 * pack.h - exercise packs: a folder of exercises/NN-name/ folders, each
 * with spec.yaml, api.h, test.c, exercise.c, solution.c, solution.go and
 * mutants/NAME.c (docs/exercise-format.md).  Loading a spec validates it;
 * every problem is a "file:line:col: message" line in the caller's list.
 */
#ifndef CHANLAB_COACH_PACK_H
#define CHANLAB_COACH_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COACH_MAX_HINTS 8
#define COACH_MAX_LINKS 16

/* The least a spec may ask for (verify rejects less). */
#define COACH_MIN_PREEMPTIONS 2
#define COACH_MIN_PCT 2000

/* Exhaustive search: latency seeds 1..S, and at most so many schedules
 * (a spec may ask for more of either). */
#define COACH_DEFAULT_LATENCY_SEEDS 2
#define COACH_DEFAULT_EXHAUSTIVE_CAP 20000

struct coach_bounds_spec {
	int preemptions, pct_depth;
	int latency_seeds;          /* exhaustive: latency seeds 1..S */
	long exhaustive_cap;        /* exhaustive: schedules at most */
	long pct, random;
	long max_steps;
};

struct coach_spec {
	char *name;          /* the folder's name, "01-started-channel" */
	char *dir;           /* the folder's path */
	char *title, *level, *summary;
	int level_rank;      /* junior 0, middle 1, senior 2, staff 3 */
	char *hints[COACH_MAX_HINTS];
	int nhints;
	char *seed[COACH_MAX_LINKS], *quiz[COACH_MAX_LINKS], *patterns[COACH_MAX_LINKS];
	int nseed, nquiz, npatterns;
	int quiz_line, patterns_line;  /* where those lists are in spec.yaml (0: absent) */
	char *results[COACH_MAX_LINKS], *events[COACH_MAX_LINKS];
	int nresults, nevents;
	struct coach_bounds_spec bounds;
};

/* Problems found while loading, one line each. */
struct coach_diag {
	char **lines;
	int n, cap;
};
void coach_diag_add(struct coach_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void coach_diag_free(struct coach_diag *d);

/* Loads DIR/spec.yaml.  Returns NULL when the spec cannot be used (the
 * problems are in d); a spec with only weak spots (too few schedules) is
 * returned and the problems are still added, so verify can report them. */
struct coach_spec *coach_spec_load(const char *dir, struct coach_diag *d);
void coach_spec_free(struct coach_spec *s);

struct coach_pack {
	struct coach_spec **ex;
	int n;
	int left_out;      /* exercises not loaded: a bad spec, a bad folder name, a
	                      name an earlier pack has (their problems are in d) */
};

/* Loads every NN-name folder of each pack dir, in name order (levels are
 * the folder numbers' order).  Exercises whose spec fails to load are left
 * out, their problems in d; so is a folder with a spec.yaml whose name is
 * not NN-name, and one whose name an earlier dir has (the shipped pack
 * comes first: a teacher's exercise never hides a shipped one, or the
 * reverse).  Returns -1 only when a dir cannot be read. */
int coach_pack_load(const char *const *dirs, int ndirs, struct coach_pack *pack,
                    struct coach_diag *d);
void coach_pack_free(struct coach_pack *pack);

/* By folder name ("01-started-channel"), by the name without its number
 * ("started-channel") or by the number ("01", "1"); NULL if none. */
const struct coach_spec *coach_pack_find(const struct coach_pack *pack, const char *name);

/* The student's file name for an exercise: "started-channel.c". */
void coach_student_file(const struct coach_spec *s, char *buf, size_t size);

/* Reads a whole file (NUL-terminated, malloc'd); NULL with errno set. */
char *coach_read_file(const char *path, size_t *size);

#endif
