/* The columnar cache: loaded columns saved under the user's cache directory, so
 * that a second run on an unchanged file does not parse it again.
 *
 * A cache entry is a directory named by a key over the file's identity (real
 * path, device, inode, size, mtime and ctime: any write changes ctime, which no
 * user can set back), a hash of sampled content, the loading options and the
 * vocabulary files. It holds `meta` (rows, rejected rows, the header) and one
 * file per column; a load that keeps only some columns caches only those, and a
 * later load that needs a missing column parses the file again. Every file is
 * written to a temporary name and renamed, so a reader never sees half of one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tally/load.h"
#include "load/load_int.h"

#define CACHE_MAGIC "TALLYC06"   /* 06: a checksum ends every file */
#define CACHE_MIN_SIZE (256 << 10)   /* bytes; TALLY_CACHE_MIN overrides (tests) */

/* FNV-1a over 64 bits, fed piece by piece. */
static uint64_t hash_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	return hash_add(h, s ? s : "\x01", s ? strlen(s) + 1 : 1);
}

/* 16 samples of 4 KiB spread over the file. */
static uint64_t hash_content(uint64_t h, int fd, off_t size)
{
	char buf[4096];
	for (int i = 0; i < 16; i++) {
		off_t at = size > (off_t)sizeof buf ? (off_t)((size - (off_t)sizeof buf) / 15 * i) : 0;
		ssize_t n = pread(fd, buf, sizeof buf, at);
		if (n > 0) h = hash_add(h, buf, (size_t)n);
		if (size <= (off_t)sizeof buf) break;
	}
	return h;
}

/* A file that changes what a load gives, known by its inode and times. */
static uint64_t hash_stat(uint64_t h, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		h = hash_add(h, &st.st_ino, sizeof st.st_ino);
		h = hash_add(h, &st.st_size, sizeof st.st_size);
		h = hash_add(h, &st.st_mtim, sizeof st.st_mtim);
		h = hash_add(h, &st.st_ctim, sizeof st.st_ctim);
	}
	return h;
}

static uint64_t cache_file_sum(const char *path);

/* A small file that changes what a load gives, known by its content: a copy
 * that keeps the times (cp -p, an unpacked archive) still changes the key. */
static uint64_t hash_file(uint64_t h, const char *path)
{
	uint64_t sum = cache_file_sum(path);
	return hash_add(h, &sum, sizeof sum);
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/') continue;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST) { *p = '/'; return -1; }
		*p = '/';
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The entry directory for path loaded with o; -1 when there is no cache to use. */
static int cache_dir(const char *path, const tl_load_opts *o, char *dir, size_t n)
{
	const char *root = o->ctx ? o->ctx->cache_dir : NULL;
	char real[PATH_MAX], data[PATH_MAX + 64];
	struct stat st;
	int fd;
	uint64_t h = 14695981039346656037ull;
	const char *min = getenv("TALLY_CACHE_MIN");
	off_t min_size = min && *min ? (off_t)atoll(min) : CACHE_MIN_SIZE;
	/* the cache directory and the vocabulary files the key covers are the context's */
	if (!o->ctx || !o->ctx->cache_dir[0] || !realpath(path, real)) return -1;
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) < 0) return -1;
	/* a small file parses faster than its cache entry can be found and read */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < min_size) { close(fd); return -1; }
	h = hash_str(h, CACHE_MAGIC TALLY_VERSION);
	h = hash_str(h, real);
	h = hash_add(h, &st.st_dev, sizeof st.st_dev);
	h = hash_add(h, &st.st_ino, sizeof st.st_ino);
	h = hash_add(h, &st.st_size, sizeof st.st_size);
	h = hash_add(h, &st.st_mtim, sizeof st.st_mtim);
	h = hash_add(h, &st.st_ctim, sizeof st.st_ctim);
	h = hash_content(h, fd, st.st_size);
	close(fd);
	const char *opt[] = {o->map_date, o->map_country, o->map_dimension, o->map_year, o->map_month,
	                     o->map_day, o->date_format};
	for (size_t i = 0; i < sizeof opt / sizeof *opt; i++) h = hash_str(h, opt[i]);
	for (int i = 0; i < o->nna; i++) h = hash_str(h, o->na[i]);
	h = hash_add(h, &o->nna, sizeof o->nna);
	h = hash_add(h, &o->skip_bad, sizeof o->skip_bad);
	h = hash_add(h, &o->country_codes, sizeof o->country_codes);
	/* another build may load differently: the binary's, or tally.so's, own file */
	h = hash_stat(h, o->ctx->code[0] ? o->ctx->code : "/proc/self/exe");
	/* the vocabulary: country names, aliases and status resolve country cells */
	snprintf(data, sizeof data, "%s/data/country-aliases.tsv", o->ctx->home);
	h = hash_file(h, data);
	snprintf(data, sizeof data, "%s/data/cica-status.tsv", o->ctx->home);
	h = hash_file(h, data);
	snprintf(data, sizeof data, "%s/data/fips-iso.tsv", o->ctx->home);
	h = hash_file(h, data);
	h = vocab_iso_path(data, sizeof data) ? hash_file(h, data) : h;
	return snprintf(dir, n, "%s/%016llx", root, (unsigned long long)h) < (int)n ? 0 : -1;
}

