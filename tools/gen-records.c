/* gen-records: a deterministic, seeded generator of realistic digest CSVs.
 *
 *   gen-records [--rows N] [--seed S] [--threads T] [-o FILE]
 *
 * Writes the full digest schema
 *   id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind
 * with day-precision ISO dates over 2015-01-01..2024-12-31 (more events in later
 * years), quoted titles with commas and escaped quotes, 1-3 ';'-separated countries
 * drawn with a Zipf-like skew (UTF-8 names such as Türkiye), 0-2 organisations,
 * and an empty participants column. ids are unique (the row number).
 *
 * The output depends only on --seed and --rows: rows are made in blocks of
 * BLOCK rows, each block from its own generator seeded by (seed, block number),
 * so the thread count changes the speed, never the bytes. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 16384            /* rows per block */
#define BUFCAP (BLOCK * 512)   /* a row is at most ~400 bytes */

/* ---- random numbers: splitmix64 to seed, xoshiro256** to draw ---- */

typedef struct { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed * 0x2545f4914f6cdd1dULL ^ (stream + 0x632be59bd9b4e019ULL);
	for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n < 2^32 (multiply-shift; the bias is far below anything seen). */
static inline uint32_t rng_below(rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* ---- vocabularies ---- */

/* Names that tally's country vocabulary resolves, most frequent first. */
static const char *const COUNTRIES[] = {
	"Kazakhstan", "China", "Türkiye", "Russian Federation", "India", "Azerbaijan",
	"Uzbekistan", "Viet Nam", "Iran", "Kyrgyzstan", "Tajikistan", "Mongolia",
	"Pakistan", "Republic of Korea", "Thailand", "Bangladesh", "Qatar",
	"United Arab Emirates", "Egypt", "Iraq", "Israel", "Jordan", "Kuwait",
	"Sri Lanka", "Cambodia", "Bahrain", "Afghanistan", "Palestine",
};
#define NCOUNTRIES (sizeof COUNTRIES / sizeof *COUNTRIES)

static const char *const DIMENSIONS[] = {
	"military-political", "new-challenges-and-threats", "economic",
	"environmental", "human", "institutional",
};
static const unsigned DIM_WEIGHT[] = { 15, 24, 22, 12, 14, 13 };

static const char *const ORGS[] = {
	"United Nations", "OSCE", "League of Arab States", "Eurasian Economic Union",
	"Organization of Turkic States", "UNODC", "Shanghai Cooperation Organisation",
	"ESCAP", "CSTO", "International Organization for Migration",
};
#define NORGS (sizeof ORGS / sizeof *ORGS)

static const char *const EVENT_TYPES[] = {
	"meeting", "conference", "seminar", "workshop", "training", "forum",
	"round table", "exercise", "summit", "expert group",
};
static const unsigned EVENT_WEIGHT[] = { 30, 14, 12, 12, 8, 8, 6, 4, 2, 4 };

static const char *const FORMATS[] = { "in-person", "online", "hybrid" };
static const unsigned FORMAT_WEIGHT[] = { 60, 25, 15 };

static const char *const KINDS[] = { "event", "statement", "visit", "publication" };
static const unsigned KIND_WEIGHT[] = { 80, 8, 8, 4 };

/* Title parts: "<opening> <topic>, <city>" with the topic sometimes in quotes;
 * the opening follows the event type (two phrasings each). */
static const char *const OPENINGS[][2] = {
	{ "Meeting of the Special Working Group on", "Senior officials' talks on" },
	{ "Conference on", "International conference on" },
	{ "Seminar on", "Regional seminar on" },
	{ "Workshop on", "Practical workshop on" },
	{ "Training course on", "Training for experts on" },
	{ "Forum on", "Regional dialogue on" },
	{ "Round table on", "Round table: perspectives on" },
	{ "Joint exercise on", "Table-top exercise on" },
	{ "Summit statement on", "Leaders' summit on" },
	{ "Expert meeting on", "Expert group consultations on" },
};
static const char *const TOPICS[] = {
	"confidence-building measures", "counter-terrorism", "drug trafficking",
	"cyber security and ICT", "energy security", "food security", "water resources",
	"climate change, disasters and emergencies", "small and medium enterprises",
	"transport corridors", "tourism", "youth exchanges", "cultural heritage",
	"human trafficking", "migration", "financial technologies", "digital economy",
	"secretariat reform", "the road map for the 2024 summit", "arms control",
	"border security", "public health", "green energy", "trade facilitation",
};
static const char *const CITIES[] = {
	"Astana", "Almaty", "Beijing", "Ankara", "Istanbul", "Moscow", "New Delhi",
	"Baku", "Tashkent", "Hanoi", "Tehran", "Bishkek", "Dushanbe", "Ulaanbaatar",
	"Islamabad", "Seoul", "Bangkok", "Dhaka", "Doha", "Abu Dhabi", "Cairo",
	"Baghdad", "Amman", "Kuwait City", "Colombo", "Phnom Penh", "Manama", "online",
};
#define N(a) (sizeof (a) / sizeof *(a))

/* ---- cumulative tables: draw with one multiply and a short search ---- */

typedef struct { uint32_t n; uint32_t cum[4096]; } table;  /* cum[i] = weight of 0..i, scaled to 2^32 */

static void table_init(table *t, const double *w, uint32_t n)
{
	double total = 0, acc = 0;
	for (uint32_t i = 0; i < n; i++) total += w[i];
	t->n = n;
	for (uint32_t i = 0; i < n; i++) {
		acc += w[i];
		double c = acc / total * 4294967296.0;
		t->cum[i] = i + 1 == n || c >= 4294967295.0 ? 0xffffffffu : (uint32_t)c;
	}
}

static void table_initu(table *t, const unsigned *w, uint32_t n)
{
	double d[64];
	for (uint32_t i = 0; i < n; i++) d[i] = w[i];
	table_init(t, d, n);
}

static inline uint32_t table_draw(const table *t, rng *r)
{
	uint32_t x = (uint32_t)(rng_next(r) >> 32), lo = 0, hi = t->n - 1;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (x < t->cum[mid]) hi = mid; else lo = mid + 1;
	}
	return lo;
}

static table T_COUNTRY, T_DIM, T_EVENT, T_FORMAT, T_KIND, T_DAY;

#define FIRST_YEAR 2015
#define LAST_YEAR  2024
static char DAYS[4096][11];   /* "2015-01-01" ... "2024-12-31" */
static uint32_t NDAYS;

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static void init_tables(void)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	double w[4096];
	for (int y = FIRST_YEAR; y <= LAST_YEAR; y++)
		for (int m = 1; m <= 12; m++) {
			int nd = mdays[m - 1] + (m == 2 && leap(y));
			for (int d = 1; d <= nd; d++) {
				char *s = DAYS[NDAYS];
				s[0] = (char)('0' + y / 1000); s[1] = (char)('0' + y / 100 % 10);
				s[2] = (char)('0' + y / 10 % 10); s[3] = (char)('0' + y % 10); s[4] = '-';
				s[5] = (char)('0' + m / 10); s[6] = (char)('0' + m % 10); s[7] = '-';
				s[8] = (char)('0' + d / 10); s[9] = (char)('0' + d % 10); s[10] = 0;
				/* more events every year, fewer in August and around New Year,
				   and (2020) fewer in spring */
				double f = 1.0 + 0.08 * (y - FIRST_YEAR);
				if (m == 8) f *= 0.6;
				if ((m == 12 && d > 20) || (m == 1 && d < 8)) f *= 0.5;
				if (y == 2020 && m >= 3 && m <= 6) f *= 0.45;
				w[NDAYS++] = f;
			}
		}
	table_init(&T_DAY, w, NDAYS);
	double cw[NCOUNTRIES];
	for (uint32_t i = 0; i < NCOUNTRIES; i++) cw[i] = 1.0 / ((i + 1.0) * (0.7 + 0.3 * (i + 1.0) / 4.0));
	table_init(&T_COUNTRY, cw, NCOUNTRIES);
	table_initu(&T_DIM, DIM_WEIGHT, N(DIM_WEIGHT));
	table_initu(&T_EVENT, EVENT_WEIGHT, N(EVENT_WEIGHT));
	table_initu(&T_FORMAT, FORMAT_WEIGHT, N(FORMAT_WEIGHT));
	table_initu(&T_KIND, KIND_WEIGHT, N(KIND_WEIGHT));
}

