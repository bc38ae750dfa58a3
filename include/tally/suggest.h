/* "Did you mean": the nearest of a list of names to one that is unknown. One rule for
 * every command and for Lua: unknown fields, plugins, chart types, options and filter
 * values are all answered the same way. */
#ifndef TALLY_SUGGEST_H
#define TALLY_SUGGEST_H

#include <stddef.h>

#define TL_SUGGEST_MAX 255   /* longer names (in code points) are never suggested */

/* How many edits a name of len code points may be from a suggestion: max(2, len/4),
 * but never half its length or more, or "UAX" would suggest "Guam". */
size_t tl_suggest_limit(size_t len);

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions) of
 * two code point strings of at most TL_SUGGEST_MAX each; limit + 1 once it must
 * exceed limit. */
size_t tl_edit_distance(const unsigned *a, size_t na, const unsigned *b, size_t nb, size_t limit);

/* The candidate closest to s within tl_suggest_limit (ASCII case ignored), the
 * earliest of equals; NULL when none is close enough. */
const char *tl_suggest(const char *s, const char *const *cands, size_t n);

/* Up to k candidates nearest to s, nearest first (earliest of equals), however
 * far: for "the field holds ..." lists. Returns how many were put in out. */
size_t tl_nearest(const char *s, const char *const *cands, size_t n, const char **out, size_t k);

/* Writes " (did you mean 'x'?)" into buf, or "" when nothing is close; returns buf. */
char *tl_did_you_mean(char *buf, size_t size, const char *s, const char *const *cands, size_t n);

#endif
