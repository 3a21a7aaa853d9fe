// End-to-end: `tarn crawl` over a lake holding Parquet written by DuckDB and by tarn, CSV and
// gzipped NDJSON, then `tarn catalog` showing what it found. DuckDB is the oracle for the Parquet
// schemas (tarn must report the types DuckDB wrote) and reads every file the crawler registered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';

import { requireClient, startTarn, TARN_BIN } from './tarn_harness.mjs';

const duck = requireClient('@duckdb/node-api');

let dir;
let lake;
let conn;

function tarn(...args) {
  return spawnSync(TARN_BIN, args, { encoding: 'utf8' });
}

function ok(...args) {
  const run = tarn(...args);
  assert.equal(run.status, 0, `tarn ${args.join(' ')}: ${run.stderr}`);
  return run;
}

function put(key, data) {
  fs.mkdirSync(path.dirname(path.join(lake, key)), { recursive: true });
  fs.writeFileSync(path.join(lake, key), data);
}

// "name type" lines of `tarn catalog describe` between "columns" and "partition keys".
function describedColumns(table) {
  const out = ok('catalog', 'describe', '--data', dir, table).stdout;
  const lines = out.split('\n');
  const start = lines.indexOf('columns') + 1;
  const end = lines.indexOf('partition keys');
  return Object.fromEntries(lines.slice(start, end).map((l) => l.trim().split(/\s+/)));
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-crawl-'));
  lake = path.join(dir, 'lake');
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  // Parquet by DuckDB: two partitions, the second with an extra column.
  for (const [day, extra] of [['01', ''], ['02', ', 2.5::DOUBLE AS discount']]) {
    const file = path.join(lake, `processed/orders/day=${day}/part-0.parquet`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await conn.run(`COPY (SELECT i::BIGINT AS order_id, 'sku-' || i AS sku,
        (i * 1.5)::DECIMAL(10,2) AS amount, DATE '2026-11-01' + i::INTEGER AS shipped,
        TIMESTAMP '2026-11-01 10:00:00' AS placed, i % 2 = 0 AS paid${extra}
      FROM range(100) t(i)) TO '${file}' (FORMAT parquet)`);
  }
  // Parquet by tarn: events converted from NDJSON.
  ok('gen', '--count', '500', '--out', path.join(dir, 'events.ndjson'));
  fs.mkdirSync(path.join(lake, 'processed/events/day=2026-01-01'), { recursive: true });
  ok('convert', path.join(dir, 'events.ndjson'),
    path.join(lake, 'processed/events/day=2026-01-01/part-0.parquet'));
  // CSV with a header; NDJSON gzipped in Hive partitions, one file with an extra field.
  put('raw/prices/prices.csv', 'sku;price;listed\nsku-1;1.25;2026-11-01\nsku-2;3;2026-11-02\n');
  put('raw/clicks/year=2026/month=11/a.json.gz',
    zlib.gzipSync('{"page": "/a", "ms": 12}\n{"page": "/b", "ms": 7}\n'));
  put('raw/clicks/year=2026/month=12/b.json.gz',
    zlib.gzipSync('{"page": "/c", "ms": 3.5, "ref": "x"}\n'));
  put('raw/clicks/year=2026/month=12/broken.json.gz', 'not gzip at all');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('tarn crawl finds one table per dataset, reports unreadable files and goes on', () => {
  const run = ok('crawl', '--data', dir);
  assert.match(run.stderr, /raw\/clicks\/year=2026\/month=12\/broken\.json\.gz: /);
  assert.match(run.stderr, /SUCCEEDED .* 4 tables created, 0 updated, 0 deprecated or deleted, 5 partitions added/);
  const tables = ok('catalog', 'tables', '--data', dir).stdout;
  for (const t of ['processed.orders', 'processed.events', 'raw.prices', 'raw.clicks']) {
    assert.match(tables, new RegExp(`^${t.replace('.', '\\.')} `, 'm'), tables);
  }
  assert.equal(tables.trim().split('\n').length, 5, tables);  // a header and four tables
});

test('Parquet columns have the types DuckDB wrote, merged over partitions', async () => {
  const columns = describedColumns('processed.orders');
  assert.deepEqual(columns, {
    order_id: 'bigint', sku: 'string', amount: 'decimal(10,2)', shipped: 'date',
    placed: 'timestamp', paid: 'boolean', discount: 'double',
  });
  // The crawler's partition counters match what DuckDB counts in the files.
  const parts = ok('catalog', 'partitions', '--data', dir, 'processed.orders').stdout;
  assert.match(parts, /^01\s+1\s+\d+\s+100\s+processed\/orders\/day=01\/$/m, parts);
  const duckCount = (await conn.runAndReadAll(
    `SELECT count(*) FROM read_parquet('${lake}/processed/orders/*/*.parquet', union_by_name=true)`)).getRows();
  assert.equal(Number(duckCount[0][0]), 200);
});

test('tarn-written Parquet, CSV and gzipped NDJSON are typed', () => {
  const events = describedColumns('processed.events');
  assert.equal(events.user_id, 'bigint');
  assert.equal(events.ts, 'timestamp');
  assert.match(events.context, /^struct</);
  assert.deepEqual(describedColumns('raw.prices'), { sku: 'string', price: 'double', listed: 'date' });
  assert.deepEqual(describedColumns('raw.clicks'), { page: 'string', ms: 'double', ref: 'string' });
  const describe = ok('catalog', 'describe', '--data', dir, 'raw.clicks').stdout;
  assert.match(describe, /^ {2}year\s+string$/m);
  assert.match(describe, /^ {2}month\s+string$/m);
});

test('a second crawl after a change adds a schema version; DDL registers the table elsewhere', () => {
  put('raw/prices/more.csv', 'sku;price;listed;currency\nsku-3;2;2026-11-03;EUR\n');
  const run = ok('crawl', '--data', dir, 'raw/');
  assert.match(run.stderr, /0 tables created, 1 updated/);
  const describe = ok('catalog', 'describe', '--data', dir, 'raw.prices').stdout;
  assert.match(describe, /^\s+2 {2}added column currency string$/m, describe);
  assert.match(describe, /^\s+1 {2}created$/m);
  const ddl = ok('catalog', 'ddl', '--data', dir, 'raw.clicks').stdout;
  assert.match(ddl, /^CREATE EXTERNAL TABLE `raw`\.`clicks` \(/);
  assert.match(ddl, /PARTITIONED BY \(\s*`year` string,\s*`month` string\s*\)/);
  assert.match(ddl, new RegExp(`LOCATION 'file://${lake}/raw/clicks/'`));
});

test('catalog commands give one clear line for mistakes', () => {
  const missing = tarn('catalog', 'describe', '--data', dir, 'raw.nope');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, 'tarn catalog: table raw.nope not found\n');
  const bad = tarn('catalog', 'describe', '--data', dir, 'nodot');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /expected DATABASE\.TABLE/);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-crawl-empty-'));
  const none = tarn('catalog', 'tables', '--data', empty);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no catalog at .*catalog\.db \(run `tarn crawl` or `tarn up`/);
  fs.rmSync(empty, { recursive: true, force: true });
});

test('with a server running, tarn crawl says how to crawl there; catalog commands still read', async () => {
  const server = await startTarn();
  try {
    const run = tarn('crawl', '--data', server.dataDir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`held by the tarn server at ${server.endpoint}; crawl there: ` +
      `aws glue start-crawler --name tarn-lake --endpoint-url ${server.endpoint}`));
    const tables = tarn('catalog', 'tables', '--data', server.dataDir);
    assert.equal(tables.status, 0, tables.stderr);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
