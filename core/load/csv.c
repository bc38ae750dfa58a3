/* Loading CSV with libcsv into a store.
 *
 * The file is mapped and fed to libcsv a physical line at a time, so that every
 * record knows the line it started on and errors can say file:line:column. The
 * header decides each column's type and role (schema.c). Cells that name
 * countries or dimensions are resolved once per distinct raw string: a
 * per-column memo maps the raw text to its code.
 *
 * On two cores the body is split at a line boundary near the middle and both
 * halves are parsed at once, each into its own store; if the first half did not
 * end exactly at a record boundary (the split fell inside a quoted field), the
 * second half is parsed again from where the first one really stopped. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <csv.h>
#include "tally/load.h"
#include "load/load_int.h"

#define MAX_FIELD   (1u << 20)   /* 1 MiB: a longer cell is an error, not a title */
#define MAX_REPORT  10           /* rejected rows shown with their reasons */

/* ------------------------------------------------------------------ parsing */

/* Is s[0..n) valid UTF-8 without NUL bytes? Returns 0, or the 1-based byte
 * offset of the first bad byte. A NUL is refused with the rest: two cells that
 * differ after one would print the same. */
size_t utf8_check(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* most cells are ASCII: skip eight bytes at a time while they are (no
		 * high bit, and no zero byte by the usual has-zero-byte test) */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w | ((w - 0x0101010101010101ull) & ~w)) & 0x8080808080808080ull) break;
			i += 8;
		}
		if (i >= n) break;
		unsigned c = s[i];
		if (c == 0) return i + 1;
		if (c < 0x80) { i++; continue; }
		/* lead bytes: C2-DF, E0-EF, F0-F4; C0, C1 and F5-FF never start a character */
		size_t k = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
		if (!k || i + k >= n) return i + 1;   /* bad lead byte, or cut short */
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80) return i + 1;
		if (c == 0xe0 && s[i + 1] < 0xa0) return i + 1;   /* overlong */
		if (c == 0xed && s[i + 1] >= 0xa0) return i + 1;  /* surrogate */
		if (c == 0xf0 && s[i + 1] < 0x90) return i + 1;
		if (c == 0xf4 && s[i + 1] >= 0x90) return i + 1;
		i += k + 1;
	}
	return 0;
}

static int is_na(const tl_load_opts *o, const char *s, size_t n)
{
	if (n == 0) return 1;
	for (int i = 0; i < o->nna; i++)
		if (strlen(o->na[i]) == n && memcmp(o->na[i], s, n) == 0) return 1;
	return 0;
}

