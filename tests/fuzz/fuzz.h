/* The fuzz harnesses (tests/fuzz/fuzz_*.c): each defines LLVMFuzzerTestOneInput.
 * `make fuzz` links them to libFuzzer with clang; `make test` links them to
 * driver.c, which replays the corpus and the crashers with gcc, so CI needs no
 * clang. A harness aborts when it finds tally wrong (two loads that should agree
 * do not, a date that is not one): libFuzzer and the replay see a crash. */
#ifndef TALLY_FUZZ_H
#define TALLY_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops with a message: the input showed a bug the sanitizers cannot see. */
#define fuzz_assert(cond, what) \
	do { if (!(cond)) { fprintf(stderr, "fuzz: %s (%s:%d)\n", what, __FILE__, __LINE__); abort(); } } while (0)

#endif
