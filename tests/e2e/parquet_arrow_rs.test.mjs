// End-to-end: Parquet interop with arrow-rs (the Rust implementation under DataFusion, Polars and
// delta-rs), run as WebAssembly through parquet-wasm, with apache-arrow building and reading the
// Arrow tables in JS. A second engine besides DuckDB (parquet_duckdb*.test.mjs), from another
// ecosystem and stricter about the spec.
//
// arrow-rs writes, tarn reads: one Arrow table over every type arrow-rs writes and tarn reads
// (3000 rows, nulls every few rows, extremes in the first rows) is written with a matrix of writer
// settings -- data page v1/v2, every codec, PLAIN / dictionary / DELTA_* / BYTE_STREAM_SPLIT / RLE
// encodings, statistics none/chunk/page, many row groups and small pages, a dictionary that
// overflows into its fallback -- one file per case. For each file arrow-rs must read back the
// table it was given, `tarn parquet cat --format json` must give exactly the values arrow-rs reads
// from the file, and `tarn parquet meta` must show that the file uses the encodings the case asked
// for. `tarn parquet schema` must map the Arrow types as expected. On sorted data in many row
// groups with arrow-rs's statistics (none, chunk, page), tests/tools/parquet_tool's row-group
// skipping must never skip a group that holds a matching row, and must skip most others.
//
// tarn writes, arrow-rs reads: `tarn convert` of `tarn gen` events (each codec), of a hand-made
// NDJSON with nested and typed fields, and of the arrow-rs file above; and tests/tools/parquet_tool
// writing the same table with each page version, codec, dictionary and delta setting. arrow-rs
// must read every file without error and get the rows and values tarn's own `parquet cat` gets
// (and as many rows as went in).
//
// Where arrow-rs, not tarn, decides: Timestamp(Second) and Date64 have no Parquet annotation and
// are written as plain INT64 (see SECONDS); tarn writes LZ4_RAW, not the deprecated LZ4.
//
// How values are compared: an Arrow value and tarn's JSON are turned into one canonical form per
// Arrow type (parquet_canonical.mjs, which the DuckDB test shares):
//   Int*, Uint*, Decimal128     exact decimal text (tarn widens UInt8..UInt32 to INT16..INT64 and
//                               UInt64 to DECIMAL(20,0), which print the same digits)
//   Float16/32, Float64         JS shortest text (Float16/32 through Math.fround); NaN, ±Infinity
//                               and -0 by name
//   Utf8, LargeUtf8, Dictionary the string
//   Binary, FixedSizeBinary     base64 (tarn's JSON for VARBINARY)
//   Date32                      YYYY-MM-DD
//   Timestamp (ms, us, ns; with or without a zone)
//                               'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC with microseconds
//                               (nanoseconds floored, as tarn converts them)
//   Timestamp(s), Date64        the INT64 as exact text (SECONDS)
//   Time32/64                   microseconds since midnight (tarn has no TIME type: INT64)
//   List, Struct, Map           element-wise; a Map as its list of [key, value] pairs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  compareRows, floorDiv, fmtDate, fmtDecimal, fmtFloat, fmtTs, tarn, tarnRows,
} from './parquet_canonical.mjs';
import { requireClient } from './tarn_harness.mjs';

const PARQUET_TOOL = process.env.PARQUET_TOOL ??
  path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/release/tests/parquet_tool');

const pw = requireClient('parquet-wasm/node');
const A = requireClient('apache-arrow');

let dir;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-pq-arrow-rs-')); });
after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

// ---- Arrow tables from plain JS values -------------------------------------------------------------

const utf8 = new TextEncoder();

// Arrow Data of `type` from JS values (null is null): numbers or bigints as the type stores them
// (Float16 as its 16 bits, Decimal as the unscaled bigint, temporal types in their unit), strings,
// Uint8Arrays, arrays for lists, objects for structs, arrays of [key, value] for maps.
function buildData(type, vals) {
  const n = vals.length;
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  vals.forEach((v, i) => { if (v === null) nullCount++; else nullBitmap[i >> 3] |= 1 << (i & 7); });
  const base = { type, length: n, nullCount, nullBitmap };
  const offsets = (lengths, large) => {
    const o = large ? new BigInt64Array(n + 1) : new Int32Array(n + 1);
    let at = 0;
    lengths.forEach((l, i) => { at += l; o[i + 1] = large ? BigInt(at) : at; });
    return o;
  };
  switch (type.typeId) {
    case A.Type.Bool: {
      const data = new Uint8Array((n + 7) >> 3);
      vals.forEach((v, i) => { if (v) data[i >> 3] |= 1 << (i & 7); });
      return A.makeData({ ...base, data });
    }
    case A.Type.Int: case A.Type.Float: case A.Type.Date: case A.Type.Timestamp: case A.Type.Time: {
      const data = new type.ArrayType(n);
      vals.forEach((v, i) => { if (v !== null) data[i] = v; });
      return A.makeData({ ...base, data });
    }
    case A.Type.Decimal: {  // 128-bit two's complement, 32-bit little-endian words
      const data = new Uint32Array(n * 4);
      vals.forEach((v, i) => {
        let x = BigInt.asUintN(128, v ?? 0n);
        for (let w = 0; w < 4; w++, x >>= 32n) data[i * 4 + w] = Number(x & 0xffffffffn);
      });
      return A.makeData({ ...base, data });
    }
    case A.Type.Utf8: case A.Type.Binary: case A.Type.LargeUtf8: case A.Type.LargeBinary: {
      const bytes = vals.map((v) => (v === null ? new Uint8Array(0) : typeof v === 'string' ? utf8.encode(v) : v));
      const large = type.typeId === A.Type.LargeUtf8 || type.typeId === A.Type.LargeBinary;
      const valueOffsets = offsets(bytes.map((b) => b.length), large);
      const data = new Uint8Array(bytes.reduce((a, b) => a + b.length, 0));
      let at = 0;
      for (const b of bytes) { data.set(b, at); at += b.length; }
      return A.makeData({ ...base, valueOffsets, data });
    }
    case A.Type.FixedSizeBinary: {
      const data = new Uint8Array(n * type.byteWidth);
      vals.forEach((v, i) => { if (v !== null) data.set(v, i * type.byteWidth); });
      return A.makeData({ ...base, data });
    }
    case A.Type.Dictionary: {  // the dictionary holds each distinct value once
      const words = [...new Set(vals.filter((v) => v !== null))];
      const dictionary = A.makeVector(buildData(type.dictionary, words));
      const data = new type.indices.ArrayType(n);
      vals.forEach((v, i) => { if (v !== null) data[i] = words.indexOf(v); });
      return A.makeData({ ...base, data, dictionary });
    }
    case A.Type.List: case A.Type.LargeList: {
      const valueOffsets = offsets(vals.map((v) => (v === null ? 0 : v.length)), type.typeId === A.Type.LargeList);
      const child = buildData(type.children[0].type, vals.flatMap((v) => v ?? []));
      return A.makeData({ ...base, valueOffsets, child });
    }
    case A.Type.FixedSizeList: {
      const nulls = Array.from({ length: type.listSize }, () => null);
      const child = buildData(type.children[0].type, vals.flatMap((v) => v ?? nulls));
      return A.makeData({ ...base, child });
    }
    case A.Type.Map: {
      const valueOffsets = offsets(vals.map((v) => (v === null ? 0 : v.length)));
      const entries = type.children[0].type;
      const [kf, vf] = entries.children;
      const pairs = vals.flatMap((v) => v ?? []).map(([k, x]) => ({ [kf.name]: k, [vf.name]: x }));
      return A.makeData({ ...base, valueOffsets, child: buildData(entries, pairs) });
    }
    case A.Type.Struct: {
      const children = type.children.map(
        (f) => buildData(f.type, vals.map((v) => (v === null ? null : v[f.name] ?? null))));
      return A.makeData({ ...base, children });
    }
    default: throw new Error(`cannot build ${type}`);
  }
}

