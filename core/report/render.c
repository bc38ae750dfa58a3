/* Drawing a report: the sheets of every page in order, with the last touches
 * that need the whole sheet (flexible charts grow into the room left, stacked
 * charts share one label gutter), and what makes a PDF usable beyond print: a
 * structure tree (document, headings, paragraphs, figures with captions, tables),
 * an outline of the headings, and links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <cairo-pdf.h>
#include "report_int.h"

/* ---- the last touches ---------------------------------------------------------------- */

/* Grows the flexible rows of one sheet into the room under its last block, each
 * in proportion to how much it may grow, and moves the rows below down. A sheet
 * with a block the script placed itself is left as it is. rr[] are the rects. */
static void flex_sheet(const tl_page *p, size_t sheet, rect *rr)
{
	double bottom = 0, total = 0;
	for (size_t i = 0; i < p->n; i++) {
		const block *b = &p->blocks[i];
		if (b->sheet != sheet)
			continue;
		if (b->fixed)
			return;
		bottom = fmax(bottom, rr[i].y + rr[i].h);
	}
	double room = CONTENT_H - bottom;
	if (room < 1)
		return;
	/* a row may grow by the least any of its flexible blocks may */
	double *cap = calloc(p->nrows ? p->nrows : 1, sizeof *cap);
	if (!cap)
		return;
	for (size_t i = 0; i < p->n; i++) {
		const block *b = &p->blocks[i];
		if (b->sheet == sheet && b->max_h > rr[i].h) {
			double c = b->max_h - rr[i].h;
			cap[b->row] = cap[b->row] > 0 ? fmin(cap[b->row], c) : c;
		}
	}
	for (size_t k = 0; k < p->nrows; k++)
		total += cap[k];
	if (total > 0) {
		double shift = 0, grow = 0;
		size_t row = (size_t)-1;
		for (size_t i = 0; i < p->n; i++) {
			const block *b = &p->blocks[i];
			if (b->sheet != sheet)
				continue;
			if (b->row != row) {
				shift += grow;
				row = b->row;
				grow = fmin(cap[row], room * cap[row] / total);
			}
			rr[i].y += shift;
			if (b->max_h > rr[i].h)
				rr[i].h += grow;
		}
	}
	free(cap);
}

/* Charts stacked in one column of a sheet (same x and width) put their plot areas'
 * left edge at the widest of their label gutters, up to half the width. */
static void align_sheet(const tl_page *p, size_t sheet, const rect *rr, double *gutter)
{
	double *own = calloc(p->n ? p->n : 1, sizeof *own);
	for (size_t i = 0; i < p->n; i++) {
		const block *b = &p->blocks[i];
		gutter[i] = 0;
		if (own && b->sheet == sheet && b->kind == BLOCK_CHART)
			own[i] = chart_gutter(b->chart, rr[i].w, rr[i].h);
	}
	for (size_t i = 0; own && i < p->n; i++) {
		double g = own[i];
		size_t peers = 0;
		for (size_t j = 0; g > 0 && j < p->n; j++)
			if (j != i && own[j] > 0 && fabs(rr[j].x - rr[i].x) < 0.5
			    && fabs(rr[j].w - rr[i].w) < 0.5) {
				g = fmax(g, own[j]);
				peers++;
			}
		if (peers)
			gutter[i] = fmin(g, rr[i].w / 2);
	}
	free(own);
}

/* ---- drawing ----------------------------------------------------------------------- */

/* "Page {page} of {pages}" with the numbers put in (a translation may reorder them). */
static void page_number(const char *fmt, size_t page, size_t npages, char *buf, size_t n)
{
	size_t o = 0;
	if (!fmt)
		fmt = tl_gettext("Page {page} of {pages}");
	for (const char *s = fmt; *s && o + 24 < n; ) {
		if (strncmp(s, "{page}", 6) == 0) {
			o += (size_t)snprintf(buf + o, n - o, "%zu", page);
			s += 6;
		} else if (strncmp(s, "{pages}", 7) == 0) {
			o += (size_t)snprintf(buf + o, n - o, "%zu", npages);
			s += 7;
		} else
			buf[o++] = *s++;
	}
	buf[o] = 0;
}

