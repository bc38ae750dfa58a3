/* Display labels of fields and values (data/labels.tsv). A few dozen lines, read
 * once per process through the context and searched linearly. The labels are
 * English; the catalogs in po/ translate them (make pot extracts them), which is
 * for the rooms above to ask: this one knows no language. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/labels.h"

typedef struct label { char *field, *one, *many; } label;   /* field: "event_type" or "event_type=visit" */

struct tl_labels {
	label *v;
	size_t n;
};

void labels_free(tl_labels *l)
{
	if (!l) return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].field);
		free(l->v[i].one);
		free(l->v[i].many);
	}
	free(l->v);
	free(l);
}

/* Splits line at TABs into at most max trimmed fields; a field starting with
 * '#' ends the line. Returns the number of fields. */
static int split(char *line, char **f, int max)
{
	int nf = 0;
	for (char *p = line;;) {
		size_t k = strcspn(p, "\t\r\n");
		int last = p[k] != '\t';
		p[k] = 0;
		while (*p == ' ') p++;
		for (char *e = p + strlen(p); e > p && e[-1] == ' '; ) *--e = 0;
		if (*p == '#') break;
		if (nf == max) return max + 1;
		f[nf++] = p;
		if (last) break;
		p += k + 1;
	}
	return nf == 1 && !*f[0] ? 0 : nf;
}

tl_labels *labels_open(const char *datadir, tl_error *err)
{
	char path[4096], *buf = NULL, *f[4];
	size_t cap = 0;
	long line = 0;
	tl_labels *l = calloc(1, sizeof *l);
	FILE *fp;

	if (!l) { tl_fail(err, NULL, 0, 0, "out of memory"); return NULL; }
	snprintf(path, sizeof path, "%s/labels.tsv", datadir);
	if (!(fp = fopen(path, "r"))) {
		if (errno == ENOENT) return l;
		tl_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
		labels_free(l);
		return NULL;
	}
	while (getline(&buf, &cap, fp) != -1) {
		int nf = split(buf, f, 3);
		line++;
		if (nf == 0) continue;
		/* a value's line may leave out the plural: its label is not counted */
		if (nf == 2 && strchr(f[0], '=') && *f[1])
			f[2] = f[1];
		else if (nf != 3 || !*f[0] || !*f[1] || !*f[2]) {
			tl_fail(err, path, line, nf < 3 ? nf + 1 : 4,
			        strchr(f[0], '=') ? "expected field=value<TAB>label" : "expected field<TAB>label<TAB>plural");
			goto bad;
		}
		label *v = realloc(l->v, (l->n + 1) * sizeof *v);
		if (!v) { tl_fail(err, path, line, 0, "out of memory"); goto bad; }
		l->v = v;
		v[l->n] = (label){strdup(f[0]), strdup(f[1]), strdup(f[2])};
		if (!v[l->n].field || !v[l->n].one || !v[l->n].many) {
			l->n++;
			tl_fail(err, path, line, 0, "out of memory");
			goto bad;
		}
		l->n++;
	}
	free(buf);
	fclose(fp);
	return l;
bad:
	free(buf);
	fclose(fp);
	labels_free(l);
	return NULL;
}

const char *labels_field(const tl_labels *l, const char *field, int plural, char *buf, size_t n)
{
	if (!n) return buf;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->v[i].field, field) == 0) {
			snprintf(buf, n, "%s", plural ? l->v[i].many : l->v[i].one);
			return buf;
		}
	snprintf(buf, n, "%s", field);
	for (char *p = buf; *p; p++)
		if (*p == '_') *p = ' ';
	return buf;
}

const char *labels_value(const tl_labels *l, const char *field, const char *value)
{
	size_t k = strlen(field);
	for (size_t i = 0; l && i < l->n; i++) {
		const char *f = l->v[i].field;
		if (strncmp(f, field, k) == 0 && f[k] == '=' && strcmp(f + k + 1, value) == 0)
			return l->v[i].one;
	}
	return NULL;
}