function buildTable(columns, rowCount) {
  const schema = new A.Schema(columns.map((c) => new A.Field(c.name, c.type, c.nullable !== false)));
  const children = columns.map((c) => buildData(c.type, Array.from({ length: rowCount }, (_, i) => c.gen(i))));
  const struct = A.makeData({ type: new A.Struct(schema.fields), length: rowCount, nullCount: 0, children });
  return new A.Table([new A.RecordBatch(schema, struct)]);
}

// ---- Canonical forms of Arrow values -----------------------------------------------------------------

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const b64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function halfToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const MICROS_PER = [1000000n, 1000n, 1n];  // by A.TimeUnit: SECOND, MILLISECOND, MICROSECOND
const toMicros = (v, unit) => (unit === A.TimeUnit.NANOSECOND ? floorDiv(BigInt(v), 1000n) : BigInt(v) * MICROS_PER[unit]);

// SECONDS: Parquet has no timestamp unit for seconds, and arrow-rs writes Timestamp(Second) as a
// plain INT64 (its Arrow type survives only in arrow-rs's own ARROW:schema footer entry, which it
// reads back). tarn, like DuckDB and Spark, reads that column as the INT64 it is: the seconds.
// Date64 (milliseconds) is the same: a plain INT64 of milliseconds.

// The canonical kind (parquet_canonical.mjs) of an Arrow type.
function arrowKind(t) {
  switch (t.typeId) {
    case A.Type.Bool: return 'bool';
    case A.Type.Int: case A.Type.Decimal: case A.Type.Time: return 'exact';
    case A.Type.Timestamp: return t.unit === A.TimeUnit.SECOND ? 'exact' : 'text';  // see SECONDS
    case A.Type.Date: return t.unit === A.DateUnit.DAY ? 'text' : 'exact';  // see SECONDS
    case A.Type.Float: return t.precision === A.Precision.DOUBLE ? 'double' : 'float';
    case A.Type.List: case A.Type.LargeList: case A.Type.FixedSizeList:
      return { list: arrowKind(t.children[0].type) };
    case A.Type.Struct: return { struct: t.children.map((f) => [f.name, arrowKind(f.type)]) };
    case A.Type.Map: return { map: t.children[0].type.children.map((f) => arrowKind(f.type)) };
    case A.Type.Dictionary: return arrowKind(t.dictionary);
    default: return 'text';
  }
}

// The canonical value of row i of Arrow `data` (offsets as apache-arrow slices them: fixed-width
// values and variable-width offsets are sliced, validity and boolean bits are not).
function arrowCanon(data, i) {
  if (!data.getValid(i)) return null;
  const t = data.type;
  const v = data.values;
  switch (t.typeId) {
    case A.Type.Bool: {
      const j = data.offset + i;
      return String(((v[j >> 3] >> (j & 7)) & 1) === 1);
    }
    case A.Type.Int: return String(v[i]);
    case A.Type.Float:
      if (t.precision === A.Precision.HALF) return fmtFloat(halfToNumber(v[i]));
      return fmtFloat(t.precision === A.Precision.SINGLE ? Math.fround(v[i]) : v[i]);
    case A.Type.Decimal: {
      let x = 0n;
      for (let w = 3; w >= 0; w--) x = (x << 32n) | BigInt(v[i * 4 + w]);
      return fmtDecimal(BigInt.asIntN(128, x), t.scale);
    }
    case A.Type.Utf8: case A.Type.LargeUtf8: case A.Type.Binary: case A.Type.LargeBinary: {
      const o = data.valueOffsets;
      const bytes = v.subarray(Number(o[i]), Number(o[i + 1]));
      const isText = t.typeId === A.Type.Utf8 || t.typeId === A.Type.LargeUtf8;
      return isText ? utf8Decoder.decode(bytes) : b64(bytes);
    }
    case A.Type.FixedSizeBinary: return b64(v.subarray(i * t.byteWidth, (i + 1) * t.byteWidth));
    case A.Type.Date: return t.unit === A.DateUnit.DAY ? fmtDate(v[i]) : String(v[i]);
    case A.Type.Timestamp:
      return t.unit === A.TimeUnit.SECOND ? String(v[i]) : fmtTs(toMicros(v[i], t.unit));
    case A.Type.Time: return String(toMicros(v[i], t.unit));
    case A.Type.Dictionary: {
      const dict = data.dictionary;
      assert.equal(dict.data.length, 1, 'one dictionary chunk');
      return arrowCanon(dict.data[0], Number(v[i]));
    }
    case A.Type.List: case A.Type.LargeList: case A.Type.Map: case A.Type.FixedSizeList: {
      const fixed = t.typeId === A.Type.FixedSizeList;
      const [from, to] = fixed ? [i * t.listSize, (i + 1) * t.listSize]
                               : [Number(data.valueOffsets[i]), Number(data.valueOffsets[i + 1])];
      const child = data.children[0];
      const out = [];
      for (let j = from; j < to; j++) {
        if (t.typeId !== A.Type.Map) {
          out.push(arrowCanon(child, j));
        } else {
          out.push([arrowCanon(child.children[0], j), arrowCanon(child.children[1], j)]);
        }
      }
      return out;
    }
    case A.Type.Struct: {
      const out = {};
      t.children.forEach((f, k) => { out[f.name] = arrowCanon(data.children[k], i); });
      return out;
    }
    default: throw new Error(`no canonical form for Arrow type ${t}`);
  }
}

