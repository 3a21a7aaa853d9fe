// Regenerates the seed corpora of the Parquet and Thrift fuzzers (fuzz/corpus/) from real files:
// small Parquet files written by DuckDB (every codec, page v1/v2 with its DELTA and
// BYTE_STREAM_SPLIT encodings, dictionaries on and off, several row groups, nested types) and by
// tarn's writer (tests/tools/parquet_tool, specs in tarn_specs.json). The Thrift corpus is the
// footers of those files and prefixes of their pages (a page header followed by page bytes).
// Seeds are named seed-*; regression cases (crashes found and fixed) are named crash-* and are
// never touched here.
//
//   node fuzz/seeds/make_seeds.mjs [PARQUET_TOOL]   (default build/release/tests/parquet_tool)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const duck = createRequire(path.join(root, 'tests/clients/package.json'))('@duckdb/node-api');
const parquetTool = process.argv[2] ?? path.join(root, 'build/release/tests/parquet_tool');
const parquetDir = path.join(root, 'fuzz/corpus/parquet_reader');
const thriftDir = path.join(root, 'fuzz/corpus/thrift_compact');
const kMaxSeedBytes = 20000;

const conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-seeds-'));
for (const dir of [parquetDir, thriftDir]) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.startsWith('seed-')) fs.rmSync(path.join(dir, f));
}

// Column groups, each small enough that 24 rows stay far below kMaxSeedBytes.
const TABLES = {
  ints: `SELECT i AS id, (i % 3 = 0) AS b, (i % 200 - 100)::TINYINT AS i8,
           CASE WHEN i % 5 = 0 THEN NULL ELSE i * 7919 END::INTEGER AS i32,
           (i * 1000000007)::BIGINT AS i64, (i * 3)::UINTEGER AS u32, i::UBIGINT AS u64`,
  floats: `SELECT (i / 7.0)::FLOAT AS f32, CASE WHEN i % 4 = 0 THEN NULL ELSE i / 3.0 END AS f64,
             ((i % 9999) / 100.0 - 50)::DECIMAL(4,2) AS dec4, (i * 1.001)::DECIMAL(18,3) AS dec18,
             (i * 12345.0000000001)::DECIMAL(38,10) AS dec38`,
  strings: `SELECT CASE WHEN i % 6 = 0 THEN NULL ELSE 'str-' || (i % 5)::VARCHAR END AS s,
              ('blob' || (i % 3)::VARCHAR)::BLOB AS bl,
              (['sad', 'ok', 'happy'])[i % 3 + 1] AS word,
              ('00000000-0000-4000-8000-' || lpad(printf('%x', i * 7919), 12, '0'))::UUID AS uu`,
  times: `SELECT DATE '1970-01-01' + (i * 37)::INTEGER AS dt,
            TIMESTAMP '2024-02-29 12:00:00' + to_microseconds(i * 1234567891) AS ts,
            (TIMESTAMP '2001-02-03 04:05:06.789' + to_milliseconds(i * 1001))::TIMESTAMP_MS AS ts_ms,
            (TIMESTAMP_NS '1999-12-31 23:59:59.123456789' + to_microseconds(i * 3))::TIMESTAMP_NS AS ts_ns,
            (TIMESTAMPTZ '2020-06-01 00:00:00.25+00' + to_seconds(i * 61)) AS ts_tz,
            TIME '00:00:00' + to_microseconds(i * 28800123) AS tm`,
  nested: `SELECT CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN [] WHEN 2 THEN [NULL]::INTEGER[]
                             ELSE range(i % 5)::INTEGER[] END AS li,
             CASE WHEN i % 8 = 0 THEN NULL
                  ELSE {'a': i, 'b': 'bee' || (i % 4)::VARCHAR, 'c': [i / 2.0, -0.5]} END AS st,
             CASE WHEN i % 9 = 0 THEN NULL ELSE [{'x': i, 'y': 'why'}, NULL] END AS lst,
             CASE WHEN i % 10 = 0 THEN NULL ELSE [[i], [], NULL] END AS ll,
             CASE WHEN i % 4 = 0 THEN NULL ELSE MAP {'k' || i::VARCHAR: i, 'n': NULL} END AS mp,
             [i, i * 2]::INTEGER[2] AS arr,
             {'inner': {'deep': CASE WHEN i % 2 = 0 THEN NULL ELSE [{'k': i}] END}} AS nest`,
};

const SETTINGS = [
  ['snappy', 'v1', true], ['zstd', 'v2', true], ['gzip', 'v1', false], ['lz4', 'v2', false],
  ['uncompressed', 'v1', true], ['uncompressed', 'v2', false], ['snappy', 'v2', true],
  ['brotli', 'v1', true], ['brotli', 'v2', false],  // an odd count keeps the spread below
];

const written = [];
let n = 0;
for (const [table, select] of Object.entries(TABLES)) {
  for (const [codec, version, dictionary] of SETTINGS) {
    // Spread the settings over the tables instead of taking every combination.
    if ((n++ % 2) === 1 && table !== 'nested') continue;
    const name = `seed-duckdb-${table}-${codec}-${version}${dictionary ? '' : '-plain'}.parquet`;
    const file = path.join(tmp, name);
    const opts = ['FORMAT parquet', `COMPRESSION ${codec}`, `PARQUET_VERSION ${version}`,
                  'ROW_GROUP_SIZE 10'];
    if (!dictionary) opts.push('DICTIONARY_SIZE_LIMIT 1');
    await conn.run(`COPY (${select} FROM range(24) r(i)) TO '${file}' (${opts.join(', ')})`);
    written.push(file);
  }
}

// tarn's own writer: the specs name their options (codec, page version, dictionary, delta).
const specs = JSON.parse(fs.readFileSync(path.join(here, 'tarn_specs.json'), 'utf8'));
for (const [label, spec] of Object.entries(specs)) {
  const file = path.join(tmp, `seed-tarn-${label}.parquet`);
  const r = spawnSync(parquetTool, ['write', '-', file], { input: JSON.stringify(spec) });
  if (r.status !== 0) throw new Error(`parquet_tool ${label}: ${r.stderr}`);
  written.push(file);
}

let thriftSeeds = 0;
for (const file of written) {
  const bytes = fs.readFileSync(file);
  if (bytes.length > kMaxSeedBytes) throw new Error(`${file}: ${bytes.length} bytes, too big`);
  const base = path.basename(file, '.parquet');
  fs.copyFileSync(file, path.join(parquetDir, path.basename(file)));
  const footerLen = bytes.readUInt32LE(bytes.length - 8);
  fs.writeFileSync(path.join(thriftDir, `${base}.footer`),
                   bytes.subarray(bytes.length - 8 - footerLen, bytes.length - 8));
  // The first page of the file (a dictionary or data page header, v1 or v2) with page bytes.
  const reader = await conn.runAndReadAll(
    `SELECT DISTINCT COALESCE(dictionary_page_offset, data_page_offset) AS o, data_page_offset AS d
     FROM parquet_metadata('${file}') WHERE row_group_id = 0 ORDER BY o`);
  const offsets = new Set();
  for (const [o, d] of reader.getRows()) { offsets.add(Number(o)); offsets.add(Number(d)); }
  let k = 0;
  for (const o of offsets) {
    if (k++ >= 1) break;  // one per file keeps the corpus small
    fs.writeFileSync(path.join(thriftDir, `${base}.page${o}`), bytes.subarray(o, o + 128));
    thriftSeeds++;
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${written.length} Parquet seeds, ${written.length + thriftSeeds} Thrift seeds`);
