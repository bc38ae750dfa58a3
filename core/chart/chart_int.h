/* Private to the chart engine: the chart struct, the drawing context, text and
 * axis helpers shared by the chart types. */
#ifndef TALLY_CHART_INT_H
#define TALLY_CHART_INT_H

#include <pango/pangocairo.h>
#include <stdio.h>
#include "tally/chart.h"
#include "tally/lang.h"
#include "tally/outfile.h"

struct tl_chart {
	int            refs;
	tl_chart_cfg   cfg;         /* strings point into the owned copies below */
	char          *title, *subtitle, *source, *author, *subject;
	tl_chart_data *data;
};

/* A rectangle in user space. */
typedef struct rect { double x, y, w, h; } rect;

/* Everything a drawing function needs: the cairo context, the pango context built
 * for it, the configuration and the theme; gutter is the least x of the plot
 * area's left edge (a report aligns stacked charts by it) and the chart types with
 * a label gutter write the edge they used into *gutter_used. */
typedef struct dctx {
	cairo_t            *cr;
	PangoContext       *pc;
	const tl_chart_cfg *cfg;
	const tl_theme     *th;
	double              gutter;
	double             *gutter_used;
	int                *nomem;   /* set to 1 when an allocation failed: the drawing is not whole */
} dctx;

/* Notes that the drawing lost a part for want of memory (the output is then refused). */
static inline void dctx_nomem(const dctx *d) { if (d->nomem) *d->nomem = 1; }

/* The left edge of the plot area given the labels' own need (the chart types
 * call it once, with their natural edge). */
double plot_left(const dctx *d, double natural);

/* ---- text.c: all pango calls live there -------------------------------------- */

enum {  /* anchors for tx_draw: one horizontal | one vertical */
	TX_LEFT = 0, TX_CENTER = 1, TX_RIGHT = 2,
	TX_TOP = 0, TX_MIDDLE = 4, TX_BOTTOM = 8
};

PangoContext *tx_context(cairo_t *cr);
void          tx_context_free(PangoContext *pc);
/* A layout of plain text (markup = 0) or pango markup, in the theme font. */
PangoLayout  *tx_layout(const dctx *d, const char *s, double size, int bold, int markup);
/* Wraps to maxw (<= 0: no limit) and at most maxlines lines, ellipsizing the last;
 * align is TX_LEFT/CENTER/RIGHT and holds visually for right-to-left text too. */
void          tx_fit(PangoLayout *l, double maxw, int maxlines, int align);
void          tx_size(PangoLayout *l, double *w, double *h);
int           tx_lines(PangoLayout *l);
/* Narrows a wrapped layout as far as it keeps its number of lines, so that a title
 * breaks into lines of even length rather than leave one word on the last. */
void          tx_balance(PangoLayout *l);
int           tx_ellipsized(PangoLayout *l);
/* Right to left: tx_mirror flips x within [x0, x0 + w] (cairo_save first);
 * tx_mirrored says whether cr draws mirrored (then text is set the right way
 * round by tx_draw, anchored on the other side). */
void          tx_mirror(cairo_t *cr, double x0, double w);
int           tx_mirrored(cairo_t *cr);
/* Draws l with its logical box anchored at (x, y); angle in radians (0 = none). */
void          tx_draw(const dctx *d, PangoLayout *l, double x, double y, int anchor,
                      tl_rgb color, double angle);
/* Width of a single line of plain text. */
double        tx_width(const dctx *d, const char *s, double size, int bold);
double        tx_line_height(const dctx *d, double size);
/* Draws s (plain) fitted into maxw x maxlines; returns the height used. */
double        tx_put(const dctx *d, const char *s, double size, int bold, tl_rgb color,
                     double x, double y, double maxw, int maxlines, int anchor);

/* ---- axis.c: scales, ticks, numbers ----------------------------------------- */

typedef struct ticks { double step, max; int n; } ticks;   /* 0, step, ... max (n+1 ticks) */

/* Round ticks from 0 covering vmax with about target intervals (1, 2, 2.5, 5 x 10^k). */
ticks  axis_ticks(double vmax, int target);
/* "1,234", "12.5", "1.2M": numbers as a newsroom prints them. */
void   fmt_num(double v, char *buf, size_t n);
/* Value v of series j as the series (or the chart) wants it printed. */
void   fmt_value(const dctx *d, const tl_chart_data *data, size_t j, double v, char *buf,
                 size_t n);
