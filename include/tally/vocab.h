/* Vocabularies: ISO 3166-1 countries (from Debian's iso-codes), the aliases that
 * digests use (data/country-aliases.tsv), CICA status (data/cica-status.tsv), and
 * the six CICA dimensions with their aliases. */
#ifndef TALLY_VOCAB_H
#define TALLY_VOCAB_H

#include <stddef.h>
#include "tally/error.h"

typedef enum tl_cica { TL_CICA_NONE = 0, TL_CICA_MEMBER, TL_CICA_OBSERVER } tl_cica;

typedef struct tl_country {
	char        alpha2[3];
	char        alpha3[4];
	const char *name;       /* the short name tally prints: "Türkiye", "Iran", "Republic of Korea" */
	const char *iso_name;   /* the ISO 3166-1 name: "Iran, Islamic Republic of" */
	tl_cica     cica;
} tl_country;

/* How country cells are read. NAME accepts names, aliases and alpha-3 codes;
 * ISO2 and ISO3 accept only codes of that kind; RAW keeps the cell as written;
 * FIPS reads FIPS 10-4 codes (GDELT's) through data/fips-iso.tsv. */
typedef enum tl_ccmode { TL_CC_NAME = 0, TL_CC_ISO2, TL_CC_ISO3, TL_CC_RAW, TL_CC_FIPS } tl_ccmode;

typedef struct tl_vocab tl_vocab;

/* Loads iso_3166-1.json (TALLY_ISO_CODES or /usr/share/iso-codes/json) and the
 * alias and status tables from datadir. NULL with err filled on failure. */
tl_vocab         *vocab_open(const char *datadir, tl_error *err);
void              vocab_free(tl_vocab *v);
/* The path of the iso_3166-1.json vocab_open reads, in buf; NULL when too long. */
const char       *vocab_iso_path(char *buf, size_t n);
/* Looks up n bytes of s, case-insensitively, ignoring surrounding spaces. NULL when unknown. */
const tl_country *vocab_country(const tl_vocab *v, const char *s, size_t n, tl_ccmode mode);
/* The closest known name to an unknown one, for "did you mean"; NULL when none is close. */
const char       *vocab_suggest(const tl_vocab *v, const char *s, size_t n);
size_t            vocab_ncountries(const tl_vocab *v);
const tl_country *vocab_country_at(const tl_vocab *v, size_t i);
/* CICA observer organisations, from data/cica-status.tsv. */
size_t            vocab_norgs(const tl_vocab *v);
const char       *vocab_org_at(const tl_vocab *v, size_t i);
/* CICA partner organisations (memoranda of cooperation), from the same file. */
size_t            vocab_npartners(const tl_vocab *v);
const char       *vocab_partner_at(const tl_vocab *v, size_t i);
/* The FIPS 10-4 name of a code that names no ISO country ("Kosovo" for KV), for
 * the error that refuses it; NULL for any other cell. */
const char       *vocab_fips_noiso(const tl_vocab *v, const char *s, size_t n);
int               vocab_ccmode(const char *s);   /* "iso2" ... -> tl_ccmode, -1 if unknown */

/* Dimensions. */
enum tl_dimension {
	TL_DIM_MILPOL, TL_DIM_NCT, TL_DIM_ECONOMIC, TL_DIM_ENVIRONMENTAL, TL_DIM_HUMAN,
	TL_DIM_INSTITUTIONAL, TL_NDIMS
};
/* "NCT", "New Challenges and Threats", "Human Dimension" ... -> enum, -1 if unknown. */
int         vocab_dimension(const char *s, size_t n);
const char *vocab_dimension_name(int d);   /* "military-political" ... */
const char *vocab_dimension_label(int d);  /* "Military-political" ... for charts */

#endif
