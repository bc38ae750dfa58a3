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
const char *tl_country_name(const char *name);   /* iso-codes' name for an English country name */
const char *tl_decimal_sign(void);      /* "." or "," (UTF-8) for display */

#endif
