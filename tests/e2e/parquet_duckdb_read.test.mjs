// End-to-end: DuckDB writes Parquet files with its various settings (codecs, format v1/v2 with
// DELTA/BYTE_STREAM_SPLIT encodings, dictionaries on/off, many row groups) over every type, and
// `tarn parquet cat --format json` must read back exactly what DuckDB reads from the same file;
// `tarn parquet schema` must give the columnar types DuckDB's DESCRIBE implies.
//
// How values are compared: both sides are turned into one canonical form per DuckDB type (the
// tarn side and the formats are shared with parquet_arrow_rs, in parquet_canonical.mjs).
//   integers, DECIMAL   exact decimal text (tarn's JSON numbers are parsed losslessly, as text);
//                       UTINYINT..UINTEGER widen to INT16..INT64 and UBIGINT to DECIMAL(20,0)
//                       in tarn, which print the same digits
//   FLOAT, DOUBLE       JS shortest text of the value (FLOAT through Math.fround on both sides);
//                       NaN / Infinity / -Infinity / -0 by name (tarn writes "NaN" etc.)
//   VARCHAR, ENUM, UUID the string (UUID in DuckDB's canonical lowercase text)
//   BLOB                base64 (tarn's JSON for VARBINARY)
//   DATE                YYYY-MM-DD; TIMESTAMP[_S|_MS|_NS|TZ] 'YYYY-MM-DD HH:MM:SS[.ffffff]' in
//                       UTC with microseconds (nanoseconds floored, as tarn converts them)
//   TIME                microseconds since midnight (tarn has no TIME type: INT64)
//   LIST/ARRAY, STRUCT  element-wise; MAP as a list of [key, value] pairs (tarn writes a JSON
//                       object for VARCHAR keys, [{"key","value"}] otherwise)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  compareRows as compareCanonRows, floorDiv, fmtDate, fmtDecimal, fmtFloat, fmtTs, tarn, tarnRows,
} from './parquet_canonical.mjs';
import { requireClient } from './tarn_harness.mjs';

const PARQUET_TOOL = process.env.PARQUET_TOOL ??
  path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/release/tests/parquet_tool');

const duck = requireClient('@duckdb/node-api');
const T = duck.DuckDBTypeId;

let dir;
let conn;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-pq-duck-'));
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
  await conn.run(ALL_TYPES_SQL);
});

after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

