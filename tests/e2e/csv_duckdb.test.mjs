// End-to-end: DuckDB writes a CSV file (plain and gzip) with awkward text (delimiters, quotes,
// line breaks, empty strings vs NULL), numbers, booleans, dates and timestamps; tarn's CsvReader
// infers its schema and reads it (`parquet_tool csv`, which writes what it read to Parquet); DuckDB
// must then find in tarn's Parquet exactly the types and rows its own read_csv gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { requireClient } from './tarn_harness.mjs';

const PARQUET_TOOL = process.env.PARQUET_TOOL ??
  path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/release/tests/parquet_tool');

const duck = requireClient('@duckdb/node-api');

let dir;
let conn;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-csv-duck-'));
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(`
    CREATE TABLE t AS
    SELECT
      i AS id,
      CASE WHEN i % 11 = 3 THEN NULL ELSE i * 1.25 - 100 END AS x,
      CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
      CASE i % 6 WHEN 0 THEN 'plain ' || i WHEN 1 THEN 'comma, "quoted" ' || i
                 WHEN 2 THEN 'line' || chr(10) || 'break' || chr(13) || chr(10) || i
                 WHEN 3 THEN '' WHEN 4 THEN NULL ELSE 'ünïcödé ' || i END AS s,
      DATE '2024-01-01' + (i % 400)::INTEGER AS d,
      TIMESTAMP '2024-03-01 12:00:00' + to_microseconds(i * 123456789) AS ts
    FROM range(3000) r(i)`);
});

after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function rows(sql) {
  return (await conn.runAndReadAll(sql)).getRowsJson();
}

for (const compression of ['none', 'gzip']) {
  test(`tarn reads DuckDB's CSV (${compression}) as DuckDB does`, async () => {
    const csv = path.join(dir, `t-${compression}.csv${compression === 'gzip' ? '.gz' : ''}`);
    const pq = path.join(dir, `t-${compression}.parquet`);
    await conn.run(`COPY t TO '${csv}' (HEADER, COMPRESSION ${compression})`);
    const run = spawnSync(PARQUET_TOOL, ['csv', csv, pq], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.rows, 3000);
    assert.equal(summary.error_count, 0, JSON.stringify(summary.errors));
    assert.equal(summary.schema,
      'id: INT64, x: DOUBLE, flag: BOOLEAN, s: VARCHAR, d: DATE, ts: TIMESTAMP');

    // DuckDB reads a quoted "" as NULL by default; tarn (like PostgreSQL's COPY and tarn's CSV
    // writer) as the empty string. allow_quoted_nulls = false is DuckDB's switch for the latter.
    const theirs = `read_csv('${csv}', allow_quoted_nulls = false)`;
    const ours = `(SELECT id, x, flag, s, d, ts::TIMESTAMP AS ts FROM read_parquet('${pq}'))`;
    const types = async (rel) => (await rows(`DESCRIBE SELECT * FROM ${rel}`)).map((r) => r[1]);
    assert.deepEqual(await types(ours), await types(theirs));
    assert.deepEqual(await types(ours), ['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP']);
    // Same rows both ways (EXCEPT ALL keeps duplicates; NULLs compare equal in set operations).
    assert.deepEqual(await rows(`SELECT count(*) FROM (SELECT * FROM ${ours} EXCEPT ALL SELECT * FROM ${theirs})`), [['0']]);
    assert.deepEqual(await rows(`SELECT count(*) FROM (SELECT * FROM ${theirs} EXCEPT ALL SELECT * FROM ${ours})`), [['0']]);
    // The cases that matter, spelled out: '' stays '', NULL stays NULL, line breaks survive.
    assert.deepEqual(await rows(`SELECT s IS NULL, s = '' FROM ${ours} WHERE id IN (3, 4) ORDER BY id`),
      [[false, true], [true, null]]);
    assert.deepEqual(await rows(`SELECT s FROM ${ours} WHERE id = 2`), [['line\nbreak\r\n2']]);
  });
}
