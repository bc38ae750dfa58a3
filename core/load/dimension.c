/* The six CICA dimensions: their names, their labels, and the spellings a source
 * may use for them. A fixed table, unlike the country vocabulary (vocab.c), which
 * is read from files; declared with it in tally/vocab.h. */
#include <string.h>

#include "tally/vocab.h"

static const struct { const char *name, *label; } vc_dims[TL_NDIMS] = {
	[TL_DIM_MILPOL]        = { "military-political", "Military-political" },
	[TL_DIM_NCT]           = { "new-challenges-and-threats", "New challenges and threats" },
	[TL_DIM_ECONOMIC]      = { "economic", "Economic" },
	[TL_DIM_ENVIRONMENTAL] = { "environmental", "Environmental" },
	[TL_DIM_HUMAN]         = { "human", "Human" },
	[TL_DIM_INSTITUTIONAL] = { "institutional", "Institutional" },
};

/* Aliases with case, spaces, hyphens and underscores removed, "&" spelled "and"
 * and a leading "the" and trailing "dimension" cut (see vc_dimkey). "humanitarian"
 * is how CICA texts translated from Russian name the human dimension. */
static const struct { const char *key; int dim; } vc_dimalias[] = {
	{ "militarypolitical", TL_DIM_MILPOL },  { "milpol", TL_DIM_MILPOL },
	{ "mpd", TL_DIM_MILPOL },                { "politicalmilitary", TL_DIM_MILPOL },
	{ "newchallengesandthreats", TL_DIM_NCT }, { "nct", TL_DIM_NCT },
	{ "newchallenges", TL_DIM_NCT },
	{ "economic", TL_DIM_ECONOMIC },         { "economy", TL_DIM_ECONOMIC },
	{ "environmental", TL_DIM_ENVIRONMENTAL }, { "environment", TL_DIM_ENVIRONMENTAL },
	{ "ecological", TL_DIM_ENVIRONMENTAL },
	{ "human", TL_DIM_HUMAN },               { "humanitarian", TL_DIM_HUMAN },
	{ "institutional", TL_DIM_INSTITUTIONAL }, { "cicainstitutional", TL_DIM_INSTITUTIONAL },
	{ "organisational", TL_DIM_INSTITUTIONAL }, { "organizational", TL_DIM_INSTITUTIONAL },
};

/* Squeezes a dimension as written into the form of vc_dimalias. Returns -1 when
 * it is too long to be any dimension. */
static int vc_dimkey(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '-' || c == '_' || (c >= '\t' && c <= '\r'))
			continue;
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x94) {
			i += 2;                        /* U+2010..U+2014, Unicode hyphens and dashes */
			continue;
		}
		if (o + 4 >= outsz)
			return -1;
		if (c == '&') {
			memcpy(out + o, "and", 3);
			o += 3;
		} else {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	}
	out[o] = '\0';
	if (o > 9 && strcmp(out + o - 9, "dimension") == 0)
		out[o -= 9] = '\0';
	if (o > 3 && memcmp(out, "the", 3) == 0)
		memmove(out, out + 3, (o -= 3) + 1);
	return 0;
}

int vocab_dimension(const char *s, size_t n)
{
	char key[64];
	size_t i;

	if (!s || vc_dimkey(s, n, key, sizeof key) < 0)
		return -1;
	for (i = 0; i < sizeof vc_dimalias / sizeof *vc_dimalias; i++)
		if (strcmp(key, vc_dimalias[i].key) == 0)
			return vc_dimalias[i].dim;
	return -1;
}

const char *vocab_dimension_name(int d)
{
	return d >= 0 && d < TL_NDIMS ? vc_dims[d].name : NULL;
}

const char *vocab_dimension_label(int d)
{
	return d >= 0 && d < TL_NDIMS ? vc_dims[d].label : NULL;
}
