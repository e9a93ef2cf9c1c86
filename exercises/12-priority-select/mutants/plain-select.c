/* chanlab exercise 12-priority-select */
/* expect: result */
/*
 * MISTAKE (004:t26): one select on both channels, cases written "high
 * first" as if order mattered; select picks a ready case at random.
 */
#include "api.h"

void consume(cl_chan *high, cl_chan *low, struct sink_log *log)
{
	int v;
	while (high || low) {
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