// A table's names, types, canonical kinds and rows of canonical values.
function canonTable(table) {
  const fields = table.schema.fields;
  const rows = [];
  for (const batch of table.batches) {
    for (let i = 0; i < batch.numRows; i++) {
      rows.push(fields.map((_, c) => arrowCanon(batch.data.children[c], i)));
    }
  }
  return {
    names: fields.map((f) => f.name), types: fields.map((f) => String(f.type)),
    kinds: fields.map((f) => arrowKind(f.type)), rows,
  };
}

// What arrow-rs reads from Parquet bytes.
const arrowRsRead = (bytes) => A.tableFromIPC(pw.readParquet(bytes).intoIPCStream());

// tarn's rows of `file` must be arrow-rs's `want` (canonTable), value by value.
function compareWithTarn(label, want, file) {
  return compareRows(label, { ...want, want: (r, c) => want.rows[r][c] }, tarnRows(file), want.rows.length);
}

// ---- The table arrow-rs writes -----------------------------------------------------------------

const N = 3000;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const big = BigInt;
// The i-th of the hand-picked `firsts` (nulls included), then `rest(i)`.
const first = (firsts, rest) => (i) => (i < firsts.length ? firsts[i] : rest(i));
const field = (name, type, nullable = true) => new A.Field(name, type, nullable);
const listOf = (type) => new A.List(field('item', type));
const structOf = (...fields) => new A.Struct(fields);
const mapOf = (k, v) => new A.Map_(field('entries', structOf(field('key', k, false), field('value', v)), false));

const COLUMNS = [
  { name: 'id', type: new A.Int32(), nullable: false, gen: (i) => i },
  { name: 'b', type: new A.Bool(), gen: (i) => (i % 7 === 1 ? null : i % 3 === 0) },
  { name: 'i8', type: new A.Int8(), gen: first([-128, 127, 0, -1, 1, null], (i) => (i % 200) - 100) },
  { name: 'i16', type: new A.Int16(), gen: first([-32768, 32767], (i) => (i % 9 === 4 ? null : (i * 7 % 60000) - 30000)) },
  { name: 'i32', type: new A.Int32(), gen: first([-2147483648, 2147483647], (i) => (i % 6 === 5 ? null : i * 7919 - 1000000)) },
  { name: 'i64', type: new A.Int64(), gen: first([I64_MIN, I64_MAX], (i) => (i % 8 === 3 ? null : big(i) * 1000000007n - 1500000000000n)) },
  { name: 'u8', type: new A.Uint8(), gen: first([255, 0, 128], (i) => (i % 5 === 2 ? null : i % 256)) },
  { name: 'u16', type: new A.Uint16(), gen: first([65535, 0, 32768], (i) => (i % 5 === 3 ? null : i * 31 % 65536)) },
  { name: 'u32', type: new A.Uint32(), gen: first([4294967295, 0, 2147483648], (i) => (i % 5 === 4 ? null : i * 1431655)) },
  { name: 'u64', type: new A.Uint64(), gen: first([2n ** 64n - 1n, 2n ** 63n, I64_MAX, 0n], (i) => (i % 9 === 0 ? null : big(i) * 6148914691236517n)) },
  // Float16 by its bits: NaN, ±Infinity, -0, the largest, the smallest subnormal, the lowest.
  { name: 'f16', type: new A.Float16(), gen: first([0x7e00, 0x7c00, 0xfc00, 0x8000, 0x7bff, 0x0001, 0xfbff], (i) => (i % 10 === 9 ? null : ((i * 37) & 0x7bff) | ((i & 1) << 15))) },
  { name: 'f32', type: new A.Float32(), gen: first([NaN, Infinity, -Infinity, -0, 3.4028234663852886e38, 1.401298464324817e-45, -1.1754943508222875e-38], (i) => (i % 9 === 8 ? null : Math.fround(i / 7 - 200))) },
  { name: 'f64', type: new A.Float64(), gen: first([NaN, Infinity, -Infinity, -0, 1.7976931348623157e308, 5e-324, -2.2250738585072014e-308], (i) => (i % 9 === 7 ? null : i / 3 - 499.5)) },
  { name: 'dec4', type: new A.Decimal(2, 4, 128), gen: first([-9999n, 9999n, 0n], (i) => (i % 11 === 2 ? null : big(i % 19999 - 9999))) },
  { name: 'dec18', type: new A.Decimal(3, 18, 128), gen: first([-(10n ** 18n - 1n), 10n ** 18n - 1n], (i) => big(i) * 1001n - 77n) },
  { name: 'dec38', type: new A.Decimal(10, 38, 128), gen: first([-(10n ** 38n - 1n), 10n ** 38n - 1n, null], (i) => big(i) * 123450000000001n * (i % 2 ? -1n : 1n)) },
  { name: 's', type: new A.Utf8(), gen: first(['', 'héllo wörld ✓ 😀', '"quoted", comma\nnewline', 'long-'.repeat(300), null], (i) => `str-${i % 97}`) },
  { name: 's_large', type: new A.LargeUtf8(), gen: (i) => (i % 4 === 0 ? null : `large-${i % 50}-${'é'.repeat(i % 5)}`) },
  { name: 'bl', type: new A.Binary(), gen: first([new Uint8Array(0), Uint8Array.of(0, 255, 128)], (i) => (i % 7 === 0 ? null : utf8.encode(`blob${i % 13}`))) },
  { name: 'fsb', type: new A.FixedSizeBinary(4), gen: (i) => (i % 6 === 1 ? null : Uint8Array.of(i & 255, i >> 8, 0, 255)) },
  { name: 'dt', type: new A.DateDay(), gen: first([-719162, 2932896, -1, 0], (i) => (i % 8 === 0 ? null : i * 37 % 40000 - 20000)) },
  { name: 'ts_s', type: new A.TimestampSecond(), gen: first([-62135596800n, 253402300799n, -1n], (i) => (i % 10 === 0 ? null : 1700000000n + big(i) * 86461n)) },
  { name: 'ts_ms', type: new A.TimestampMillisecond('UTC'), gen: first([-62135596800000n, 253402300799999n, -1n], (i) => 981173106789n + big(i) * 1001n) },
  { name: 'ts_us', type: new A.TimestampMicrosecond(), gen: first([-62135596800000000n, 253402300799999999n, -500000n], (i) => (i % 10 === 3 ? null : 1709208000000000n + big(i) * 1234567891n)) },
  { name: 'ts_ns', type: new A.TimestampNanosecond('Europe/Oslo'), gen: first([I64_MIN, I64_MAX, -1n], (i) => (i % 11 === 0 ? null : 946684799123456789n + big(i) * 3000n + 7n)) },
  { name: 'tm_ms', type: new A.TimeMillisecond(), gen: first([0, 86399999], (i) => (i % 12 === 0 ? null : i * 28800 % 86400000)) },
  { name: 'tm_us', type: new A.TimeMicrosecond(), gen: first([0n, 86399999999n], (i) => (i % 12 === 1 ? null : big(i) * 28800123n % 86400000000n)) },
  { name: 'tm_ns', type: new A.TimeNanosecond(), gen: first([0n, 86399999999999n], (i) => (i % 12 === 2 ? null : big(i) * 28800123457n % 86400000000000n)) },
  { name: 'mood', type: new A.Dictionary(new A.Utf8(), new A.Int32()), gen: (i) => (i % 17 === 0 ? null : ['sad', 'ok', 'happy'][i % 3]) },
  { name: 'li', type: listOf(new A.Int32()), gen: (i) => [null, [], [null], [i, null, -i]][i % 6] ?? Array.from({ length: i % 5 }, (_, k) => k) },
  { name: 'ls', type: listOf(new A.Utf8()), gen: (i) => (i % 5 === 0 ? null : [`a${i}`, '', null, 'z']) },
  { name: 'st', type: structOf(field('a', new A.Int32()), field('b', new A.Utf8()), field('c', listOf(new A.Float64()))),
    gen: (i) => (i % 8 === 0 ? null : { a: i % 3 === 0 ? null : i, b: `bee${i % 4}`, c: i % 4 === 0 ? null : [i / 2, -0.5] }) },
  { name: 'lst', type: listOf(structOf(field('x', new A.Int64()), field('y', new A.Utf8()))),
    gen: (i) => (i % 9 === 0 ? null : i % 9 === 1 ? [] : [{ x: big(i), y: 'why' }, null, { x: null, y: null }]) },
  { name: 'll', type: listOf(listOf(new A.Int32())), gen: (i) => (i % 10 === 0 ? null : [[i], [], null, [null, i + 1]]) },
  { name: 'mp', type: mapOf(new A.Utf8(), new A.Int32()), gen: (i) => [null, []][i % 4] ?? [[`k${i}`, i], ['n', null]] },
  { name: 'mpi', type: mapOf(new A.Int64(), listOf(new A.Utf8())), gen: (i) => (i % 3 === 0 ? null : [[big(i), ['v', null]], [big(-i - 1), null]]) },
  { name: 'nest', type: structOf(field('inner', structOf(field('deep', listOf(structOf(field('k', new A.Int32()))))))),
    gen: (i) => ({ inner: { deep: i % 2 === 0 ? null : [{ k: i }] } }) },
  { name: 'd64', type: new A.DateMillisecond(), gen: first([-62135596800000n, 253402214400000n], (i) => (i % 7 === 3 ? null : big(i) * 86400000n)) },
  { name: 'dict8', type: new A.Dictionary(new A.Int64(), new A.Int8()), gen: (i) => (i % 5 === 1 ? null : [I64_MIN, 0n, I64_MAX, -7n][i % 4]) },
  { name: 'nulls', type: new A.Int32(), gen: () => null },
  { name: 'fsl', type: new A.FixedSizeList(3, field('item', new A.Int32())), gen: (i) => (i % 7 === 0 ? null : [i, null, -i]) },
  { name: 'llarge', type: new A.LargeList(field('item', new A.Utf8(), false)), gen: (i) => (i % 5 === 0 ? null : Array.from({ length: i % 4 }, (_, k) => `e${k}`)) },
  { name: 'req', type: structOf(field('a', new A.Int32(), false), field('l', listOf(new A.Int16()), false)), nullable: false,
    gen: (i) => ({ a: i, l: i % 3 === 0 ? [] : [i % 100, null] }) },
  // Many distinct long strings: a dictionary that outgrows a small dictionary page limit.
  { name: 'uniq', type: new A.Utf8(), gen: (i) => `uniq-${i}-${(i * 2654435761) % 4294967296}-${'x'.repeat(40 + i % 60)}` },
];