// Every type DuckDB writes to Parquet that tarn reads, with nulls every few rows, extreme values
// in the first rows, empty and null lists, null structs, maps with VARCHAR and INTEGER keys.
const ALL_TYPES_SQL = `
CREATE TABLE all_types AS
WITH base AS (SELECT i FROM range(3000) r(i))
SELECT
  i AS id,
  CASE WHEN i % 7 = 1 THEN NULL ELSE i % 3 = 0 END AS b,
  CASE i WHEN 0 THEN -128 WHEN 1 THEN 127 WHEN 5 THEN NULL ELSE (i % 200 - 100) END::TINYINT AS i8,
  CASE i WHEN 0 THEN -32768 WHEN 1 THEN 32767 ELSE (i * 7 % 60000 - 30000) END::SMALLINT AS i16,
  CASE i WHEN 0 THEN -2147483648 WHEN 1 THEN 2147483647 WHEN 6 THEN NULL ELSE i * 7919 END::INTEGER AS i32,
  CASE i WHEN 0 THEN -9223372036854775808 WHEN 1 THEN 9223372036854775807
         ELSE i * 1000000007 END::BIGINT AS i64,
  CASE i WHEN 1 THEN 255 ELSE i % 256 END::UTINYINT AS u8,
  CASE i WHEN 1 THEN 65535 ELSE i % 65536 END::USMALLINT AS u16,
  CASE i WHEN 1 THEN 4294967295 ELSE i * 3 END::UINTEGER AS u32,
  CASE i WHEN 1 THEN 18446744073709551615 WHEN 2 THEN 9223372036854775808 ELSE i END::UBIGINT AS u64,
  CASE i WHEN 0 THEN 'nan'::FLOAT WHEN 1 THEN 'inf'::FLOAT WHEN 2 THEN '-inf'::FLOAT
         WHEN 3 THEN -0.0::FLOAT WHEN 4 THEN 3.4028235e38::FLOAT WHEN 9 THEN NULL
         ELSE (i / 7.0)::FLOAT END AS f32,
  CASE i WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN 'inf'::DOUBLE WHEN 2 THEN '-inf'::DOUBLE
         WHEN 3 THEN -0.0::DOUBLE WHEN 4 THEN 1.7976931348623157e308 WHEN 5 THEN 5e-324
         WHEN 9 THEN NULL ELSE i / 3.0 END::DOUBLE AS f64,
  CASE i WHEN 0 THEN -99.99 WHEN 1 THEN 99.99 WHEN 2 THEN NULL ELSE (i % 9999) / 100.0 - 50 END::DECIMAL(4,2) AS dec4,
  CASE i WHEN 0 THEN -999999999999999.999 WHEN 1 THEN 999999999999999.999
         ELSE i * 1.001 END::DECIMAL(18,3) AS dec18,
  CASE i WHEN 0 THEN -9999999999999999999999999999.9999999999
         WHEN 1 THEN 9999999999999999999999999999.9999999999 WHEN 3 THEN NULL
         ELSE i * 12345.0000000001 END::DECIMAL(38,10) AS dec38,
  CASE i WHEN 0 THEN '' WHEN 1 THEN 'héllo wörld ✓ 😀' WHEN 2 THEN '"quoted", comma' || chr(10) || 'newline'
         WHEN 3 THEN repeat('long-', 300) WHEN 4 THEN NULL
         ELSE 'str-' || (i % 97)::VARCHAR END AS s,
  CASE i WHEN 0 THEN ''::BLOB WHEN 1 THEN '\\x00\\xFF\\x80'::BLOB WHEN 7 THEN NULL
         ELSE ('blob' || (i % 13)::VARCHAR)::BLOB END AS bl,
  CASE i WHEN 0 THEN DATE '0001-01-01' WHEN 1 THEN DATE '9999-12-31' WHEN 2 THEN DATE '1969-12-31'
         WHEN 8 THEN NULL ELSE DATE '1970-01-01' + (i * 37 % 40000 - 20000)::INTEGER END AS dt,
  CASE i WHEN 0 THEN TIMESTAMP '0001-01-01 00:00:00' WHEN 1 THEN TIMESTAMP '9999-12-31 23:59:59.999999'
         WHEN 2 THEN TIMESTAMP '1969-12-31 23:59:59.5' WHEN 10 THEN NULL
         ELSE TIMESTAMP '2024-02-29 12:00:00' + to_microseconds(i * 1234567891) END AS ts,
  (TIMESTAMP '2001-02-03 04:05:06.789' + to_milliseconds(i * 1001))::TIMESTAMP_MS AS ts_ms,
  CASE i WHEN 11 THEN NULL
         ELSE (TIMESTAMP_NS '1999-12-31 23:59:59.123456789' + to_microseconds(i * 3))::TIMESTAMP_NS END AS ts_ns,
  (TIMESTAMP '2010-10-10 10:10:10' + to_seconds(i))::TIMESTAMP_S AS ts_s,
  (TIMESTAMPTZ '2020-06-01 00:00:00.25+00' + to_seconds(i * 61)) AS ts_tz,
  CASE WHEN i % 11 = 0 THEN NULL ELSE TIME '00:00:00' + to_microseconds(i * 28800123) END AS tm,
  CASE WHEN i % 13 = 0 THEN NULL
       ELSE ('00000000-0000-4000-8000-' || lpad(printf('%x', i * 7919), 12, '0'))::UUID END AS uu,
  (['sad', 'ok', 'happy'])[i % 3 + 1]::mood AS mood,
  CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN [] WHEN 2 THEN [NULL]::INTEGER[]
       WHEN 3 THEN [i, NULL, -i] ELSE range(i % 5)::INTEGER[] END AS li,
  CASE WHEN i % 5 = 0 THEN NULL ELSE ['a' || i::VARCHAR, '', NULL, 'z'] END AS ls,
  CASE WHEN i % 8 = 0 THEN NULL
       ELSE {'a': CASE WHEN i % 3 = 0 THEN NULL ELSE i END, 'b': 'bee' || (i % 4)::VARCHAR,
             'c': CASE WHEN i % 4 = 0 THEN NULL ELSE [i / 2.0, -0.5] END} END AS st,
  CASE WHEN i % 9 = 0 THEN NULL WHEN i % 9 = 1 THEN []
       ELSE [{'x': i, 'y': 'why'}, NULL, {'x': NULL, 'y': NULL}] END AS lst,
  CASE WHEN i % 10 = 0 THEN NULL ELSE [[i], [], NULL, [NULL, i + 1]] END AS ll,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN MAP {}::MAP(VARCHAR, INTEGER)
       ELSE MAP {'k' || i::VARCHAR: i, 'n': NULL} END AS mp,
  CASE WHEN i % 3 = 0 THEN NULL ELSE MAP {i: ['v', NULL], -i - 1: NULL} END AS mpi,
  [i, i * 2, i * 3]::INTEGER[3] AS arr,
  {'inner': {'deep': CASE WHEN i % 2 = 0 THEN NULL ELSE [{'k': i}] END}} AS nest
FROM base
ORDER BY i`;