/* A column's file name: its name in hex, so any header text is a safe name. */
static void column_file(char *buf, size_t n, const char *dir, const char *name)
{
	size_t k = (size_t)snprintf(buf, n, "%s/c-", dir);
	for (const unsigned char *s = (const unsigned char *)name; *s && k + 3 < n; s++)
		k += (size_t)snprintf(buf + k, n - k, "%02x", *s);
}

/* ------------------------------------------------------------ the checksum */

/* Every cache file ends with a 64-bit sum of all its bytes before it, so that a
 * file damaged on disk (or by hand) is dropped rather than trusted: a code out of
 * range would count the wrong country, a bad offset read out of bounds. The sum
 * runs over the byte stream in 8-byte words, whatever the pieces it came in, in
 * four lanes so that a warm load of a large entry pays little for it. */
typedef struct cache_sum {
	uint64_t      lane[4];   /* word i goes to lane i % 4: four chains run side by side */
	uint64_t      nwords;
	unsigned char pend[8];
	size_t        npend;
} cache_sum;

static uint64_t sum_word(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static void sum_init(cache_sum *cs)
{
	memset(cs, 0, sizeof *cs);
	for (int k = 0; k < 4; k++) cs->lane[k] = 14695981039346656037ull + (uint64_t)k;
}

static void sum_one(cache_sum *cs, const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, 8);
	cs->lane[cs->nwords & 3] = sum_word(cs->lane[cs->nwords & 3], w);
	cs->nwords++;
}

static void sum_add(cache_sum *cs, const void *p, size_t n)
{
	const unsigned char *s = p;
	while (n && cs->npend) {   /* finish a pending word first */
		cs->pend[cs->npend++] = *s++, n--;
		if (cs->npend == 8) {
			sum_one(cs, cs->pend);
			cs->npend = 0;
		}
	}
	for (; n >= 8 && (cs->nwords & 3); s += 8, n -= 8) sum_one(cs, s);
	for (; n >= 32; s += 32, n -= 32, cs->nwords += 4) {
		uint64_t w[4];
		memcpy(w, s, 32);
		for (int k = 0; k < 4; k++) cs->lane[k] = sum_word(cs->lane[k], w[k]);
	}
	for (; n >= 8; s += 8, n -= 8) sum_one(cs, s);
	if (n) {   /* here the pending word is empty */
		memcpy(cs->pend, s, n);
		cs->npend = n;
	}
}

