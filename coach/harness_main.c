/*
 * harness_main.c - main() of every checked student program.  Kept alone in
 * its archive member so that linking libcoach.a into chanlab itself (which
 * has its own main) never pulls it in.
 */
#include "coach/harness.h"

int main(int argc, char **argv)
{
	return coach_harness_main(argc, argv);
}
