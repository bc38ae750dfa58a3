/* The article of a web page, through libxml2's HTML parser.
 *
 * News pages wrap one story in menus, banners, share buttons and footers. The
 * story is the <article> (or <main>) when the page has one, else the element
 * whose own paragraphs hold the most text; the headline is its <h1>, else the
 * page's first <h1>, else og:title, else <title>. Blocks under nav, header,
 * footer, aside, form, script and style never count. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "tally/date.h"
#include "tally/import.h"
#include "import/import_int.h"

#ifndef IMP_LIBXML2_SO
#define IMP_LIBXML2_SO "libxml2.so.2"   /* the Makefile names the one it builds against */
#endif

/* libxml2, and ICU and the C++ runtime under it, is opened the first time a
 * page is read: linked into tally-ext.so it cost every chart and report about
 * 2 ms of start-up for a library only an import uses. */
static struct {
	__typeof__(htmlReadMemory)        *read_memory;
	__typeof__(xmlDocGetRootElement)  *root;
	__typeof__(xmlFreeDoc)            *free_doc;
	__typeof__(xmlGetProp)            *get_prop;
	__typeof__(xmlStrcasecmp)         *strcasecmp;
	xmlFreeFunc                        free;   /* libxml2's xmlFree is a variable holding its free */
} lx;

static int libxml2_open(const char *path, tl_error *err)
{
	static const char *const names[] = {
		"htmlReadMemory", "xmlDocGetRootElement", "xmlFreeDoc", "xmlGetProp", "xmlStrcasecmp", "xmlFree",
	};
	void *syms[sizeof names / sizeof *names];
	static void *h;
	if (h) return 0;
	if (!(h = dlopen(IMP_LIBXML2_SO, RTLD_NOW | RTLD_LOCAL)))
		return tl_fail(err, path, 0, 0, "cannot read HTML pages: %s", dlerror());
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!(syms[i] = dlsym(h, names[i]))) {
			dlclose(h);
			h = NULL;
			return tl_fail(err, path, 0, 0, "cannot read HTML pages: %s has no %s", IMP_LIBXML2_SO, names[i]);
		}
	*(void **)&lx.read_memory = syms[0];
	*(void **)&lx.root = syms[1];
	*(void **)&lx.free_doc = syms[2];
	*(void **)&lx.get_prop = syms[3];
	*(void **)&lx.strcasecmp = syms[4];
	lx.free = *(xmlFreeFunc *)syms[5];
	return 0;
}

static int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && lx.strcasecmp(n->name, (const xmlChar *)name) == 0;
}

/* Elements whose text is never the story. */
static int skipped(const xmlNode *n)
{
	static const char *const names[] = { "nav", "header", "footer", "aside", "form", "script",
	                                     "style", "noscript", "template", "button", "select",
	                                     "svg", "iframe", "menu", NULL };
	for (int i = 0; names[i]; i++)
		if (is(n, names[i]))
			return 1;
	/* menus and share bars marked by class or role rather than by element */
	xmlChar *role = lx.get_prop(n, (const xmlChar *)"role");
	int skip = role && (!lx.strcasecmp(role, (const xmlChar *)"navigation") ||
	                    !lx.strcasecmp(role, (const xmlChar *)"banner") ||
	                    !lx.strcasecmp(role, (const xmlChar *)"contentinfo"));
	lx.free(role);
	return skip;
}

/* An element marked as the date of the story (class "date", "news-date" ...). */
static int is_dateline(const xmlNode *n)
{
	xmlChar *cls = n->type == XML_ELEMENT_NODE ? lx.get_prop(n, (const xmlChar *)"class") : NULL;
	int yes = cls && strstr((const char *)cls, "date") != NULL;
	lx.free(cls);
	return yes;
}

static int is_block(const xmlNode *n)
{
	if (is_dateline(n))
		return 1;
	static const char *const names[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "li",
	                                     "blockquote", "pre", "td", "figcaption", NULL };
	for (int i = 0; names[i]; i++)
		if (is(n, names[i]))
			return 1;
	return 0;
}

/* Appends the text under n with runs of white space made one space. */
static void add_text(obuf *b, const xmlNode *n, int *space)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			for (const xmlChar *s = c->content; s && *s; s++) {
				if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
					*space = 1;
					continue;
				}
				if (*space && b->n && b->p[b->n - 1] != '\n')
					ob_add(b, " ", 1);
				*space = 0;
				ob_add(b, (const char *)s, 1);
			}
		} else if (c->type == XML_ELEMENT_NODE && !skipped(c)) {
			if (is(c, "br"))
				*space = 1;
			add_text(b, c->children, space);
		}
	}
}

/* The text of one element, malloc'ed and trimmed; NULL when empty. */
static char *text_of(const xmlNode *n)
{
	obuf b = {0};
	int space = 0;
	add_text(&b, n->children, &space);
	if (b.oom || b.n == 0) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* The paragraphs directly in the story: each block element once (a block inside
 * a block is part of the outer one). */
static void add_blocks(obuf *b, const xmlNode *n, const xmlNode *headline)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || skipped(c) || c == headline)
			continue;
		if (is_block(c)) {
			char *t = text_of(c);
			if (t) {
				ob_add(b, t, strlen(t));
				ob_add(b, "\n\n", 2);
			}
			free(t);
		} else {
			add_blocks(b, c->children, headline);
		}
	}
}

