/* chanlab exercise 14-hedged-request */
/*
 * Hedged request: ask one replica, and a second one only if the first is
 * slow; take whichever answers first.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after)
{
	(void)primary;
	(void)backup;
	(void)n;
	(void)hedge_after;
	/* TODO: one reply channel for both answers (how many can arrive?). */
	/* TODO: ask the primary; wait for its answer or hedge_after. */
	/* TODO: if the wait timed out, ask the backup too and wait for the first answer. */
	return 0;
}
