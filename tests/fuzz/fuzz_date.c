/* The date parsers. Byte 0 chooses: the ISO reader, a strptime format from a
 * table, split parts, or a quarter range; the rest is the text (or the parts).
 * Every date that parses must be a real one, and an ISO date must print back as
 * text that parses to itself. */
#include <string.h>
#include "fuzz.h"
#include "tally/date.h"

static const char *const formats[] = {"%d/%m/%Y", "%Y-%j", "%s", "%Y%m%d", "%b %Y", "%m/%d/%y", "%Y",
                                      "%d.%m.%Y %H:%M", "%Y-%m", "%e %B %Y", "%F", "%D", "%j/%Y", "%y"};

/* A date tally made: a year it can print, a month, and a day that exists. */
static void real_date(tl_date d)
{
	int y = tl_date_year(d), m = tl_date_month(d), day = tl_date_day(d), prec = tl_date_prec(d);
	fuzz_assert(y >= 1 && y <= 9999, "a parsed year out of 1-9999");
	fuzz_assert(m >= 1 && m <= 12, "a parsed month out of 1-12");
	fuzz_assert(prec == TL_PREC_DAY ? day >= 1 && day <= tl_days_in_month(y, m) : day == 0, "a parsed day that does not exist");
	fuzz_assert(tl_date_make(y, m, day, prec) == d, "a date with stray bits");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_date d, e;
	const char *why, *s = (const char *)data + 1;
	char buf[64], text[128];
	size_t n = size - 1;
	if (size < 1) return 0;
	switch (data[0] % 4) {
	case 0:
		if (tl_date_parse(s, n, &d, &why) == 0) {
			real_date(d);
			tl_date_format(d, buf, sizeof buf);
			fuzz_assert(tl_date_parse(buf, strlen(buf), &e, &why) == 0 && e == d, "an ISO date does not read back");
		} else {
			fuzz_assert(why && *why, "a refusal without a reason");
		}
		break;
	case 1:
		if (tl_date_parse_fmt(s, n, formats[data[0] / 4 % (sizeof formats / sizeof *formats)], &d, &why) == 0) real_date(d);
		else fuzz_assert(why && *why, "a refusal without a reason");
		break;
	case 2: {
		int64_t p[3] = {0, 0, 0};
		memcpy(p, s, n < sizeof p ? n : sizeof p);
		if (tl_date_from_parts((long)p[0], (long)p[1], (long)p[2], &d, &why) == 0) real_date(d);
		break;
	}
	case 3:
		if (n >= sizeof text) return 0;
		memcpy(text, s, n);
		text[n] = 0;
		if (tl_quarter_range(text, &d, &e) == 0) {
			real_date(d);
			real_date(e);
			fuzz_assert(d < e, "a quarter that ends before it starts");
		}
		break;
	}
	return 0;
}