/* Marks the current row bad with a reason at the current field. */
static void row_bad(tl_part *p, long col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row_bad(tl_part *p, long col, const char *fmt, ...)
{
	va_list ap;
	if (p->bad) return;
	p->bad = 1;
	p->bad_col = col;
	va_start(ap, fmt);
	vsnprintf(p->bad_msg, sizeof p->bad_msg, fmt, ap);
	va_end(ap);
}

/* Stops the load with an error at the current field, --skip-bad or not: running
 * out of memory, or a column past its 4 GiB, says nothing about the row, and
 * dropping it as "bad" would lose valid rows with exit 0. */
void part_fatal(tl_part *p, long col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	if (p->stop) return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tl_fail(&p->err, p->path, p->row_line, col, "%s", msg);
	p->stop = 1;
	p->bad = 1;
}

#define NOMEM "out of memory"

/* One country name resolved to the code of its display name in the column's
 * dictionary, through the memo. TL_NA with the row marked bad when unknown. */
static uint32_t country_code(tl_part *p, tl_column *c, tl_memo *m, const char *s, size_t n, long col)
{
	int found;
	uint32_t code = memo_lookup(m, s, n, &found);
	if (found) {
		if (code == TL_NA) goto unknown;
		return code;
	}
	if (p->opts->country_codes == TL_CC_RAW) {
		code = c ? dict_intern(c->dict, s, n) : 0;
	} else {
		const tl_country *k = vocab_country(p->opts->vocab, s, n, p->opts->country_codes);
		code = !k ? TL_NA : c ? dict_intern(c->dict, k->name, strlen(k->name)) : 0;
	}
	if (memo_add(m, s, n, code) < 0) { part_fatal(p, col, NOMEM); return TL_NA; }
	if (code != TL_NA) return code;
unknown:
	{
		const char *hint = p->opts->country_codes == TL_CC_NAME ? vocab_suggest(p->opts->vocab, s, n) : NULL;
		static const char *kinds[] = {"country", "ISO alpha-2 country code", "ISO alpha-3 country code", "country",
		                              "FIPS 10-4 country code"};
		const char *noiso = p->opts->country_codes == TL_CC_FIPS ? vocab_fips_noiso(p->opts->vocab, s, n) : NULL;
		if (noiso)
			row_bad(p, col, "FIPS 10-4 code '%.*s' (%s) names no ISO 3166-1 country", (int)n, s, noiso);
		else if (hint)
			row_bad(p, col, "unknown %s '%.*s' (did you mean '%s'?)", kinds[p->opts->country_codes], (int)n, s, hint);
		else
			row_bad(p, col, "unknown %s '%.*s'%s", kinds[p->opts->country_codes], (int)n, s,
			        p->opts->country_codes == TL_CC_NAME ? " (codes are read only with --country-codes iso2|iso3|fips; --country-codes raw keeps cells as written)" : "");
	}
	return TL_NA;
}

static uint32_t dimension_code(tl_part *p, tl_column *c, tl_memo *m, const char *s, size_t n, long col)
{
	int found;
	uint32_t code = memo_lookup(m, s, n, &found);
	if (!found) {
		int d = vocab_dimension(s, n);
		const char *name = d >= 0 ? vocab_dimension_name(d) : NULL;
		code = !name ? TL_NA : c ? dict_intern(c->dict, name, strlen(name)) : 0;
		if (memo_add(m, s, n, code) < 0) { part_fatal(p, col, NOMEM); return TL_NA; }
	}
	if (code == TL_NA)
		row_bad(p, col, "unknown dimension '%.*s' (expected military-political, new-challenges-and-threats, "
		        "economic, environmental, human or institutional)", (int)n, s);
	return code;
}

static int parse_int(const char *s, size_t n, int64_t *v)
{
	char buf[32];
	char *end;
	if (n && n <= 18) {   /* plain digits, the common case, cannot overflow: no strtoll */
		int64_t x = 0;
		size_t i = 0;
		while (i < n && (unsigned)(s[i] - '0') <= 9) x = x * 10 + (s[i++] - '0');
		if (i == n) { *v = x; return 0; }
	}
	if (n == 0 || n >= sizeof buf) return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	long long x = strtoll(buf, &end, 10);
	if (errno || *end) return -1;
	*v = x;
	return 0;
}

/* A date cell, parsed once per distinct text: the memo keeps what parsed. */
static int date_read(tl_part *p, tl_memo *m, const char *s, size_t n, tl_date *d, const char **why)
{
	int found;
	tl_date *day = p->opts->date_format ? NULL : memo_day(m, s, n);
	if (day) {   /* an ISO day: a dense table, no hashing */
		if (*day) { *d = *day; return 0; }
		int rc = tl_date_parse(s, n, d, why);
		if (rc == 0) *day = *d;
		return rc;
	}
	uint32_t v = memo_lookup(m, s, n, &found);
	if (found) { *d = (tl_date)v; return 0; }
	int rc = p->opts->date_format ? tl_date_parse_fmt(s, n, p->opts->date_format, d, why)
	                              : tl_date_parse(s, n, d, why);
	if (rc == 0) memo_cache(m, s, n, (uint32_t)*d);
	return rc;
}

/* Checks a typed cell of a column the count does not keep: a strict load
 * rejects the same rows whichever fields are counted. */
static void validate_field(tl_part *p, const tl_colspec *cs, tl_memo *m, const char *s, size_t n, long col)
{
	if (cs->type == TL_TEXT || (cs->role < 0 && (cs->type == TL_CAT || cs->type == TL_LIST))) return;
	trim(&s, &n);
	if (is_na(p->opts, s, n)) return;
	if (cs->role == TL_ROLE_DIMENSION) { dimension_code(p, NULL, m, s, n, col); return; }
	if (cs->role == TL_ROLE_COUNTRY) {
		while (n) {
			const char *semi = cs->type == TL_LIST ? memchr(s, ';', n) : NULL;
			size_t k = semi ? (size_t)(semi - s) : n;
			const char *v = s;
			size_t vn = k;
			trim(&v, &vn);
			if (vn && !is_na(p->opts, v, vn) && country_code(p, NULL, m, v, vn, col) == TL_NA) return;
			if (!semi) break;
			s += k + 1;
			n -= k + 1;
		}
		return;
	}
	if (cs->type == TL_DATE) {
		tl_date d;
		const char *why = NULL;
		if (date_read(p, m, s, n, &d, &why) < 0) row_bad(p, col, "%s: '%.*s'", why, (int)(n > 40 ? 40 : n), s);
	} else if (cs->type == TL_INT) {
		int64_t v;
		if (parse_int(s, n, &v) < 0) row_bad(p, col, "'%.*s' is not an integer", (int)(n > 40 ? 40 : n), s);
	}
}

/* libcsv's field callback: checks and stores one cell of the current row. */
void part_field(void *data, size_t n, void *ctx)
{
	tl_part *p = ctx;
	const char *s = data ? data : "";
	size_t f = p->field++;
	long col = (long)f + 1;
	if (p->stop) return;
	if (f >= p->sc->ncsv) return;   /* ragged: reported at the end of the row */
	if (n > MAX_FIELD) { part_fatal(p, col, TL_TOOLONG); return; }
	size_t badbyte = p->utf8_suspect ? utf8_check((const unsigned char *)s, n) : 0;
	if (badbyte) {
		row_bad(p, col, s[badbyte - 1] ? "invalid UTF-8 at byte %zu of the field" : "NUL byte at byte %zu of the field", badbyte);
		return;
	}
	tl_colspec *cs = &p->sc->csv[f];
	if (cs->part) {
		trim(&s, &n);
		int64_t v = -1;   /* -1: the part is missing */
		if (!is_na(p->opts, s, n) && (parse_int(s, n, &v) < 0 || v < 0)) {
			row_bad(p, col, "'%.*s' is not a number for the date's %s", (int)n, s,
			        cs->part == 1 ? "year" : cs->part == 2 ? "month" : "day");
		}
		p->parts[cs->part - 1] = v;
	}
	if (p->bad) return;
	if (cs->col < 0) {   /* not stored, but a strict load still checks it */
		validate_field(p, cs, &p->memo[f], s, n, col);
		return;
	}
	tl_column *c = &p->store->cols[cs->col];
	size_t r = p->store->nrows;
	if (c->type != TL_TEXT) trim(&s, &n);
	int na = is_na(p->opts, s, n);
	switch (c->type) {
	case TL_TEXT:
		if (col_push_text(c, na ? "" : s, na ? 0 : n) < 0) part_fatal(p, col, NOMEM " (or the column passed 4 GiB of text)");
		break;
	case TL_CAT: {
		uint32_t code = TL_NA;
		if (!na) {
			if (cs->role == TL_ROLE_DIMENSION) code = dimension_code(p, c, &p->memo[f], s, n, col);
			else if (cs->role == TL_ROLE_COUNTRY) code = country_code(p, c, &p->memo[f], s, n, col);
			else if ((code = dict_intern(c->dict, s, n)) == TL_NA) part_fatal(p, col, NOMEM);
		}
		if (col_set_cat(c, r, code) < 0) part_fatal(p, col, NOMEM);
		break;
	}
	case TL_LIST:
		while (!na && n) {
			const char *semi = memchr(s, ';', n);
			size_t k = semi ? (size_t)(semi - s) : n;
			const char *v = s;
			size_t vn = k;
			trim(&v, &vn);
			if (vn && !is_na(p->opts, v, vn)) {
				uint32_t code = cs->role == TL_ROLE_COUNTRY ? country_code(p, c, &p->memo[f], v, vn, col)
				                                            : dict_intern(c->dict, v, vn);
				/* an unknown country was reported by country_code; for any other
				 * value TL_NA is memory running out, never a value to drop */
				if (code == TL_NA && cs->role != TL_ROLE_COUNTRY) part_fatal(p, col, NOMEM);
				if (code == TL_NA) break;
				if (col_push_val(c, code) < 0) { part_fatal(p, col, NOMEM " (or the column passed 4G values)"); break; }
			}
			if (!semi) break;
			s += k + 1;
			n -= k + 1;
		}
		break;
	case TL_DATE: {
		tl_date d = TL_DATE_NONE;
		const char *why = NULL;
		if (!na) {
			if (date_read(p, &p->memo[f], s, n, &d, &why) < 0) row_bad(p, col, "%s: '%.*s'", why, (int)(n > 40 ? 40 : n), s);
		}
		col_set_date(c, r, d);
		break;
	}
	case TL_INT: {
		int64_t v = 0;
		if (!na && parse_int(s, n, &v) < 0) row_bad(p, col, "'%.*s' is not an integer", (int)(n > 40 ? 40 : n), s);
		col_set_int(c, r, v, na);
		break;
	}
	}
}

/* Undoes what a rejected row pushed into list and text columns. */
static void row_rollback(tl_part *p)
{
	tl_store *s = p->store;
	for (size_t i = 0; i < s->ncols; i++) {
		tl_column *c = &s->cols[i];
		if (c->type == TL_LIST || c->type == TL_TEXT) c->nvals = c->offs[s->nrows];
	}
}

static void part_reject(tl_part *p, long line, long col, const char *msg)
{
	if (!p->opts->skip_bad) {
		if (!p->stop) {
			tl_fail(&p->err, p->path, line, col, "%s", msg);
			p->stop = 1;
		}
		return;
	}
	if (p->nrejected < MAX_REPORT) {
		tl_reject *rj = &p->rejects[p->nrejected];
		rj->line = line;
		rj->col = col;
		snprintf(rj->msg, sizeof rj->msg, "%s", msg);
	}
	p->nrejected++;
}

static void parts_clear(tl_part *p)
{
	for (int k = 0; k < 3; k++) p->parts[k] = -1;
}

/* The date of a row's split parts. A missing part (-1) is not known: a row
 * without any part has no date, a month or day needs a year, a day needs a month.
 * A part written as 0 is an error, not "unknown": day 0 is not a month-only date. */
static int split_date(tl_part *p, tl_date *d)
{
	static const char *names[3] = {"year", "month", "day"};
	const int64_t *v = p->parts;
	const char *why;
	if (v[0] < 0 && v[1] < 0 && v[2] < 0) return 0;
	for (int k = 0; k < 3; k++)
		if (v[k] == 0) {
			row_bad(p, p->sc->part_csv[k] + 1, "%s 0 in a split date", names[k]);
			return -1;
		}
	if (v[0] < 0) { row_bad(p, p->sc->part_csv[v[1] >= 0 ? 1 : 2] + 1, "a month or day without a year"); return -1; }
	if (v[1] < 0 && v[2] >= 0) { row_bad(p, p->sc->part_csv[2] + 1, "a day without a month"); return -1; }
	if (tl_date_from_parts((long)v[0], v[1] < 0 ? 0 : (long)v[1], v[2] < 0 ? 0 : (long)v[2], d, &why) < 0) {
		int k = v[0] > 9999 ? 0 : v[1] > 12 ? 1 : 2;   /* the part that is out of range */
		row_bad(p, p->sc->part_csv[k] + 1, "%s: %lld-%lld-%lld", why, (long long)v[0],
		        (long long)(v[1] < 0 ? 0 : v[1]), (long long)(v[2] < 0 ? 0 : v[2]));
		return -1;
	}
	return 0;
}

/* libcsv's row callback: completes or rejects the current row. */
void part_row(int term, void *ctx)
{
	tl_part *p = ctx;
	tl_store *s = p->store;
	size_t r = s->nrows;
	(void)term;
	p->at_row_start = 1;
	if (p->stop) return;
	/* a row of the wrong width is reported as such even when a cell of it failed
	 * first: a comma typed for ';' shifts every later cell into the wrong column,
	 * and "'SG' is not an integer" would send the reader to the wrong cell */
	if (p->field != p->sc->ncsv) {
		p->bad = 0;
		row_bad(p, (long)(p->field < p->sc->ncsv ? p->field : p->sc->ncsv + 1),
		        "row has %zu fields, the header has %zu", p->field, p->sc->ncsv);
	}
	if (!p->bad && p->sc->date_from_parts) {   /* checked even when the date is not kept */
		tl_date d = TL_DATE_NONE;
		if (split_date(p, &d) == 0 && p->sc->date_col >= 0) col_set_date(&s->cols[p->sc->date_col], r, d);
	}
	if (p->bad) {
		part_reject(p, p->row_line, p->bad_col, p->bad_msg);
		row_rollback(p);
	} else {
		for (size_t i = 0; i < s->ncols; i++) {
			tl_column *c = &s->cols[i];
			if (c->type == TL_LIST || c->type == TL_TEXT) col_end_row(c, r);
		}
		s->nrows++;
		if (s->nrows == p->cap) {
			p->cap *= 2;
			if (store_reserve(s, p->cap) < 0) { tl_fail(&p->err, p->path, p->row_line, 0, "out of memory"); p->stop = 1; }
		}
	}
	p->field = 0;
	p->bad = 0;
	parts_clear(p);
}

int part_init(tl_part *p, const tl_schema *sc, char **names, const tl_load_opts *o, const char *path)
{
	memset(p, 0, sizeof *p);
	p->sc = sc;
	p->opts = o;
	p->path = path;
	p->line = 1;
	p->at_row_start = 1;
	p->eol = '\n';
	parts_clear(p);
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return -1;
	csv_set_realloc_func(&p->csv, realloc);   /* tally's allocator (fault injection sees it) */
	csv_set_free_func(&p->csv, free);
	/* libcsv grows its field buffer by this much: the default 128 bytes makes a
	 * long field cost quadratic copying */
	csv_set_blk_size(&p->csv, 64 << 10);
	if (!sc) return 0;
	p->mem = load_mem(o);
	if (!(p->store = store_new_in(p->mem)) || schema_columns(sc, names, p->store) < 0) return -1;
	p->cap = 1024;
	if (store_reserve(p->store, p->cap) < 0) return -1;
	if (!(p->memo = tl_calloc(p->mem, sc->ncsv, sizeof *p->memo))) return -1;
	for (size_t i = 0; i < sc->ncsv; i++) {
		const tl_colspec *cs = &sc->csv[i];
		if (cs->role == TL_ROLE_COUNTRY || cs->role == TL_ROLE_DIMENSION) {
			if (memo_init(&p->memo[i], p->mem, 1, 256) < 0) return -1;
		} else if (cs->type == TL_DATE) {   /* ten years of days fit */
			if (memo_init(&p->memo[i], p->mem, 0, 8192) < 0) return -1;
		}
	}
	/* the cells part_field does something with: kept, split date parts, and
	 * typed cells a strict load checks (validate_field) */
	if (!(p->need = tl_calloc(p->mem, sc->ncsv, 1))) return -1;
	for (size_t i = 0; i < sc->ncsv; i++) {
		const tl_colspec *cs = &sc->csv[i];
		p->need[i] = cs->col >= 0 || cs->part ||
		             !(cs->type == TL_TEXT || (cs->role < 0 && (cs->type == TL_CAT || cs->type == TL_LIST)));
	}
	p->scan = !o->no_scanner;
	return 0;
}

void part_free(tl_part *p)
{
	csv_free(&p->csv);
	tl_mem_give(p->mem, p->csvbuf);
	p->csvbuf = 0;
	store_free(p->store);
	if (p->memo && p->sc)
		for (size_t i = 0; i < p->sc->ncsv; i++) memo_free(&p->memo[i]);
	tl_free(p->mem, p->memo);
	tl_free(p->mem, p->need);
	tl_free(p->mem, p->unq);
	p->store = NULL;
	p->memo = NULL;
	p->need = NULL;
	p->unq = NULL;
}


/* -------------------------------------------------------------- the loader */

void load_progress(tl_part *p)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double t = (double)(now.tv_sec - p->t0.tv_sec) + (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9;
	if (t < 1.0 || !p->total) return;
	fprintf(stderr, "\rtally: loading %s: %3.0f%% (%zu MB)", p->path,
	        100.0 * (double)(p->bytes_done * p->progress) / (double)p->total, p->bytes_done * p->progress >> 20);
	p->progress_shown = 1;
}

/* ------------------------------------------------- a file that shrinks */

/* The body is read through a mapping: when another process truncates the file
 * during the load, reading a page past the new end raises SIGBUS. A handler
 * turns that into a data error of the part that was reading, through a jump
 * buffer per thread; a SIGBUS anywhere else keeps its default action. */
static __thread sigjmp_buf *bus_jump;

#define SHRANK "the file shrank while it was read (another program truncated or rewrote it)"

static void on_sigbus(int sig)
{
	if (bus_jump) siglongjmp(*bus_jump, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void sigbus_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* Runs f(arg) with SIGBUS made a return of -1 (the mask is restored by the jump). */
static int bus_guard(void (*f)(void *), void *arg)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sigjmp_buf jb;
	pthread_once(&once, sigbus_install);
	if (sigsetjmp(jb, 1)) {
		bus_jump = NULL;
		return -1;
	}
	bus_jump = &jb;
	f(arg);
	bus_jump = NULL;
	return 0;
}

static void run_job(void *arg)
{
	tl_part_job *j = arg;
	part_run(j->part, j->buf, j->n, j->last);
}

/* part_run, with a file truncated under it reported as the part's error. */
static void part_run_guarded(tl_part *p, const char *buf, size_t n, int last)
{
	tl_part_job j = {p, buf, n, last};
	if (bus_guard(run_job, &j) < 0 && !p->stop) {
		tl_fail(&p->err, p->path, p->line, 0, SHRANK);
		p->stop = 1;
	}
}

typedef struct header_job {
	const char *buf;
	size_t      n;
	const char *path;
	char     ***names;
	size_t     *nnames;
	long       *lines;
	tl_error   *err;
	size_t      used;
} header_job;

static void run_header(void *arg)
{
	header_job *h = arg;
	h->used = header_parse(h->buf, h->n, h->path, h->names, h->nnames, h->lines, h->err);
}

static void *part_thread(void *arg)
{
	tl_part_job *j = arg;
	part_run_guarded(j->part, j->buf, j->n, 1);
	return NULL;
}

/* Reports rejected rows of a --skip-bad load: the count and the first ones. */
static void report_rejects(const tl_load_opts *o, const char *path, tl_part **parts, int nparts)
{
	FILE *f = o->report ? o->report : stderr;
	size_t total = 0, shown = 0;
	for (int i = 0; i < nparts; i++) total += parts[i]->nrejected;
	if (!total) return;
	fprintf(f, "tally: %s: skipped %zu bad row%s\n", path, total, total == 1 ? "" : "s");
	for (int i = 0; i < nparts; i++)
		for (size_t k = 0; k < parts[i]->nrejected && k < MAX_REPORT && shown < MAX_REPORT; k++, shown++) {
			tl_reject *rj = &parts[i]->rejects[k];
			fprintf(f, "  %s:%ld:%ld: %s\n", path, rj->line, rj->col, rj->msg);
		}
	if (total > shown) fprintf(f, "  ... and %zu more\n", total - shown);
}

/* Line ends are looked for this far only: a file that is one long line (a field
 * is refused after its first MiB) would otherwise have its pages read into memory
 * by the search, 200 MB for a 200 MB field. */
enum { EOL_PROBE = 16u << 20 };

/* Where the second half starts: after the first newline past the middle, if one
 * comes within EOL_PROBE of it (else one part reads the whole body). */
static size_t split_point(const char *body, size_t n, char eol)
{
	size_t k = n - n / 2 < EOL_PROBE ? n - n / 2 : EOL_PROBE;
	const char *nl = memchr(body + n / 2, eol, k);
	return nl ? (size_t)(nl - body) + 1 : n;
}

/* The body's shape: its line end, and where a second part would start. A file
 * whose body has no LF in its first EOL_PROBE bytes but a CR ends its lines with
 * CR alone (old Mac files): lines are counted by CR then, or every error would be
 * on line 1. */
typedef struct shape_job {
	const char *body;
	size_t      n, mid;
	int         two;
	char        eol;
} shape_job;

static void run_shape(void *arg)
{
	shape_job *j = arg;
	size_t k = j->n < EOL_PROBE ? j->n : EOL_PROBE;
	j->eol = memchr(j->body, '\n', k) || !memchr(j->body, '\r', k) ? '\n' : '\r';
	j->mid = j->two ? split_point(j->body, j->n, j->eol) : j->n;
}

static int nthreads(const tl_load_opts *o)
{
	if (o->threads > 0) return o->threads > 2 ? 2 : o->threads;
	long c = sysconf(_SC_NPROCESSORS_ONLN);
	return c >= 2 ? 2 : 1;
}

/* Parses the body (after the header) in one or two parts into one store. */
static tl_store *load_body(const char *path, const char *body, size_t n, long first_line,
                           const tl_schema *sc, char **names, const tl_load_opts *o, tl_error *err)
{
	tl_part a, b;
	tl_part *parts[2] = {&a, &b};
	int two = nthreads(o) == 2 && n > (o->split_min ? o->split_min : 8u << 20), nparts = 1;
	shape_job shape = {body, n, n, two, '\n'};
	size_t mid;
	tl_store *out = NULL;
	pthread_t th;
	tl_part_job jb;
	int started = 0;

	memset(&b, 0, sizeof b);
	if (part_init(&a, sc, names, o, path) < 0) { tl_fail(err, path, 0, 0, "out of memory"); goto out; }
	if (bus_guard(run_shape, &shape) < 0) { tl_fail(err, path, first_line, 0, SHRANK); goto out; }
	mid = shape.mid;
	a.eol = shape.eol;
	if (a.eol != '\n') a.scan = 0;   /* the scanner's records end with LF: it would look for one to the end of the file at every record */
	a.line = first_line;
	a.total = n;
	a.progress = isatty(2) ? (two ? 2 : 1) : 0;
	clock_gettime(CLOCK_MONOTONIC, &a.t0);
	if (two && mid < n) {
		if (part_init(&b, sc, names, o, path) < 0) { tl_fail(err, path, 0, 0, "out of memory"); goto out; }
		b.eol = shape.eol;
		b.scan = a.scan;
		jb = (tl_part_job){&b, body + mid, n - mid, 1};
		started = pthread_create(&th, NULL, part_thread, &jb) == 0;
		if (!started) {   /* no second thread: the first part reads the whole body */
			part_free(&b);
			mid = n;
		}
	}
	part_run_guarded(&a, body, mid, !started);
	if (started) {
		pthread_join(th, NULL);
		if (a.stop) goto done;
		/* the split fell inside a quoted field: parse the rest again, in order */
		if (!a.at_row_start || a.csv.pstate != 0) {
			part_free(&b);
			part_run_guarded(&a, body + mid, n - mid, 1);
		} else {
			b.line += a.line - 1;   /* b counted lines from 1 */
			for (size_t k = 0; k < b.nrejected && k < MAX_REPORT; k++) b.rejects[k].line += a.line - 1;
			if (b.stop) {
				b.err.line += a.line - 1;
				*err = b.err;
				goto out_free;
			}
			/* the halves cut to their size first: a merge then holds the result
			 * and what is left of b, not their doubled reserves as well */
			store_trim(a.store);
			store_trim(b.store);
			if (store_absorb(a.store, b.store, err) < 0) goto out_free;
			nparts = 2;
		}
	}
done:
	if (a.progress_shown) fprintf(stderr, "\r\033[K");
	if (a.stop) { *err = a.err; goto out_free; }
	report_rejects(o, path, parts, nparts);
	a.store->rejected = a.nrejected + (nparts == 2 ? b.nrejected : 0);
	store_trim(a.store);
	out = a.store;
	a.store = NULL;
out_free:
	part_free(&b);
out:
	part_free(&a);
	return out;
}

/* The options with a vocabulary when a column holds countries to look up: the
 * vocabulary is read only then, so loads without countries (and cached loads)
 * never parse iso-codes. Returns o, or a filled copy in *ov, or NULL with err. */
static const tl_load_opts *with_vocab(const tl_schema *sc, const tl_load_opts *o, tl_load_opts *ov,
                                      tl_error *err)
{
	if (o->vocab || o->country_codes == TL_CC_RAW) return o;
	for (size_t i = 0; i < sc->ncsv; i++) {
		if (sc->csv[i].role != TL_ROLE_COUNTRY) continue;
		*ov = *o;
		if (!o->ctx) {
			tl_fail(err, NULL, 0, 0, "a column holds countries and there is no vocabulary to look them up in");
			return NULL;
		}
		return (ov->vocab = tl_ctx_vocab(o->ctx, err)) ? ov : NULL;
	}
	return o;
}

tl_mem *load_mem(const tl_load_opts *o)
{
	return o->ctx ? &o->ctx->mem : NULL;
}

size_t load_mem_refusals(const tl_load_opts *o)
{
	tl_mem *m = load_mem(o);
	return m ? __atomic_load_n(&m->refusals, __ATOMIC_RELAXED) : 0;
}

void load_mem_error(const tl_load_opts *o, size_t before, const char *path, tl_error *err)
{
	tl_mem *m = load_mem(o);
	char cap[96];
	long line = err->line;
	if (!m || load_mem_refusals(o) == before) return;
	if (m->limit[0]) snprintf(cap, sizeof cap, "%s", m->limit);
	else snprintf(cap, sizeof cap, "%zu bytes", m->cap);
	tl_fail(err, path, line, 0, "memory limit exceeded while loading (%s): the load stopped before the file was read whole", cap);
}

tl_store *tl_load_csv(const char *path, const tl_load_opts *opts, tl_error *err)
{
	const tl_load_opts *o = opts;   /* with_vocab may fill a copy, or fail with NULL */
	int fd = -1;
	struct stat st;
	char *map = NULL, **names = NULL;
	size_t nnames = 0, len = 0, used;
	long lines;
	tl_schema sc;
	tl_store *s = NULL;
	const char *buf;
	tl_load_opts ov;
	header_job hj;
	size_t refusals = load_mem_refusals(o);

	memset(&sc, 0, sizeof sc);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		tl_fail(err, path, 0, 0, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) { tl_fail(err, path, 0, 0, "not a regular file"); goto out; }
	len = (size_t)st.st_size;
	if (len == 0) { tl_fail(err, path, 1, 0, "empty file: no header line"); goto out; }
	if ((map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		map = NULL;
		tl_fail(err, path, 0, 0, "%s", strerror(errno));
		goto out;
	}
	/* advice values are not flags: one call each. Read ahead, front to back; and
	 * map no huge page of the file, which the kernel maps whole (2 MiB of RSS
	 * at a time) when the page cache holds it so, as it does for a file written
	 * just before: the pages given back every 1024 lines would come back by two
	 * MiB a part */
	madvise(map, len, MADV_SEQUENTIAL);
	madvise(map, len, MADV_WILLNEED);
	madvise(map, len, MADV_NOHUGEPAGE);
	buf = map;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) buf += 3, len -= 3;   /* UTF-8 BOM */
	hj = (header_job){buf, len, path, &names, &nnames, &lines, err, 0};
	if (bus_guard(run_header, &hj) < 0) {
		tl_fail(err, path, 1, 0, SHRANK);
		goto out;
	}
	if ((used = hj.used) == (size_t)-1) goto out;
	if (schema_build(&sc, names, nnames, o, path, err) < 0) goto out;
	if (!(o = with_vocab(&sc, o, &ov, err))) goto out;
	s = load_body(path, buf + used, len - used, lines + 1, &sc, names, o, err);
	if (s) {   /* the store keeps the header so errors can list every field */
		s->header = names;
		s->nheader = nnames;
		names = NULL;
		nnames = 0;
		if (!(s->source = strdup(path))) { store_free(s); s = NULL; tl_fail(err, path, 0, 0, "out of memory"); }
	}
out:
	if (!s) load_mem_error(opts, refusals, path, err);
	schema_free(&sc);
	header_free(names, nnames);
	if (map) munmap(map, (size_t)st.st_size);
	if (fd >= 0) close(fd);
	return s;
}
