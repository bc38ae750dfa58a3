/* Reports: multi-page A4 PDFs of charts, tables and text, laid out as blocks are
 * added so that a script can read the cursor and the room left, with an outline,
 * tagged structure (headings, paragraphs, figures with captions, tables) and links.
 *
 * A page (report_page) is a run of blocks that starts on a new sheet of paper; a
 * block that does not fit what is left of the sheet goes to a continuation sheet
 * of the same page (or, asked to, is not placed at all and the caller decides). */
#ifndef TALLY_REPORT_H
#define TALLY_REPORT_H

#include "tally/chart.h"

typedef struct tl_report tl_report;
typedef struct tl_page   tl_page;

typedef struct tl_report_info {
	const char *title, *subtitle, *author, *date, *subject;
	const char *footer;     /* running footer; NULL = title and date */
	const char *page_fmt;   /* "Page %1$zu of %2$zu" in the reader's language; NULL = English */
	const char *lang;       /* the document's language ("en", "ru", ...); NULL = none stated */
	tl_theme    theme;      /* fonts and colours of the page furniture */
} tl_report_info;

/* A box on a sheet in points from the top-left corner of the content area (inside
 * the margins). A negative x/y/w/h means "auto": x = 0, w = full width, y = at the
 * cursor, h = a height suited to the block. */
typedef struct tl_box { double x, y, w, h; } tl_box;

enum { TL_ROLE_TEXT, TL_ROLE_HEADING, TL_ROLE_SUBHEADING };

/* One block: a chart (or table) or text, where it goes and how it may give way. */
typedef struct tl_block {
	tl_chart   *chart;      /* a chart or table block (a reference is taken) ... */
	const char *text;       /* ... or text: pango markup or **bold** / *italic* */
	tl_box      box;
	int         role;       /* TL_ROLE_*: headings are tagged, outlined, kept with the next block */
	int         keep;       /* keep with the next block (headings always are) */
	double      min_h, max_h;   /* flexible height: shrink to min_h to fit, grow to max_h to fill */
	double      hang;       /* text: hanging indent, also the first tab stop (points) */
	const char *link;       /* a URI the block links to, or NULL */
	int         skip;       /* when it does not fit: 1 = leave it out and say so, 0 = new sheet */
} tl_block;

/* Where a block went: sheet counts from 0 at the page's first sheet. */
typedef struct tl_placement {
	int    placed;          /* 0: left out (it did not fit and skip was set) */
	int    moved;           /* it did not fit at the cursor and went to a new sheet */
	int    shrunk;          /* it was made lower than it wanted, to fit */
	size_t sheet;
	double x, y, w, h;
} tl_placement;

void       report_info_defaults(tl_report_info *info);
tl_report *report_new(const tl_report_info *info, tl_error *err);
void       report_free(tl_report *r);
tl_page   *report_page(tl_report *r);                       /* owned by r; NULL on failure */
size_t     report_npages(const tl_report *r);
/* The content area of a sheet in points (A4 less the margins and the footer). */
void       report_geometry(double *w, double *h);

void       block_defaults(tl_block *b);
/* Adds a block at the cursor (or at box.y); 0, or -1 when out of memory. */
int        page_add(tl_page *p, const tl_block *b, tl_placement *out);
/* Blocks side by side at the cursor, in columns of their box.w (auto: equal shares)
 * with gap points between; they move to a new sheet together. */
int        page_row(tl_page *p, const tl_block *b, size_t n, double gap, tl_placement *out);
int        page_chart(tl_page *p, tl_chart *c, const tl_box *box);   /* takes a reference */
int        page_text(tl_page *p, const char *text, const tl_box *box);
/* The cursor (y of the next automatic block on the page's last sheet), the height
 * left under it, and the page's number of sheets so far. */
double     page_cursor(const tl_page *p);
double     page_remaining(const tl_page *p);
size_t     page_sheets(const tl_page *p);
/* The size text would take as a block of width w (b gives role and hang; NULL =
 * plain): 0, or -1 when memory ran out. */
int        page_measure(tl_page *p, const tl_block *b, double w, double *tw, double *th);

/* Writes the report as PDF (A4 portrait), through path.tmp and rename(). */
int        report_save(tl_report *r, const char *path, tl_error *err);
/* The same whatever path's extension (the caller checked it is a PDF). */
int        report_save_pdf(tl_report *r, const char *path, tl_error *err);

#endif