static uint64_t sum_end(const cache_sum *cs)
{
	uint64_t w = 0, h = cs->lane[0];
	memcpy(&w, cs->pend, cs->npend);
	for (int k = 1; k < 4; k++) h = sum_word(h, cs->lane[k]);
	return sum_word(sum_word(sum_word(h, w), cs->npend), cs->nwords);
}

uint64_t cache_checksum(const void *p, size_t n)
{
	cache_sum cs;
	sum_init(&cs);
	sum_add(&cs, p, n);
	return sum_end(&cs);
}

/* The sum of a whole file; 0 when it cannot be read (which is part of the key too). */
static uint64_t cache_file_sum(const char *path)
{
	char buf[65536];
	cache_sum cs;
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f) return 0;
	sum_init(&cs);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) sum_add(&cs, buf, n);
	fclose(f);
	return sum_end(&cs);
}

/* ------------------------------------------------------------------ writing */

typedef struct writer {
	FILE     *f;
	cache_sum sum;
	int       ok;
} writer;

static void put(writer *w, const void *p, size_t n)
{
	if (!n || !w->ok) return;
	sum_add(&w->sum, p, n);
	if (fwrite(p, 1, n, w->f) != n) w->ok = 0;
}

static void put_u64(writer *w, uint64_t v) { put(w, &v, sizeof v); }

/* The sum goes last, outside itself. */
static void put_sum(writer *w)
{
	uint64_t h = sum_end(&w->sum);
	if (w->ok && fwrite(&h, 1, sizeof h, w->f) != sizeof h) w->ok = 0;
}

/* Writes to tmp, then renames onto path; removes tmp on failure. */
static FILE *open_tmp(const char *path, char *tmp, size_t n)
{
	snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
	return fopen(tmp, "wb");
}

static int close_tmp(FILE *f, const char *tmp, const char *path, int ok)
{
	if (fclose(f) != 0) ok = 0;
	if (ok && rename(tmp, path) == 0) return 0;
	unlink(tmp);
	return -1;
}

static int write_column(const char *file, const tl_column *c, size_t nrows)
{
	char tmp[PATH_MAX + 700];
	writer w = {.f = open_tmp(file, tmp, sizeof tmp), .ok = 1};
	if (!w.f) return -1;
	sum_init(&w.sum);
	uint32_t ndict = c->dict ? c->dict->n : 0;
	put(&w, CACHE_MAGIC, 8);
	put_u64(&w, (uint64_t)c->type);
	put_u64(&w, nrows);
	put_u64(&w, c->nvals);
	put_u64(&w, ndict);
	for (uint32_t k = 0; k < ndict; k++) {
		put_u64(&w, c->dict->len[k]);
		put(&w, c->dict->str[k], c->dict->len[k]);
	}
	switch (c->type) {
	case TL_CAT:
		put_u64(&w, c->small ? 1 : 4);
		if (c->small) put(&w, c->small, nrows);
		else put(&w, c->codes, nrows * 4);
		break;
	case TL_LIST:
		put_u64(&w, c->small ? 1 : 4);
		put(&w, c->offs, (nrows + 1) * 4);
		if (c->small) put(&w, c->small, c->nvals);
		else put(&w, c->codes, c->nvals * 4);
		break;
	case TL_TEXT: put(&w, c->offs, (nrows + 1) * 4); put(&w, c->arena, c->nvals); break;
	case TL_DATE: put(&w, c->dates, nrows * 4); break;
	case TL_INT: put(&w, c->ints, nrows * 8); put(&w, c->nulls, (nrows + 7) / 8); break;
	}
	put_sum(&w);
	return close_tmp(w.f, tmp, file, w.ok);
}

