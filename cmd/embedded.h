/*
 * embedded.h - files compiled into the binary by tools/embed.c: the shipped
 * question banks (data/NAME.yaml), the pattern sources (patterns/NAME.c)
 * and their Go originals (patterns/go/NAME.go), looked up by repository path.
 */
#ifndef CHANLAB_EMBEDDED_H
#define CHANLAB_EMBEDDED_H

#include <stddef.h>

struct cl_embedded {
	const char *path;  /* as in the repository, e.g. "data/channels.yaml" */
	const char *data;  /* the bytes, followed by a NUL */
	size_t size;       /* without the NUL */
};

/* Ends with a row whose path is NULL. */
extern const struct cl_embedded cl_embedded_files[];

const struct cl_embedded *cl_embedded_find(const char *path);

#endif