// ---- Canonical forms (see parquet_canonical.mjs) ---------------------------------------------

// DuckDB's value (from getRowObjects) of DuckDB type `t`.
function duckCanon(v, t) {
  if (v === null || v === undefined) return null;
  switch (t.typeId) {
    case T.BOOLEAN: return String(v);
    case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT:
    case T.UTINYINT: case T.USMALLINT: case T.UINTEGER: case T.UBIGINT: return String(v);
    case T.FLOAT: return fmtFloat(Math.fround(v));
    case T.DOUBLE: return fmtFloat(v);
    case T.DECIMAL: return fmtDecimal(v.value, t.scale);
    case T.VARCHAR: case T.ENUM: return String(v);
    case T.BLOB: return Buffer.from(v.bytes).toString('base64');
    case T.UUID: return v.toString();
    case T.DATE: return fmtDate(v.days);
    case T.TIMESTAMP: case T.TIMESTAMP_TZ: return fmtTs(v.micros);
    case T.TIMESTAMP_MS: return fmtTs(v.millis * 1000n);
    case T.TIMESTAMP_S: return fmtTs(v.seconds * 1000000n);
    case T.TIMESTAMP_NS: return fmtTs(floorDiv(v.nanos, 1000n));
    case T.TIME: return String(v.micros);
    case T.LIST: case T.ARRAY: return v.items.map((x) => duckCanon(x, t.valueType));
    case T.STRUCT: {
      const out = {};
      t.entryNames.forEach((name, k) => { out[name] = duckCanon(v.entries[name], t.entryTypes[k]); });
      return out;
    }
    case T.MAP:
      return v.entries.map((e) => [duckCanon(e.key, t.keyType), duckCanon(e.value, t.valueType)]);
    default: throw new Error(`no canonical form for DuckDB type ${t}`);
  }
}

// The canonical kind of a column DuckDB reads as type `t`.
function duckKind(t) {
  switch (t.typeId) {
    case T.BOOLEAN: return 'bool';
    case T.FLOAT: return 'float';
    case T.DOUBLE: return 'double';
    case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT: case T.UTINYINT:
    case T.USMALLINT: case T.UINTEGER: case T.UBIGINT: case T.DECIMAL: case T.TIME:
      return 'exact';
    case T.LIST: case T.ARRAY: return { list: duckKind(t.valueType) };
    case T.STRUCT: return { struct: t.entryNames.map((name, k) => [name, duckKind(t.entryTypes[k])]) };
    case T.MAP: return { map: [duckKind(t.keyType), duckKind(t.valueType)] };
    default: return 'text';  // VARCHAR, ENUM, UUID, BLOB (base64), DATE, TIMESTAMP*
  }
}

