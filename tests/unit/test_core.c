/* checks: 49 */
/* Unit tests of dates, the dictionary, the store and counting. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tally/count.h"
#include "tally/date.h"
#include "tally/store.h"
#include "store/store_int.h"
#include "tally/suggest.h"

static int failed;

static void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (!cond) failed++;
}

static void test_dates(void)
{
	static const struct { const char *in; const char *out; } good[] = {
		{"2023-04-10", "2023-04-10"}, {"2023-04", "2023-04"}, {"2023-Q2", "2023-Q2"},
		{"2023Q2", "2023-Q2"}, {"2023", "2023"}, {"2024-02-29", "2024-02-29"}, {" 2023-12-31 ", "2023-12-31"},
	};
	static const char *bad[] = {"2023-02-30", "2023-02-29", "2100-02-29", "2023-13", "2023-00", "2023-04-00",
	                            "2023-Q5", "23-04-10", "2023-4-1", "April 2023", "", "2023-04-10x"};
	char buf[32], name[96];
	tl_date d;
	const char *why;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		int rc = tl_date_parse(good[i].in, strlen(good[i].in), &d, &why);
		tl_date_format(d, buf, sizeof buf);
		snprintf(name, sizeof name, "date '%s' reads as %s", good[i].in, good[i].out);
		check(rc == 0 && !strcmp(buf, good[i].out), name);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(name, sizeof name, "date '%s' is refused", bad[i]);
		check(tl_date_parse(bad[i], strlen(bad[i]), &d, &why) < 0 && why && *why, name);
	}
	tl_date_parse("2023-02-30", 10, &d, &why);
	check(strstr(why, "impossible date") != NULL, "2023-02-30 is an impossible date");
	check(tl_date_parse_fmt("19970315", 8, "%Y%m%d", &d, &why) == 0 && tl_date_day(d) == 15 && tl_date_month(d) == 3, "strptime %Y%m%d");
	check(tl_date_parse_fmt("31-02-97", 8, "%d-%m-%y", &d, &why) < 0, "strptime rechecks the day of the month");
	check(tl_date_parse_fmt("1997-03", 7, "%Y-%m", &d, &why) == 0 && tl_date_prec(d) == TL_PREC_MONTH, "strptime without %d has month precision");
	tl_date a, b, c;
	tl_date_parse("2023-04-10", 10, &a, &why);
	tl_date_parse("2023-05", 7, &b, &why);
	tl_date_parse("2022-Q4", 7, &c, &why);
	check(c < a && a < b, "packed dates compare in time");
	check(tl_date_month_index(a) == 2023 * 12 + 3 && tl_date_quarter(a) == 2 && tl_date_year(a) == 2023, "date parts");
	tl_date from, to;
	check(tl_quarter_range("2023Q2", &from, &to) == 0 && tl_date_day(to) == 30 && tl_date_month(to) == 6 && tl_date_day(from) == 1, "quarter range");
	check(tl_quarter_range("2023Q9", &from, &to) < 0, "bad quarter refused");
	tl_month_key(2023 * 12 + 11, buf, sizeof buf);
	check(!strcmp(buf, "2023-12"), "month key");
	tl_quarter_key(2023 * 4 + 1, buf, sizeof buf);
	check(!strcmp(buf, "2023-Q2"), "quarter key");
}

static void test_dict(void)
{
	tl_dict *d = dict_new();
	char key[16];
	int okk = 1;
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		if (dict_intern(d, key, strlen(key)) != (uint32_t)i) okk = 0;
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		if (dict_find(d, key, strlen(key)) != (uint32_t)i || dict_intern(d, key, strlen(key)) != (uint32_t)i) okk = 0;
	}
	check(okk && d->n == 5000, "dictionary interns 5000 strings once each, through growth");
	check(dict_find(d, "nope", 4) == TL_NA, "dictionary misses");
	check(dict_intern(d, "a\0b", 3) != dict_intern(d, "a", 1), "dictionary keys are byte strings with their length");
	dict_free(d);
	dict_free(NULL);
}

/* A small store built by hand: counts, lists, dates and filters. */
static void test_store(void)
{
	tl_store *s = store_new();
	tl_error err;
	int dim = store_add_column(s, "dimension", TL_CAT);
	int cty = store_add_column(s, "countries", TL_LIST);
	int dat = store_add_column(s, "date", TL_DATE);
	int num = store_add_column(s, "n", TL_INT);
	const char *dims[] = {"human", "economic", "human", "human"};
	const char *ctys[][3] = {{"Kazakhstan", "China", NULL}, {"China", NULL, NULL}, {NULL}, {"Kazakhstan", NULL, NULL}};
	const char *dates[] = {"2023-01-10", "2023-03-02", "2023-03", "2023-Q1"};
	s->role[TL_ROLE_DATE] = dat;
	check(store_reserve(s, 4) == 0, "reserve");
	for (size_t r = 0; r < 4; r++) {
		tl_column *c = &s->cols[dim];
		col_set_cat(c, r, dict_intern(c->dict, dims[r], strlen(dims[r])));
		c = &s->cols[cty];
		for (int k = 0; ctys[r][k]; k++) col_push_val(c, dict_intern(c->dict, ctys[r][k], strlen(ctys[r][k])));
		col_end_row(c, r);
		tl_date d;
		const char *why;
		tl_date_parse(dates[r], strlen(dates[r]), &d, &why);
		col_set_date(&s->cols[dat], r, d);
		col_set_int(&s->cols[num], r, (int64_t)r * 10, r == 2);
	}
	s->nrows = 4;
	tl_counts *c = agg_count(s, NULL, "dimension", 0, 0, &err);
	check(c && c->n == 2 && !strcmp(c->keys[0], "human") && c->counts[0] == 3 && c->counts[1] == 1, "count a category");
	tl_counts_free(c);
	c = agg_count(s, NULL, "countries", 0, 0, &err);
	check(c && c->records == 3 && c->mentions == 4 && c->missing == 1 && c->counts[0] == 2, "count a list: records and mentions");
	tl_counts_free(c);
	c = agg_count(s, NULL, "month", 0, 0, &err);
	check(c && c->n == 3 && c->missing == 1, "months: a gap month appears, a quarter date is too coarse");
	tl_counts_sort_key(c);
	check(c && !strcmp(c->keys[1], "2023-02") && c->counts[1] == 0 && c->counts[2] == 2, "months in order with zeros");
	tl_counts_free(c);
	c = agg_count(s, NULL, "n", 0, 0, &err);
	check(c && c->n == 3 && c->missing == 1, "count integers, nulls missing");
	tl_counts_free(c);
	check(agg_count(s, NULL, "nope", 0, 0, &err) == NULL && strstr(err.msg, "no field 'nope'"), "unknown field");
	const char *vals[] = {"human", NULL};
	tl_filter f = {.field = "dimension", .values = vals};
	tl_sel sel;
	check(agg_filter(s, NULL, &f, 1, NULL, &sel, &err) == 0 && sel.n == 3, "filter by category");
	tl_xtab *x = agg_crosstab(s, &sel, "countries", "dimension", 0, 0, &err);
	check(x && x->rows->n == 2 && x->cols->n == 1 && x->cells[0] == 2 && x->cells[1] == 1, "cross-tab of a selection");
	tl_xtab_free(x);
	tl_sel_free(&sel);
	tl_date from, to;
	tl_quarter_range("2023Q1", &from, &to);
	tl_filter q = {.from = from, .to = to};
	check(agg_filter(s, NULL, &q, 1, NULL, &sel, &err) == 0 && sel.n == 4, "a quarter holds its days, months and itself");
	tl_sel_free(&sel);
	tl_store *t = store_new();
	check(store_append(t, s, &err) == 0 && store_append(t, s, &err) == 0 && t->nrows == 8, "append stores");
	c = agg_count(t, NULL, "countries", 0, 0, &err);
	check(c && c->mentions == 8 && c->counts[0] == 4, "appended lists count");
	tl_counts_free(c);
	store_free(t);
	store_free(s);
	store_free(NULL);
}


