/* Printing counts and cross-tabs: the layouts of `tally count`, shared with the
 * Lua bindings (Counts:print, Counts:to_csv, tally eval). */
#ifndef TALLY_FORMAT_H
#define TALLY_FORMAT_H

#include <stdio.h>
#include "tally/count.h"

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

int  fmt_text_width(const char *s);          /* terminal columns of a UTF-8 string */
void fmt_pad(FILE *f, int n);
void fmt_csv_field(FILE *f, const char *s);  /* quoted when it must be */
/* top 0 = all; -1 when memory ran out before anything was printed (the table
 * needs its shares, --top its cut), else 0 */
int  fmt_counts(FILE *f, const tl_counts *c, int fmt, size_t top);
void fmt_xtab(FILE *f, const tl_xtab *x, int fmt);

#endif