// The columnar type tarn should report for a column DuckDB reads as type `t`.
function tarnType(t) {
  switch (t.typeId) {
    case T.BOOLEAN: return 'BOOLEAN';
    case T.TINYINT: return 'INT8';
    case T.SMALLINT: case T.UTINYINT: return 'INT16';
    case T.INTEGER: case T.USMALLINT: return 'INT32';
    case T.BIGINT: case T.UINTEGER: case T.TIME: return 'INT64';
    case T.UBIGINT: return 'DECIMAL(20,0)';
    case T.FLOAT: return 'FLOAT';
    case T.DOUBLE: return 'DOUBLE';
    case T.DECIMAL: return `DECIMAL(${t.width},${t.scale})`;
    case T.VARCHAR: case T.ENUM: case T.UUID: return 'VARCHAR';
    case T.BLOB: return 'VARBINARY';
    case T.DATE: return 'DATE';
    case T.TIMESTAMP: case T.TIMESTAMP_TZ: case T.TIMESTAMP_MS: case T.TIMESTAMP_S:
    case T.TIMESTAMP_NS: return 'TIMESTAMP';
    case T.LIST: case T.ARRAY: return `LIST<${tarnType(t.valueType)}>`;
    case T.STRUCT:
      return `STRUCT<${t.entryNames.map((n, k) => `${n}: ${tarnType(t.entryTypes[k])}`).join(', ')}>`;
    case T.MAP: return `MAP<${tarnType(t.keyType)}, ${tarnType(t.valueType)}>`;
    default: throw new Error(`no tarn type for ${t}`);
  }
}

// ---- The comparison --------------------------------------------------------------------------------

async function duckRead(file, select = '*') {
  const r = await conn.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
  return { names: r.columnNames(), types: r.columnTypes(), rows: r.getRowObjects() };
}

function compareRows(label, duckResult, tarnResult) {
  const { names, types, rows } = duckResult;
  return compareCanonRows(label, {
    names, types, kinds: types.map(duckKind),
    want: (r, c) => duckCanon(rows[r][names[c]], types[c]),
  }, tarnResult, rows.length);
}

const SETTINGS = [];
for (const compression of ['snappy', 'zstd', 'gzip', 'lz4', 'brotli', 'uncompressed']) {
  for (const version of ['v1', 'v2']) {
    SETTINGS.push({ compression, version, dictionary: true });
  }
}
SETTINGS.push({ compression: 'snappy', version: 'v1', dictionary: false });
SETTINGS.push({ compression: 'zstd', version: 'v2', dictionary: false });
SETTINGS.push({ compression: 'snappy', version: 'v2', dictionary: true, rowGroupSize: 100 });

for (const s of SETTINGS) {
  const label = `${s.compression} ${s.version}${s.dictionary ? '' : ' no-dictionary'}` +
                `${s.rowGroupSize ? ` row_group_size ${s.rowGroupSize}` : ''}`;
  test(`every type, DuckDB ${label}`, async () => {
    const file = path.join(dir, `${label.replace(/ /g, '_')}.parquet`);
    const opts = [`FORMAT parquet`, `COMPRESSION ${s.compression}`, `PARQUET_VERSION ${s.version}`];
    if (!s.dictionary) opts.push('DICTIONARY_SIZE_LIMIT 1');
    if (s.rowGroupSize) opts.push(`ROW_GROUP_SIZE ${s.rowGroupSize}`);
    await conn.run(`COPY all_types TO '${file}' (${opts.join(', ')})`);
    const want = await duckRead(file);
    const checked = compareRows(label, want, tarnRows(file));
    assert.ok(checked >= 3000 * 35, `${checked} values compared`);
  });
}

