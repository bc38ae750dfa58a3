/* Publication charts drawn with cairo and pango: bar, line, donut, heatmap, table.
 *
 * Three things are kept apart (as kplot does):
 *   data    tl_chart_data: category labels and one or more named series of values,
 *           independent of the store (helpers build it from tl_counts / tl_xtab);
 *   config  tl_chart_cfg: chart type, titles, options and a tl_theme, filled with
 *           chart_cfg_defaults() and then overridden;
 *   drawing chart_draw(chart, cr, w, h): one renderer for every cairo surface.
 *
 * Units are points. A chart saved alone is cfg.width x cfg.height points (default
 * 600 x 337.5, 16:9); PNG output uses 2 pixels per point times cfg.scale, so the
 * default PNG is 1200 x 675 and scale = 2 gives 2400 x 1350. PDF and SVG are vector,
 * one page of the same size in points. */
#ifndef TALLY_CHART_H
#define TALLY_CHART_H

#include <stddef.h>
#include <cairo.h>
#include "tally/error.h"
#include "tally/count.h"

/* ---- data ---------------------------------------------------------------- */

/* How values print: as counts ("12 345"), percentages ("12.5%"), changes ("+3",
 * "−11") or changes in percent ("+60%"); TL_FMT_AUTO takes the chart's value_format. */
enum { TL_FMT_AUTO, TL_FMT_NUMBER, TL_FMT_PERCENT, TL_FMT_SIGNED, TL_FMT_CHANGE };

typedef struct tl_series {
	char   *name;      /* owned; "" when unnamed */
	double *values;    /* [ncat]; NAN = no value (a gap in a line) */
	double *least;     /* [ncat] or NULL: of a list field, the items whose least-counted
	                      category is this one, so that folding categories into Other
	                      counts an item once (tl_counts.least); NULL: Other sums */
	int     format;    /* TL_FMT_* */
} tl_series;

/* Categories are the x axis of bars and lines, the slices of a donut and the rows
 * of a heatmap or table; series are the bars of a group, the lines, and the
 * columns of a heatmap or table. */
typedef struct tl_chart_data {
	size_t     ncat;
	char     **cats;       /* owned labels */
	size_t     nseries;
	tl_series *series;
	int        by_date;    /* categories are dates ("2023-04", "2023-Q2", "2023") */
	int        multi;      /* an item may count under several categories (a list field):
	                          no part-of-whole chart (donut) */
	double     items;      /* the items counted, base of the shares; 0: the sum of the values */
	char      *note;       /* owned or NULL: what the numbers leave out or count twice, drawn
	                          under the chart ("7 items dated only to the quarter ...") */
	size_t     other;      /* 1 + the index of the category summing the rest ("Other"), or 0 */
} tl_chart_data;

/* An empty data block with ncat categories and nseries series (labels "", values 0). */
tl_chart_data *chart_data_new(size_t ncat, size_t nseries);
void           chart_data_free(tl_chart_data *d);
int            chart_data_set_cat(tl_chart_data *d, size_t i, const char *label);
int            chart_data_set_series(tl_chart_data *d, size_t j, const char *name);
tl_chart_data *chart_data_copy(const tl_chart_data *d);
/* One series named after the field; categories in the order of c, or in time
 * order when c counts dates. */
tl_chart_data *chart_data_from_counts(const tl_counts *c);
/* Categories = row values, series = column values, cell counts. */
tl_chart_data *chart_data_from_xtab(const tl_xtab *x);
/* Categories become series and series categories (dates along a line's x axis). */
tl_chart_data *chart_data_transpose(const tl_chart_data *d);
/* Whether every label is a month, quarter or year key ("2023-04", "2023-Q2", "2023"). */
int            chart_labels_are_dates(char *const *labels, size_t n);

/* ---- configuration -------------------------------------------------------- */

typedef struct tl_rgb { double r, g, b; } tl_rgb;

#define TL_PALETTE_MAX 16

/* Everything about the look; Lua may override any entry. Sizes in points. */
typedef struct tl_theme {
	char   font[128];          /* family for all text; fontconfig falls back per glyph */
	double title_size, subtitle_size, label_size, value_size, tick_size, note_size,
	       legend_size;
	tl_rgb background, text, muted, grid, axis;
	tl_rgb palette[TL_PALETTE_MAX];   /* categorical colours (Okabe-Ito by default) */
	size_t npalette;
	tl_rgb heat_low, heat_high;       /* heatmap ramp ends */
	tl_rgb other;                     /* "Other": a neutral grey, never a category's colour */
	double margin_top, margin_right, margin_bottom, margin_left;
	double line_width, marker_size;
	double bar_gap;                   /* gap between bars as a fraction of the band */
	double label_max;                 /* category labels: at most this fraction of the width */
} tl_theme;

typedef enum tl_chart_type {
	TL_CHART_BAR, TL_CHART_LINE, TL_CHART_DONUT, TL_CHART_HEATMAP, TL_CHART_TABLE
} tl_chart_type;

