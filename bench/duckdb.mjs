// The DuckDB side of `make bench`: one count over a digest CSV, printed as
// sorted "key,count" lines (a cross-tab as "key1,key2,count"), no header.
//
//   node bench/duckdb.mjs --modules DIR --threads N --by FIELD[,FIELD2] FILE
//
// DIR is where @duckdb/node-api was installed (bench/run puts it under its temp
// directory, never in the repo). FIELD: dimension, country, month, or another column.
import { createRequire } from 'node:module';
import path from 'node:path';

function usage(msg) {
	if (msg) process.stderr.write(`duckdb.mjs: ${msg}\n`);
	process.stderr.write('usage: node duckdb.mjs --modules DIR --threads N --by FIELD[,FIELD2] FILE\n');
	process.exit(2);
}

const opt = { modules: null, threads: 1, by: null, file: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (a === '--modules') opt.modules = argv[++i];
	else if (a === '--threads') opt.threads = Number(argv[++i]);
	else if (a === '--by') opt.by = argv[++i];
	else if (a.startsWith('--')) usage(`unknown option ${a}`);
	else if (opt.file === null) opt.file = a;
	else usage('one file only');
}
if (!opt.modules || !opt.by || !opt.file || !(opt.threads >= 1)) usage();

const require = createRequire(path.join(path.resolve(opt.modules), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

// The expression that gives the key of one field; country explodes a row into its
// ';'-separated countries (the generator writes them without spaces).
function keyExpr(field) {
	if (field === 'month') return { expr: `strftime(CAST("date" AS DATE), '%Y-%m')`, explode: false };
	if (field === 'country' || field === 'countries')
		return { expr: `unnest(string_split("countries", ';'))`, explode: true };
	return { expr: ident(field), explode: false };
}

const fields = opt.by.split(',');
if (fields.length > 2) usage('at most two fields');
const src = `read_csv(${quote(opt.file)}, header = true)`;
const keys = fields.map(keyExpr);
// unnest() must sit in a projection of its own: explode first, then group.
const inner = keys.map((k, i) => `${k.expr} AS k${i}`).join(', ');
const outer = keys.map((_, i) => `k${i}`).join(', ');
const sql = `SELECT ${outer}, count(*) AS n FROM (SELECT ${inner} FROM ${src}) ` +
	`WHERE ${keys.map((_, i) => `k${i} IS NOT NULL AND k${i} <> ''`).join(' AND ')} ` +
	`GROUP BY ALL ORDER BY ${outer}`;

const instance = await DuckDBInstance.create(':memory:', { threads: String(opt.threads) });
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
const rows = reader.getRows();
const out = rows.map((r) => r.map(String).join(',')).join('\n');
process.stdout.write(out + (out ? '\n' : ''));
con.closeSync?.();
instance.closeSync?.();
