/* The structural scanner in front of libcsv.
 *
 * libcsv looks at every byte through a state machine, one call per field; on a
 * wide export that is most of a cold count. The scanner instead classifies 64
 * bytes at a time into bit masks (quotes, commas, LFs, CRs, bytes >= 0x80 or NUL),
 * turns the quote mask into an "inside quotes" mask with a prefix XOR (a
 * carry-less multiply by all ones, as simdjson and simdcsv do), and keeps only
 * the commas and LFs outside quotes: the field and record boundaries.
 *
 * It proves each record simple or gives it up. Quote parity alone would accept
 * text libcsv rejects (a"b"c), so every quote is checked against its
 * neighbours: an opening quote must start a field or follow a closing quote
 * (a doubled quote), and the byte after a closing quote must be a separator,
 * CR, LF or another quote. A bare CR, a LF inside quotes (a record over several
 * lines) or a misplaced quote makes the record odd: the loader hands it to
 * libcsv, which stays the parser of record for every error and odd case.
 *
 * Three implementations of the block step share one walk: AVX2 with PCLMUL,
 * SSE2 (every x86-64) with the prefix XOR by shifts, and portable C, chosen
 * once at run time from what the CPU has. */
#include <string.h>
#include "load/scan.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SCAN_X86 1
#endif

/* Bit i of each mask: byte i of the block is a quote, comma, LF, CR, or a byte
 * utf8_check must see (>= 0x80, or a NUL, which the loader refuses). */
typedef struct masks {
	uint64_t q, comma, lf, cr, hi;
} masks;

/* bit i = parity of the set bits at positions <= i */
static inline uint64_t prefix_xor_shifts(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

static inline __attribute__((always_inline)) void masks_portable(const unsigned char *p, masks *m)
{
	uint64_t q = 0, c = 0, lf = 0, cr = 0, hi = 0;
	for (int i = 0; i < 64; i++) {
		uint64_t b = (uint64_t)1 << i;
		unsigned char ch = p[i];
		if (ch == '"') q |= b;
		else if (ch == ',') c |= b;
		else if (ch == '\n') lf |= b;
		else if (ch == '\r') cr |= b;
		else if (ch >= 0x80 || ch == 0) hi |= b;
	}
	*m = (masks){q, c, lf, cr, hi};
}

#ifdef SCAN_X86
static inline __attribute__((always_inline)) uint64_t eq16(__m128i a, __m128i b, __m128i c, __m128i d, __m128i ch)
{
	return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, ch)) |
	       (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, ch)) << 16 |
	       (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, ch)) << 32 |
	       (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, ch)) << 48;
}

static inline __attribute__((always_inline)) void masks_sse2(const unsigned char *p, masks *m)
{
	__m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
	__m128i c = _mm_loadu_si128((const __m128i *)(p + 32)), d = _mm_loadu_si128((const __m128i *)(p + 48));
	m->q = eq16(a, b, c, d, _mm_set1_epi8('"'));
	m->comma = eq16(a, b, c, d, _mm_set1_epi8(','));
	m->lf = eq16(a, b, c, d, _mm_set1_epi8('\n'));
	m->cr = eq16(a, b, c, d, _mm_set1_epi8('\r'));
	m->hi = (uint64_t)(uint16_t)_mm_movemask_epi8(a) | (uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16 |
	        (uint64_t)(uint16_t)_mm_movemask_epi8(c) << 32 | (uint64_t)(uint16_t)_mm_movemask_epi8(d) << 48 |
	        eq16(a, b, c, d, _mm_setzero_si128());
}

__attribute__((target("avx2")))
static inline uint64_t eq32(__m256i a, __m256i b, __m256i ch)
{
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, ch)) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, ch)) << 32;
}

__attribute__((target("avx2")))
static inline void masks_avx2(const unsigned char *p, masks *m)
{
	__m256i a = _mm256_loadu_si256((const __m256i *)p), b = _mm256_loadu_si256((const __m256i *)(p + 32));
	m->q = eq32(a, b, _mm256_set1_epi8('"'));
	m->comma = eq32(a, b, _mm256_set1_epi8(','));
	m->lf = eq32(a, b, _mm256_set1_epi8('\n'));
	m->cr = eq32(a, b, _mm256_set1_epi8('\r'));
	m->hi = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) | (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32 |
	        eq32(a, b, _mm256_setzero_si256());
}

__attribute__((target("pclmul,sse2")))
static inline uint64_t prefix_xor_clmul(uint64_t x)
{
	__m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xff), 0);
	return (uint64_t)_mm_cvtsi128_si64(r);
}
#endif

/* The state carried from one block to the next. */
typedef struct walk {
	uint64_t inq;        /* all ones when the block starts inside quotes */
	uint64_t bound_hi;   /* bit 0: the last byte before the block ended a field */
	uint64_t close_hi;   /* bit 0: ... was a closing quote */
	uint64_t cr_hi;      /* bit 0: ... was a CR */
	int      hi_pend;    /* ... a byte >= 0x80 */
} walk;

/* One block's masks folded into boundaries; calls fn per complete record.
 * Returns SCAN_NEXT to go on, else why the walk ends with *at set. */