static void footer(const dctx *d, const tl_report_info *info, size_t page, size_t npages)
{
	const tl_theme *th = &info->theme;
	double x0 = PAGE_MARGIN_X + th->margin_left, x1 = A4_W - PAGE_MARGIN_X - th->margin_right;
	double y = A4_H - PAGE_MARGIN_BOTTOM + 18;
	char num[128], text[600];
	page_number(info->page_fmt, page, npages, num, sizeof num);
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

/* cairo's attribute strings quote with '; a quote or backslash in a URI is escaped. */
static char *link_attr(const char *uri)
{
	size_t n = strlen(uri);
	char *s = malloc(2 * n + 16), *o = s;
	if (!s)
		return NULL;
	o += sprintf(o, "uri='");
	for (const char *u = uri; *u; u++) {
		if (*u == '\'' || *u == '\\')
			*o++ = '\\';
		*o++ = *u;
	}
	strcpy(o, "'");
	return s;
}

static const char *role_tag(int role)
{
	return role == TL_ROLE_HEADING ? "H2" : role == TL_ROLE_SUBHEADING ? "H3" : "P";
}

static void draw_block(const dctx *d, const block *b, rect r, double gutter)
{
	cairo_t *cr = d->cr;
	double x = PAGE_MARGIN_X + r.x, y = PAGE_MARGIN_TOP + r.y;
	char *attr = b->link ? link_attr(b->link) : NULL;
	if (r.h <= 1 || r.w <= 1)
		goto out;
	if (b->kind == BLOCK_CHART) {
		cairo_save(cr);
		cairo_translate(cr, x, y);
		if (attr)
			cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
		if (chart_draw_aligned(b->chart, cr, r.w, r.h, gutter) < 0)
			dctx_nomem(d);
		if (attr)
			cairo_tag_end(cr, CAIRO_TAG_LINK);
		cairo_restore(cr);
		goto out;
	}
	double inset = d->th->margin_left;
	PangoLayout *l = block_layout(d, b, r.w - 2 * inset, r.h);
	cairo_tag_begin(cr, role_tag(b->role), "");
	if (attr)
		cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
	tx_draw(d, l, x + inset, y, TX_LEFT, d->th->text, 0);
	if (attr)
		cairo_tag_end(cr, CAIRO_TAG_LINK);
	cairo_tag_end(cr, role_tag(b->role));
	g_object_unref(l);
out:
	free(attr);
}

/* The plain text of a heading's first line, for the outline. */
static void outline_text(const block *b, char *buf, size_t n)
{
	char *text = NULL;
	buf[0] = 0;
	if (!pango_parse_markup(b->markup, -1, 0, NULL, &text, NULL, NULL) || !text)
		return;
	size_t k = strcspn(text, "\n");
	snprintf(buf, n, "%.*s", (int)k, text);
	g_free(text);
}

/* Outline entries: the title, then the headings, subheadings under their heading. */
static void outline_add(cairo_surface_t *s, const block *b, rect r, size_t sheet, int *parent)
{
	char name[256], dest[96];
	outline_text(b, name, sizeof name);
	if (!*name)
		return;
	snprintf(dest, sizeof dest, "page=%zu pos=[%.1f %.1f]", sheet + 1, PAGE_MARGIN_X + r.x,
	         PAGE_MARGIN_TOP + r.y);
	if (b->role == TL_ROLE_HEADING)
		*parent = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, name, dest, 0);
	else
		cairo_pdf_surface_add_outline(s, *parent, name, dest, 0);
}