const TABLE = buildTable(COLUMNS, N);
const IPC = A.tableToIPC(TABLE, 'stream');
const SOURCE = canonTable(TABLE);

// Columns by Parquet physical type, for per-column encodings.
const INT_COLUMNS = ['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'dec4', 'dec18', 'dt',
                     'ts_s', 'ts_ms', 'ts_us', 'ts_ns', 'tm_ms', 'tm_us', 'tm_ns'];
const BYTE_ARRAY_COLUMNS = ['s', 's_large', 'bl', 'uniq'];
const FLOAT_COLUMNS = ['f32', 'f64'];
const FIXED_COLUMNS = ['f16', 'dec38', 'fsb'];
const each = (columns, encoding) => Object.fromEntries(columns.map((c) => [c, encoding]));

// ---- Writer settings ---------------------------------------------------------------------------------

function writerProperties(s) {
  let b = new pw.WriterPropertiesBuilder()
    .setWriterVersion(pw.WriterVersion[s.version])
    .setCompression(pw.Compression[s.codec])
    .setDictionaryEnabled(s.dictionary)
    .setStatisticsEnabled(pw.EnabledStatistics[s.statistics ?? 'Chunk']);
  if (s.rowGroupRows) b = b.setMaxRowGroupSize(s.rowGroupRows);
  if (s.pageBytes) b = b.setDataPageSizeLimit(s.pageBytes).setWriteBatchSize(s.batchRows ?? 64);
  if (s.dictionaryPageBytes) b = b.setDictionaryPageSizeLimit(s.dictionaryPageBytes);
  if (s.encoding) b = b.setEncoding(pw.Encoding[s.encoding]);
  for (const [column, encoding] of Object.entries(s.encodings ?? {})) {
    b = b.setColumnEncoding(column, pw.Encoding[encoding]);
  }
  return b.build();
}