static void cache_write(const char *dir, const tl_store *s, const char *report, size_t nreport)
{
	char d[PATH_MAX], file[PATH_MAX + 600], tmp[PATH_MAX + 640];
	writer w = {.f = NULL, .ok = 1};
	snprintf(d, sizeof d, "%s", dir);
	if (mkdirs(d) < 0) return;
	for (size_t i = 0; i < s->ncols; i++) {
		column_file(file, sizeof file, dir, s->cols[i].name);
		if (access(file, F_OK) == 0) continue;   /* columns are written once per entry */
		if (write_column(file, &s->cols[i], s->nrows) < 0) return;
	}
	/* meta last: an entry without it is never read */
	snprintf(file, sizeof file, "%s/meta", dir);
	if (!(w.f = open_tmp(file, tmp, sizeof tmp))) return;
	sum_init(&w.sum);
	put(&w, CACHE_MAGIC, 8);
	put_u64(&w, s->nrows);
	put_u64(&w, s->rejected);
	put_u64(&w, s->nheader);
	for (size_t i = 0; i < s->nheader; i++) {
		size_t n = strlen(s->header[i]);
		put_u64(&w, n);
		put(&w, s->header[i], n);
	}
	put_u64(&w, nreport);
	put(&w, report, nreport);
	put_sum(&w);
	close_tmp(w.f, tmp, file, w.ok);
}

/* ------------------------------------------------------------------ reading */

/* A file read front to back, never past its size: a count read from a damaged
 * file cannot make a large allocation, since the bytes must be there first. */
typedef struct reader {
	FILE     *f;
	size_t    left;   /* bytes not yet read, the trailing sum included */
	cache_sum sum;
} reader;

static int get(reader *r, void *p, size_t n)
{
	if (!n) return 0;
	if (n > r->left || fread(p, 1, n, r->f) != n) return -1;
	r->left -= n;
	sum_add(&r->sum, p, n);
	return 0;
}

static int get_u64(reader *r, uint64_t *v) { return get(r, v, sizeof *v); }

/* Reads n bytes into a fresh allocation; NULL when the file is shorter. */
static void *get_alloc(reader *r, tl_mem *m, uint64_t n)
{
	if (n > r->left) return NULL;
	void *p = tl_malloc(m, n ? n : 1);
	if (p && get(r, p, n) < 0) { tl_free(m, p); return NULL; }
	return p;
}

/* The trailing sum matches and nothing follows it. */
static int get_sum(reader *r)
{
	uint64_t h;
	return r->left == sizeof h && fread(&h, 1, sizeof h, r->f) == sizeof h && h == sum_end(&r->sum) ? 0 : -1;
}

/* Offsets start at 0, never go back and end at the number of values. */
static int offsets_ok(const uint32_t *offs, size_t nrows, uint64_t nvals)
{
	if (offs[0] != 0 || offs[nrows] != nvals) return 0;
	for (size_t r = 0; r < nrows; r++)
		if (offs[r] > offs[r + 1]) return 0;
	return 1;
}

/* Codes name a dictionary string (or are missing, where allowed). */
static int codes_ok(const tl_column *c, size_t n, uint32_t ndict, int na_ok)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v = c->small ? c->small[i] : c->codes[i];
		if (v < ndict) continue;
		if (!na_ok || v != (c->small ? 255u : TL_NA)) return 0;
	}
	return 1;
}

/* A date is missing, or one tl_date_make could have made. */
static int dates_ok(const tl_date *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i] == TL_DATE_NONE) continue;
		int y = tl_date_year(d[i]), m = tl_date_month(d[i]), day = tl_date_day(d[i]), prec = tl_date_prec(d[i]);
		if (d[i] < 0 || y < 1 || y > 9999 || tl_date_make(y, m, day, prec) != d[i]) return 0;
		if (prec == TL_PREC_DAY ? day < 1 || day > tl_days_in_month(y, m) : day != 0) return 0;
	}
	return 1;
}

/* Reads one column saved by write_column into c, an empty column of the
 * expected type; size is the file's size. 0, or -1 when the file is damaged
 * (c may then hold part of it: the caller frees the store). */