/* Draws every sheet of page p, the first being sheet number base of the document. */
static void draw_page(const dctx *d, cairo_surface_t *s, const tl_report *r, size_t pi,
                      size_t base, size_t nsheets, rect *rr, double *gutter, int *tagged)
{
	const tl_page *p = r->pages[pi];
	const tl_theme *th = d->th;
	int parent = CAIRO_PDF_OUTLINE_ROOT;
	for (size_t i = 0; i < p->n; i++)
		rr[i] = p->blocks[i].r;
	for (size_t sh = 0; sh < p->nsheets; sh++) {
		flex_sheet(p, sh, rr);
		align_sheet(p, sh, rr, gutter);
		set_rgb(d->cr, th->background);
		cairo_paint(d->cr);
		if (!*tagged) {       /* after the paint: see chart_render */
			cairo_tag_begin(d->cr, "Document", "");
			*tagged = 1;
		}
		/* right to left: the sheet as its mirror image, text the right way round */
		cairo_save(d->cr);
		if (tl_lang_rtl())
			tx_mirror(d->cr, 0, A4_W);
		if (pi == 0 && sh == 0) {
			if (r->info.title && *r->info.title)
				cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, r->info.title,
				                              "page=1 pos=[0 0]", 0);
			title_block(d, &r->info, PAGE_MARGIN_X + th->margin_left, PAGE_MARGIN_TOP,
			            CONTENT_W - 2 * th->margin_left, 1);
		}
		for (size_t i = 0; i < p->n; i++) {
			const block *b = &p->blocks[i];
			if (b->sheet != sh)
				continue;
			if (b->kind == BLOCK_TEXT && b->role != TL_ROLE_TEXT)
				outline_add(s, b, rr[i], base + sh, &parent);
			draw_block(d, b, rr[i], gutter[i]);
		}
		footer(d, &r->info, base + sh + 1, nsheets);
		cairo_restore(d->cr);
		cairo_show_page(d->cr);
	}
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
	size_t nsheets = 0, most = 1;
	rect *rr = NULL;
	double *gutter = NULL;
	out_sink sink;
	for (size_t i = 0; i < r->n; i++) {
		nsheets += r->pages[i]->nsheets;
		most = r->pages[i]->n > most ? r->pages[i]->n : most;
	}
	cairo_surface_t *s = out_surface(&sink, 'd', path, A4_W, A4_H, 1, err);
	if (!s)
		return -1;
	out_pdf_metadata(s, info->title, info->author, info->subject ? info->subject : info->subtitle);
	cairo_t *cr = cairo_create(s);
	chart_cfg_defaults(&cfg, TL_CHART_TABLE);
	cfg.theme = info->theme;
	int nomem = 0;
	dctx d = { cr, tx_context(cr), &cfg, &cfg.theme, 0, NULL, &nomem };
	rr = calloc(most, sizeof *rr);
	gutter = calloc(most, sizeof *gutter);
	if (!d.pc || !rr || !gutter) {
		tl_fail(err, path, 0, 0, d.pc ? "out of memory" : "cannot set up fonts");
		goto fail;
	}
	int tagged = 0;
	if (r->n == 0) {          /* a report without pages is one sheet: title and footer */
		set_rgb(cr, cfg.theme.background);
		cairo_paint(cr);
		cairo_tag_begin(cr, "Document", "");
		tagged = 1;
		title_block(&d, info, PAGE_MARGIN_X + cfg.theme.margin_left, PAGE_MARGIN_TOP,
		            CONTENT_W - 2 * cfg.theme.margin_left, 1);
		footer(&d, info, 1, 1);
		cairo_show_page(cr);
	}
	for (size_t i = 0, base = 0; i < r->n; base += r->pages[i]->nsheets, i++)
		draw_page(&d, s, r, i, base, nsheets ? nsheets : 1, rr, gutter, &tagged);
	cairo_tag_end(cr, "Document");
	free(rr);
	free(gutter);
	tx_context_free(d.pc);
	sink.nomem = nomem;   /* a chart of the report lost a part: the report is not saved */
	return out_finish(&sink, s, cr, err);
fail:
	free(rr);
	free(gutter);
	tx_context_free(d.pc);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	out_abort(&sink);
	return -1;
}
