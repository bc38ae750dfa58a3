/* Reports: multi-page A4 PDFs composed of charts, tables and text blocks, with
 * a title block on the first page, a running footer and page numbers.
 *
 * Blocks are placed as they arrive, so that a script can ask where the cursor is
 * and how much room is left before it decides what comes next (render.c draws
 * them when the report is saved). A block that does not fit what is left of its
 * sheet gives way in the order a typesetter would: a flexible block shrinks to
 * its least height; else it goes to a new sheet, taking the heading above it
 * along; or, when the script asked, it is left out and the script is told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "report_int.h"

void report_info_defaults(tl_report_info *info)
{
	memset(info, 0, sizeof *info);
	chart_theme_defaults(&info->theme);
}

void report_geometry(double *w, double *h)
{
	if (w)
		*w = CONTENT_W;
	if (h)
		*h = CONTENT_H;
}

void block_defaults(tl_block *b)
{
	memset(b, 0, sizeof *b);
	b->box.x = b->box.y = b->box.w = b->box.h = -1;
}

tl_report *report_new(const tl_report_info *info, tl_error *err)
{
	tl_report *r = calloc(1, sizeof *r);
	if (!r)
		goto oom;
	r->info = *info;
	const char *in[8] = { info->title, info->subtitle, info->author, info->date, info->subject,
	                      info->footer, info->page_fmt, info->lang };
	for (int i = 0; i < 8; i++)
		if (in[i] && !(r->str[i] = strdup(in[i])))
			goto oom;
	r->info.title = r->str[0];
	r->info.subtitle = r->str[1];
	r->info.author = r->str[2];
	r->info.date = r->str[3];
	r->info.subject = r->str[4];
	r->info.footer = r->str[5];
	r->info.page_fmt = r->str[6];
	r->info.lang = r->str[7];
	r->ms = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	r->mcr = cairo_create(r->ms);
	chart_cfg_defaults(&r->mcfg, TL_CHART_TABLE);
	r->mcfg.theme = info->theme;
	r->md = (dctx){ r->mcr, tx_context(r->mcr), &r->mcfg, &r->mcfg.theme, 0, NULL, NULL };
	if (!r->md.pc) {
		report_free(r);
		tl_fail(err, NULL, 0, 0, "cannot set up fonts");
		return NULL;
	}
	r->title_h = title_block(&r->md, &r->info, r->mcfg.theme.margin_left, 0,
	                         CONTENT_W - 2 * r->mcfg.theme.margin_left, 0);
	return r;
oom:
	report_free(r);
	tl_fail(err, NULL, 0, 0, "out of memory");
	return NULL;
}

static void block_free(block *b)
{
	chart_free(b->chart);
	free(b->markup);
	free(b->link);
}

static void page_free(tl_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		block_free(&p->blocks[i]);
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
	for (int i = 0; i < 8; i++)
		free(r->str[i]);
	tx_context_free(r->md.pc);
	if (r->mcr)
		cairo_destroy(r->mcr);
	if (r->ms)
		cairo_surface_destroy(r->ms);
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
	if (!p)
		return NULL;
	p->rep = r;
	p->nsheets = 1;
	p->top = p->cursor = r->n == 0 ? r->title_h : 0;
	r->pages[r->n++] = p;
	return p;
}

size_t report_npages(const tl_report *r)
{
	return r->n;
}

double page_cursor(const tl_page *p)
{
	return p->cursor;
}

double page_remaining(const tl_page *p)
{
	return fmax(0, CONTENT_H - p->cursor);
}

size_t page_sheets(const tl_page *p)
{
	return p->nsheets;
}

/* ---- text ------------------------------------------------------------------------ */

static double body_size(const tl_theme *th)
{
	return th->label_size * 1.2;
}

/* The markup of a text block as its role sets it: headings larger and bold. */
static char *role_markup(const char *text, int role)
{
	char *m = chart_text_markup(text);
	if (!m || role == TL_ROLE_TEXT)
		return m;
	int size = role == TL_ROLE_HEADING ? 17 * 1024 : 13 * 1024;
	size_t n = strlen(m) + 64;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "<span size=\"%d\" weight=\"bold\">%s</span>", size, m);
	free(m);
	return s;
}

