/* Display labels of fields and values, from data/labels.tsv: the words a default
 * title or a legend uses for a field ("event type" for event_type), and those a
 * bar or a sentence uses for a value ("cultural event" for event_type=cultural-event).
 * They are English: callers translate them with tl_gettext (the catalogs carry them). */
#ifndef TALLY_LABELS_H
#define TALLY_LABELS_H

#include <stddef.h>
#include "tally/error.h"

typedef struct tl_labels tl_labels;

/* Reads datadir/labels.tsv; a directory without one gives an empty table (every
 * field then reads as its name). NULL with err on a malformed file. */
tl_labels  *labels_open(const char *datadir, tl_error *err);
void        labels_free(tl_labels *l);

/* The label of field, singular or plural, written into buf (n bytes): the table's,
 * else the name with '_' as spaces. l may be NULL. Returns buf. */
const char *labels_field(const tl_labels *l, const char *field, int plural, char *buf, size_t n);

/* The label of field's value ("event_type", "cultural-event" -> "cultural event"),
 * or NULL when the table has none. l may be NULL. */
const char *labels_value(const tl_labels *l, const char *field, const char *value);

#endif