/* ---- one block of rows ---- */

static inline char *put(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static inline char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
	while (n) *p++ = tmp[--n];
	return p;
}

/* Rows [first, first+n) of the file; returns the bytes written to buf. */
static size_t make_block(char *buf, uint64_t seed, uint64_t block, uint64_t first, uint64_t n)
{
	rng r;
	rng_seed(&r, seed, block);
	char *p = buf;
	for (uint64_t i = 0; i < n; i++) {
		p = put_u64(p, first + i + 1);
		*p++ = ',';
		memcpy(p, DAYS[table_draw(&T_DAY, &r)], 10); p += 10;
		*p++ = ',';

		/* title: always quoted (it always has a comma), with "" around the topic 1 time in 4 */
		uint32_t topic = rng_below(&r, N(TOPICS));
		uint32_t ev = table_draw(&T_EVENT, &r);
		uint64_t bits = rng_next(&r);
		*p++ = '"';
		p = put(p, OPENINGS[ev][(bits >> 20) & 1]);
		*p++ = ' ';
		if ((bits & 3) == 0) { *p++ = '"'; *p++ = '"'; p = put(p, TOPICS[topic]); *p++ = '"'; *p++ = '"'; }
		else p = put(p, TOPICS[topic]);
		*p++ = ','; *p++ = ' ';
		p = put(p, CITIES[rng_below(&r, N(CITIES))]);
		if (((bits >> 2) & 15) == 0) p = put(p, " (postponed)");
		*p++ = '"';
		*p++ = ',';

		p = put(p, DIMENSIONS[table_draw(&T_DIM, &r)]);
		*p++ = ',';

		/* 1-3 distinct countries: 1 in 55%, 2 in 30%, 3 in 15% */
		uint32_t k = (uint32_t)((bits >> 6) % 100), nc = k < 55 ? 1 : k < 85 ? 2 : 3;
		uint32_t cs[3];
		for (uint32_t j = 0; j < nc; j++) {
			uint32_t c;
			int dup;
			do {
				c = table_draw(&T_COUNTRY, &r);
				dup = 0;
				for (uint32_t q = 0; q < j; q++) dup |= cs[q] == c;
			} while (dup);
			cs[j] = c;
			if (j) *p++ = ';';
			p = put(p, COUNTRIES[c]);
		}
		*p++ = ',';

		/* 0-2 organisations: none in 60%, one in 30%, two in 10% */
		k = (uint32_t)((bits >> 13) % 100);
		uint32_t no = k < 60 ? 0 : k < 90 ? 1 : 2;
		if (no) {
			uint32_t o1 = rng_below(&r, NORGS);
			p = put(p, ORGS[o1]);
			if (no == 2) { *p++ = ';'; p = put(p, ORGS[(o1 + 1 + rng_below(&r, NORGS - 1)) % NORGS]); }
		}
		*p++ = ',';

		p = put(p, EVENT_TYPES[ev]);
		*p++ = ',';
		p = put(p, FORMATS[table_draw(&T_FORMAT, &r)]);
		*p++ = ',';
		p = put(p, COUNTRIES[cs[0]]);   /* lead: the first country */
		*p++ = ',';
		*p++ = ',';                        /* participants: empty */
		p = put(p, KINDS[table_draw(&T_KIND, &r)]);
		*p++ = '\n';
	}
	return (size_t)(p - buf);
}