// Each setting appears at least once; `expect` lists encodings `tarn parquet meta` must show for
// a column (so a setting arrow-rs ignored would not pass unnoticed).
const CASES = [
  { label: 'v1 UNCOMPRESSED PLAIN, no dictionary, no statistics', version: 'V1', codec: 'UNCOMPRESSED',
    dictionary: false, encoding: 'PLAIN', statistics: 'None',
    expect: { i32: ['PLAIN'], s: ['PLAIN'], uniq: ['PLAIN'], b: ['PLAIN'] } },
  { label: 'v1 SNAPPY dictionary, chunk statistics', version: 'V1', codec: 'SNAPPY', dictionary: true,
    statistics: 'Chunk', expect: { i32: ['RLE_DICTIONARY'], s: ['RLE_DICTIONARY'], f64: ['RLE_DICTIONARY'] } },
  { label: 'v1 GZIP DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT floats, page statistics',
    version: 'V1', codec: 'GZIP', dictionary: false, statistics: 'Page',
    encodings: { ...each(INT_COLUMNS, 'DELTA_BINARY_PACKED'), ...each(BYTE_ARRAY_COLUMNS, 'DELTA_LENGTH_BYTE_ARRAY'),
                 ...each(FLOAT_COLUMNS, 'BYTE_STREAM_SPLIT') },
    expect: { i64: ['DELTA_BINARY_PACKED'], u64: ['DELTA_BINARY_PACKED'], ts_ns: ['DELTA_BINARY_PACKED'],
              s: ['DELTA_LENGTH_BYTE_ARRAY'], bl: ['DELTA_LENGTH_BYTE_ARRAY'], f32: ['BYTE_STREAM_SPLIT'] } },
  { label: 'v1 LZ4 (Hadoop framing), dictionary, row groups of 450 rows, pages of 512 bytes',
    version: 'V1', codec: 'LZ4', dictionary: true, rowGroupRows: 450, pageBytes: 512,
    expect: { s: ['RLE_DICTIONARY'] }, rowGroups: 7 },
  { label: 'v2 LZ4_RAW DELTA_BYTE_ARRAY strings and fixed-size, BYTE_STREAM_SPLIT ints and fixed-size, RLE booleans',
    version: 'V2', codec: 'LZ4_RAW', dictionary: false,
    encodings: { ...each(INT_COLUMNS, 'BYTE_STREAM_SPLIT'), ...each(BYTE_ARRAY_COLUMNS, 'DELTA_BYTE_ARRAY'),
                 ...each(FLOAT_COLUMNS, 'BYTE_STREAM_SPLIT'), f16: 'BYTE_STREAM_SPLIT', fsb: 'BYTE_STREAM_SPLIT',
                 dec38: 'DELTA_BYTE_ARRAY', b: 'RLE' },
    expect: { i32: ['BYTE_STREAM_SPLIT'], ts_us: ['BYTE_STREAM_SPLIT'], s: ['DELTA_BYTE_ARRAY'], dec38: ['DELTA_BYTE_ARRAY'],
              f16: ['BYTE_STREAM_SPLIT'], fsb: ['BYTE_STREAM_SPLIT'], f64: ['BYTE_STREAM_SPLIT'], b: ['RLE'] } },
  { label: 'v2 ZSTD dictionary, page statistics, row groups of 1000 rows, pages of 1 KiB',
    version: 'V2', codec: 'ZSTD', dictionary: true, statistics: 'Page', rowGroupRows: 1000, pageBytes: 1024,
    batchRows: 100, expect: { i64: ['RLE_DICTIONARY'] }, rowGroups: 3 },
  { label: 'v2 GZIP defaults without dictionary (DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY, RLE)',
    version: 'V2', codec: 'GZIP', dictionary: false, statistics: 'None',
    expect: { i32: ['DELTA_BINARY_PACKED'], s: ['DELTA_BYTE_ARRAY'], b: ['RLE'] } },
  { label: 'v2 UNCOMPRESSED PLAIN', version: 'V2', codec: 'UNCOMPRESSED', dictionary: false, encoding: 'PLAIN',
    expect: { i16: ['PLAIN'], s: ['PLAIN'] } },
  { label: 'v1 SNAPPY dictionary overflowing into PLAIN', version: 'V1', codec: 'SNAPPY', dictionary: true,
    dictionaryPageBytes: 4096, expect: { uniq: ['RLE_DICTIONARY', 'PLAIN'], mood: ['RLE_DICTIONARY'] } },
  { label: 'v2 ZSTD dictionary overflowing into its v2 fallbacks', version: 'V2', codec: 'ZSTD', dictionary: true,
    dictionaryPageBytes: 4096, expect: { uniq: ['RLE_DICTIONARY', 'DELTA_BYTE_ARRAY'], ts_ns: ['RLE_DICTIONARY', 'DELTA_BINARY_PACKED'] } },
  { label: 'v1 BROTLI', version: 'V1', codec: 'BROTLI', dictionary: true },
  { label: 'v2 BROTLI, no dictionary', version: 'V2', codec: 'BROTLI', dictionary: false },
];

// Encodings by column path in `tarn parquet meta FILE` (over all row groups), and the row groups.
function tarnMeta(file) {
  const r = tarn('parquet', 'meta', file);
  assert.equal(r.status, 0, `tarn parquet meta ${file}: ${r.stderr}`);
  const encodings = new Map();
  let column = null;
  for (const line of r.stdout.split('\n')) {
    const c = /^ {2}(\S+): \S+ -> /.exec(line);
    if (c) column = c[1];
    const e = /^ {6}codec \S+, encodings (.*)$/.exec(line);
    if (e) {
      if (!encodings.has(column)) encodings.set(column, new Set());
      for (const x of e[1].split(', ')) encodings.get(column).add(x);
    }
  }
  return { encodings, rowGroups: Number(/row groups: (\d+)/.exec(r.stdout)[1]) };
}

let counter = 0;
const fileFor = (label) => path.join(dir, `${counter++}-${label.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 60)}.parquet`);

for (const s of CASES) {
  test(`arrow-rs writes every type, tarn reads: ${s.label}`, s.todo ? { todo: s.todo } : {}, () => {
    const file = fileFor(s.label);
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(IPC), writerProperties(s));
    fs.writeFileSync(file, bytes);
    const want = canonTable(arrowRsRead(bytes));
    // arrow-rs reads back what it was given (else the comparison below would prove little).
    assert.deepEqual(want.types, SOURCE.types, `${s.label}: arrow-rs reads back other types`);
    for (let r = 0; r < N; r++) {
      assert.deepStrictEqual(want.rows[r], SOURCE.rows[r], `${s.label}: arrow-rs round trip of row ${r}`);
    }
    const checked = compareWithTarn(`${file} (${s.label})`, want, file);
    assert.equal(checked, N * COLUMNS.length);
    const meta = tarnMeta(file);
    for (const [column, encodings] of Object.entries(s.expect ?? {})) {
      const got = [...meta.encodings.entries()].find(([p]) => p === column)?.[1] ?? new Set();
      for (const e of encodings) assert.ok(got.has(e), `${s.label}: ${column} has encodings ${[...got]}, not ${e}`);
    }
    if (s.rowGroups) assert.equal(meta.rowGroups, s.rowGroups, `${s.label}: row groups`);
  });
}

const tarnField = (f) => `${tarnType(f.type)}${f.nullable ? '' : ' NOT NULL'}`;

