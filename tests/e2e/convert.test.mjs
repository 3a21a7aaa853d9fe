// End-to-end: `tarn convert` between NDJSON, CSV and Parquet, checked by DuckDB. tarn gen writes
// events, the test mixes junk lines in; tarn converts them to Parquet and on to NDJSON, CSV.gz and
// Parquet again; DuckDB must find in every output the rows its own read_json finds in the clean
// events, with the types tarn inferred, and tarn must count each junk line as a bad record.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { requireClient, TARN_BIN } from './tarn_harness.mjs';

const duck = requireClient('@duckdb/node-api');
const EVENTS = 20000;

let dir;
let conn;

function tarn(...args) {
  return spawnSync(TARN_BIN, args, { encoding: 'utf8' });
}

function convert(...args) {
  const run = tarn('convert', ...args);
  assert.equal(run.status, 0, run.stderr);
  return run.stderr;
}

async function rows(sql) {
  return (await conn.runAndReadAll(sql)).getRowsJson();
}

// The rows of `a` and `b` (their `columns`, by name) differ in neither direction.
async function assertSameRows(a, b, label, columns = COLUMNS) {
  for (const [x, y] of [[a, b], [b, a]]) {
    const diff = await rows(`SELECT count(*) FROM (SELECT ${columns} FROM ${x}
      EXCEPT ALL SELECT ${columns} FROM ${y})`);
    assert.equal(Number(diff[0][0]), 0, `${label}: rows of ${x} missing from ${y}`);
  }
}

const COLUMNS = 'event_id, user_id, session_id, event_type, page, referrer, country, device, ' +
  'price, ts, context, tags';
const JUNK = ['not json at all', '{"event_id": "x", ', "{'single': 'quotes'}", '[1, 2, 3]'];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-convert-'));
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  const gen = tarn('gen', '--count', String(EVENTS), '--out', path.join(dir, 'clean.ndjson'));
  assert.equal(gen.status, 0, gen.stderr);
  // The input tarn converts: the clean events with a junk line after every 97th.
  const lines = fs.readFileSync(path.join(dir, 'clean.ndjson'), 'utf8').split('\n').filter(Boolean);
  const dirty = [];
  lines.forEach((line, i) => {
    dirty.push(line);
    if (i % 97 === 0) dirty.push(JUNK[i % JUNK.length]);
  });
  fs.writeFileSync(path.join(dir, 'events.ndjson'), dirty.join('\n') + '\n');
  // The oracle: DuckDB's reading of the clean events, with the types tarn infers.
  await conn.run(`CREATE TABLE want AS SELECT ${COLUMNS} FROM read_json('${dir}/clean.ndjson',
    format = 'newline_delimited',
    columns = {event_id: 'VARCHAR', user_id: 'BIGINT', session_id: 'VARCHAR',
      event_type: 'VARCHAR', page: 'VARCHAR', referrer: 'VARCHAR', country: 'VARCHAR',
      device: 'VARCHAR', price: 'DOUBLE', ts: 'TIMESTAMP',
      context: 'STRUCT(app_version VARCHAR, os VARCHAR, screen STRUCT(w BIGINT, h BIGINT))',
      tags: 'VARCHAR[]'})`);
});

after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

test('NDJSON -> Parquet: inferred types, every well-formed row, bad lines counted', async () => {
  const stderr = convert(`${dir}/events.ndjson`, `${dir}/events.parquet`);
  assert.match(stderr, new RegExp(`: ${EVENTS} rows, \\d+ bytes`));
  const bad = /(\d+) bad records/.exec(stderr);
  assert.ok(bad, stderr);
  assert.equal(Number(bad[1]), Math.ceil(EVENTS / 97), 'each junk line is one bad record');
  // The first junk line follows event 0: it is line 2.
  assert.match(stderr, /events\.ndjson: line 2, column 1: /);
  const types = await rows(`SELECT column_name, column_type FROM
    (DESCRIBE SELECT * FROM read_parquet('${dir}/events.parquet'))`);
  assert.deepEqual(Object.fromEntries(types), {
    event_id: 'VARCHAR', user_id: 'BIGINT', session_id: 'VARCHAR', event_type: 'VARCHAR',
    page: 'VARCHAR', referrer: 'VARCHAR', country: 'VARCHAR', device: 'VARCHAR',
    price: 'DOUBLE', ts: 'TIMESTAMP',
    context: 'STRUCT(app_version VARCHAR, os VARCHAR, screen STRUCT(w BIGINT, h BIGINT))',
    tags: 'VARCHAR[]',
  });
  await assertSameRows('want', `read_parquet('${dir}/events.parquet')`, 'parquet');
});

