-- The oracle's SQL side: what every line of tests/oracle/driver.lua must say,
-- computed on sqlite3 from the generator's inserts (tests/oracle/gen.lua), list
-- fields exploded into side tables. Independent of tally: only the definitions
-- of the README's "What the numbers mean" are shared.
-- fv: one row per (field, item, key): what an item has for each field
CREATE TEMP VIEW fv AS
	SELECT 'dimension' AS field, id, dimension AS key FROM items WHERE dimension IS NOT NULL
	UNION SELECT 'countries', id, name FROM countries
	UNION SELECT 'organizations', id, name FROM orgs
	UNION SELECT 'lead', id, lead FROM items WHERE lead IS NOT NULL
	UNION SELECT 'month', id, printf('%04d-%02d', y, m) FROM items WHERE prec IN ('day', 'month')
	UNION SELECT 'quarter', id, printf('%04d-Q%d', y, q) FROM items WHERE prec IN ('day', 'month', 'quarter')
	UNION SELECT 'year', id, printf('%04d', y) FROM items WHERE prec IS NOT NULL;
CREATE TEMP TABLE fields(field TEXT);
INSERT INTO fields VALUES ('dimension'), ('countries'), ('organizations'), ('lead'), ('month'), ('quarter'), ('year');
CREATE TEMP TABLE cnt AS SELECT field, key, COUNT(DISTINCT id) AS n FROM fv GROUP BY field, key;
CREATE TEMP TABLE ranked AS
	SELECT field, key, n, ROW_NUMBER() OVER (PARTITION BY field ORDER BY n DESC, key) AS rn,
	       COUNT(*) OVER (PARTITION BY field) AS len FROM cnt;

-- counts, totals, shares of the items
SELECT 'items ' || field || ' ' || (SELECT COUNT(*) FROM items) FROM fields;
SELECT 'mentions ' || f.field || ' ' || (SELECT COUNT(*) FROM fv WHERE fv.field = f.field) FROM fields f;
SELECT 'missing ' || f.field || ' ' || ((SELECT COUNT(*) FROM items) - (SELECT COUNT(DISTINCT id) FROM fv WHERE fv.field = f.field)) FROM fields f;
SELECT 'count ' || field || ' ' || key || ' ' || n FROM cnt;
SELECT 'share ' || field || ' ' || key || ' ' || printf('%.6f', CAST(n AS REAL) / (SELECT COUNT(*) FROM items)) FROM cnt;

-- top N: at most N named, never cut inside a tie (t = the (N+1)-th count: keep
-- those above it), a single leftover named, else Other counting items once
CREATE TEMP TABLE tops AS
	WITH ns(k) AS (VALUES (1), (2), (3), (4)),
	lens AS (SELECT DISTINCT field, len FROM ranked),
	cut AS (SELECT ns.k AS topn, l.field, l.len,
	               (SELECT n FROM ranked r WHERE r.field = l.field AND r.rn = ns.k + 1) AS t FROM ns, lens l),
	kept AS (SELECT topn, field, len,
	                (SELECT COUNT(*) FROM ranked r WHERE r.field = c.field AND (c.t IS NULL OR r.n > c.t)) AS keep
	         FROM cut c)
	SELECT topn, field, len, CASE WHEN len - keep = 1 THEN len ELSE keep END AS keep FROM kept;
SELECT 'top ' || t.field || ' ' || t.topn || ' ' || r.key || ' ' || r.n
	FROM tops t JOIN ranked r ON r.field = t.field AND r.rn <= t.keep;
SELECT 'top ' || t.field || ' ' || t.topn || ' Other (' || (t.len - t.keep) || ' values) ' ||
       (SELECT COUNT(DISTINCT v.id) FROM fv v JOIN ranked r ON r.field = v.field AND r.key = v.key
        WHERE v.field = t.field AND r.rn > t.keep)
	FROM tops t WHERE t.keep < t.len;

-- cross-tabs: items having both keys
CREATE TEMP TABLE pairs(a TEXT, b TEXT);
INSERT INTO pairs VALUES ('dimension', 'countries'), ('countries', 'quarter'), ('dimension', 'month'), ('countries', 'organizations');
SELECT 'xtab ' || p.a || ' ' || p.b || ' ' || x.key || ' ' || y.key || ' ' || COUNT(DISTINCT x.id)
	FROM pairs p JOIN fv x ON x.field = p.a JOIN fv y ON y.field = p.b AND y.id = x.id
	GROUP BY p.a, p.b, x.key, y.key;

-- filters: a value of countries or dimension, alone, within, and with a quarter
SELECT 'where ' || field || ' ' || key || ' ' || n FROM cnt WHERE field IN ('countries', 'dimension');
SELECT 'within ' || c.field || ' ' || c.key || ' ' || o.key || ' ' || COUNT(DISTINCT o.id)
	FROM cnt c JOIN fv w ON w.field = c.field AND w.key = c.key
	JOIN fv o ON o.id = w.id AND o.field = CASE c.field WHEN 'countries' THEN 'dimension' ELSE 'countries' END
	WHERE c.field IN ('countries', 'dimension') GROUP BY c.field, c.key, o.key;
SELECT 'whereq ' || c.field || ' ' || c.key || ' ' || q.key || ' ' ||
       (SELECT COUNT(DISTINCT w.id) FROM fv w JOIN fv wq ON wq.id = w.id AND wq.field = 'quarter' AND wq.key = q.key
        WHERE w.field = c.field AND w.key = c.key)
	FROM cnt c JOIN cnt q ON q.field = 'quarter' WHERE c.field IN ('countries', 'dimension');

-- each quarter against the one before, when both hold items: dimension counts
CREATE TEMP TABLE qd AS SELECT q.key AS q, d.key AS dim, COUNT(DISTINCT d.id) AS n
	FROM fv q JOIN fv d ON d.id = q.id AND d.field = 'dimension' WHERE q.field = 'quarter' GROUP BY q.key, d.key;
CREATE TEMP TABLE qpairs AS SELECT a.key AS q, b.key AS prev FROM cnt a JOIN cnt b
	ON a.field = 'quarter' AND b.field = 'quarter'
	AND CAST(substr(b.key, 1, 4) AS INT) * 4 + CAST(substr(b.key, 7, 1) AS INT) + 1
	  = CAST(substr(a.key, 1, 4) AS INT) * 4 + CAST(substr(a.key, 7, 1) AS INT);
SELECT 'diff ' || p.q || ' ' || k.dim || ' ' || IFNULL(b.n, 0) || ' ' || IFNULL(a.n, 0) || ' ' || (IFNULL(a.n, 0) - IFNULL(b.n, 0))
	FROM qpairs p JOIN (SELECT DISTINCT q, dim FROM qd) k ON k.q IN (p.q, p.prev)
	LEFT JOIN qd a ON a.q = p.q AND a.dim = k.dim LEFT JOIN qd b ON b.q = p.prev AND b.dim = k.dim
	GROUP BY p.q, k.dim;
