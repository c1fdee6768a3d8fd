// duckdb.mjs: DuckDB doing skuscan's core job, for the benchmark.
//
//   node duckdb.mjs NODE_DIR SUBS.csv[.gz] RULES.csv [THREADS [DELIM ENCODING [LICENSES.csv]]]
//
// NODE_DIR is where `npm install --prefix NODE_DIR @duckdb/node-api` put the
// package. The query reads the whole subscription export with read_csv (every
// column VARCHAR), keeps the rows whose OfferName matches one of the two
// retired patterns of RULES.csv (skuscan --print-rules, rows 2-3, made
// case-insensitive with '(?i)'), and groups them by CustomerId with the count
// and the sum of Quantity over the active ones (skuscan's retired_seats).
// A .gz file is read by read_csv's own gzip support. DELIM and ENCODING
// (default ',' and 'utf-8') are read_csv's: ';' and 'latin-1' for an
// Excel re-save in Windows-1252 (whose names are not part of the job).
//
// With LICENSES.csv (the admin center's `Display name,User principal
// name,Licenses`), the job is skuscan's with -l: each affected customer's
// users too, found by the domain of their UPN (CustomerDomainName, without
// case), and of them those whose Licenses name a Dynamics 365 product. The
// line then also gives users=N, the users joined to an affected customer.
//
// Timing is taken inside node around the query only (connect, instance start
// and node's own start-up are not counted); the caller measures the whole
// process separately. Prints one line of key=value pairs:
//   version=... threads=2 query_s=1.234 customers=N rows=N active_quantity=N
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [nodeDir, subs, rulesFile, threads = '2', delim = ',', encoding = 'utf-8', lic] =
  process.argv.slice(2);
if (!nodeDir || !subs || !rulesFile) {
  console.error('usage: node duckdb.mjs NODE_DIR SUBS.csv[.gz] RULES.csv [THREADS]');
  process.exit(2);
}
const require = createRequire(path.resolve(nodeDir) + '/');
const duckdb = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);

// The rules CSV's first three fields (id, kind, pattern) hold no comma or
// quote in the two retired rows, so a plain split finds them; the fields
// after them (family, suggest, products) may be quoted with commas inside,
// and are not needed. Check the shape rather than trust it.
const lines = readFileSync(rulesFile, 'utf8').split('\n');
const patterns = lines.slice(1, 3).map((l) => {
  const f = l.split(',');
  if (f.length < 5 || f[1] !== 'retired' || f[2].includes('"')) {
    console.error(`duckdb.mjs: unexpected rules line: ${l}`);
    process.exit(1);
  }
  return '(?i)' + f[2];
});

const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const from = `read_csv(${q(subs)}, header = true, all_varchar = true,
              delim = ${q(delim)}, quote = '"', escape = '"', encoding = ${q(encoding)})`;
const retired = `regexp_matches(OfferName, ${q(patterns[0])})
   OR regexp_matches(OfferName, ${q(patterns[1])})`;
const sql = lic === undefined ? `
SELECT CustomerId,
       count(*) AS retired_subscriptions,
       sum(CAST(Quantity AS BIGINT)) FILTER (WHERE lower(Status) = 'active') AS retired_seats
FROM ${from}
WHERE ${retired}
GROUP BY CustomerId` : `
WITH affected AS (
  SELECT CustomerId, lower(any_value(CustomerDomainName)) AS domain,
         count(*) AS retired_subscriptions,
         sum(CAST(Quantity AS BIGINT)) FILTER (WHERE lower(Status) = 'active') AS retired_seats
  FROM ${from}
  WHERE ${retired}
  GROUP BY CustomerId),
users AS (
  SELECT lower(split_part("User principal name", '@', 2)) AS domain, Licenses
  FROM read_csv(${q(lic)}, header = true, all_varchar = true, quote = '"', escape = '"'))
SELECT a.CustomerId, any_value(a.retired_subscriptions), any_value(a.retired_seats),
       count(u.domain) AS users,
       count(u.domain) FILTER (WHERE u.Licenses LIKE '%Dynamics 365%') AS d365_users
FROM affected a LEFT JOIN users u ON u.domain = a.domain
GROUP BY a.CustomerId`;

const instance = await duckdb.DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
const t0 = process.hrtime.bigint();
const reader = await con.runAndReadAll(sql);
const rows = reader.getRows();
const t1 = process.hrtime.bigint();

let count = 0n;
let qty = 0n;
let users = 0n;
for (const r of rows) {
  count += BigInt(r[1]);
  if (r[2] !== null) qty += BigInt(r[2]);
  if (lic !== undefined) users += BigInt(r[3]);
}
console.log(`version=${duckdb.version()} threads=${threads} ` +
  `query_s=${(Number(t1 - t0) / 1e9).toFixed(3)} customers=${rows.length} ` +
  `rows=${count} active_quantity=${qty}` + (lic === undefined ? '' : ` users=${users}`));
