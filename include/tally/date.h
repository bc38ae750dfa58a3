/* Dates with a precision: day 2023-04-10, month 2023-04, quarter 2023-Q2, year 2023.
 *
 * A tl_date packs the month index (year*12 + month-1), the day (0 when not known)
 * and the precision into one int32, so that comparing two dates compares them in
 * time and counting by month is a shift: tl_date_month_index(d) = d >> 7. */
#ifndef TALLY_DATE_H
#define TALLY_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t tl_date;

#define TL_DATE_NONE 0  /* missing; real dates have year >= 1 */

enum tl_prec { TL_PREC_YEAR = 0, TL_PREC_QUARTER = 1, TL_PREC_MONTH = 2, TL_PREC_DAY = 3 };

static inline tl_date tl_date_make(int y, int m, int d, int prec)
{
	return (tl_date)((((int32_t)y * 12 + (m - 1)) << 7) | (d << 2) | prec);
}
static inline int tl_date_month_index(tl_date d) { return d >> 7; }       /* y*12 + m-1 */
static inline int tl_date_year(tl_date d)  { return (d >> 7) / 12; }
static inline int tl_date_month(tl_date d) { return (d >> 7) % 12 + 1; }  /* 1..12 */
static inline int tl_date_quarter(tl_date d) { return ((d >> 7) % 12) / 3 + 1; }
static inline int tl_date_day(tl_date d)   { return (d >> 2) & 31; }      /* 0 when unknown */
static inline int tl_date_prec(tl_date d)  { return d & 3; }

int tl_days_in_month(int y, int m);

/* Parses ISO forms: YYYY, YYYY-MM, YYYY-Qn, YYYYQn, YYYY-MM-DD (n bytes of s).
 * Returns 0, or -1 with a static reason in *why ("impossible date 2023-02-30", ...). */
int tl_date_parse(const char *s, size_t n, tl_date *out, const char **why);
/* Parses with a strptime-style format (%Y %y %m %d %b %j ...); day precision
 * unless the format has no %d (then month) or no %m (then year). */
int tl_date_parse_fmt(const char *s, size_t n, const char *fmt, tl_date *out, const char **why);
/* From split parts; day or month may be 0 (unknown). */
int tl_date_from_parts(long y, long m, long d, tl_date *out, const char **why);

/* Writes the date at its own precision: "2023-04-10", "2023-04", "2023-Q2", "2023". */
int tl_date_format(tl_date d, char *buf, size_t n);
/* The form people read: "10 April 2023", "April 2023", "Q2 2023", "2023". */
int tl_date_label(tl_date d, char *buf, size_t n);
/* Keys for counting: "2023-04" (month index), "2023-Q2" (quarter index), "2023". */
int tl_month_key(int month_index, char *buf, size_t n);
int tl_quarter_key(int quarter_index, char *buf, size_t n);  /* quarter_index = y*4 + q-1 */
/* Parses "2023Q2" or "2023-Q2" to the first and last day it covers. */
int tl_quarter_range(const char *s, tl_date *from, tl_date *to);

#endif
