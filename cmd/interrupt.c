/*
 * interrupt.c - the SIGINT flag of the long-running commands (interrupt.h).
 *
 * The flag is process state by nature (a signal is delivered to the
 * process), so it is the one file-scope variable of the CLI; it is written
 * only by the handler and by cmd_interrupt_install.
 */
#include <signal.h>
#include <string.h>

#include "cmd/interrupt.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void cmd_interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void cmd_interrupt_restore(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

bool cmd_interrupted(void)
{
	return interrupted != 0;
}

volatile sig_atomic_t *cmd_interrupt_flag(void)
{
	return &interrupted;
}