static const xmlNode *find(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || skipped(c))
			continue;
		if (is(c, name))
			return c;
		const xmlNode *f = find(c->children, name);
		if (f)
			return f;
	}
	return NULL;
}

/* The text of the paragraphs that are children of n itself. */
static size_t own_text(const xmlNode *n)
{
	size_t t = 0;
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is(c, "p")) {
			char *s = text_of(c);
			t += s ? strlen(s) : 0;
			free(s);
		}
	return t;
}

/* The element whose own paragraphs hold the most text. */
static void densest(const xmlNode *n, const xmlNode **best, size_t *most)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || skipped(c))
			continue;
		size_t t = own_text(c);
		if (t > *most) {
			*most = t;
			*best = c;
		}
		densest(c->children, best, most);
	}
}

/* The page's date of publication: <meta property="article:published_time">
 * (ISO, "2024-03-12T10:00") or the first <time datetime="...">, as "12 March
 * 2024" so that it reads as a release's dateline. NULL when the page has none. */
static char *page_date(const xmlNode *n)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *v = NULL;
		if (is(c, "meta")) {
			xmlChar *p = lx.get_prop(c, (const xmlChar *)"property");
			if (p && (!lx.strcasecmp(p, (const xmlChar *)"article:published_time") ||
			          !lx.strcasecmp(p, (const xmlChar *)"og:published_time")))
				v = lx.get_prop(c, (const xmlChar *)"content");
			lx.free(p);
		} else if (is(c, "time")) {
			v = lx.get_prop(c, (const xmlChar *)"datetime");
		}
		int y, m, d;
		tl_date day;
		const char *why;
		if (v && sscanf((const char *)v, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
		    tl_date_from_parts(y, m, d, &day, &why) == 0) {
			char buf[64];
			tl_date_label(day, buf, sizeof buf);   /* "12 March 2024" */
			lx.free(v);
			return strdup(buf);
		}
		lx.free(v);
		char *s = page_date(c->children);
		if (s)
			return s;
	}
	return NULL;
}

static char *meta_title(const xmlNode *n)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (is(c, "meta")) {
			xmlChar *p = lx.get_prop(c, (const xmlChar *)"property");
			int og = p && !lx.strcasecmp(p, (const xmlChar *)"og:title");
			lx.free(p);
			if (og) {
				xmlChar *v = lx.get_prop(c, (const xmlChar *)"content");
				char *s = v && *v ? strdup((const char *)v) : NULL;
				lx.free(v);
				if (s)
					return s;
			}
		}
		if (c->type == XML_ELEMENT_NODE) {
			char *s = meta_title(c->children);
			if (s)
				return s;
		}
	}
	return NULL;
}

char *imp_html_text(const char *path, const char *data, size_t n, size_t *len, tl_error *err)
{
	htmlDocPtr doc;
	const xmlNode *root, *story, *h1;
	char *headline = NULL;
	obuf b = {0}, body = {0};
	if (n > (size_t)0x7fffffff) {
		tl_fail(err, path, 0, 0, "the page is too large");
		return NULL;
	}
	if (libxml2_open(path, err) < 0)
		return NULL;
	doc = lx.read_memory(data, (int)n, path, NULL,
	                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc || !(root = lx.root(doc))) {
		if (doc)
			lx.free_doc(doc);
		tl_fail(err, path, 0, 0, "cannot parse the HTML page");
		return NULL;
	}
	if (!(story = find(root, "article")) && !(story = find(root, "main"))) {
		size_t most = 0;
		story = NULL;
		densest(root, &story, &most);
	}
	h1 = story ? find(story->children, "h1") : NULL;
	if (!h1)
		h1 = find(root, "h1");
	if (h1)
		headline = text_of(h1);
	if (!headline)
		headline = meta_title(root);
	if (!headline) {
		const xmlNode *t = find(root, "title");
		headline = t ? text_of(t) : NULL;
	}
	if (story)
		add_blocks(&body, story->children, h1);
	char *date = page_date(root);
	lx.free_doc(doc);
	if (body.oom) {
		free(date);
		free(headline);
		free(body.p);
		tl_fail(err, path, 0, 0, "out of memory");
		return NULL;
	}
	if (!headline || !story || body.n < 40) {
		tl_fail(err, path, 0, 0, "no article in the page (%s)",
		        !headline ? "no headline: no <h1>, og:title or <title>" : "no paragraphs of text");
		free(date);
		free(headline);
		free(body.p);
		return NULL;
	}
	ob_add(&b, headline, strlen(headline));
	ob_add(&b, "\n\n", 2);
	if (date) {   /* the dateline a printed release would carry */
		ob_add(&b, date, strlen(date));
		ob_add(&b, "\n\n", 2);
	}
	ob_add(&b, body.p, body.n);
	free(date);
	free(headline);
	free(body.p);
	if (b.oom) {
		free(b.p);
		tl_fail(err, path, 0, 0, "out of memory");
		return NULL;
	}
	*len = b.n;
	return b.p;
}
