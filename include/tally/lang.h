/* The reader's language: interface words through GNU gettext (the "tally"
 * catalogs in po/, country names from iso-codes' iso_3166-1 domain), month names
 * and the decimal sign from the C library's locale data.
 *
 * Only what a reader sees follows the language: the C library's locale is
 * switched for this thread in LC_MESSAGES and LC_TIME alone (uselocale), and the
 * decimal sign is applied by the chart engine's own number formatting, so
 * printf, Lua's tostring, CSV and JSON keep C's "51.3". */
#ifndef TALLY_LANG_H
#define TALLY_LANG_H

#include "tally/error.h"
#include "tally/date.h"

/* "en", "ru", "zh", "ar", "fr", "es", or NULL for LC_ALL / LC_MESSAGES / LANG,
 * English when they name none of these. localedir holds LANG/LC_MESSAGES/tally.mo
 * (NULL: where it was bound before). -1 with err when the language is unknown or
 * its locale is not installed. */
int         tl_lang_set(const char *code, const char *localedir, tl_error *err);
const char *tl_lang(void);              /* the code in use, "en" before any set */
int         tl_lang_rtl(void);          /* the language is written right to left */
const char *tl_lang_list(void);         /* "en, ru, zh, ar, fr, es" */
const char *tl_gettext(const char *msgid);
const char *tl_ngettext(const char *one, const char *many, unsigned long n);
/* A country's name in the reader's language: iso-codes' translation of its short
 * name, else of the few names tally's catalogs carry, else of its ISO name
 * (iso_name may be NULL), else the name as it is. */
const char *tl_country_name(const char *name, const char *iso_name);
/* The name of month 1-12 standing alone (genitive 0: Russian "апрель") or as
 * inside a date (genitive 1: "апреля"), in the language's mid-sentence case
 * ("April", "апрель") or, start 1, capitalised to begin a sentence. Into buf. */
const char *tl_month_name(int month, int genitive, int start, char *buf, size_t n);
/* s with its first letter capitalised ("институциональное" -> "Институциональное"). */
const char *tl_capitalize(const char *s, char *buf, size_t n);
/* A date as people read it at its precision, in the reader's language: "10 апреля
 * 2023", "Апрель 2023", "2-й кв. 2023" (tl_date_label's words in English). */
const char *tl_date_words(tl_date d, char *buf, size_t n);
const char *tl_decimal_sign(void);      /* "." or "," (UTF-8) for display */

#endif
