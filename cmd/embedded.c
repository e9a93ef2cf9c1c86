/* embedded.c - lookup in the table of files compiled into the binary. */
#include <string.h>

#include "cmd/embedded.h"

const struct cl_embedded *cl_embedded_find(const char *path)
{
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}
