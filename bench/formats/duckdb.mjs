// DuckDB's side of bench/formats: the same events, the same column types, the same phases as
// formats_bench (see run.sh). Also checks tarn's file: DuckDB must read it with the types it gave
// its own table and the same values (a fingerprint of every column), or this exits 1.
//
//   node duckdb.mjs EVENTS.ndjson OUT_DIR RUNS THREADS [TARN_PARQUET]
//
// Prints one JSON object: rows, bytes, row_groups, threads and the seconds of every run per phase.
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireClient = createRequire(path.join(here, '../../tests/clients/package.json'));
const { DuckDBInstance } = requireClient('@duckdb/node-api');

const [events, outDir, runsArg, threadsArg, tarnFile] = process.argv.slice(2);
if (!events || !outDir) {
  console.error('usage: node duckdb.mjs EVENTS.ndjson OUT_DIR RUNS THREADS [TARN_PARQUET]');
  process.exit(2);
}
const runs = Number(runsArg || 3);
const threads = String(threadsArg || 2);
const out = path.join(outDir, 'duckdb.parquet');
const quote = (s) => `'${s.replaceAll("'", "''")}'`;

const columns = `{
  event_id: 'VARCHAR', user_id: 'BIGINT', session_id: 'VARCHAR', event_type: 'VARCHAR',
  page: 'VARCHAR', referrer: 'VARCHAR', country: 'VARCHAR', device: 'VARCHAR',
  price: 'DECIMAL(10,2)', ts: 'TIMESTAMP',
  context: 'STRUCT(app_version VARCHAR, os VARCHAR, screen STRUCT(w INTEGER, h INTEGER))',
  tags: 'VARCHAR[]'}`;
// Every value of every column is touched (count(x) is not used: DuckDB answers it from the
// Parquet statistics when a column has no nulls).
const scanAll = (file) => `SELECT sum(length(event_id)), sum(user_id), sum(length(session_id)),
  sum(length(event_type)), sum(length(page)), sum(length(referrer)), sum(length(country)),
  sum(length(device)), sum(price), sum(epoch_us(ts)), sum(length(context.app_version)),
  sum(length(context.os)), sum(context.screen.w), sum(context.screen.h),
  sum(len(tags)) FROM read_parquet(${quote(file)})`;
const scanTwo = (file) =>
  `SELECT sum(length(event_type)), sum(epoch_us(ts)) FROM read_parquet(${quote(file)})`;
const fingerprint = (from) => `SELECT count(*) AS rows, sum(user_id) AS users,
  sum(length(event_id)) AS id_bytes, count(referrer) AS referrers, sum(price) AS price,
  min(ts) AS min_ts, max(ts) AS max_ts, sum(len(tags)) AS tags, count(DISTINCT country) AS countries,
  sum(context.screen.w * context.screen.h) AS pixels, count(DISTINCT context.os) AS oses FROM ${from}`;

const db = await DuckDBInstance.create(':memory:', { threads });
const conn = await db.connect();
const rowsOf = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const timed = async (sql) => {
  const start = process.hrtime.bigint();
  await conn.run(sql);
  return Number(process.hrtime.bigint() - start) / 1e9;
};

const loadStart = Date.now();
await conn.run(`CREATE TABLE events AS SELECT * FROM read_json(${quote(events)},
  format = 'newline_delimited', columns = ${columns})`);
const [{ n }] = await rowsOf('SELECT count(*) AS n FROM events');
console.error(`duckdb.mjs: loaded ${n} events in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

const copy = `COPY events TO ${quote(out)} (FORMAT parquet, COMPRESSION snappy)`;
await timed(copy);  // warm-up
await timed(scanAll(out));
const result = { rows: Number(n), threads: Number(threads), write: [], scan_all: [], scan_2: [] };
for (let r = 0; r < runs; r++) {
  result.write.push(await timed(copy));
  result.scan_all.push(await timed(scanAll(out)));
  result.scan_2.push(await timed(scanTwo(out)));
  console.error(`duckdb.mjs: run ${r + 1}: write ${result.write.at(-1).toFixed(2)} s, ` +
    `scan all ${result.scan_all.at(-1).toFixed(2)} s, scan 2 ${result.scan_2.at(-1).toFixed(2)} s`);
}
result.bytes = statSync(out).size;
const [{ groups }] = await rowsOf(
  `SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata(${quote(out)})`);
result.row_groups = Number(groups);

if (tarnFile) {
  // The same data: column types as DuckDB reports them, and a fingerprint of the values.
  const types = async (from) => JSON.stringify(
    (await rowsOf(`DESCRIBE SELECT * FROM ${from}`)).map((c) => [c.column_name, c.column_type]));
  const want = await types('events');
  const got = await types(`read_parquet(${quote(tarnFile)})`);
  if (want !== got) {
    console.error(`duckdb.mjs: tarn's file has other column types:\n  tarn:   ${got}\n  duckdb: ${want}`);
    process.exit(1);
  }
  const a = JSON.stringify(await rowsOf(fingerprint('events')));
  const b = JSON.stringify(await rowsOf(fingerprint(`read_parquet(${quote(tarnFile)})`)));
  if (a !== b) {
    console.error(`duckdb.mjs: tarn's file holds other values:\n  tarn:   ${b}\n  duckdb: ${a}`);
    process.exit(1);
  }
  result.checked_tarn_file = true;
}
console.log(JSON.stringify(result));
