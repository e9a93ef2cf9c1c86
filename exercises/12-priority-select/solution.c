/* chanlab exercise 12-priority-select */
/*
 * Priority select, solved.  Each round first tries high alone with a
 * default case; only when high has nothing ready does it select on both.
 * A channel found closed is set to NULL: a nil channel's case is never
 * ready, so the loop keeps serving the other until both are NULL.
 */
#include "api.h"

void consume(cl_chan *high, cl_chan *low, struct sink_log *log)
{
	int v;
	while (high || low) {
		/* Go: select { case v, ok := <-high: ...; default: } */
		struct cl_case first[] = {CL_RECV_CASE(high, &v)};
		if (high && cl_select_default(first, 1) == 0) {
			if (first[0].ok)
				handle(log, v);
			else
				high = NULL;
			continue;
		}
		/* Go: select { case v, ok := <-high: ...; case v, ok := <-low: ... } */
		struct cl_case both[] = {CL_RECV_CASE(high, &v), CL_RECV_CASE(low, &v)};
		int i = cl_select(both, 2);
		if (both[i].ok)
			handle(log, v);
		else if (i == 0)
			high = NULL;
		else
			low = NULL;
	}
}
