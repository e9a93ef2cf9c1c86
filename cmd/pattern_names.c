/*
 * pattern_names.c - the names a question may link to ("NAME" and
 * "NAME:VARIANT"), handed to the quiz linter so quiz/ needs no knowledge of
 * patterns/.  Until the pattern registry lands this lists the seven core
 * patterns and their variants as planned in issue 4.
 */
#include <stddef.h>

#include "cmd/cmd.h"

static const char *const planned[] = {
	"rendezvous", "rendezvous:correct", "rendezvous:buffered", "rendezvous:sleep-handshake",
	"reply-channel", "reply-channel:correct", "reply-channel:unbuffered-reply",
	"reply-channel:shared-reply",
	"fan-in", "fan-in:correct", "fan-in:close-early", "fan-in:never-close", "fan-in:add-inside",
	"worker-pool", "worker-pool:correct", "worker-pool:never-close-jobs",
	"worker-pool:unbounded", "worker-pool:dispatcher",
	"pub-sub", "pub-sub:correct", "pub-sub:slow-blocks-all", "pub-sub:unsubscribe-race",
	"hedged-request", "hedged-request:correct", "hedged-request:unbuffered-results",
	"hedged-request:no-cancel",
	"lock-free-stack", "lock-free-stack:correct", "lock-free-stack:aba",
	"lock-free-stack:no-retry", "lock-free-stack:mutex",
	NULL,
};

const char *const *cmd_pattern_link_names(void)
{
	return planned;
}