/* "Did you mean": {typed, candidates, expected or NULL}; one rule for every name. */
static void test_suggest(void)
{
	static const char *fields[] = {"id", "date", "title", "dimension", "countries", "month", "quarter", "year", NULL};
	static const char *plugins[] = {"by-country", "by-dimension", "by-month", "compare-quarters", NULL};
	static const char *charts[] = {"bar", "line", "donut", "heatmap", "table", NULL};
	static const struct { const char *in; const char **cands; const char *out; } cases[] = {
		{"dimensions", fields, "dimension"}, {"quater", fields, "quarter"}, {"Month", fields, "month"},
		{"contries", fields, "countries"}, {"yaer", fields, "year"}, {"colour", fields, NULL},
		{"by-dimensions", plugins, "by-dimension"}, {"compare-quarter", plugins, "compare-quarters"},
		{"by-mnoth", plugins, "by-month"}, {"pie", charts, NULL}, {"donught", charts, "donut"},
		{"heatmpa", charts, "heatmap"}, {"ab", charts, NULL}, {"", fields, NULL},
	};
	char name[128], buf[96];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = 0;
		while (cases[i].cands[n]) n++;
		const char *got = tl_suggest(cases[i].in, cases[i].cands, n);
		snprintf(name, sizeof name, "suggest '%s' -> %s", cases[i].in, cases[i].out ? cases[i].out : "nothing");
		check(cases[i].out ? got && !strcmp(got, cases[i].out) : !got, name);
	}
	check(!strcmp(tl_did_you_mean(buf, sizeof buf, "quater", fields, 8), " (did you mean 'quarter'?)"),
	      "did_you_mean writes the sentence");
	check(!strcmp(tl_did_you_mean(buf, sizeof buf, "colour", fields, 8), ""), "did_you_mean: nothing close, nothing said");
	static const char *held[] = {"meeting", "visit", "conference", "forum", "seminar", NULL};
	const char *near[9];
	size_t got = tl_nearest("meetings", held, 5, near, 3);
	check(got == 3 && !strcmp(near[0], "meeting"), "nearest: the closest value first");
	check(tl_nearest("x", held, 5, near, 9) == 5, "nearest: at most as many as there are");
}