/* A text block wrapped at w with a hanging indent and its tab stop at b->hang;
 * maxh > 0 ellipsizes past that height. Headings break into balanced lines. */
PangoLayout *block_layout(const dctx *d, const block *b, double w, double maxh)
{
	double size = body_size(d->th);
	PangoLayout *l = tx_layout(d, b->markup, size, 0, 1);
	int lines = 0;
	if (maxh > 0)
		lines = (int)fmax(1, floor(maxh / tx_line_height(d, size)));
	if (b->hang > 0) {
		PangoTabArray *tabs = pango_tab_array_new_with_positions(1, FALSE, PANGO_TAB_LEFT,
		                                                         (int)(b->hang * PANGO_SCALE));
		pango_layout_set_tabs(l, tabs);
		pango_tab_array_free(tabs);
		pango_layout_set_indent(l, -(int)(b->hang * PANGO_SCALE));
	}
	tx_fit(l, w, lines, TX_LEFT);
	if (b->role != TL_ROLE_TEXT)
		tx_balance(l);
	return l;
}

/* The height of the title block on the first page (drawn when draw is set). */
double title_block(const dctx *d, const tl_report_info *info, double x, double y, double w,
                   int draw)
{
	const tl_theme *th = &info->theme;
	double y0 = y;
	char meta[512] = "";
	PangoLayout *l;
	const char *t[2] = { info->title, info->subtitle };
	double size[2] = { th->title_size * 1.6, th->subtitle_size * 1.3 };
	for (int i = 0; i < 2; i++) {
		if (!t[i] || !*t[i])
			continue;
		l = tx_layout(d, t[i], size[i], i == 0, 0);
		tx_fit(l, w, 3, TX_LEFT);
		tx_balance(l);
		double h;
		tx_size(l, NULL, &h);
		if (draw) {
			cairo_tag_begin(d->cr, i == 0 ? "H1" : "P", "");
			tx_draw(d, l, x, y, TX_LEFT, i == 0 ? th->text : th->muted, 0);
			cairo_tag_end(d->cr, i == 0 ? "H1" : "P");
		}
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
		if (draw) {
			cairo_tag_begin(d->cr, "P", "");
			tx_draw(d, l, x, y + 2, TX_LEFT, th->muted, 0);
			cairo_tag_end(d->cr, "P");
		}
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

/* ---- blocks ---------------------------------------------------------------------- */

/* The height a block wants at width w when its box leaves it open. */
static double natural_height(const dctx *d, const block *b, double w)
{
	if (b->kind == BLOCK_TEXT) {
		double inset = d->th->margin_left, h;
		PangoLayout *l = block_layout(d, b, w - 2 * inset, 0);
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
		/* the source and the data's note wrap, to two and three lines at most */
		double lw = fmax(40, w - th->margin_left - th->margin_right), nh = tx_line_height(d, th->note_size);
		const char *note = chart_data(b->chart)->note;
		if (cfg->source && *cfg->source)
			h += fmin(2, ceil(tx_width(d, cfg->source, th->note_size, 0) / lw)) * nh + 8;
		if (note && *note)
			h += fmin(3, ceil(tx_width(d, note, th->note_size, 0) / lw)) * nh + 6;
		return h + (chart_data(b->chart)->ncat + 2.5) * rowh;
	}
	return w * cfg->height / cfg->width;
}

int page_measure(tl_page *p, const tl_block *spec, double w, double *tw, double *th)
{
	block b = { .kind = BLOCK_TEXT, .role = spec ? spec->role : TL_ROLE_TEXT,
	            .hang = spec ? spec->hang : 0 };
	double lw = 0, lh = 0;
	const dctx *d = &p->rep->md;
	if ((b.markup = role_markup(spec && spec->text ? spec->text : "", b.role))) {
		PangoLayout *l = block_layout(d, &b, w > 0 ? w - 2 * d->th->margin_left : -1, 0);
		tx_size(l, &lw, &lh);
		g_object_unref(l);
		free(b.markup);
	} else {
		return -1;   /* no size rather than a size of nothing */
	}
	if (tw)
		*tw = lw;
	if (th)
		*th = lh;
	return 0;
}

/* A new block at the end of p from spec; NULL when out of memory. */
static block *block_new(tl_page *p, const tl_block *spec)
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
	b->role = spec->role;
	b->keep = spec->keep || spec->role != TL_ROLE_TEXT;
	b->min_h = spec->min_h;
	b->max_h = spec->max_h;
	b->hang = spec->hang;
	if (spec->link && !(b->link = strdup(spec->link)))
		return NULL;
	if (spec->chart) {
		b->kind = BLOCK_CHART;
		b->chart = chart_ref(spec->chart);
	} else {
		b->kind = BLOCK_TEXT;
		if (!(b->markup = role_markup(spec->text, spec->role))) {
			free(b->link);
			return NULL;
		}
	}
	p->n++;
	return b;
}

/* Starts a new sheet. Headings (kept blocks) that end the sheet being left come
 * along, unless they are all there is on it. */
static void new_sheet(tl_page *p, size_t first_new)
{
	size_t last = p->nsheets - 1, k = first_new;
	while (k > 0 && p->blocks[k - 1].sheet == last && p->blocks[k - 1].keep
	       && !p->blocks[k - 1].fixed)
		k--;
	double top = last == 0 ? p->top : 0;
	p->nsheets++;
	p->cursor = 0;
	if (k == first_new || p->blocks[k].r.y <= top + 1)
		return;
	double dy = p->blocks[k].r.y;
	for (size_t i = k; i < first_new; i++) {
		p->blocks[i].sheet = last + 1;
		p->blocks[i].r.y -= dy;
		p->cursor = fmax(p->cursor, p->blocks[i].r.y + p->blocks[i].r.h + KEEP_GAP);
	}
}

/* Makes room for need more points on the last sheet by lowering the flexible
 * blocks already on it (alone in their row, down to their min_h), each in
 * proportion to what it can give, and moving the blocks under them up. Returns
 * whether it could; nothing changes when it cannot. */
static int give_way(tl_page *p, size_t first_new, double need)
{
	size_t last = p->nsheets - 1;
	double give = 0;
	for (size_t i = 0; i < first_new; i++) {
		block *b = &p->blocks[i];
		if (b->sheet != last)
			continue;
		if (b->fixed)
			return 0;
		int alone = (i == 0 || p->blocks[i - 1].row != b->row)
		         && (i + 1 >= first_new || p->blocks[i + 1].row != b->row);
		if (alone && b->min_h > 0 && b->min_h < b->r.h)
			give += b->r.h - b->min_h;
	}
	if (give < need)
		return 0;
	double shift = 0;
	for (size_t i = 0; i < first_new; i++) {
		block *b = &p->blocks[i];
		if (b->sheet != last)
			continue;
		int alone = (i == 0 || p->blocks[i - 1].row != b->row)
		         && (i + 1 >= first_new || p->blocks[i + 1].row != b->row);
		b->r.y -= shift;
		if (alone && b->min_h > 0 && b->min_h < b->r.h) {
			double d = need * (b->r.h - b->min_h) / give;
			b->r.h -= d;
			shift += d;
		}
	}
	p->cursor -= shift;
	return 1;
}

static void placement(const block *b, int moved, int shrunk, tl_placement *out)
{
	if (out)
		*out = (tl_placement){ 1, moved, shrunk, b->sheet, b->r.x, b->r.y, b->r.w, b->r.h };
}

/* Places n blocks side by side at the cursor (one block: anywhere its box says). */
int page_row(tl_page *p, const tl_block *spec, size_t n, double gap, tl_placement *out)
{
	const dctx *d = &p->rep->md;
	double cw = CONTENT_W, ch = CONTENT_H, fixedw = 0, rowh = 0, minrow = 0;
	size_t first = p->n, nauto = 0, row = p->nrows++;
	int keep = 1, skip = 0;
	if (out)
		memset(out, 0, n * sizeof *out);
	for (size_t i = 0; i < n; i++) {
		if (!block_new(p, &spec[i])) {
			while (p->n > first)
				block_free(&p->blocks[--p->n]);
			return -1;
		}
		if (spec[i].box.w > 0)
			fixedw += spec[i].box.w;
		else
			nauto++;
		skip |= spec[i].skip;
	}
	double x = n == 1 && spec[0].box.x >= 0 ? fmin(spec[0].box.x, cw - 20) : 0;
	double autow = nauto ? fmax(20, (cw - x - fixedw - gap * (double)(n - 1)) / (double)nauto) : 0;
	for (size_t i = 0; i < n; i++) {
		block *b = &p->blocks[first + i];
		b->row = row;
		b->r.x = x;
		b->r.w = fmin(spec[i].box.w > 0 ? spec[i].box.w : n == 1 ? cw - x : autow, cw - x);
		b->r.h = spec[i].box.h > 0 ? spec[i].box.h : natural_height(d, b, b->r.w);
		if (b->max_h > 0 && b->min_h > b->max_h)
			b->min_h = b->max_h;
		rowh = fmax(rowh, b->r.h);
		minrow = fmax(minrow, b->min_h > 0 ? fmin(b->min_h, b->r.h) : b->r.h);
		keep &= b->keep;
		x += b->r.w + gap;
	}
	double after = keep ? KEEP_GAP : BLOCK_GAP, want = rowh;
	if (n == 1 && spec[0].box.y >= 0) {       /* placed by the script: kept, clamped */
		block *b = &p->blocks[first];
		double top = p->nsheets == 1 ? p->top : 0, y = fmin(top + spec[0].box.y, ch - 20);
		b->fixed = 1;
		b->sheet = p->nsheets - 1;
		b->r.y = y;
		b->r.h = fmin(b->r.h, ch - y);
		p->cursor = fmax(p->cursor, y + b->r.h + after);
		placement(b, 0, b->r.h < want, out);
		return 0;
	}
	double top = p->nsheets == 1 ? p->top : 0;
	int moved = 0;
	if (p->cursor + rowh > ch && !give_way(p, first, p->cursor + rowh - ch)) {
		if (p->cursor + minrow <= ch) {
			rowh = ch - p->cursor;           /* flexible: shrink to fit */
		} else if (p->cursor > top + 1) {
			if (skip) {
				while (p->n > first)
					block_free(&p->blocks[--p->n]);
				p->nrows--;
				return 0;                   /* out[].placed = 0: the script decides */
			}
			new_sheet(p, first);
			moved = 1;
			rowh = fmin(rowh, ch - p->cursor);
		} else {
			rowh = ch - p->cursor;           /* taller than a sheet: cut to it */
		}
	}
	for (size_t i = 0; i < n; i++) {
		block *b = &p->blocks[first + i];
		b->sheet = p->nsheets - 1;
		b->r.y = p->cursor;
		b->r.h = fmin(b->r.h, rowh);
		placement(b, moved, rowh < want - 0.01, out ? &out[i] : NULL);
	}
	p->cursor += rowh + after;
	return 0;
}

int page_add(tl_page *p, const tl_block *b, tl_placement *out)
{
	return page_row(p, b, 1, 0, out);
}

int page_chart(tl_page *p, tl_chart *c, const tl_box *box)
{
	tl_block b;
	if (!c)
		return -1;
	block_defaults(&b);
	b.chart = c;
	if (box)
		b.box = *box;
	return page_add(p, &b, NULL);
}

int page_text(tl_page *p, const char *text, const tl_box *box)
{
	tl_block b;
	block_defaults(&b);
	b.text = text ? text : "";
	if (box)
		b.box = *box;
	return page_add(p, &b, NULL);
}
