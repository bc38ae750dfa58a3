/* Errors that name where bad input is: file, line, column and the reason. */
#ifndef TALLY_ERROR_H
#define TALLY_ERROR_H

#include <stddef.h>

typedef struct tl_error {
	char file[512];  /* "" when the error is not about a file */
	long line;       /* 1-based physical line, 0 when unknown */
	long col;        /* 1-based field (column) number, 0 when unknown */
	char msg[768];   /* the reason, without the location */
} tl_error;

void tl_error_clear(tl_error *e);
/* Fills e (which may be NULL) and returns -1, so callers can `return tl_fail(...)`. */
int tl_fail(tl_error *e, const char *file, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "file:line:column: msg" (parts that are unknown are left out). */
const char *tl_error_str(const tl_error *e, char *buf, size_t n);

#endif