/* ---- blocks made by T threads, written in order ---- */

typedef struct {
	uint64_t seed, rows, nblocks;
	int nthreads;
	FILE *out;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t next_write;   /* the block whose turn it is to be written */
	int failed;
} job;

typedef struct { job *j; int id; } worker;

static void *work(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	char *buf = malloc(BUFCAP);
	if (!buf) { pthread_mutex_lock(&j->mu); j->failed = ENOMEM; pthread_cond_broadcast(&j->cv); pthread_mutex_unlock(&j->mu); return NULL; }
	for (uint64_t b = (uint64_t)w->id; b < j->nblocks; b += (uint64_t)j->nthreads) {
		uint64_t first = b * BLOCK, n = j->rows - first < BLOCK ? j->rows - first : BLOCK;
		size_t len = make_block(buf, j->seed, b, first, n);
		pthread_mutex_lock(&j->mu);
		while (j->next_write != b && !j->failed) pthread_cond_wait(&j->cv, &j->mu);
		if (j->failed) { pthread_mutex_unlock(&j->mu); break; }
		pthread_mutex_unlock(&j->mu);
		int bad = fwrite(buf, 1, len, j->out) != len;   /* only this thread writes now */
		pthread_mutex_lock(&j->mu);
		if (bad) j->failed = errno ? errno : EIO;
		j->next_write = b + 1;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
	free(buf);
	return NULL;
}

static void usage(FILE *f)
{
	fputs("usage: gen-records [--rows N] [--seed S] [--threads T] [-o FILE]\n"
	      "  a deterministic digest CSV of N records (default 1000), seed S (default 1),\n"
	      "  made by T threads (default: the cores; the output does not depend on T),\n"
	      "  to FILE or standard output\n", f);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') return -1;
	*v = x;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t rows = 1000, seed = 1, threads = 0;
	const char *outpath = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
		if (!v) { usage(stderr); return 2; }
		int bad;
		if (!strcmp(a, "--rows") || !strcmp(a, "-n")) bad = parse_u64(v, &rows);
		else if (!strcmp(a, "--seed") || !strcmp(a, "-s")) bad = parse_u64(v, &seed);
		else if (!strcmp(a, "--threads") || !strcmp(a, "-j")) bad = parse_u64(v, &threads) || threads > 256;
		else if (!strcmp(a, "-o") || !strcmp(a, "--out")) { outpath = v; bad = 0; }
		else { fprintf(stderr, "gen-records: unknown option %s\n", a); usage(stderr); return 2; }
		if (bad) { fprintf(stderr, "gen-records: bad value for %s: %s\n", a, v); return 2; }
		i++;
	}
	if (!threads) {
		long nc = sysconf(_SC_NPROCESSORS_ONLN);
		threads = nc > 0 ? (uint64_t)nc : 1;
	}
	init_tables();

	FILE *out = stdout;
	if (outpath && strcmp(outpath, "-")) {
		out = fopen(outpath, "wb");
		if (!out) { fprintf(stderr, "gen-records: %s: %s\n", outpath, strerror(errno)); return 1; }
	}
	static char obuf[1 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof obuf);
	fputs("id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind\n", out);

	job j = { .seed = seed, .rows = rows, .nblocks = (rows + BLOCK - 1) / BLOCK, .out = out,
	          .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };
	if (threads > j.nblocks) threads = j.nblocks ? j.nblocks : 1;
	j.nthreads = (int)threads;
	pthread_t tid[256];
	worker w[256];
	int started = 0;
	for (int t = 0; t < j.nthreads; t++) {
		w[t] = (worker){ &j, t };
		if (pthread_create(&tid[t], NULL, work, &w[t])) {
			/* run what could not be started on this thread: only if none started */
			if (!started) { j.nthreads = 1; work(&w[0]); }
			else { pthread_mutex_lock(&j.mu); j.failed = EAGAIN; pthread_cond_broadcast(&j.cv); pthread_mutex_unlock(&j.mu); }
			break;
		}
		started++;
	}
	for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
	if (fflush(out) || ferror(out)) j.failed = j.failed ? j.failed : EIO;
	if (out != stdout && fclose(out)) j.failed = j.failed ? j.failed : errno;
	if (j.failed) {
		fprintf(stderr, "gen-records: %s: %s\n", outpath ? outpath : "stdout", strerror(j.failed));
		return 1;
	}
	return 0;
}
