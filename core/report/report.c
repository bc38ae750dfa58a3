/* Reports: multi-page A4 PDFs composed of charts, tables and text blocks, with
 * a title block on the first page, a running footer and page numbers.
 *
 * Pages are recorded as lists of blocks and laid out only when saved, because
 * measuring text needs a cairo context; a block placed automatically that does not
 * fit what is left of its page moves to a continuation page, so nothing is cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <cairo-pdf.h>
#include "chart/chart_int.h"

#define A4_W 595.28
#define A4_H 841.89
#define PAGE_MARGIN_X 40.0
#define PAGE_MARGIN_TOP 48.0
#define PAGE_MARGIN_BOTTOM 56.0
#define BLOCK_GAP 14.0

enum { BLOCK_CHART, BLOCK_TEXT };

typedef struct block {
	int       kind;
	tl_chart *chart;    /* BLOCK_CHART: one reference */
	char     *markup;   /* BLOCK_TEXT */
	tl_box    box;
} block;

struct tl_page {
	block  *blocks;
	size_t  n, cap;
};

struct tl_report {
	tl_report_info info;       /* strings point into the owned copies below */
	char          *str[6];
	tl_page      **pages;
	size_t         n, cap;
};

/* A block placed on a physical page. */
typedef struct placed { const block *b; size_t page; rect r; } placed;

void report_info_defaults(tl_report_info *info)
{
	memset(info, 0, sizeof *info);
	chart_theme_defaults(&info->theme);
}

tl_report *report_new(const tl_report_info *info, tl_error *err)
{
	tl_report *r = calloc(1, sizeof *r);
	if (!r)
		goto oom;
	r->info = *info;
	const char *in[6] = { info->title, info->subtitle, info->author, info->date, info->subject,
	                      info->footer };
	for (int i = 0; i < 6; i++)
		if (in[i] && !(r->str[i] = strdup(in[i])))
			goto oom;
	r->info.title = r->str[0];
	r->info.subtitle = r->str[1];
	r->info.author = r->str[2];
	r->info.date = r->str[3];
	r->info.subject = r->str[4];
	r->info.footer = r->str[5];
	return r;
oom:
	report_free(r);
	tl_fail(err, NULL, 0, 0, "out of memory");
	return NULL;
}

static void page_free(tl_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		chart_free(p->blocks[i].chart);
		free(p->blocks[i].markup);
	}
	free(p->blocks);
	free(p);
}

void report_free(tl_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		page_free(r->pages[i]);
	free(r->pages);
	for (int i = 0; i < 6; i++)
		free(r->str[i]);
	free(r);
}

tl_page *report_page(tl_report *r)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 8;
		tl_page **np = realloc(r->pages, nc * sizeof *np);
		if (!np)
			return NULL;
		r->pages = np;
		r->cap = nc;
	}
	tl_page *p = calloc(1, sizeof *p);
	if (p)
		r->pages[r->n++] = p;
	return p;
}

size_t report_npages(const tl_report *r)
{
	return r->n;
}

static block *page_add(tl_page *p, const tl_box *box)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 8;
		block *nb = realloc(p->blocks, nc * sizeof *nb);
		if (!nb)
			return NULL;
		p->blocks = nb;
		p->cap = nc;
	}
	block *b = &p->blocks[p->n];
	memset(b, 0, sizeof *b);
	if (box)
		b->box = *box;
	else
		b->box.x = b->box.y = b->box.w = b->box.h = -1;
	return b;
}

int page_chart(tl_page *p, tl_chart *c, const tl_box *box)
{
	block *b;
	if (!c || !(b = page_add(p, box)))
		return -1;
	b->kind = BLOCK_CHART;
	b->chart = chart_ref(c);
	p->n++;
	return 0;
}

int page_text(tl_page *p, const char *text, const tl_box *box)
{
	block *b;
	char *m = chart_text_markup(text);
	if (!m || !(b = page_add(p, box))) {
		free(m);
		return -1;
	}
	b->kind = BLOCK_TEXT;
	b->markup = m;
	p->n++;
	return 0;
}

/* ---- layout ------------------------------------------------------------------------ */

static double body_size(const tl_theme *th)
{
	return th->label_size * 1.2;
}

/* A text block: body size, wrapped at w; maxh > 0 ellipsizes past that height. */
static PangoLayout *text_layout(const dctx *d, const char *markup, double w, double maxh)
{
	PangoLayout *l = tx_layout(d, markup, body_size(d->th), 0, 1);
	int lines = 0;
	if (maxh > 0)
		lines = (int)fmax(1, floor(maxh / (tx_line_height(d, body_size(d->th)) * 1.0)));
	tx_fit(l, w, lines, TX_LEFT);
	return l;
}

