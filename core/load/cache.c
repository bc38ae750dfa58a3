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

#define CACHE_MAGIC "TALLYC05"
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

static uint64_t hash_stat(uint64_t h, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		h = hash_add(h, &st.st_size, sizeof st.st_size);
		h = hash_add(h, &st.st_mtim, sizeof st.st_mtim);
	}
	return h;
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
	h = hash_stat(h, "/proc/self/exe");   /* another build may load differently */
	snprintf(data, sizeof data, "%s/data/country-aliases.tsv", o->ctx->home);
	h = hash_stat(h, data);
	snprintf(data, sizeof data, "%s/data/cica-status.tsv", o->ctx->home);
	h = hash_stat(h, data);
	snprintf(data, sizeof data, "%s/data/fips-iso.tsv", o->ctx->home);
	h = hash_stat(h, data);
	return snprintf(dir, n, "%s/%016llx", root, (unsigned long long)h) < (int)n ? 0 : -1;
}

/* A column's file name: its name in hex, so any header text is a safe name. */
static void column_file(char *buf, size_t n, const char *dir, const char *name)
{
	size_t k = (size_t)snprintf(buf, n, "%s/c-", dir);
	for (const unsigned char *s = (const unsigned char *)name; *s && k + 3 < n; s++)
		k += (size_t)snprintf(buf + k, n - k, "%02x", *s);
}

/* ------------------------------------------------------------------ writing */

static int put(FILE *f, const void *p, size_t n) { return n && fwrite(p, 1, n, f) != n ? -1 : 0; }
static int put_u64(FILE *f, uint64_t v) { return put(f, &v, sizeof v); }

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
	FILE *f = open_tmp(file, tmp, sizeof tmp);
	int ok;
	if (!f) return -1;
	uint32_t ndict = c->dict ? c->dict->n : 0;
	ok = !put(f, CACHE_MAGIC, 8) && !put_u64(f, (uint64_t)c->type) && !put_u64(f, nrows) &&
	     !put_u64(f, c->nvals) && !put_u64(f, ndict);
	for (uint32_t k = 0; ok && k < ndict; k++)
		ok = !put_u64(f, c->dict->len[k]) && !put(f, c->dict->str[k], c->dict->len[k]);
	if (ok) switch (c->type) {
	case TL_CAT:
		ok = !put_u64(f, c->small ? 1 : 4) && (c->small ? !put(f, c->small, nrows) : !put(f, c->codes, nrows * 4));
		break;
	case TL_LIST:
		ok = !put_u64(f, c->small ? 1 : 4) && !put(f, c->offs, (nrows + 1) * 4) &&
		     (c->small ? !put(f, c->small, c->nvals) : !put(f, c->codes, c->nvals * 4));
		break;
	case TL_TEXT: ok = !put(f, c->offs, (nrows + 1) * 4) && !put(f, c->arena, c->nvals); break;
	case TL_DATE: ok = !put(f, c->dates, nrows * 4); break;
	case TL_INT: ok = !put(f, c->ints, nrows * 8) && !put(f, c->nulls, (nrows + 7) / 8); break;
	}
	return close_tmp(f, tmp, file, ok);
}

static void cache_write(const char *dir, const tl_store *s, const char *report, size_t nreport)
{
	char d[PATH_MAX], file[PATH_MAX + 600], tmp[PATH_MAX + 640];
	FILE *f;
	int ok;
	snprintf(d, sizeof d, "%s", dir);
	if (mkdirs(d) < 0) return;
	for (size_t i = 0; i < s->ncols; i++) {
		column_file(file, sizeof file, dir, s->cols[i].name);
		if (access(file, F_OK) == 0) continue;   /* columns are written once per entry */
		if (write_column(file, &s->cols[i], s->nrows) < 0) return;
	}
	/* meta last: an entry without it is never read */
	snprintf(file, sizeof file, "%s/meta", dir);
	if (!(f = open_tmp(file, tmp, sizeof tmp))) return;
	ok = !put(f, CACHE_MAGIC, 8) && !put_u64(f, s->nrows) && !put_u64(f, s->rejected) && !put_u64(f, s->nheader);
	for (size_t i = 0; ok && i < s->nheader; i++) {
		size_t n = strlen(s->header[i]);
		ok = !put_u64(f, n) && !put(f, s->header[i], n);
	}
	ok = ok && !put_u64(f, nreport) && !put(f, report, nreport);
	close_tmp(f, tmp, file, ok);
}

/* ------------------------------------------------------------------ reading */

static int get(FILE *f, void *p, size_t n) { return n && fread(p, 1, n, f) != n ? -1 : 0; }
static int get_u64(FILE *f, uint64_t *v) { return get(f, v, sizeof *v); }

/* Reads n bytes into a fresh allocation. */
static void *get_alloc(FILE *f, size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p && get(f, p, n) < 0) { free(p); return NULL; }
	return p;
}

