/* Dates with a precision; see include/tally/date.h for the packing. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tally/date.h"

int tl_days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
	return dm[m - 1];
}

/* Reads exactly k digits at s[*i]; -1 if they are not all digits. */
static long digits(const char *s, size_t n, size_t *i, int k)
{
	long v = 0;
	for (int j = 0; j < k; j++, (*i)++) {
		if (*i >= n || !isdigit((unsigned char)s[*i])) return -1;
		v = v * 10 + (s[*i] - '0');
	}
	return v;
}

int tl_date_from_parts(long y, long m, long d, tl_date *out, const char **why)
{
	if (y < 1 || y > 9999) { *why = "year out of range"; return -1; }
	if (m == 0) {
		if (d) { *why = "a day without a month"; return -1; }
		*out = tl_date_make((int)y, 1, 0, TL_PREC_YEAR);
		return 0;
	}
	if (m < 1 || m > 12) { *why = "month out of range (1-12)"; return -1; }
	if (d == 0) { *out = tl_date_make((int)y, (int)m, 0, TL_PREC_MONTH); return 0; }
	if (d < 1 || d > tl_days_in_month((int)y, (int)m)) { *why = "impossible date (no such day in that month)"; return -1; }
	*out = tl_date_make((int)y, (int)m, (int)d, TL_PREC_DAY);
	return 0;
}

int tl_date_parse(const char *s, size_t n, tl_date *out, const char **why)
{
	size_t i = 0;
	long y, m = 0, d = 0;
	while (n && isspace((unsigned char)s[n - 1])) n--;
	while (i < n && isspace((unsigned char)s[i])) i++;
	if ((y = digits(s, n, &i, 4)) < 0) goto bad;
	if (i == n) return tl_date_from_parts(y, 0, 0, out, why);
	if (s[i] == '-') i++;
	if (i < n && (s[i] == 'Q' || s[i] == 'q')) {
		i++;
		if (i + 1 != n || s[i] < '1' || s[i] > '4') goto bad;
		*out = tl_date_make((int)y, (s[i] - '1') * 3 + 1, 0, TL_PREC_QUARTER);
		return y >= 1 ? 0 : (*why = "year out of range", -1);
	}
	if ((m = digits(s, n, &i, 2)) < 0) goto bad;
	if (i == n) return m ? tl_date_from_parts(y, m, 0, out, why) : (*why = "month out of range (1-12)", -1);
	if (s[i] != '-') goto bad;
	i++;
	if ((d = digits(s, n, &i, 2)) < 0 || i != n) goto bad;
	if (m == 0) { *why = "month out of range (1-12)"; return -1; }
	if (d == 0) { *why = "impossible date (no such day in that month)"; return -1; }
	return tl_date_from_parts(y, m, d, out, why);
bad:
	*why = "not a date (expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY)";
	return -1;
}

/* strptime does the field parsing; we check the day it read exists, since glibc
 * accepts 30 February. Precision follows the conversions the format has. */
int tl_date_parse_fmt(const char *s, size_t n, const char *fmt, tl_date *out, const char **why)
{
	char buf[64];
	struct tm tm;
	const char *end;
	int has_d, has_m;
	while (n && isspace((unsigned char)s[n - 1])) n--;
	if (n >= sizeof buf) { *why = "date too long"; return -1; }
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 0;
	end = strptime(buf, fmt, &tm);
	if (!end || *end) { *why = "date does not match --date-format"; return -1; }
	has_d = strstr(fmt, "%d") || strstr(fmt, "%e") || strstr(fmt, "%j") || strstr(fmt, "%F") || strstr(fmt, "%D") ||
	        strstr(fmt, "%s");   /* seconds since the epoch name a day */
	has_m = has_d || strstr(fmt, "%m") || strstr(fmt, "%b") || strstr(fmt, "%B") || strstr(fmt, "%h");
	/* the year in long: %s of a huge number leaves tm_year near INT_MAX */
	long y = (long)tm.tm_year + 1900;
	if (y < 1 || y > 9999) { *why = "year out of range"; return -1; }
	/* strptime range-checks %d to 1..31 only: recheck against the month */
	if (has_d) {
		int m = tm.tm_mon + 1, d = tm.tm_mday;
		if (strstr(fmt, "%j") && !strstr(fmt, "%d")) {
			/* day of year, 1..366 by strptime: day 366 exists in leap years only */
			int yday = tm.tm_yday;
			if (yday >= 365 + (tl_days_in_month((int)y, 2) == 29)) { *why = "impossible date (no such day in that year)"; return -1; }
			for (m = 1; yday >= tl_days_in_month((int)y, m); m++) yday -= tl_days_in_month((int)y, m);
			d = yday + 1;
		}
		return tl_date_from_parts(y, m, d, out, why);
	}
	return tl_date_from_parts(y, has_m ? tm.tm_mon + 1 : 0, 0, out, why);
}

int tl_date_format(tl_date d, char *buf, size_t n)
{
	switch (tl_date_prec(d)) {
	case TL_PREC_DAY: return snprintf(buf, n, "%04d-%02d-%02d", tl_date_year(d), tl_date_month(d), tl_date_day(d));
	case TL_PREC_MONTH: return snprintf(buf, n, "%04d-%02d", tl_date_year(d), tl_date_month(d));
	case TL_PREC_QUARTER: return snprintf(buf, n, "%04d-Q%d", tl_date_year(d), tl_date_quarter(d));
	default: return snprintf(buf, n, "%04d", tl_date_year(d));
	}
}

int tl_date_label(tl_date d, char *buf, size_t n)
{
	static const char *months[] = {"January", "February", "March", "April", "May", "June", "July",
	                               "August", "September", "October", "November", "December"};
	switch (tl_date_prec(d)) {
	case TL_PREC_DAY: return snprintf(buf, n, "%d %s %d", tl_date_day(d), months[tl_date_month(d) - 1], tl_date_year(d));
	case TL_PREC_MONTH: return snprintf(buf, n, "%s %d", months[tl_date_month(d) - 1], tl_date_year(d));
	case TL_PREC_QUARTER: return snprintf(buf, n, "Q%d %d", tl_date_quarter(d), tl_date_year(d));
	default: return snprintf(buf, n, "%d", tl_date_year(d));
	}
}

int tl_month_key(int mi, char *buf, size_t n)
{
	return snprintf(buf, n, "%04d-%02d", mi / 12, mi % 12 + 1);
}

int tl_quarter_key(int qi, char *buf, size_t n)
{
	return snprintf(buf, n, "%04d-Q%d", qi / 4, qi % 4 + 1);
}

int tl_quarter_range(const char *s, tl_date *from, tl_date *to)
{
	tl_date q;
	const char *why;
	int y, m;
	if (tl_date_parse(s, strlen(s), &q, &why) < 0 || tl_date_prec(q) != TL_PREC_QUARTER) return -1;
	y = tl_date_year(q); m = tl_date_month(q);
	*from = tl_date_make(y, m, 1, TL_PREC_DAY);
	*to = tl_date_make(y, m + 2, tl_days_in_month(y, m + 2), TL_PREC_DAY);
	return 0;
}
