/* Helper threads on another core (include/tally/thread.h). */
#include <sched.h>
#include "tally/thread.h"

int tl_thread_elsewhere(pthread_t *th, void *(*fn)(void *), void *arg)
{
	pthread_attr_t at;
	cpu_set_t set;
	int cpu = sched_getcpu(), rc;
	if (cpu < 0 || sched_getaffinity(0, sizeof set, &set) != 0 || !CPU_ISSET(cpu, &set)
	    || CPU_COUNT(&set) < 2 || pthread_attr_init(&at) != 0)
		return pthread_create(th, NULL, fn, arg);
	CPU_CLR(cpu, &set);
	if (pthread_attr_setaffinity_np(&at, sizeof set, &set) != 0) {
		pthread_attr_destroy(&at);
		return pthread_create(th, NULL, fn, arg);
	}
	rc = pthread_create(th, &at, fn, arg);
	pthread_attr_destroy(&at);
	return rc;
}