/* The height of the title block on the first page (drawn when draw is set). */
static double title_block(const dctx *d, const tl_report_info *info, double x, double y,
                          double w, int draw)
{
	const tl_theme *th = &info->theme;
	double y0 = y;
	char meta[512] = "";
	PangoLayout *l;
	const char *t[3] = { info->title, info->subtitle, NULL };
	double size[2] = { th->title_size * 1.6, th->subtitle_size * 1.3 };
	for (int i = 0; i < 2; i++) {
		if (!t[i] || !*t[i])
			continue;
		l = tx_layout(d, t[i], size[i], i == 0, 0);
		tx_fit(l, w, 3, TX_LEFT);
		double h;
		tx_size(l, NULL, &h);
		if (draw)
			tx_draw(d, l, x, y, TX_LEFT, i == 0 ? th->text : th->muted, 0);
		g_object_unref(l);
		y += h + 4;
	}
	snprintf(meta, sizeof meta, "%s%s%s", info->author ? info->author : "",
	         info->author && *info->author && info->date && *info->date ? " · " : "",
	         info->date ? info->date : "");
	if (*meta) {
		l = tx_layout(d, meta, th->note_size * 1.2, 0, 0);
		tx_fit(l, w, 2, TX_LEFT);
		double h;
		tx_size(l, NULL, &h);
		if (draw)
			tx_draw(d, l, x, y + 2, TX_LEFT, th->muted, 0);
		g_object_unref(l);
		y += h + 2;
	}
	y += 10;
	if (draw) {
		set_rgb(d->cr, th->axis);
		cairo_set_line_width(d->cr, 1.2);
		cairo_move_to(d->cr, x, y);
		cairo_line_to(d->cr, x + w, y);
		cairo_stroke(d->cr);
	}
	return y + 12 - y0;
}

/* The height a block wants when its box leaves it open. */
static double natural_height(const dctx *d, const block *b, double w)
{
	if (b->kind == BLOCK_TEXT) {
		double inset = d->th->margin_left;
		PangoLayout *l = text_layout(d, b->markup, w - 2 * inset, 0);
		double h;
		tx_size(l, NULL, &h);
		g_object_unref(l);
		return h;
	}
	const tl_chart_cfg *cfg = chart_cfg(b->chart);
	if (cfg->type == TL_CHART_TABLE) {
		const tl_theme *th = &cfg->theme;
		double rowh = tx_line_height(d, th->label_size) * 1.5;
		double h = th->margin_top + th->margin_bottom + 10;
		if (cfg->title && *cfg->title) h += tx_line_height(d, th->title_size) + 2;
		if (cfg->subtitle && *cfg->subtitle) h += tx_line_height(d, th->subtitle_size);
		if (cfg->source && *cfg->source) h += tx_line_height(d, th->note_size) + 8;
		return h + (chart_data(b->chart)->ncat + 2.5) * rowh;
	}
	return w * cfg->height / cfg->width;
}

/* Assigns every block a page and a rectangle. Returns the number of physical
 * pages, or 0 on failure; *out is malloc'ed. */
static size_t layout(const dctx *d, const tl_report *r, double title_h, placed **out)
{
	size_t nb = 0, k = 0, page = 0;
	for (size_t i = 0; i < r->n; i++)
		nb += r->pages[i]->n;
	placed *pl = calloc(nb ? nb : 1, sizeof *pl);
	if (!pl)
		return 0;
	double cw = A4_W - 2 * PAGE_MARGIN_X, ch = A4_H - PAGE_MARGIN_TOP - PAGE_MARGIN_BOTTOM;
	for (size_t i = 0; i < r->n; i++, page++) {
		double top = i == 0 ? title_h : 0, cursor = top;
		for (size_t j = 0; j < r->pages[i]->n; j++) {
			const block *b = &r->pages[i]->blocks[j];
			tl_box bx = b->box;
			double x = bx.x >= 0 ? fmin(bx.x, cw - 20) : 0;
			double w = bx.w > 0 ? fmin(bx.w, cw - x) : cw - x;
			double h = bx.h > 0 ? bx.h : natural_height(d, b, w);
			if (bx.y >= 0) {          /* placed by the script: kept, clamped to the page */
				double y = fmin(top + bx.y, ch - 20);
				pl[k++] = (placed){ b, page, { x, y, w, fmin(h, ch - y) } };
				cursor = fmax(cursor, y + fmin(h, ch - y) + BLOCK_GAP);
				continue;
			}
			if (cursor + h > ch && cursor > top + 1) {   /* continue on a new page */
				page++;
				top = cursor = 0;
			}
			h = fmin(h, ch - cursor);
			pl[k++] = (placed){ b, page, { x, cursor, w, h } };
			cursor += h + BLOCK_GAP;
		}
	}
	*out = pl;
	return page ? page : 1;
}