test('many row groups, projections of columns and struct members', async () => {
  const file = path.join(dir, 'many_groups.parquet');
  await conn.run(`COPY (SELECT * FROM all_types, range(7) r(k) ORDER BY k, id)
                  TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION zstd)`);
  const meta = tarn('parquet', 'meta', file);
  assert.equal(meta.status, 0, meta.stderr);
  const groups = Number(/row groups: (\d+)/.exec(meta.stdout)[1]);
  assert.ok(groups >= 8, `${groups} row groups`);

  compareRows('projection', await duckRead(file, 'k, s, li, mp'), tarnRows(file, 'k,s,li,mp'));
  // Struct members: tarn keeps the struct with just the named members.
  const members = await duckRead(file,
    `CASE WHEN st IS NULL THEN NULL ELSE struct_pack(a := st.a, c := st.c) END AS st, id,
     CASE WHEN nest IS NULL THEN NULL ELSE struct_pack(inner := nest.inner) END AS nest`);
  compareRows('struct members', members, tarnRows(file, 'st.c,id,st.a,nest.inner.deep'));
});

test('tarn parquet schema gives the columnar types of DuckDB DESCRIBE', async () => {
  const file = path.join(dir, 'schema.parquet');
  await conn.run(`COPY all_types TO '${file}' (FORMAT parquet)`);
  const { names, types } = await duckRead(file);
  const r = tarn('parquet', 'schema', file);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const start = lines.indexOf('columnar schema:');
  const got = lines.slice(start + 1, start + 1 + names.length).map((l) => l.trim());
  assert.deepEqual(got, names.map((n, i) => `${n}: ${tarnType(types[i])}`));
  assert.match(r.stdout, /parquet schema:\nmessage duckdb_schema \{\n  optional int64 id/);
});

test('CSV output: header, NULL as an empty field, timestamps, nested values as JSON', async () => {
  const file = path.join(dir, 'csv.parquet');
  await conn.run(`COPY (SELECT id, s, ts, li FROM all_types WHERE id IN (0, 2, 4, 6, 10)
                  ORDER BY id) TO '${file}' (FORMAT parquet)`);
  const r = tarn('parquet', 'cat', file, '--format', 'csv', '--limit', '4');
  assert.equal(r.status, 0, r.stderr);
  const ts = (i) => fmtTs(1709208000000000n + BigInt(i) * 1234567891n);  // '2024-02-29 12:00' + ...
  assert.equal(r.stdout,
    'id,s,ts,li\n' +
    '0,"",0001-01-01 00:00:00,\n' +
    '2,"""quoted"", comma\nnewline",1969-12-31 23:59:59.500000,"[null]"\n' +
    `4,,${ts(4)},"[0,1,2,3]"\n` +
    `6,str-6,${ts(6)},\n`);
});

// Row-group skipping on DuckDB's statistics: a group with a matching row is never skipped, and
// on sorted data the groups without one are (parquet_tool read --where ... --groups).
test('row groups skipped by statistics never hold a matching row', async () => {
  const file = path.join(dir, 'sorted.parquet');
  await conn.run(`COPY (
      SELECT i AS id, i * 3 AS i32, (i / 100)::DECIMAL(18,2) AS dec18,
             (i * 1000000007)::DECIMAL(38,4) AS dec38,
             DATE '1999-12-25' + (i // 10)::INTEGER AS dt,
             TIMESTAMP '2020-02-02 02:02:02' + to_seconds(i * 7) AS ts,
             (TIMESTAMP_NS '2020-02-02 02:02:02' + to_microseconds(i))::TIMESTAMP_NS AS ts_ns,
             lpad(i::VARCHAR, 6, '0') AS s,
             (i::UBIGINT + 9223372036854775808::UBIGINT) AS u64,
             (i * 200000)::UINTEGER AS u32,
             (i * 0.5)::DOUBLE AS d,
             CASE WHEN i >= 8192 AND i < 12288 THEN NULL ELSE i END AS sparse,
             {'k': (i % 1000)::INTEGER} AS st
      FROM range(20000) r(i) ORDER BY i)
    TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  const sizes = (await conn.runAndReadAll(
    `SELECT row_group_num_rows FROM parquet_metadata('${file}') WHERE column_id = 0
     ORDER BY row_group_id`)).getRowObjectsJson().map((r) => Number(r.row_group_num_rows));
  assert.ok(sizes.length >= 8, `${sizes.length} row groups`);
  const starts = sizes.map((_, g) => sizes.slice(0, g).reduce((a, b) => a + b, 0));
  const groupOf = (row) => starts.findLastIndex((st) => st <= row);
  const cases = [
    ['id >= 19000', 'id >= 19000'],
    ['i32 < 5000', 'i32 < 5000'],
    ['i32 = 30000', 'i32 = 30000'],
    ['dec18 <= "12.34"', 'dec18 <= 12.34'],
    ['dec38 > "18000000126000.0000"', 'dec38 > 18000000126000'],
    ['dt = "2000-01-01"', `dt = DATE '2000-01-01'`],
    ['ts > "2020-02-03 00:00:00"', `ts > TIMESTAMP '2020-02-03 00:00:00'`],
    ['ts_ns < "2020-02-02 02:02:02.004000"', `ts_ns < TIMESTAMP '2020-02-02 02:02:02.004'`],
    ['s >= "015000"', `s >= '015000'`],
    ['s = "000077"', `s = '000077'`],
    ['u64 > "9223372036854790000"', 'u64 > 9223372036854790000'],
    ['u32 >= 3000000000', 'u32 >= 3000000000'],
    ['d <= 100.25', 'd <= 100.25'],
    ['sparse IS NULL', 'sparse IS NULL'],
    ['sparse IS NOT NULL', 'sparse IS NOT NULL'],
    ['st.k = 5', 'st.k = 5'],
  ];
  let skippedTotal = 0;
  for (const [where, sql] of cases) {
    const r = spawnSync(PARQUET_TOOL, ['read', file, '--where', where, '--groups'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${where}: ${r.stderr}`);
    const got = JSON.parse(r.stdout);
    const rows = (await conn.runAndReadAll(
      `SELECT file_row_number FROM read_parquet('${file}', file_row_number = true) WHERE ${sql}`))
      .getRowObjectsJson().map((x) => Number(x.file_row_number));
    const matching = [...new Set(rows.map(groupOf))].sort((a, b) => a - b);
    for (const g of matching) {
      assert.ok(got.read.includes(g), `${where}: row group ${g} has matches but was skipped`);
    }
    assert.equal(got.read.length + got.skipped.length, sizes.length, where);
    // Sorted columns have tight bounds: at most one group is read without a match.
    assert.ok(got.read.length <= matching.length + 1,
              `${where}: read ${got.read} for matches in ${matching}`);
    skippedTotal += got.skipped.length;
  }
  assert.ok(skippedTotal > cases.length * 3, `${skippedTotal} row groups skipped in all`);
});

test('errors are one line on stderr and exit status 1', async () => {
  const notParquet = path.join(dir, 'not.parquet');
  fs.writeFileSync(notParquet, 'just some text, not a Parquet file');
  let r = tarn('parquet', 'cat', notParquet);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `tarn parquet: ${notParquet}: not a Parquet file (no PAR1 magic)\n`);
  r = tarn('parquet', 'meta', path.join(dir, 'missing.parquet'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tarn parquet: .*missing\.parquet: No such file or directory\n$/);
  const file = path.join(dir, 'schema.parquet');
  r = tarn('parquet', 'cat', file, '--columns', 'st.nope');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /struct 'st' has no member 'nope'/);
});
