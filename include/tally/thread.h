/* Starting a helper thread on another core. */
#ifndef TALLY_THREAD_H
#define TALLY_THREAD_H

#include <pthread.h>

/* pthread_create, asking for a core other than the caller's. Left to itself the
 * scheduler often starts a new thread on the core of the thread that made it and
 * moves one of the two only a millisecond or more later: for work of a few
 * milliseconds (half a PNG, fontconfig's configuration) the two would run one
 * after the other. Where the affinity cannot be set (one core, a mask that
 * allows only this one) the thread starts wherever it may. 0 or pthread_create's
 * error. */
int tl_thread_elsewhere(pthread_t *th, void *(*fn)(void *), void *arg);

#endif
