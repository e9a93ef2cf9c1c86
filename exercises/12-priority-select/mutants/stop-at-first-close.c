/* chanlab exercise 12-priority-select */
/* expect: result */
/*
 * MISTAKE (004:t15, nil channels): the loop ends as soon as one channel is
 * closed instead of turning that case off, so the other's items are lost.
 */
#include "api.h"

void consume(cl_chan *high, cl_chan *low, struct sink_log *log)
{
	int v;
	for (;;) {
		struct cl_case first[] = {CL_RECV_CASE(high, &v)};
		if (cl_select_default(first, 1) == 0) {
			if (!first[0].ok)
				return;
			handle(log, v);
			continue;
		}
		struct cl_case both[] = {CL_RECV_CASE(high, &v), CL_RECV_CASE(low, &v)};
		int i = cl_select(both, 2);
		if (!both[i].ok)
			return;
		handle(log, v);
	}
}
