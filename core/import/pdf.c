/* PDF text through poppler's GLib API, in reading order, with paragraphs.
 *
 * poppler gives a page's text as lines and a box per character; a paragraph
 * ends where the space between two lines is wider than about half a line, or
 * where the next line starts higher up the page (a new column). The coding rules
 * read paragraphs, so this is the one thing the PDF reader must get right. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poppler.h>
#include "tally/import.h"
#include "import/import_int.h"

#ifndef IMP_POPPLER_SO
#define IMP_POPPLER_SO "libpoppler-glib.so.8"   /* the Makefile names the one it builds against */
#endif

/* poppler, and the C++ runtime under it, is opened the first time a PDF is
 * read: linked into tally-ext.so it cost every chart and report about 3.5 ms of
 * start-up (relocating libpoppler) for a library only an import uses. */
static struct {
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_get_n_pages)    *document_get_n_pages;
	__typeof__(poppler_document_get_page)       *document_get_page;
	__typeof__(poppler_page_get_text)           *page_get_text;
	__typeof__(poppler_page_get_text_layout)    *page_get_text_layout;
	__typeof__(poppler_error_quark)             *error_quark;
} pp;

static int poppler_open(const char *path, tl_error *err)
{
	static const char *const names[] = {
		"poppler_document_new_from_bytes", "poppler_document_get_n_pages", "poppler_document_get_page",
		"poppler_page_get_text", "poppler_page_get_text_layout", "poppler_error_quark",
	};
	void **fns[] = {
		(void **)&pp.document_new_from_bytes, (void **)&pp.document_get_n_pages, (void **)&pp.document_get_page,
		(void **)&pp.page_get_text, (void **)&pp.page_get_text_layout, (void **)&pp.error_quark,
	};
	static void *h;
	if (h) return 0;
	if (!(h = dlopen(IMP_POPPLER_SO, RTLD_NOW | RTLD_LOCAL)))
		return tl_fail(err, path, 0, 0, "cannot read PDF files: %s", dlerror());
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!(*fns[i] = dlsym(h, names[i]))) {
			dlclose(h);
			h = NULL;
			return tl_fail(err, path, 0, 0, "cannot read PDF files: %s has no %s", IMP_POPPLER_SO, names[i]);
		}
	return 0;
}

/* One line of a page: where its text lies in the page's text and its box. */
typedef struct pline { size_t from, to; double top, bottom; int ink; } pline;

/* Appends one page's text as paragraphs; returns the number of non-blank
 * characters, so a document without a text layer can be told. */
static size_t page_text(PopplerPage *page, obuf *b)
{
	char *text = pp.page_get_text(page);
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	pline *lines = NULL;
	size_t nlines = 0, cap = 0, ink = 0;
	if (!text)
		return 0;
	if (!pp.page_get_text_layout(page, &rects, &nrects))
		nrects = 0;
	/* split into lines, measuring each from its characters' boxes */
	size_t i = 0, k = 0, len = strlen(text);
	while (i <= len) {
		pline l = { i, i, 1e9, -1e9, 0 };
		while (i < len && text[i] != '\n') {
			gunichar c = g_utf8_get_char_validated(text + i, (gssize)(len - i));
			const char *next = g_utf8_find_next_char(text + i, text + len);
			if (c != (gunichar)-1 && c != (gunichar)-2 && !g_unichar_isspace(c)) {
				l.ink++;
				if (k < nrects) {
					if (rects[k].y1 < l.top) l.top = rects[k].y1;
					if (rects[k].y2 > l.bottom) l.bottom = rects[k].y2;
				}
			}
			k++;
			i = next ? (size_t)(next - text) : len;
		}
		l.to = i;
		k++;            /* the newline has a box too */
		i++;
		if (nlines == cap) {
			pline *nl = realloc(lines, (cap = cap ? 2 * cap : 64) * sizeof *nl);
			if (!nl) {
				b->oom = 1;
				break;
			}
			lines = nl;
		}
		lines[nlines++] = l;
	}
	int open = 0;   /* a paragraph has text on the output */
	for (size_t j = 0; j < nlines && !b->oom; j++) {
		pline *l = &lines[j];
		if (!l->ink) {
			if (open)
				ob_add(b, "\n\n", 2);
			open = 0;
			continue;
		}
		ink += (size_t)l->ink;
		if (open) {
			pline *p = &lines[j - 1];
			double h = p->bottom - p->top, gap = l->top - p->bottom;
			int brk = p->ink && nrects && (gap > 0.45 * h || l->top < p->top - 0.5 * h);
			/* a line broken after a hyphen ("video-" / "conference") joins without a space */
			int hyph = !brk && b->n >= 2 && b->p[b->n - 1] == '-' && g_ascii_isalpha(b->p[b->n - 2]) &&
			           g_ascii_islower(text[l->from + strspn(text + l->from, " \t")]);
			if (brk)
				ob_add(b, "\n\n", 2);
			else if (!hyph)
				ob_add(b, " ", 1);
		}
		/* the line without its surrounding blanks */
		size_t s = l->from, e = l->to;
		while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
			s++;
		while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
			e--;
		ob_add(b, text + s, e - s);
		open = 1;
	}
	if (open)
		ob_add(b, "\n\n", 2);
	free(lines);
	g_free(rects);
	g_free(text);
	return ink;
}

char *imp_pdf_text(const char *path, const char *data, size_t n, size_t *len, tl_error *err)
{
	GError *gerr = NULL;
	GBytes *bytes;
	PopplerDocument *doc;
	obuf b = {0};
	size_t ink = 0;
	if (n < 5 || memcmp(data, "%PDF-", 5) != 0) {
		tl_fail(err, path, 0, 0, "not a PDF file (it does not start with %%PDF-)");
		return NULL;
	}
	if (poppler_open(path, err) < 0)
		return NULL;
	bytes = g_bytes_new(data, n);
	doc = pp.document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (!doc) {
		if (gerr && gerr->domain == pp.error_quark() && gerr->code == POPPLER_ERROR_ENCRYPTED)
			tl_fail(err, path, 0, 0, "the PDF is encrypted (give tally a copy without a password)");
		else
			tl_fail(err, path, 0, 0, "cannot read the PDF: %s", gerr ? gerr->message : "damaged file");
		if (gerr)
			g_error_free(gerr);
		return NULL;
	}
	int pages = pp.document_get_n_pages(doc);
	for (int p = 0; p < pages && !b.oom; p++) {
		PopplerPage *page = pp.document_get_page(doc, p);
		if (!page)
			continue;
		if (p > 0)
			ob_add(&b, "\f\n\n", 3);
		ink += page_text(page, &b);
		g_object_unref(page);
	}
	g_object_unref(doc);
	if (b.oom) {
		free(b.p);
		tl_fail(err, path, 0, 0, "out of memory");
		return NULL;
	}
	if (ink == 0) {
		free(b.p);
		tl_fail(err, path, 0, 0, "the PDF has no text layer (no text on its %d page%s: a scan?); "
		        "tally reads text, not pictures", pages, pages == 1 ? "" : "s");
		return NULL;
	}
	*len = b.n;
	return b.p;
}