test('Parquet -> NDJSON and CSV.gz -> Parquet keep every value', async () => {
  convert(`${dir}/events.parquet`, `${dir}/again.jsonl`);
  convert(`${dir}/again.jsonl`, `${dir}/again.parquet`);
  await assertSameRows('want', `read_parquet('${dir}/again.parquet')`, 'ndjson round trip');

  // CSV holds no nested types: a flat projection goes through CSV.gz.
  const flat = 'event_id, user_id, event_type, referrer, price, ts';
  await conn.run(`COPY (SELECT ${flat} FROM want) TO '${dir}/flat.parquet' (FORMAT parquet)`);
  convert(`${dir}/flat.parquet`, `${dir}/flat.csv.gz`);
  const magic = fs.readFileSync(`${dir}/flat.csv.gz`).subarray(0, 2);
  assert.deepEqual([...magic], [0x1f, 0x8b]);
  convert(`${dir}/flat.csv.gz`, `${dir}/flat-again.parquet`);
  await assertSameRows(`read_parquet('${dir}/flat.parquet')`,
    `read_parquet('${dir}/flat-again.parquet')`, 'csv round trip', flat);
  // DuckDB reads tarn's CSV.gz too.
  await assertSameRows(`read_parquet('${dir}/flat.parquet')`,
    `read_csv('${dir}/flat.csv.gz', header = true, allow_quoted_nulls = false,
      columns = {event_id: 'VARCHAR', user_id: 'BIGINT', event_type: 'VARCHAR',
        referrer: 'VARCHAR', price: 'DOUBLE', ts: 'TIMESTAMP'})`, 'csv read by DuckDB', flat);
});

test('--schema, --compression and --row-group-size are applied', async () => {
  fs.writeFileSync(`${dir}/schema.txt`, 'user_id bigint, event_type string, ts timestamp');
  convert(`${dir}/events.ndjson`, `${dir}/narrow.parquet`, '--schema', `${dir}/schema.txt`,
    '--compression', 'zstd', '--row-group-size', '64KiB');
  const meta = await rows(`SELECT DISTINCT compression FROM parquet_metadata('${dir}/narrow.parquet')`);
  assert.deepEqual(meta.map((r) => r[0]), ['ZSTD']);
  const [[groups]] = await rows(
    `SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${dir}/narrow.parquet')`);
  assert.ok(Number(groups) >= 3, `${groups} row groups of ~64 KiB`);
  await assertSameRows('want', `read_parquet('${dir}/narrow.parquet')`, 'narrow',
    'user_id, event_type, ts');
  // BROTLI (what Spark and Arrow users pick for size): DuckDB reads tarn's pages.
  convert(`${dir}/events.ndjson`, `${dir}/brotli.parquet`, '--compression', 'brotli');
  const codecs = await rows(`SELECT DISTINCT compression FROM parquet_metadata('${dir}/brotli.parquet')`);
  assert.deepEqual(codecs.map((r) => r[0]), ['BROTLI']);
  await assertSameRows('want', `read_parquet('${dir}/brotli.parquet')`, 'brotli',
    'user_id, event_type, ts');
});

test('a large NDJSON file is parsed in pieces on every core, in order, with its line numbers', async () => {
  // ~40 MB: over two of the 16 MiB pieces the parallel reader cuts plain input into.
  const clean = path.join(dir, 'large-clean.ndjson');
  const gen = tarn('gen', '--count', '120000', '--seed', '3', '--out', clean);
  assert.equal(gen.status, 0, gen.stderr);
  const lines = fs.readFileSync(clean, 'utf8').split('\n').filter(Boolean);
  const dirty = [];
  const junkLines = [];
  lines.forEach((line, i) => {
    dirty.push(line);
    if (i % 29999 === 0) {
      dirty.push('<html>junk</html>');
      junkLines.push(dirty.length);  // 1-based line number of the junk line
    }
  });
  fs.writeFileSync(path.join(dir, 'large.ndjson'), dirty.join('\n') + '\n');
  const stderr = convert(`${dir}/large.ndjson`, `${dir}/large.parquet`);
  assert.match(stderr, /: 120000 rows, /);
  assert.match(stderr, new RegExp(`${junkLines.length} bad records`));
  const reported = [...stderr.matchAll(/large\.ndjson: line (\d+), column 1/g)].map((m) => Number(m[1]));
  assert.deepEqual(reported, junkLines.slice(0, 5), 'the file\'s line numbers, in order');
  // Every event, in the input's order.
  const [[misplaced]] = await rows(`SELECT count(*) FROM
    (SELECT event_id, row_number() OVER () AS r FROM read_parquet('${dir}/large.parquet')) a
    FULL JOIN (SELECT event_id, row_number() OVER () AS r FROM read_json('${clean}',
      format = 'newline_delimited', columns = {event_id: 'VARCHAR'})) b USING (r)
    WHERE a.event_id IS DISTINCT FROM b.event_id`);
  assert.equal(Number(misplaced), 0);
});

test('errors: one line, exit status 1, no partial output', () => {
  fs.writeFileSync(`${dir}/broken.ndjson.gz`, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
  let run = tarn('convert', `${dir}/broken.ndjson.gz`, `${dir}/broken.parquet`);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /tarn convert: .*broken\.ndjson\.gz/);
  assert.equal(fs.existsSync(`${dir}/broken.parquet`), false, 'no partial output');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.') || f.includes('tmp')), [],
    'no temporary files left');

  run = tarn('convert', `${dir}/missing.ndjson`, `${dir}/x.parquet`);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /missing\.ndjson: No such file or directory/);

  run = tarn('convert', `${dir}/events.ndjson`, `${dir}/x.txt`);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /give --to/);

  run = tarn('convert', `${dir}/events.ndjson`, `${dir}/x.parquet`, '--compression', 'lzo');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /unknown compression 'lzo'/);
});
