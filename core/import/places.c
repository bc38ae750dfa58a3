/* Places and their countries, from packaged data rather than a typed gazetteer:
 * the subdivisions of iso-codes' iso_3166-2.json (provinces, regions, cities with
 * their own status: "Almaty", "Shanghai") and the cities that name tzdata's
 * zones in zone.tab ("Asia/Bangkok", one country per zone; zone1970.tab lists
 * several and is not used). A name two countries share says nothing and is
 * dropped; the plugin's own place file adds what these lack (Astana). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <json-c/json.h>
#include "tally/import.h"

#ifndef IMP_ISODIR
#define IMP_ISODIR "/usr/share/iso-codes/json"
#endif
#ifndef IMP_ZONETAB
#define IMP_ZONETAB "/usr/share/zoneinfo/zone.tab"
#endif

/* Records name -> alpha2, or "" once a second country claims the name. */
static void put(GHashTable *h, const char *name, size_t n, const char *alpha2)
{
	size_t len;
	char *f = imp_fold(name, n, &len);
	if (!f)
		return;
	while (len && (f[len - 1] == ' ' || f[len - 1] == '\''))
		f[--len] = '\0';
	if (len < 3) {
		free(f);
		return;
	}
	char *key = g_strdup(f);
	free(f);
	const char *old = g_hash_table_lookup(h, key);
	if (old == NULL)
		g_hash_table_insert(h, key, g_strndup(alpha2, 2));
	else {
		if (*old && strcmp(old, alpha2) != 0)
			g_hash_table_insert(h, g_strdup(key), g_strdup(""));
		g_free(key);
	}
}

/* A subdivision's name, and its stem without the kind of subdivision it is
 * ("Pavlodar oblysy" -> "Pavlodar", "Sichuan Sheng" -> "Sichuan"). */
static void put_subdivision(GHashTable *h, const char *name, const char *alpha2)
{
	static const char *const kinds[] = { " oblast'", " oblysy", " oblast", " province", " region",
	                                     " governorate", " prefecture", " sheng", " shi", " state",
	                                     " district", " county", " viloyati", " wilayah", " ostan",
	                                     " velayaty", " oblasty", " city", NULL };
	size_t n = strlen(name);
	put(h, name, n, alpha2);
	for (int i = 0; kinds[i]; i++) {
		size_t k = strlen(kinds[i]);
		if (n > k + 2 && g_ascii_strcasecmp(name + n - k, kinds[i]) == 0) {
			put(h, name, n - k, alpha2);
			break;
		}
	}
}

static int load_iso(GHashTable *h, tl_error *err)
{
	const char *dir = getenv("TALLY_ISO_CODES");
	char path[1024];
	json_object *root, *list;
	if (!dir || !*dir)
		dir = IMP_ISODIR;
	snprintf(path, sizeof path, "%s/iso_3166-2.json", dir);
	if (!(root = json_object_from_file(path)))
		return tl_fail(err, path, 0, 0, "cannot read the subdivisions (Debian package iso-codes)");
	if (!json_object_object_get_ex(root, "3166-2", &list) || !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		return tl_fail(err, path, 0, 0, "no \"3166-2\" list in the file");
	}
	size_t n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(list, i), *code, *name;
		if (!json_object_object_get_ex(o, "code", &code) || !json_object_object_get_ex(o, "name", &name))
			continue;
		const char *c = json_object_get_string(code);
		if (c && strlen(c) > 3 && c[2] == '-')
			put_subdivision(h, json_object_get_string(name), c);
	}
	json_object_put(root);
	return 0;
}

static int load_zones(GHashTable *h, tl_error *err)
{
	const char *path = getenv("TALLY_ZONE_TAB");
	char line[1024];
	FILE *f;
	if (!path || !*path)
		path = IMP_ZONETAB;
	if (!(f = fopen(path, "r")))
		return tl_fail(err, path, 0, 0, "cannot read the time zone cities (Debian package tzdata)");
	while (fgets(line, sizeof line, f)) {
		char *cc, *tz, *save = NULL;
		if (line[0] == '#' || !(cc = strtok_r(line, "\t\n", &save)) || strlen(cc) != 2)
			continue;
		if (!strtok_r(NULL, "\t\n", &save) || !(tz = strtok_r(NULL, "\t\n", &save)))
			continue;
		char *city = strrchr(tz, '/');
		city = city ? city + 1 : tz;
		for (char *p = city; *p; p++)
			if (*p == '_')
				*p = ' ';
		put(h, city, strlen(city), cc);
	}
	fclose(f);
	return 0;
}

long imp_places(void (*fn)(void *ud, const char *name, const char *alpha2), void *ud, tl_error *err)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	gpointer k, v;
	long n = 0;
	if (load_iso(h, err) < 0 || load_zones(h, err) < 0) {
		g_hash_table_destroy(h);
		return -1;
	}
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (*(const char *)v) {
			fn(ud, k, v);
			n++;
		}
	g_hash_table_destroy(h);
	return n;
}