static int read_column(const char *file, tl_column *c, size_t nrows)
{
	FILE *f = fopen(file, "rb");
	char magic[8];
	uint64_t type, rows, nvals, ndict;
	int rc = -1;
	if (!f) return -1;
	if (get(f, magic, 8) || memcmp(magic, CACHE_MAGIC, 8) || get_u64(f, &type) || get_u64(f, &rows) ||
	    get_u64(f, &nvals) || get_u64(f, &ndict) || type != (uint64_t)c->type || rows != nrows)
		goto out;
	for (uint64_t k = 0; k < ndict; k++) {
		char buf[4096];
		uint64_t len;
		if (get_u64(f, &len) || len >= sizeof buf || get(f, buf, len)) goto out;
		if (dict_intern(c->dict, buf, len) != k) goto out;
	}
	c->nvals = nvals;
	c->cap = nrows;
	switch (c->type) {
	case TL_CAT: {
		uint64_t width;
		if (get_u64(f, &width) || (width != 1 && width != 4)) break;
		free(c->small);
		c->small = NULL;
		if (width == 1) rc = (c->small = get_alloc(f, nrows)) ? 0 : -1;
		else rc = (c->codes = get_alloc(f, nrows * 4)) ? 0 : -1;
		break;
	}
	case TL_LIST: {
		uint64_t width;
		if (get_u64(f, &width) || (width != 1 && width != 4)) break;
		free(c->offs);
		c->offs = get_alloc(f, (nrows + 1) * 4);
		if (width == 1) c->small = get_alloc(f, nvals);
		else c->codes = get_alloc(f, nvals * 4);
		c->vcap = nvals;
		rc = c->offs && (c->small || c->codes) ? 0 : -1;
		break;
	}
	case TL_TEXT:
		free(c->offs);
		c->offs = get_alloc(f, (nrows + 1) * 4);
		c->arena = get_alloc(f, nvals);
		c->vcap = nvals;
		rc = c->offs && c->arena ? 0 : -1;
		break;
	case TL_DATE: c->dates = get_alloc(f, nrows * 4); rc = c->dates ? 0 : -1; break;
	case TL_INT:
		c->ints = get_alloc(f, nrows * 8);
		c->nulls = get_alloc(f, (nrows + 7) / 8);
		rc = c->ints && c->nulls ? 0 : -1;
		break;
	}
out:
	fclose(f);
	return rc;
}

/* Builds the store from the entry when it holds every column the load keeps. */
static tl_store *cache_read(const char *dir, const char *path, const tl_load_opts *o, char **report, size_t *nreport)
{
	char file[PATH_MAX + 600], magic[8];
	FILE *f;
	uint64_t nrows, rejected, nheader, nrep;
	char **names = NULL;
	size_t nnames = 0;
	tl_store *s = NULL;
	tl_schema sc;
	tl_error err;

	memset(&sc, 0, sizeof sc);
	snprintf(file, sizeof file, "%s/meta", dir);
	if (!(f = fopen(file, "rb"))) return NULL;
	if (get(f, magic, 8) || memcmp(magic, CACHE_MAGIC, 8) || get_u64(f, &nrows) || get_u64(f, &rejected) ||
	    get_u64(f, &nheader) || nheader > 100000 || !(names = calloc(nheader + 1, sizeof *names)))
		goto fail;
	for (; nnames < nheader; nnames++) {
		uint64_t len;
		if (get_u64(f, &len) || len > 65536 || !(names[nnames] = calloc(len + 1, 1)) || get(f, names[nnames], len))
			goto fail;
	}
	if (get_u64(f, &nrep) || nrep > (1u << 20) || !(*report = get_alloc(f, nrep))) goto fail;
	*nreport = nrep;
	fclose(f);
	f = NULL;
	if (schema_build(&sc, names, nnames, o, path, &err) < 0) goto fail;
	if (!(s = store_new()) || schema_columns(&sc, names, s) < 0) goto fail;
	for (size_t i = 0; i < s->ncols; i++) {
		column_file(file, sizeof file, dir, s->cols[i].name);
		if (read_column(file, &s->cols[i], nrows) < 0) goto fail;
	}
	s->nrows = nrows;
	s->rejected = rejected;
	s->header = names;
	s->nheader = nnames;
	if (!(s->source = strdup(path))) { s->header = NULL; s->nheader = 0; goto fail; }
	schema_free(&sc);
	return s;
fail:
	if (f) fclose(f);
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
	if (o->no_cache || (off && *off && strcmp(off, "0")) || cache_dir(path, o, dir, sizeof dir) < 0)
		return tl_load_csv(path, o, err);
	/* the report of skipped rows is kept with the entry: a cached load repeats it */
	if ((s = cache_read(dir, path, o, &report, &nreport))) {
		fwrite(report, 1, nreport, out);
		free(report);
		return s;
	}
	if (!(mem = open_memstream(&report, &nreport))) return tl_load_csv(path, o, err);
	o2.report = mem;
	s = tl_load_csv(path, &o2, err);
	fclose(mem);
	fwrite(report, 1, nreport, out);
	if (s) cache_write(dir, s, report, nreport);
	free(report);
	return s;
}