// The columnar type tarn should give an Arrow type.
function tarnType(t) {
  switch (t.typeId) {
    case A.Type.Bool: return 'BOOLEAN';
    case A.Type.Int:
      if (t.isSigned) return `INT${t.bitWidth}`;
      return t.bitWidth === 64 ? 'DECIMAL(20,0)' : `INT${t.bitWidth * 2}`;
    case A.Type.Float: return t.precision === A.Precision.DOUBLE ? 'DOUBLE' : 'FLOAT';
    case A.Type.Decimal: return `DECIMAL(${t.precision},${t.scale})`;
    case A.Type.Utf8: case A.Type.LargeUtf8: return 'VARCHAR';
    case A.Type.Dictionary: return tarnType(t.dictionary);
    case A.Type.Binary: case A.Type.FixedSizeBinary: return 'VARBINARY';
    case A.Type.Date: return t.unit === A.DateUnit.DAY ? 'DATE' : 'INT64';  // SECONDS
    case A.Type.Timestamp: return t.unit === A.TimeUnit.SECOND ? 'INT64' : 'TIMESTAMP';  // SECONDS
    case A.Type.Time: return 'INT64';
    case A.Type.List: case A.Type.LargeList: case A.Type.FixedSizeList:
      return `LIST<${tarnField(t.children[0])}>`;
    case A.Type.Struct: return `STRUCT<${t.children.map((f) => `${f.name}: ${tarnField(f)}`).join(', ')}>`;
    case A.Type.Map: return `MAP<${t.children[0].type.children.map((f) => tarnType(f.type)).join(', ')}>`;
    default: throw new Error(`no tarn type for ${t}`);
  }
}

test('tarn parquet schema maps the Arrow types arrow-rs writes', () => {
  const file = fileFor('schema');
  fs.writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(IPC), writerProperties({ version: 'V2', codec: 'SNAPPY', dictionary: true })));
  const r = tarn('parquet', 'schema', file);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const start = lines.indexOf('columnar schema:');
  const got = lines.slice(start + 1, start + 1 + COLUMNS.length).map((l) => l.trim());
  assert.deepEqual(got, TABLE.schema.fields.map((f) => `${f.name}: ${tarnField(f)}`));
  // The Parquet annotations arrow-rs chose, which tarn maps: unsigned integers, timestamp units
  // (seconds have none: SECONDS) and whether the timestamp has a zone (UTC-adjusted).
  for (const want of [
    'required int32 id;',
    'optional int32 u8 (INTEGER(8,false));',
    'optional int32 u32 (INTEGER(32,false));',
    'optional int64 u64 (INTEGER(64,false));',
    'optional int64 ts_s;',  // SECONDS
    'optional int64 ts_ms (TIMESTAMP(MILLIS,true));',
    'optional int64 ts_us (TIMESTAMP(MICROS,false));',
    'optional int64 ts_ns (TIMESTAMP(NANOS,true));',
    'optional int32 tm_ms (TIME(MILLIS,false));',
    'optional int64 tm_ns (TIME(NANOS,false));',
    'optional fixed_len_byte_array(2) f16 (FLOAT16);',
    'optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));',
  ]) {
    assert.ok(lines.some((l) => l.trim() === want), `parquet schema has no line '${want}':\n${r.stdout}`);
  }
});

// ---- tarn writes, arrow-rs reads ------------------------------------------------------------------

// arrow-rs must read tarn's `file` (`rows` rows) and get the values tarn's own reader gets.
function arrowRsReadsTarnFile(label, file, rows) {
  let table;
  try {
    table = arrowRsRead(fs.readFileSync(file));
  } catch (e) {
    assert.fail(`${label}: arrow-rs cannot read ${file}: ${e}`);
  }
  const want = canonTable(table);
  assert.equal(want.rows.length, rows, `${label}: rows arrow-rs reads`);
  compareWithTarn(`${label} (${file}, compared with arrow-rs)`, want, file);
  return want;
}

function tarnOk(...args) {
  const r = tarn(...args);
  assert.equal(r.status, 0, `tarn ${args.join(' ')}: ${r.stderr}`);
  return r;
}

const lineCount = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).length;

test('tarn convert of tarn gen events, every codec, read by arrow-rs', () => {
  const events = path.join(dir, 'events.ndjson');
  tarnOk('gen', '--count', '6000', '--out', events);
  const rows = lineCount(events);
  assert.equal(rows, 6000);
  for (const [codec, extra] of [['snappy', []], ['zstd', ['--row-group-size', '65536']], ['gzip', []],
                                ['lz4', []], ['brotli', []], ['none', []]]) {
    const file = path.join(dir, `events-${codec}.parquet`);
    tarnOk('convert', events, file, '--compression', codec, ...extra);
    arrowRsReadsTarnFile(`tarn gen events, ${codec} ${extra.join(' ')}`, file, rows);
  }
});

// Nested, nullable and typed fields, empty and null lists and structs, with the schema given and
// inferred.
const HAND_MADE = [
  { id: 1, ts: '2024-02-29T12:34:56.789012Z', day: '2024-02-29', amount: '12.34', tags: ['a', 'b'], user: { name: 'ana', age: 31, langs: ['pt', 'en'] }, attrs: { plan: 'free', seats: '3' }, scores: [1.5, -0.0, 1e300], flag: true, small: -128, blob: 'AAECAw==' },
  { id: 2, ts: '1969-12-31T23:59:59.999999Z', day: '1969-12-31', amount: '-0.01', tags: [], user: { name: null, age: null, langs: [] }, attrs: {}, scores: [], flag: false, small: 127, blob: '' },
  { id: 3, ts: null, day: null, amount: null, tags: null, user: null, attrs: null, scores: null, flag: null, small: null, blob: null },
  { id: 4, ts: '0001-01-01T00:00:00Z', day: '0001-01-01', amount: '99999999.99', tags: [null, ''], user: { name: 'é日🙂', age: 0, langs: null }, attrs: { 'with space': null }, scores: [null], flag: true, small: 0 },
  { id: 5, ts: '9999-12-31T23:59:59.999999Z', day: '9999-12-31', amount: '-99999999.99', tags: ['"q"', '\\', '\n'], user: { name: '', age: -2147483648, langs: ['x'] }, attrs: { k: 'v' }, scores: [2.5], flag: false, small: -1, blob: '/w==' },
];