/* The fill of bar, slice or row i of series j: grey for "Other". */
tl_rgb fill_color(const dctx *d, const tl_chart_data *data, size_t i, size_t j);
/* "2023-04" -> "Apr 2023" (long) or "Apr" (short); other labels copied. */
void   fmt_cat(const char *s, int by_date, int shortform, char *buf, size_t n);
void   set_rgb(cairo_t *cr, tl_rgb c);
void   set_rgba(cairo_t *cr, tl_rgb c, double a);
tl_rgb mix_rgb(tl_rgb a, tl_rgb b, double t);
/* Black or white, whichever reads better on bg. */
tl_rgb text_on(tl_rgb bg);
/* Draws horizontal gridlines with tick labels left of r (vertical value axis), or
 * vertical gridlines with labels under r (horizontal value axis). */
void   axis_value_grid(const dctx *d, rect r, ticks t, double axis_len, int horizontal);
double axis_tick_label_width(const dctx *d, ticks t);
double cat_axis(const dctx *d, const tl_chart_data *data, double x0, double band,
                double y, double lo, double hi, int draw, int wrap);
/* Pixel snapping of crisp 1-unit lines is deliberately absent: output is vector. */

/* ---- chart.c: the frame shared by all types --------------------------------- */

/* Draws the legend entries in one or more rows inside r from the top; returns the
 * height used. names[i] with palette colour i; ncolors may be < n for repeats. */
double frame_legend(const dctx *d, const char *const *names, size_t n, rect r, int draw);
tl_rgb palette_color(const tl_theme *th, size_t i);

/* ---- the chart types: draw into the plot rectangle -------------------------- */

void bar_draw(const dctx *d, const tl_chart_data *data, rect r);
void line_draw(const dctx *d, const tl_chart_data *data, rect r);
void donut_draw(const dctx *d, const tl_chart_data *data, rect r);
void heatmap_draw(const dctx *d, const tl_chart_data *data, rect r);
void table_draw(const dctx *d, const tl_chart_data *data, rect r);

/* chart.c: output helpers shared with report.c. out_format gives 'p' (PNG), 'd'
 * (PDF), 's' (SVG) or 0. out_surface checks the size, opens the output (a hidden
 * temporary, see tally/outfile.h) and makes a surface writing to it; out_finish
 * destroys cr and s, checks every status and commits the file or removes it. */
#define OUT_MAX_POINTS 20000   /* a side, PDF and SVG (cairo's own limit is 32767) */
#define OUT_MAX_PIXELS 32767   /* a side of a PNG: cairo's image surface limit */
#define OUT_MAX_AREA   1e8     /* pixels of a PNG: 400 MB of image buffer */
#define CHART_MAX_VALUE 1e15   /* doubles hold whole numbers exactly up to 2^53 */

typedef struct out_sink {
	const char *path;          /* the final path, for messages */
	tl_outfile *file;
	FILE       *svg;           /* SVG is written to memory first: its ids are renumbered */
	char       *svgbuf;
	size_t      svglen;
	int         failed;        /* a write through cairo's stream failed */
	int         nomem;         /* the drawing lost a part for want of memory */
} out_sink;

int    out_format(const char *path);
int    out_format_name(const char *name);     /* "png", "pdf", "svg" */
int    out_size_ok(int fmt, double w, double h, double px, tl_error *err, const char *path);
cairo_surface_t *out_surface(out_sink *k, int fmt, const char *path, double w, double h,
                             double px, tl_error *err);
void   out_pdf_metadata(cairo_surface_t *s, const char *title, const char *author,
                        const char *subject);
int    out_finish(out_sink *k, cairo_surface_t *s, cairo_t *cr, tl_error *err);
void   out_abort(out_sink *k);

/* data.c: sorting and "Other" merging applied to a copy before drawing. */
tl_chart_data *data_prepare(const tl_chart_data *in, const tl_chart_cfg *cfg, size_t limit);
double         data_total(const tl_chart_data *d, size_t cat);   /* sum over series */
/* The footnote of a chart of d into buf: what the numbers leave out or count twice,
 * and for a donut, whose shares are of the items it shows, how many that is when
 * some items have no value (data.c). */
const char    *data_note(const tl_chart_data *d, int donut, char *buf, size_t n);
const tl_chart_data *data_fit(const tl_chart_data *in, const tl_chart_cfg *cfg, size_t fit,
                              tl_chart_data **cut);              /* at most fit categories */

/* Writes an RGB24 or ARGB32 image surface as PNG at a fast compression level (png.c). */
int    png_write_fast(cairo_surface_t *s, FILE *f);

/* Page text: pango markup, or plain text with **bold** and _italic_, turned into
 * markup (newly allocated; free()). Blank lines separate paragraphs (text.c; the
 * report's pages use it). */
char  *chart_text_markup(const char *text);

#endif