static inline __attribute__((always_inline))
int walk_block(walk *w, const masks *m, uint64_t in, const char *buf, size_t o, size_t *rec,
               tl_scanrec *r, tl_scan_fn fn, void *ctx, size_t *at)
{
	uint64_t sep = m->comma & ~in, eol = m->lf & ~in;
	uint64_t open = m->q & in, close = m->q & ~in;
	uint64_t bound = sep | eol;
	uint64_t starts = bound << 1 | w->bound_hi;        /* first bytes of fields */
	uint64_t after_close = close << 1 | w->close_hi;
	uint64_t after_cr = m->cr << 1 | w->cr_hi;
	uint64_t bad = (open & ~starts & ~after_close)     /* a quote inside an unquoted field */
	             | (after_close & ~(bound | m->cr | m->q))   /* text after a closing quote */
	             | (after_cr & ~m->lf)                 /* a bare CR */
	             | (m->lf & in);                       /* a record over several lines */
	uint64_t hi = m->hi;

	w->bound_hi = bound >> 63;
	w->close_hi = close >> 63;
	w->cr_hi = m->cr >> 63;
	while (bound) {
		unsigned k = (unsigned)__builtin_ctzll(bound);
		uint64_t bit = (uint64_t)1 << k;
		bound &= bound - 1;
		size_t pos = o + k;
		if (!(eol & bit)) {
			if (r->nsep < SCAN_MAXSEP) r->sep[r->nsep] = (uint32_t)(pos - *rec);
			r->nsep++;
			continue;
		}
		uint64_t low = bit | (bit - 1);
		int odd = (bad & low) || r->nsep >= SCAN_MAXSEP || pos == *rec;
		r->hi = w->hi_pend || (hi & low);
		bad &= ~low;
		hi &= ~low;
		w->hi_pend = 0;
		if (odd) { *at = *rec; return SCAN_AT_ODD; }
		r->start = buf + *rec;
		r->len = pos - *rec;
		r->size = r->len + 1;
		if (r->len && r->start[r->len - 1] == '\r') r->len--;
		int what = fn(ctx, r);
		if (what != SCAN_NEXT) { *at = *rec; return what == SCAN_ODD ? SCAN_AT_ODD : SCAN_STOPPED; }
		*rec = pos + 1;
		r->nsep = 0;
	}
	/* an odd bit past the last record end belongs to the record under way: it
	 * is odd already, whatever follows (looking on for its end could cost the
	 * rest of the file at every record when no LF comes) */
	if (bad) { *at = *rec; return SCAN_AT_ODD; }
	w->hi_pend |= hi != 0;
	return SCAN_NEXT;
}

/* The walk over a buffer, instantiated once per implementation: MASKS fills
 * the masks of 64 bytes, PXOR is the prefix XOR. */
#define SCAN_BODY(MASKS, PXOR)                                                        \
	walk w = {0, 1, 0, 0, 0};                                                     \
	tl_scanrec r;                                                                 \
	masks m;                                                                      \
	size_t o = 0, rec = 0, at = 0;                                                \
	unsigned char tail[64];                                                       \
	r.nsep = 0;                                                                   \
	for (; o < n; o += 64) {                                                      \
		const unsigned char *p = (const unsigned char *)buf + o;              \
		if (n - o < 64) {   /* the last bytes, padded with NULs (no structure) */ \
			memset(tail, 0, sizeof tail);                                 \
			memcpy(tail, p, n - o);                                       \
			p = tail;                                                     \
		}                                                                     \
		MASKS(p, &m);                                                         \
		uint64_t in = PXOR(m.q) ^ w.inq;                                      \
		w.inq = (uint64_t)((int64_t)in >> 63);                                \
		int why = walk_block(&w, &m, in, buf, o, &rec, &r, fn, ctx, &at);     \
		if (why != SCAN_NEXT) { *whyp = why; return at; }                     \
		if (o + 64 - rec > SCAN_MAXREC) { *whyp = SCAN_AT_ODD; return rec; } \
	}                                                                             \
	*whyp = SCAN_END;                                                             \
	return rec;

static size_t run_portable(const char *buf, size_t n, tl_scan_fn fn, void *ctx, int *whyp)
{
	SCAN_BODY(masks_portable, prefix_xor_shifts)
}

#ifdef SCAN_X86
static size_t run_sse2(const char *buf, size_t n, tl_scan_fn fn, void *ctx, int *whyp)
{
	SCAN_BODY(masks_sse2, prefix_xor_shifts)
}

__attribute__((target("avx2,pclmul")))
static size_t run_avx2(const char *buf, size_t n, tl_scan_fn fn, void *ctx, int *whyp)
{
	SCAN_BODY(masks_avx2, prefix_xor_clmul)
}
#endif

typedef size_t (*run_fn)(const char *, size_t, tl_scan_fn, void *, int *);

static const struct { const char *name; run_fn run; } impls[] = {
#ifdef SCAN_X86
	{"avx2", run_avx2},
	{"sse2", run_sse2},
#endif
	{"portable", run_portable},
};

static int chosen = -1;

static void choose(void)
{
	chosen = (int)(sizeof impls / sizeof *impls) - 1;
#ifdef SCAN_X86
	__builtin_cpu_init();
	chosen = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") ? 0 : 1;
#endif
}

int scan_use(const char *name)
{
	for (size_t i = 0; i < sizeof impls / sizeof *impls; i++)
		if (strcmp(impls[i].name, name) == 0) {
			if (i == 0 && strcmp(name, "avx2") == 0) {
#ifdef SCAN_X86
				__builtin_cpu_init();
				if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("pclmul")) return -1;
#endif
			}
			chosen = (int)i;
			return 0;
		}
	return -1;
}

const char *scan_impl(void)
{
	if (chosen < 0) choose();
	return impls[chosen].name;
}

size_t scan_run(const char *buf, size_t n, tl_scan_fn fn, void *ctx, int *why)
{
	if (chosen < 0) choose();
	return impls[chosen].run(buf, n, fn, ctx, why);
}