test('tarn convert of nested, typed NDJSON (schema given and inferred), read by arrow-rs', () => {
  const input = path.join(dir, 'hand.ndjson');
  const lines = [];
  for (let k = 0; k < 400; k++) {
    for (const r of HAND_MADE) lines.push(JSON.stringify({ ...r, id: r.id * 1000 + k }));
  }
  // The largest BIGINT, written by hand (JS numbers cannot hold it).
  lines.push('{"id": 9223372036854775807, "small": -1}');
  // No id: with the schema given (id NOT NULL) the record is skipped, and tarn says why.
  lines.push('{"small": 2}');
  fs.writeFileSync(input, lines.join('\n') + '\n');
  const schemaFile = path.join(dir, 'hand.schema');
  fs.writeFileSync(schemaFile,
    'id BIGINT NOT NULL, ts TIMESTAMP, day DATE, amount DECIMAL(10,2), tags ARRAY<STRING>, ' +
    'user STRUCT<name: STRING, age: INT, langs: ARRAY<STRING>>, attrs MAP<STRING, STRING>, ' +
    'scores ARRAY<DOUBLE>, flag BOOLEAN, small TINYINT, blob BINARY');
  for (const [label, extra] of [['schema given', ['--schema', schemaFile]], ['schema inferred', []]]) {
    for (const codec of ['zstd', 'snappy']) {
      const file = path.join(dir, `hand-${label.replace(' ', '-')}-${codec}.parquet`);
      const r = tarnOk('convert', input, file, '--compression', codec, ...extra);
      if (extra.length) {
        assert.match(r.stderr, new RegExp(`1 bad records .*\n  ${input}: line ${lines.length}, column 1: ` +
                                          "skipped the record: field 'id' is NOT NULL but missing or null\n"),
                     `${label}: the record without id is skipped, with the reason`);
      } else {
        assert.doesNotMatch(r.stderr, /bad record/, `${label}: every record converts`);
      }
      const rows = lines.length - (extra.length ? 1 : 0);
      const want = arrowRsReadsTarnFile(`hand-made NDJSON, ${label}, ${codec}`, file, rows);
      if (extra.length) {
        // ('Decimal[10e+2]' is apache-arrow's spelling of Decimal128(10, 2).)
        assert.deepEqual(want.types.slice(0, 4),
                         ['Int64', 'Timestamp<MICROSECOND>', 'Date32<DAY>', 'Decimal[10e+2]'],
                         'the Arrow types arrow-rs gives tarn\'s columns');
      }
    }
  }
});

test('tarn convert of the arrow-rs file (every type tarn reads), read by arrow-rs', () => {
  const source = fileFor('convert-source');
  fs.writeFileSync(source, pw.writeParquet(pw.Table.fromIPCStream(IPC), writerProperties({ version: 'V2', codec: 'ZSTD', dictionary: true })));
  const fromArrowRs = tarnRows(source);
  // Two codecs: parquet_tool below writes this table with every codec and page setting.
  for (const codec of ['snappy', 'brotli']) {
    const file = path.join(dir, `converted-${codec}.parquet`);
    tarnOk('convert', source, file, '--compression', codec);
    arrowRsReadsTarnFile(`tarn convert of arrow-rs's file, ${codec}`, file, N);
    assert.deepEqual(tarnRows(file), fromArrowRs, `${codec}: tarn reads back what it converted`);
  }
});

// parquet_tool's JSON type for an Arrow type (the tarn type tarn reads it as).
function toolType(t) {
  switch (t.typeId) {
    case A.Type.List: case A.Type.LargeList: case A.Type.FixedSizeList: {
      const e = t.children[0];
      return { list: { name: 'element', type: toolType(e.type), nullable: e.nullable } };
    }
    case A.Type.Struct: return { struct: t.children.map((f) => ({ name: f.name, type: toolType(f.type), nullable: f.nullable })) };
    case A.Type.Map: return { map: t.children[0].type.children.map((f) => toolType(f.type)) };
    default: return tarnType(t);
  }
}

// A value of tarn's lossless JSON (parquet_canonical.mjs) as parquet_tool's JSON input.
function toolValue(v, t) {
  if (v === null) return null;
  if (typeof t === 'object') {
    if (t.list) return v.map((x) => toolValue(x, t.list.type));
    if (t.struct) {
      const m = new Map(v.obj);
      return Object.fromEntries(t.struct.map((f) => [f.name, toolValue(m.get(f.name) ?? null, f.type)]));
    }
    const pairs = Array.isArray(v) ? v.map((e) => { const m = new Map(e.obj); return [m.get('key'), m.get('value')]; }) : v.obj;
    return pairs.map(([k, x]) => [toolValue(k, t.map[0]), toolValue(x, t.map[1])]);
  }
  if (v !== null && typeof v === 'object' && 'num' in v) {
    return t === 'FLOAT' || t === 'DOUBLE' ? Number(v.num) : v.num;  // integers and decimals as text
  }
  return v;  // booleans, strings, base64, dates, timestamps, float names ("NaN")
}

// tarn's writer settings (tarn writes LZ4_RAW, not the deprecated Hadoop-framed LZ4).
const TOOL_OPTIONS = [
  { codec: 'SNAPPY', data_page_version: 1 },
  { codec: 'ZSTD', data_page_version: 2, data_page_bytes: 1024, row_group_bytes: 65536, batch_rows: 333 },
  { codec: 'GZIP', data_page_version: 2, dictionary: false, delta: true },
  { codec: 'LZ4_RAW', data_page_version: 1, dictionary: false, delta: false },
  { codec: 'LZ4_RAW', data_page_version: 2, dictionary_page_limit: 2048 },
  { codec: 'UNCOMPRESSED', data_page_version: 1, data_page_max_rows: 100 },
  { codec: 'BROTLI', data_page_version: 2 },
];

let toolSpec;  // the arrow-rs table as tarn reads it, in parquet_tool's form
function toolSpecOfTable() {
  if (toolSpec) return toolSpec;
  const source = fileFor('tool-source');
  fs.writeFileSync(source, pw.writeParquet(pw.Table.fromIPCStream(IPC), writerProperties({ version: 'V1', codec: 'SNAPPY', dictionary: true })));
  const schema = COLUMNS.map((c) => ({ name: c.name, type: toolType(c.type), nullable: c.nullable !== false }));
  const rows = tarnRows(source).map((row) => {
    const m = new Map(row.obj);
    return schema.map((f) => toolValue(m.get(f.name), f.type));
  });
  toolSpec = { schema, rows };
  return toolSpec;
}

