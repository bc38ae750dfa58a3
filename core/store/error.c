/* Errors that say where: file:line:column: reason. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tally/error.h"

void tl_error_clear(tl_error *e)
{
	if (e) memset(e, 0, sizeof *e);
}

int tl_fail(tl_error *e, const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;
	if (!e) return -1;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *tl_error_str(const tl_error *e, char *buf, size_t n)
{
	if (!e->file[0])
		snprintf(buf, n, "%s", e->msg);
	else if (e->line && e->col)
		snprintf(buf, n, "%s:%ld:%ld: %s", e->file, e->line, e->col, e->msg);
	else if (e->line)
		snprintf(buf, n, "%s:%ld: %s", e->file, e->line, e->msg);
	else
		snprintf(buf, n, "%s: %s", e->file, e->msg);
	return buf;
}