/* ---- drawing ---------------------------------------------------------------------- */

static void footer(const dctx *d, const tl_report_info *info, size_t page, size_t npages)
{
	const tl_theme *th = &info->theme;
	double x0 = PAGE_MARGIN_X + th->margin_left, x1 = A4_W - PAGE_MARGIN_X - th->margin_right;
	double y = A4_H - PAGE_MARGIN_BOTTOM + 18;
	char num[64], text[600];
	snprintf(num, sizeof num, "Page %zu of %zu", page, npages);
	if (info->footer)
		snprintf(text, sizeof text, "%s", info->footer);
	else
		snprintf(text, sizeof text, "%s%s%s", info->title ? info->title : "",
		         info->title && *info->title && info->date && *info->date ? " · " : "",
		         info->date ? info->date : "");
	set_rgb(d->cr, th->grid);
	cairo_set_line_width(d->cr, 0.6);
	cairo_move_to(d->cr, x0, y - 6);
	cairo_line_to(d->cr, x1, y - 6);
	cairo_stroke(d->cr);
	double nw = tx_width(d, num, th->note_size, 0);
	tx_put(d, text, th->note_size, 0, th->muted, x0, y, x1 - x0 - nw - 24, 1, TX_LEFT);
	tx_put(d, num, th->note_size, 0, th->muted, x1, y, 0, 0, TX_RIGHT);
}

static void draw_block(const dctx *d, const placed *p)
{
	cairo_t *cr = d->cr;
	double x = PAGE_MARGIN_X + p->r.x, y = PAGE_MARGIN_TOP + p->r.y;
	if (p->r.h <= 1 || p->r.w <= 1)
		return;
	if (p->b->kind == BLOCK_CHART) {
		cairo_save(cr);
		cairo_translate(cr, x, y);
		chart_draw(p->b->chart, cr, p->r.w, p->r.h);
		cairo_restore(cr);
		return;
	}
	double inset = d->th->margin_left;
	PangoLayout *l = text_layout(d, p->b->markup, p->r.w - 2 * inset, p->r.h);
	tx_draw(d, l, x + inset, y, TX_LEFT, d->th->text, 0);
	g_object_unref(l);
}

int report_save(tl_report *r, const char *path, tl_error *err)
{
	if (out_format(path) != 'd')
		return tl_fail(err, path, 0, 0, "reports are written as PDF: use a .pdf name");
	return report_save_pdf(r, path, err);
}

int report_save_pdf(tl_report *r, const char *path, tl_error *err)
{
	const tl_report_info *info = &r->info;
	tl_chart_cfg cfg;
	placed *pl = NULL;
	out_sink sink;
	cairo_surface_t *s = out_surface(&sink, 'd', path, A4_W, A4_H, 1, err);
	if (!s)
		return -1;
	out_pdf_metadata(s, info->title, info->author, info->subject ? info->subject : info->subtitle);
	cairo_t *cr = cairo_create(s);
	chart_cfg_defaults(&cfg, TL_CHART_TABLE);
	cfg.theme = info->theme;
	dctx d = { cr, tx_context(cr), &cfg, &cfg.theme };
	if (!d.pc) {
		tl_fail(err, path, 0, 0, "cannot set up fonts");
		goto fail;
	}
	double cw = A4_W - 2 * PAGE_MARGIN_X;
	double title_h = title_block(&d, info, cfg.theme.margin_left, 0, cw - 2 * cfg.theme.margin_left, 0);
	size_t nplaced = 0, npages = layout(&d, r, title_h, &pl);
	if (!npages) {
		tl_fail(err, path, 0, 0, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < r->n; i++)
		nplaced += r->pages[i]->n;
	for (size_t page = 0; page < npages; page++) {
		set_rgb(cr, cfg.theme.background);
		cairo_paint(cr);
		if (page == 0)
			title_block(&d, info, PAGE_MARGIN_X + cfg.theme.margin_left, PAGE_MARGIN_TOP,
			            cw - 2 * cfg.theme.margin_left, 1);
		for (size_t k = 0; k < nplaced; k++)
			if (pl[k].page == page)
				draw_block(&d, &pl[k]);
		footer(&d, info, page + 1, npages);
		cairo_show_page(cr);
	}
	free(pl);
	tx_context_free(d.pc);
	return out_finish(&sink, s, cr, err);
fail:
	free(pl);
	tx_context_free(d.pc);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	out_abort(&sink);
	return -1;
}