for (const { todo, ...options } of TOOL_OPTIONS) {
  const label = `parquet_tool ${JSON.stringify(options)}`;
  test(`${label} writes every type, arrow-rs reads`, todo ? { todo } : {}, () => {
    const specFile = path.join(dir, `spec-${counter}.json`);
    const file = fileFor(`tool-${options.codec}-v${options.data_page_version}`);
    fs.writeFileSync(specFile, JSON.stringify({ ...toolSpecOfTable(), options }));
    const r = spawnSync(PARQUET_TOOL, ['write', specFile, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${label}: ${r.stderr}`);
    arrowRsReadsTarnFile(label, file, N);
  });
}

// ---- Row-group skipping on arrow-rs's statistics ----------------------------------------------------

// Sorted columns over 20000 rows in row groups of 2048 rows; `parquet_tool read --where ...
// --groups` must never skip a row group that holds a matching row, and on these tight bounds it
// must skip most of the others. u64 straddles 2^63 (unsigned order), dec38 is a FIXED_LEN_BYTE_ARRAY
// decimal, f16 a FLOAT16, ts_ns nanoseconds with a zone.
const SORTED_ROWS = 20000;
const U64_BASE = 2n ** 63n - 10000n;
const SORTED = [
  { name: 'id', type: new A.Int64(), gen: (i) => big(i) },
  { name: 'i32', type: new A.Int32(), gen: (i) => i * 3 },
  { name: 'u8', type: new A.Uint8(), gen: (i) => Math.floor(i / 100) },
  { name: 'u32', type: new A.Uint32(), gen: (i) => i * 200000 },
  { name: 'u64', type: new A.Uint64(), gen: (i) => U64_BASE + big(i) },
  { name: 'f16', type: new A.Float16(), gen: (i) => 0x3c00 + Math.floor(i / 4) },
  { name: 'f32', type: new A.Float32(), gen: (i) => i * 0.5 - 5000 },
  { name: 'd', type: new A.Float64(), gen: (i) => i * 0.25 },
  { name: 'dec18', type: new A.Decimal(2, 18, 128), gen: (i) => big(i) * 7n },
  { name: 'dec38', type: new A.Decimal(4, 38, 128), gen: (i) => big(i - 10000) * 1000000007n },
  { name: 'dt', type: new A.DateDay(), gen: (i) => 10000 + Math.floor(i / 10) },
  { name: 'ts_ms', type: new A.TimestampMillisecond(), gen: (i) => 1580608922000n + big(i) * 7000n },
  { name: 'ts_ns', type: new A.TimestampNanosecond('UTC'), gen: (i) => 1580608922000000000n + big(i) * 1000n },
  { name: 's', type: new A.Utf8(), gen: (i) => String(i).padStart(6, '0') },
  { name: 'sparse', type: new A.Int32(), gen: (i) => (i >= 8192 && i < 12288 ? null : i) },
  { name: 'st', type: structOf(field('k', new A.Int32())), gen: (i) => ({ k: i % 1000 }) },
];
const SORTED_IPC = A.tableToIPC(buildTable(SORTED, SORTED_ROWS), 'stream');
// [parquet_tool --where, which rows match, whether tarn prunes on it]. tarn does not prune on
// FLOAT16 statistics (it treats their order as unknown) nor on a float column's max (> and >=):
// those must never skip a matching group but need not skip others.
const WHERE = [
  ['id >= 19000', (i) => i >= 19000],
  ['i32 < 5000', (i) => i * 3 < 5000],
  ['u8 = 150', (i) => Math.floor(i / 100) === 150],
  ['u32 >= 3000000000', (i) => i * 200000 >= 3000000000],
  ['u64 > "9223372036854780000"', (i) => U64_BASE + big(i) > 9223372036854780000n],
  ['u64 < "9223372036854770000"', (i) => U64_BASE + big(i) < 9223372036854770000n],
  ['f16 < 2.5', (i) => halfToNumber(0x3c00 + Math.floor(i / 4)) < 2.5, false],
  ['f32 >= 4000', (i) => i * 0.5 - 5000 >= 4000, false],
  ['f32 < -4000', (i) => i * 0.5 - 5000 < -4000],
  ['d <= 100.25', (i) => i * 0.25 <= 100.25],
  ['dec18 > "1000.00"', (i) => i * 7 > 100000],
  ['dec38 <= "-1000000.0000"', (i) => big(i - 10000) * 1000000007n <= -10000000000n],
  ['dt = "2000-01-01"', (i) => 10000 + Math.floor(i / 10) === 10957],
  ['ts_ms > "2020-02-03 00:00:00"', (i) => 1580608922000 + i * 7000 > 1580688000000],
  ['ts_ns < "2020-02-02 02:02:02.004000"', (i) => i < 4000],
  ['s >= "015000"', (i) => i >= 15000],
  ['sparse IS NULL', (i) => i >= 8192 && i < 12288],
  ['sparse IS NOT NULL', (i) => i < 8192 || i >= 12288],
  ['st.k = 5', (i) => i % 1000 === 5, false],  // not sorted
];

for (const statistics of ['Chunk', 'Page', 'None']) {
  test(`row groups skipped on arrow-rs statistics (${statistics}) never hold a matching row`, () => {
    const file = fileFor(`sorted-${statistics}`);
    const groupRows = 2048;
    fs.writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(SORTED_IPC),
      writerProperties({ version: 'V2', codec: 'SNAPPY', dictionary: true, statistics, rowGroupRows: groupRows })));
    const groups = Math.ceil(SORTED_ROWS / groupRows);
    let skippedTotal = 0;
    for (const [where, matches, tight = true] of WHERE) {
      const r = spawnSync(PARQUET_TOOL, ['read', file, '--where', where, '--groups'], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${where}: ${r.stderr}`);
      const got = JSON.parse(r.stdout);
      const matching = [...new Set(Array.from({ length: SORTED_ROWS }, (_, i) => i)
        .filter(matches).map((i) => Math.floor(i / groupRows)))];
      for (const g of matching) {
        assert.ok(got.read.includes(g), `${where}: row group ${g} has matches but was skipped (${statistics})`);
      }
      assert.equal(got.read.length + got.skipped.length, groups, where);
      if (statistics === 'None') {
        assert.deepEqual(got.skipped, [], `${where}: skipped without statistics`);
      } else if (tight) {
        // Sorted columns have tight bounds: at most one group is read without a match.
        assert.ok(got.read.length <= matching.length + 1, `${where}: read ${got.read} for matches in ${matching}`);
      }
      skippedTotal += got.skipped.length;
    }
    if (statistics !== 'None') assert.ok(skippedTotal > WHERE.length * 3, `${skippedTotal} row groups skipped in all`);
  });
}

test('an empty table (no row groups) reads as no rows with its schema', () => {
  const file = fileFor('empty');
  fs.writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(A.tableToIPC(TABLE.slice(0, 0), 'stream'))));
  assert.equal(tarnMeta(file).rowGroups, 0);
  assert.deepEqual(tarnRows(file), []);
  const r = tarnOk('parquet', 'schema', file);
  assert.match(r.stdout, /^columnar schema:\n {2}id: INT32 NOT NULL\n {2}b: BOOLEAN\n/);
});