int cache_read_column(FILE *f, size_t size, tl_column *c, size_t nrows)
{
	reader r = {.f = f, .left = size};
	char magic[8];
	uint64_t type, rows, nvals, ndict, width = 0;
	sum_init(&r.sum);
	if (get(&r, magic, 8) || memcmp(magic, CACHE_MAGIC, 8) || get_u64(&r, &type) || get_u64(&r, &rows) ||
	    get_u64(&r, &nvals) || get_u64(&r, &ndict) || type != (uint64_t)c->type || rows != nrows ||
	    nvals > UINT32_MAX || ndict > UINT32_MAX - 1 || (ndict && !c->dict))
		return -1;
	for (uint64_t k = 0; k < ndict; k++) {
		char buf[4096];
		uint64_t len;
		if (get_u64(&r, &len) || len >= sizeof buf || get(&r, buf, len)) return -1;
		if (dict_intern(c->dict, buf, len) != k) return -1;   /* a string twice, or no memory */
	}
	if ((c->type == TL_CAT || c->type == TL_LIST) && (get_u64(&r, &width) || (width != 1 && width != 4)))
		return -1;
	if (c->type != TL_LIST && c->type != TL_TEXT && nvals) return -1;
	c->cap = nrows;
	switch (c->type) {
	case TL_CAT:
		tl_free(c->mem, c->small);
		c->small = NULL;
		if (width == 1 ? !(c->small = get_alloc(&r, c->mem, nrows)) : !(c->codes = get_alloc(&r, c->mem, (uint64_t)nrows * 4)))
			return -1;
		if (!codes_ok(c, nrows, (uint32_t)ndict, 1)) return -1;
		break;
	case TL_LIST:
		tl_free(c->mem, c->offs);
		if (!(c->offs = get_alloc(&r, c->mem, ((uint64_t)nrows + 1) * 4))) return -1;
		if (width == 1 ? !(c->small = get_alloc(&r, c->mem, nvals)) : !(c->codes = get_alloc(&r, c->mem, nvals * 4))) return -1;
		c->nvals = nvals;
		c->vcap = nvals;
		if (!offsets_ok(c->offs, nrows, nvals) || !codes_ok(c, nvals, (uint32_t)ndict, 0)) return -1;
		break;
	case TL_TEXT:
		tl_free(c->mem, c->offs);
		if (!(c->offs = get_alloc(&r, c->mem, ((uint64_t)nrows + 1) * 4)) || !(c->arena = get_alloc(&r, c->mem, nvals))) return -1;
		c->nvals = nvals;
		c->vcap = nvals;
		if (!offsets_ok(c->offs, nrows, nvals)) return -1;
		break;
	case TL_DATE:
		if (!(c->dates = get_alloc(&r, c->mem, (uint64_t)nrows * 4)) || !dates_ok(c->dates, nrows)) return -1;
		break;
	case TL_INT:
		if (!(c->ints = get_alloc(&r, c->mem, (uint64_t)nrows * 8)) || !(c->nulls = get_alloc(&r, c->mem, ((uint64_t)nrows + 7) / 8)))
			return -1;
		break;
	}
	return get_sum(&r);
}

/* A column file: 0, 1 when there is none (the entry lacks that column), or -1
 * when it is damaged. */
static int read_column(const char *file, tl_column *c, size_t nrows)
{
	FILE *f = fopen(file, "rb");
	struct stat st;
	int rc;
	if (!f) return errno == ENOENT ? 1 : -1;
	rc = fstat(fileno(f), &st) == 0 ? cache_read_column(f, (size_t)st.st_size, c, nrows) : -1;
	fclose(f);
	return rc;
}

/* Removes a damaged entry, so that the load that follows writes it anew. */
static void cache_drop(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char file[PATH_MAX + 300];
	if (!d) return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
			unlink(file);
		}
	closedir(d);
	rmdir(dir);
}

/* Builds the store from the entry when it holds every column the load keeps.
 * *damaged is set when a file of the entry is not what cache_write wrote. */
