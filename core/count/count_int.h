/* Private to core/count: what the filter check shares with aggregate.c. */
#ifndef TALLY_COUNT_INT_H
#define TALLY_COUNT_INT_H

#include "tally/count.h"

/* The column a field name means: a column of that name, else a role word; -1. */
int agg_field_column(const tl_store *s, const char *field);
/* Fills err with "no field 'x' (did you mean ...) (fields: ...)"; returns -1. */
int agg_unknown_field(const tl_store *s, const char *field, tl_error *err);

#endif
