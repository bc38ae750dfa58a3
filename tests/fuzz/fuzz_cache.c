/* The cache reader on a mutated column file. Byte 0 chooses the column type
 * the load expects; byte 1, bit 0 recomputes the trailing checksum after the
 * mutation, so that the bounds checks behind it are reached too (a file that
 * fails its sum is refused before they run). The rest is the file. A column
 * the reader accepts is then counted and its values read, row by row. */
#include <string.h>
#include "fuzz.h"
#include "tally/count.h"
#include "load/load_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	uint64_t rows = 0;
	size_t n = size - 2;
	tl_store *s;
	FILE *f;
	tl_error err;
	if (size < 2 + 24 + 8) return 0;
	if (!(buf = malloc(n))) return 0;
	memcpy(buf, data + 2, n);
	if (data[1] & 1) {
		uint64_t h = cache_checksum(buf, n - 8);
		memcpy(buf + n - 8, &h, 8);
	}
	memcpy(&rows, buf + 16, 8);   /* the rows the entry's meta would give */
	if (rows > (1u << 24)) rows = 1u << 24;
	s = store_new();
	store_add_column(s, "x", (tl_coltype)(data[0] % 5));
	f = fmemopen(buf, n, "rb");
	if (f && cache_read_column(f, n, &s->cols[0], (size_t)rows) == 0) {
		const tl_column *c = &s->cols[0];
		s->nrows = (size_t)rows;
		if (c->type == TL_DATE) s->role[TL_ROLE_DATE] = 0;
		tl_counts *k = agg_count(s, NULL, c->type == TL_DATE ? "month" : "x", TL_DATE_NONE, TL_DATE_NONE, &err);
		if (k) fuzz_assert(k->records + k->missing <= (int64_t)s->nrows, "more records counted than rows");
		tl_counts_free(k);
		for (size_t r = 0; r < s->nrows; r++) {
			size_t len;
			if (c->type == TL_TEXT) fuzz_assert(store_text(c, r, &len) != NULL, "a text row without bytes");
			if (c->type == TL_CAT && store_cat(c, r) != TL_NA) fuzz_assert(store_cat(c, r) < c->dict->n, "a code past the dictionary");
			if (c->type == TL_LIST)
				for (uint32_t v = c->offs[r]; v < c->offs[r + 1]; v++) fuzz_assert(store_val(c, v) < c->dict->n, "a list value past the dictionary");
		}
	}
	if (f) fclose(f);
	store_free(s);
	free(buf);
	return 0;
}