/* Shares (tl_round_shares) over 20000 random sets of counts, whole or not, in
 * tenths and whole percents: each within one step of the exact share, equal
 * counts equal, a larger count never less, a whole of distinct counts adding up
 * to exactly 100, a part of a larger whole rounded alone. */
static void test_shares(void)
{
	unsigned long seed = 12345;
	int near = 1, equal = 1, monotone = 1, sum100 = 1, alone = 1;
	for (int t = 0; t < 20000; t++) {
		int64_t v[12], total = 0;
		double pct[12];
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		size_t n = 1 + (seed >> 33) % 12;
		int dec = (int)((seed >> 40) & 1), whole = (int)((seed >> 41) & 3) != 0, distinct = 1;
		double unit = dec ? 0.1 : 1;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			v[i] = (int64_t)((seed >> 33) % 21);
			total += v[i];
		}
		if (!whole) total += 1 + (int64_t)((seed >> 50) % 9);
		if (total == 0) continue;
		tl_round_shares(v, n, total, dec, pct);
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			double exact = 100.0 * (double)v[i] / (double)total;
			sum += pct[i];
			near &= fabs(pct[i] - exact) < unit + 1e-9;
			if (!whole)
				alone &= fabs(pct[i] - floor(exact / unit + 0.5) * unit) < 1e-9;
			for (size_t j = 0; j < n; j++) {
				if (j != i && v[j] == v[i]) { equal &= pct[i] == pct[j]; distinct = 0; }
				if (v[i] > v[j]) monotone &= pct[i] >= pct[j];
			}
		}
		if (whole && distinct)
			sum100 &= fabs(sum - 100) < 1e-6;
	}
	check(near, "shares: each within one rounding step of the exact share");
	check(equal, "shares: equal counts show equal shares");
	check(monotone, "shares: a larger count never shows a smaller share");
	check(sum100, "shares: distinct counts making the whole add up to exactly 100");
	check(alone, "shares: parts of a larger whole are each rounded alone");
}

int main(void)
{
	test_dates();
	test_dict();
	test_store();
	test_suggest();
	test_shares();
	return 0;
}