static tl_store *cache_read(const char *dir, const char *path, const tl_load_opts *o, char **report,
                            size_t *nreport, int *damaged)
{
	char file[PATH_MAX + 600], magic[8];
	reader r = {.f = NULL, .left = 0};
	struct stat st;
	uint64_t nrows, rejected, nheader, nrep;
	char **names = NULL;
	size_t nnames = 0;
	tl_store *s = NULL;
	tl_schema sc;
	tl_error err;

	*damaged = 0;
	memset(&sc, 0, sizeof sc);
	sum_init(&r.sum);
	snprintf(file, sizeof file, "%s/meta", dir);
	if (!(r.f = fopen(file, "rb"))) return NULL;
	*damaged = 1;   /* until the meta file has been read whole */
	if (fstat(fileno(r.f), &st) < 0) goto fail;
	r.left = (size_t)st.st_size;
	if (get(&r, magic, 8) || memcmp(magic, CACHE_MAGIC, 8) || get_u64(&r, &nrows) || get_u64(&r, &rejected) ||
	    get_u64(&r, &nheader) || nheader > r.left / 8 || nrows > UINT32_MAX ||
	    !(names = calloc(nheader + 1, sizeof *names)))
		goto fail;
	for (; nnames < nheader; nnames++) {
		uint64_t len;
		if (get_u64(&r, &len) || len > r.left || !(names[nnames] = calloc(len + 1, 1)) || get(&r, names[nnames], len) ||
		    strlen(names[nnames]) != len)
			goto fail;
	}
	if (get_u64(&r, &nrep) || !(*report = get_alloc(&r, NULL, nrep)) || get_sum(&r) < 0) goto fail;
	*nreport = nrep;
	fclose(r.f);
	r.f = NULL;
	*damaged = 0;
	if (schema_build(&sc, names, nnames, o, path, &err) < 0) goto fail;
	if (!(s = store_new_in(load_mem(o))) || schema_columns(&sc, names, s) < 0) goto fail;
	for (size_t i = 0; i < s->ncols; i++) {
		int rc;
		column_file(file, sizeof file, dir, s->cols[i].name);
		if ((rc = read_column(file, &s->cols[i], nrows)) != 0) { *damaged = rc < 0; goto fail; }
	}
	s->nrows = nrows;
	s->rejected = rejected;
	s->header = names;
	s->nheader = nnames;
	if (!(s->source = strdup(path))) { s->header = NULL; s->nheader = 0; goto fail; }
	schema_free(&sc);
	return s;
fail:
	if (r.f) fclose(r.f);
	free(*report);
	*report = NULL;
	schema_free(&sc);
	store_free(s);
	header_free(names, nnames);
	return NULL;
}

tl_store *tl_load_cached(const char *path, const tl_load_opts *o, tl_error *err)
{
	char dir[PATH_MAX];
	const char *off = getenv("TALLY_NO_CACHE");
	char *report = NULL;
	size_t nreport = 0;
	FILE *out = o->report ? o->report : stderr, *mem;
	tl_load_opts o2 = *o;
	tl_store *s;
	int damaged;
	size_t refusals = load_mem_refusals(o);
	if (o->no_cache || (off && *off && strcmp(off, "0")) || cache_dir(path, o, dir, sizeof dir) < 0)
		return tl_load_csv(path, o, err);
	/* the report of skipped rows is kept with the entry: a cached load repeats it */
	if ((s = cache_read(dir, path, o, &report, &nreport, &damaged))) {
		fwrite(report, 1, nreport, out);
		free(report);
		return s;
	}
	if (load_mem_refusals(o) != refusals) {   /* the entry is sound: the cap refused it */
		load_mem_error(o, refusals, path, err);
		return NULL;
	}
	if (damaged) cache_drop(dir);
	if (!(mem = open_memstream(&report, &nreport))) return tl_load_csv(path, o, err);
	o2.report = mem;
	s = tl_load_csv(path, &o2, err);
	fclose(mem);
	fwrite(report, 1, nreport, out);
	if (s) cache_write(dir, s, report, nreport);
	free(report);
	return s;
}