typedef enum tl_orient { TL_ORIENT_AUTO, TL_ORIENT_VERTICAL, TL_ORIENT_HORIZONTAL } tl_orient;
typedef enum tl_sort   { TL_SORT_NONE, TL_SORT_DESC, TL_SORT_ASC, TL_SORT_LABEL } tl_sort;

typedef struct tl_chart_cfg {
	tl_chart_type type;
	const char   *title, *subtitle, *source;   /* copied by chart_new; NULL = none */
	tl_orient     orientation;   /* bars: AUTO turns long labels into horizontal bars */
	int           stacked;       /* bars with several series: stacked, else grouped */
	tl_sort       sort;          /* order of categories (bars, donut, table) */
	size_t        limit;         /* keep the first N categories, merge the rest into "Other"; 0 = all that fit */
	int           value_labels;  /* print values on bars, points, cells */
	int           markers;       /* line charts: -1 auto, 0 off, 1 on */
	int           legend;        /* -1 auto (when more than one series), 0 off, 1 on */
	int           value_format;  /* TL_FMT_*: how values print (series may say otherwise) */
	int           totals;        /* tables: a total row (and column): -1 auto, 0 off */
	double        donut_hole;    /* inner radius as a fraction of the outer */
	double        width, height; /* points, for chart_save */
	double        scale;         /* PNG pixel density multiplier (2 = retina) */
	const char   *author, *subject;   /* PDF metadata; copied by chart_new */
	tl_theme      theme;
} tl_chart_cfg;

void chart_cfg_defaults(tl_chart_cfg *cfg, tl_chart_type type);
/* A named chart size in points: "web" (600 x 337.5, 1200 x 675 px in PNG), "a4"
 * and "a5" (landscape). 0, or -1 for a name it does not know. */
int  chart_size_named(const char *name, double *width, double *height);
void chart_theme_defaults(tl_theme *th);
/* "bar", "line", "donut", "heatmap", "table" -> type; -1 when unknown. */
int  chart_type_from_name(const char *name);
const char *chart_type_name(tl_chart_type t);
/* Parses "#RRGGBB" or "#RGB"; 0 on success. */
int  chart_parse_color(const char *s, tl_rgb *out);
/* The WCAG contrast ratio of two colours (1 to 21), and the text colour the
 * charts put on a fill: black or white, whichever contrasts more. */
double chart_contrast(tl_rgb a, tl_rgb b);
/* v as the charts print it in format (TL_FMT_*), in the reader's language. */
void   chart_format_value(double v, int format, char *buf, size_t n);
tl_rgb chart_text_on(tl_rgb bg);

/* ---- the chart -------------------------------------------------------------- */

typedef struct tl_chart tl_chart;

/* Takes ownership of data (also on failure); copies cfg and its strings.
 * Returns NULL on failure (out of memory, or data unfit for the type) with err. */
tl_chart *chart_new(const tl_chart_cfg *cfg, tl_chart_data *data, tl_error *err);
/* Charts are reference counted so that a report page can keep one. */
tl_chart *chart_ref(tl_chart *c);
void      chart_free(tl_chart *c);                 /* drops one reference; NULL ok */
const tl_chart_cfg  *chart_cfg(const tl_chart *c);
const tl_chart_data *chart_data(const tl_chart *c);
/* Replaces the configuration (strings copied); 0 or -1 with err. */
int       chart_set_cfg(tl_chart *c, const tl_chart_cfg *cfg, tl_error *err);

/* Draws the chart into the w x h rectangle at the origin of cr's user space. */
int  chart_draw(const tl_chart *c, cairo_t *cr, double w, double h);   /* -1: memory ran out, the drawing is not whole */
/* The same with the plot area's left edge at x = gutter at least (points from the
 * chart's left edge; 0 = where the labels put it), so that charts stacked on a page
 * align; chart_gutter gives the edge a chart takes by itself (0: no label gutter). */
int    chart_draw_aligned(const tl_chart *c, cairo_t *cr, double w, double h, double gutter);   /* as chart_draw */
double chart_gutter(const tl_chart *c, double w, double h);
/* Writes PNG, PDF or SVG by the extension of path, through path.tmp and rename(). */
int  chart_save(const tl_chart *c, const char *path, tl_error *err);
/* The same in a named format ("png", "pdf", "svg"; NULL = by the extension), written
 * to path itself: for callers that choose their own temporary name. */
int  chart_save_as(const tl_chart *c, const char *path, const char *format, tl_error *err);

/* -1 with pango's reason (line and character) in msg when text has tags but is
 * not valid markup, so that it would print as plain text; 0 otherwise. */
int  chart_markup_error(const char *text, char *msg, size_t n);
/* 0 when fontconfig has the font family (ASCII case ignored); -1 with "unknown
 * font 'X' (did you mean 'Y'?)" in msg, since pango would quietly draw another. */
int  chart_font_check(const char *family, char *msg, size_t n);
/* Starts reading fontconfig's configuration (pango does it in a thread of its
 * own) so that it overlaps what the caller does before its first chart, such as
 * loading the data; optional: the first chart starts it otherwise. */
void chart_fonts_begin(void);

#endif
