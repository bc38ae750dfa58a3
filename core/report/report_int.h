/* Private to the report engine: the report, its pages and their blocks. */
#ifndef TALLY_REPORT_INT_H
#define TALLY_REPORT_INT_H

#include "tally/report.h"
#include "chart/chart_int.h"

#define A4_W 595.28
#define A4_H 841.89
#define PAGE_MARGIN_X 40.0
#define PAGE_MARGIN_TOP 48.0
#define PAGE_MARGIN_BOTTOM 56.0
#define BLOCK_GAP 14.0
#define KEEP_GAP 6.0           /* under a heading: it belongs to what follows */
#define CONTENT_W (A4_W - 2 * PAGE_MARGIN_X)
#define CONTENT_H (A4_H - PAGE_MARGIN_TOP - PAGE_MARGIN_BOTTOM)

enum { BLOCK_CHART, BLOCK_TEXT };

typedef struct block {
	int       kind;
	tl_chart *chart;        /* BLOCK_CHART: one reference */
	char     *markup;       /* BLOCK_TEXT, styled for its role */
	char     *link;
	int       role, keep, fixed;   /* fixed: at a y the script gave */
	double    min_h, max_h, hang;
	size_t    row;          /* blocks side by side share a row; rows move and flex as one */
	size_t    sheet;        /* of its page, from 0 */
	rect      r;            /* in the content area of the sheet */
} block;

struct tl_page {
	tl_report *rep;
	block     *blocks;
	size_t     n, cap;
	size_t     nsheets, nrows;
	double     top;         /* where the first sheet's content starts (under the title block) */
	double     cursor;      /* y of the next automatic block on the last sheet */
};

struct tl_report {
	tl_report_info info;    /* strings point into the owned copies below */
	char          *str[8];
	tl_page      **pages;
	size_t         n, cap;
	double         title_h;
	/* text is measured as blocks arrive: a context on a small image surface lays
	 * out exactly as the PDF's does (hinting off, fixed resolution) */
	cairo_surface_t *ms;
	cairo_t       *mcr;
	tl_chart_cfg   mcfg;
	dctx           md;
};

/* report.c */
PangoLayout *block_layout(const dctx *d, const block *b, double w, double maxh);
double       title_block(const dctx *d, const tl_report_info *info, double x, double y,
                         double w, int draw);

#endif
