/* Import: the text of a newsletter or a press release, ready for the coding rules.
 *
 * Every reader returns plain UTF-8 text in one shape: paragraphs separated by a
 * blank line, the lines of a paragraph joined by one space, pages separated by a
 * form feed ("\f") line. The coding itself (which paragraph is a headline, which
 * words decide a column) is the importer plugin's, in Lua. */
#ifndef TALLY_IMPORT_H
#define TALLY_IMPORT_H

#include <stddef.h>
#include "tally/error.h"

/* The kind of a file, by its first bytes and then its name. */
typedef enum tl_impformat { TL_IMP_TEXT = 0, TL_IMP_PDF, TL_IMP_HTML } tl_impformat;

tl_impformat imp_sniff(const char *path, const char *head, size_t n);
const char  *imp_format_name(tl_impformat f);   /* "text", "pdf", "html" */

/* The text of a PDF in reading order, paragraphs told apart by the space between
 * lines. NULL with err on a file that is not a PDF, is encrypted, is damaged or
 * has no text layer. The result is malloc'ed; *len gets its length. */
char *imp_pdf_text(const char *path, const char *data, size_t n, size_t *len, tl_error *err);

/* The article of an HTML page: the headline on the first line, a blank line, then
 * the body's paragraphs; navigation, headers, footers, scripts and forms dropped.
 * NULL with err when the page holds no headline or no article text. */
char *imp_html_text(const char *path, const char *data, size_t n, size_t *len, tl_error *err);

/* Folding for matching: compatibility decomposition, marks dropped, case folded,
 * typographic quotes and dashes made plain ("Türkiye’s" -> "turkiye's").
 * malloc'ed, NULL when out of memory or s is not UTF-8. */
char *imp_fold(const char *s, size_t n, size_t *len);

/* Places from packaged data: every subdivision name of iso-codes' iso_3166-2.json
 * and every city of tzdata's zone.tab, with the alpha-2 code of its one country.
 * A name that two countries share is left out. Calls fn(ud, folded_name, alpha2)
 * per place; returns the number of places or -1 with err. */
long imp_places(void (*fn)(void *ud, const char *name, const char *alpha2), void *ud, tl_error *err);

#endif
