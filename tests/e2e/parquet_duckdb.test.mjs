// End-to-end: Parquet files written by tarn's ParquetWriter (through tests/tools/parquet_tool) are
// read by DuckDB, the reference reader. For each file DuckDB must report the expected column types
// (DESCRIBE), return every value (compared in SQL, row by row, against the same rows typed as
// DuckDB literals), and find statistics in the footer that agree with the data
// (parquet_metadata). Cases cover every type with nulls and extremes, nested structs/lists/maps
// (empty and null), many row groups and pages, each codec, data pages v1 and v2, dictionary,
// dictionary fallback and delta encodings, plus random schemas and data from a seed that is
// printed with any failure (set PARQUET_SEED to replay one).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { requireClient } from './tarn_harness.mjs';

const { DuckDBInstance } = requireClient('@duckdb/node-api');

const here = path.dirname(fileURLToPath(import.meta.url));
const PARQUET_TOOL =
  process.env.PARQUET_TOOL ?? path.join(here, '../../build/release/tests/parquet_tool');

let dir;
let conn;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tarn-parquet-duckdb-'));
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();

// ---- types ----------------------------------------------------------------------------------
// A type is a name ('INT64', 'DECIMAL(38,4)', ...) or {struct: [FIELD]}, {list: FIELD},
// {map: [FIELD, FIELD]}; a FIELD is {name, type, nullable, field_id}, as parquet_tool takes them.

const SIMPLE = {
  BOOLEAN: 'BOOLEAN', INT8: 'TINYINT', INT16: 'SMALLINT', INT32: 'INTEGER', INT64: 'BIGINT',
  FLOAT: 'FLOAT', DOUBLE: 'DOUBLE', VARCHAR: 'VARCHAR', VARBINARY: 'BLOB', DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
};

const field = (name, type, nullable = true, extra = {}) => ({ name, type, nullable, ...extra });
const decimalOf = (t) => /^DECIMAL\((\d+),(\d+)\)$/.exec(t);

// The type DuckDB reports for a tarn type (DESCRIBE's spelling).
function duckType(t) {
  if (typeof t === 'string') {
    if (decimalOf(t)) return t;
    return SIMPLE[t];
  }
  if (t.struct) return `STRUCT(${t.struct.map((f) => `${f.name} ${duckType(f.type)}`).join(', ')})`;
  if (t.list) return `${duckType(t.list.type)}[]`;
  return `MAP(${duckType(t.map[0].type)}, ${duckType(t.map[1].type)})`;
}

// A DuckDB SQL expression for a value given in parquet_tool's JSON form.
function sqlValue(t, v) {
  if (v === null) return 'NULL';
  if (typeof t !== 'string') {
    if (t.struct) {
      return `{${t.struct.map((f) => `'${f.name}': ${sqlValue(f.type, v[f.name] ?? null)}`).join(', ')}}`;
    }
    if (t.list) return `[${v.map((e) => sqlValue(t.list.type, e)).join(', ')}]`;
    if (v.length === 0) return 'MAP {}';
    return `MAP {${v.map(([k, x]) => `${sqlValue(t.map[0].type, k)}: ${sqlValue(t.map[1].type, x)}`).join(', ')}}`;
  }
  const cast = (x) => `CAST(${x} AS ${duckType(t)})`;
  switch (t) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'FLOAT': case 'DOUBLE': {
      const special = { NaN: "'NaN'", Infinity: "'inf'", '-Infinity': "'-inf'", '-0': "'-0.0'" };
      // Quoted: a numeric literal would go through DECIMAL and could round differently.
      return cast(typeof v === 'string' ? special[v] : `'${String(v)}'`);
    }
    case 'VARCHAR': return `'${v.replaceAll("'", "''")}'`;
    case 'VARBINARY': return `from_base64('${v}')`;
    case 'DATE': return `(DATE '1970-01-01' + (${v})::INTEGER)`;
    case 'TIMESTAMP': return `make_timestamp((${v})::BIGINT)`;
    default: return cast(typeof v === 'string' ? `'${v}'` : String(v));
  }
}

// ---- running a case -------------------------------------------------------------------------

let counter = 0;

// Writes `spec` with parquet_tool and returns {file, summary}.
function writeParquet(spec) {
  const id = counter++;
  const specPath = path.join(dir, `spec-${id}.json`);
  const file = path.join(dir, `out-${id}.parquet`);
  writeFileSync(specPath, JSON.stringify(spec));
  const r = spawnSync(PARQUET_TOOL, ['write', specPath, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `parquet_tool failed (${r.status}): ${r.stderr}`);
  return { file, summary: JSON.parse(r.stdout) };
}

function isFlat(t) { return typeof t === 'string'; }

// A number from DuckDB's JSON or text forms ("inf", "-Infinity", "1e-45", 2.5).
function toNumber(x) {
  if (typeof x === 'number') return x;
  const t = String(x).toLowerCase();
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}

// Checks one spec end to end; `label` names the case (and seed) in failures.
async function check(spec, label) {
  const { file, summary } = writeParquet(spec);
  const fields = spec.schema;
  assert.equal(summary.rows, spec.rows.length, label);

  // Types.
  const described = await rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  assert.deepEqual(described.map((d) => [d.column_name, d.column_type]),
                   fields.map((f) => [f.name, duckType(f.type)]), `${label}: column types`);

  // Values: the expected rows as typed literals, then a row-by-row comparison in DuckDB.
  const table = `expected_${counter}`;
  const cols = fields.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ');
  await conn.run(`CREATE OR REPLACE TABLE ${table} (_row BIGINT, ${cols})`);
  for (let start = 0; start < spec.rows.length; start += 400) {
    const chunk = spec.rows.slice(start, start + 400).map((row, i) =>
      `(${start + i}, ${row.map((v, c) => `CAST(${sqlValue(fields[c].type, v)} AS ${duckType(fields[c].type)})`).join(', ')})`);
    if (chunk.length) await conn.run(`INSERT INTO ${table} VALUES ${chunk.join(',\n')}`);
  }
  const differs = fields.map((f) => {
    const c = `"${f.name}"`;
    let cond = `p.${c} IS DISTINCT FROM e.${c}`;
    // IS DISTINCT FROM takes -0.0 for 0.0: compare signs too.
    if (f.type === 'FLOAT' || f.type === 'DOUBLE') {
      cond += ` OR (p.${c} IS NOT NULL AND NOT isnan(p.${c}) AND signbit(p.${c}) <> signbit(e.${c}))`;
    }
    return `(${cond})`;
  }).join(' OR ');
  const parquet = `(SELECT *, file_row_number AS _row FROM read_parquet('${file}', file_row_number = true))`;
  const bad = await rows(`SELECT coalesce(p._row, e._row) AS row, ${fields.map((f) => `p."${f.name}" AS "got ${f.name}", e."${f.name}" AS "want ${f.name}"`).join(', ')}
                          FROM ${parquet} p FULL JOIN ${table} e ON p._row = e._row
                          WHERE p._row IS NULL OR e._row IS NULL OR ${differs}
                          ORDER BY row LIMIT 3`);
  assert.deepEqual(bad, [], `${label}: rows DuckDB reads differ from those written`);

  // Statistics of flat columns, per row group, against the data.
  const meta = await rows(`SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value,
                                  stats_max_value, stats_null_count, encodings, compression
                           FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`);
  let first = 0;
  const groups = new Map();
  for (const m of meta) {
    if (!groups.has(m.row_group_id)) {
      groups.set(m.row_group_id, first);
      first += Number(m.row_group_num_rows);
    }
  }
  assert.equal(first, spec.rows.length, `${label}: row group sizes add up`);
  for (const m of meta) {
    const f = fields.find((x) => x.name === m.path_in_schema);
    if (!f || !isFlat(f.type)) continue;
    const start = groups.get(m.row_group_id);
    const end = start + Number(m.row_group_num_rows);
    const c = `"${f.name}"`;
    const isFloat = f.type === 'FLOAT' || f.type === 'DOUBLE';
    const where = `file_row_number >= ${start} AND file_row_number < ${end}`;
    const valueFilter = isFloat ? `FILTER (WHERE NOT isnan(${c}))` : '';
    const [agg] = await rows(`SELECT count(*) - count(${c}) AS nulls,
                                     min(${c}) ${valueFilter} AS lo, max(${c}) ${valueFilter} AS hi,
                                     CAST(min(${c}) ${valueFilter} AS VARCHAR) AS lo_text,
                                     CAST(max(${c}) ${valueFilter} AS VARCHAR) AS hi_text,
                                     ${f.type === 'VARCHAR' ? `max(strlen(${c}))` : '0'} AS longest
                              FROM read_parquet('${file}', file_row_number = true) WHERE ${where}`);
    const where_ = `${label}: statistics of ${f.name} in row group ${m.row_group_id}`;
    assert.equal(Number(m.stats_null_count), Number(agg.nulls), `${where_}: null count`);
    if (agg.lo === null) {
      assert.equal(m.stats_min_value, null, `${where_}: no min without values`);
      assert.equal(m.stats_max_value, null, `${where_}: no max without values`);
    } else if (isFloat) {
      // Zeros compare equal (a zero min is written as -0.0, a zero max as +0.0), and
      // parquet_metadata shows infinite bounds as NULL (it does so for DuckDB's own files too).
      const num = f.type === 'FLOAT' ? (x) => Math.fround(toNumber(x)) : toNumber;
      for (const [stat, want, what] of [[m.stats_min_value, agg.lo, 'min'], [m.stats_max_value, agg.hi, 'max']]) {
        const w = num(want);
        if (stat === null) {
          assert.ok(!Number.isFinite(w), `${where_}: ${what} is missing but should be ${w}`);
        } else {
          assert.ok(num(stat) === w, `${where_}: ${what} ${stat} != ${w}`);
        }
      }
    } else if (f.type === 'VARCHAR' && Number(agg.longest) > 64) {
      assert.ok(m.stats_min_value <= agg.lo_text, `${where_}: truncated min is a lower bound`);
    } else if (f.type !== 'VARBINARY') {
      assert.equal(m.stats_min_value, agg.lo_text, `${where_}: min`);
      assert.equal(m.stats_max_value, agg.hi_text, `${where_}: max`);
    }
  }
  return { file, summary, meta };
}

// ---- values ---------------------------------------------------------------------------------

function rng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'z', 'A', ' ', '\'', '"', '\\', 'é', 'ß', '日本', '🙂', '\u007f', '\u0080', ',', '\n'];
const INT_RANGE = { INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647] };
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function bigRand(r, bits) {
  let x = 0n;
  for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(Math.floor(r() * 65536));
  return x & ((1n << BigInt(bits)) - 1n);
}

// A random value of type t (parquet_tool's JSON form); `pool` picks from few values.
function genValue(t, r, nullable, opts = {}) {
  if (nullable && r() < (opts.nullRate ?? 0.15)) return null;
  if (typeof t !== 'string') {
    if (t.struct) {
      const o = {};
      for (const f of t.struct) o[f.name] = genValue(f.type, r, f.nullable, opts);
      return o;
    }
    const n = r() < 0.2 ? 0 : Math.floor(r() * 4);
    if (t.list) return Array.from({ length: n }, () => genValue(t.list.type, r, t.list.nullable, opts));
    const keys = new Set();
    const out = [];
    for (let i = 0; i < n; ++i) {
      const k = genValue(t.map[0].type, r, false, opts);
      if (keys.has(JSON.stringify(k))) continue;  // DuckDB maps have unique keys
      keys.add(JSON.stringify(k));
      out.push([k, genValue(t.map[1].type, r, t.map[1].nullable, opts)]);
    }
    return out;
  }
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  if (opts.pool) {  // low cardinality: the same few values again and again
    const seed = Math.floor(r() * opts.pool);
    return genValue(t, rng(seed * 7919 + 13), false, { ...opts, pool: 0, extremes: 0 });
  }
  const extreme = r() < (opts.extremes ?? 0.1);
  const dec = decimalOf(t);
  if (dec) {
    const [p, s] = [Number(dec[1]), Number(dec[2])];
    let digits;
    if (extreme) {
      digits = pick(['9'.repeat(p), '0', '1']);
    } else {
      const n = 1 + Math.floor(r() * p);
      digits = Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
    }
    digits = digits.replace(/^0+(?=\d)/, '');
    const neg = r() < 0.5 && digits !== '0';
    const padded = digits.padStart(s + 1, '0');
    const text = s === 0 ? padded : `${padded.slice(0, padded.length - s)}.${padded.slice(padded.length - s)}`;
    return (neg ? '-' : '') + text;
  }
  switch (t) {
    case 'BOOLEAN': return r() < 0.5;
    case 'INT8': case 'INT16': case 'INT32': {
      const [lo, hi] = INT_RANGE[t];
      if (extreme) return pick([lo, hi, 0, -1]);
      return lo + Math.floor(r() * (hi - lo + 1));
    }
    case 'INT64':
      if (extreme) return String(pick([I64_MIN, I64_MAX, 0n, -1n]));
      return String(bigRand(r, 64) + I64_MIN);
    case 'FLOAT':
      if (extreme) return pick(['NaN', 'Infinity', '-Infinity', '-0', 0, 3.4028234663852886e+38, -1.401298464324817e-45]);
      return Math.fround((r() - 0.5) * 10 ** Math.floor(r() * 12 - 4));
    case 'DOUBLE':
      if (extreme) return pick(['NaN', 'Infinity', '-Infinity', '-0', 0, 1.7976931348623157e+308, 5e-324, -2.2250738585072014e-308]);
      return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    case 'VARCHAR': {
      const n = extreme ? pick([0, 0, 90]) : Math.floor(r() * (opts.maxLen ?? 12));
      return Array.from({ length: n }, () => pick(ALPHABET)).join('');
    }
    case 'VARBINARY': {
      const n = extreme ? pick([0, 1]) : Math.floor(r() * 12);
      return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256))).toString('base64');
    }
    case 'DATE':  // 1000 BC .. 9999 AD, and around the epoch
      if (extreme) return pick([0, -1, -719528, 2932896, -1000000]);
      return Math.floor(r() * 3400000) - 1100000;
    case 'TIMESTAMP':  // microseconds, years 1 .. 9999 and around the epoch
      if (extreme) return String(pick([0n, -1n, 1n, -62135596800000000n, 253402300799999999n]));
      return String(bigRand(r, 58) - (1n << 57n));
    default: throw new Error(`type ${t}`);
  }
}

function genRows(fields, n, r, opts) {
  return Array.from({ length: n }, () => fields.map((f) => genValue(f.type, r, f.nullable, opts)));
}

// ---- cases ----------------------------------------------------------------------------------

const ALL_TYPES = [
  field('b', 'BOOLEAN'), field('i8', 'INT8'), field('i16', 'INT16'), field('i32', 'INT32', false),
  field('i64', 'INT64'), field('f', 'FLOAT'), field('d', 'DOUBLE'), field('dec4', 'DECIMAL(4,2)'),
  field('dec9', 'DECIMAL(9,0)'), field('dec18', 'DECIMAL(18,6)'), field('dec19', 'DECIMAL(19,1)'),
  field('dec38', 'DECIMAL(38,10)'), field('dec38i', 'DECIMAL(38,0)'), field('s', 'VARCHAR'),
  field('bin', 'VARBINARY'), field('day', 'DATE'), field('ts', 'TIMESTAMP', true, { field_id: 7 }),
];

const NESTED = [
  field('id', 'INT64', false),
  field('tags', { list: field('element', 'VARCHAR') }),
  field('ints', { list: field('element', 'INT32', false) }, false),
  field('attrs', { map: [field('key', 'VARCHAR', false), field('value', 'INT64')] }),
  field('dates', { map: [field('key', 'DATE', false), field('value', { list: field('element', 'TIMESTAMP') })] }),
  field('s', { struct: [field('x', 'INT32', false), field('y', 'VARCHAR'),
                        field('z', { struct: [field('deep', 'DECIMAL(38,2)')] })] }),
  field('ls', { list: field('element', { struct: [field('a', 'DOUBLE'), field('b', { list: field('element', 'INT16') })] }) }),
  field('ll', { list: field('element', { list: field('element', 'BOOLEAN') }) }),
];

const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'LZ4_RAW'];

test('every type with nulls and extreme values, under each codec and page version', async () => {
  const r = rng(1);
  const data = genRows(ALL_TYPES, 700, r, { extremes: 0.25 });
  // Hand-picked edge rows: INT64 and DECIMAL(38) extremes, dates before 1970, microseconds.
  data.push([true, -128, -32768, -2147483648, String(I64_MIN), '-Infinity', '-0',
             '-99.99', '-999999999', '-999999999999.999999', '-999999999999999999.9',
             '-9999999999999999999999999999.9999999999', '-' + '9'.repeat(38), '', '',
             -719162, '-62135596800000000']);
  data.push([false, 127, 32767, 2147483647, String(I64_MAX), 'NaN', 'NaN', '99.99', '999999999',
             '999999999999.999999', '999999999999999999.9',
             '9999999999999999999999999999.9999999999', '9'.repeat(38), 'é日🙂', 'AAECA/8=', -1,
             '-1']);
  data.push([null, null, null, 0, null, null, null, null, null, null, null, null, null, null, null,
             null, '1700000000123456']);
  for (const codec of CODECS) {
    for (const version of [1, 2]) {
      await check({
        schema: ALL_TYPES,
        options: { codec, data_page_version: version, data_page_bytes: 4096, batch_rows: 97 },
        rows: data,
      }, `all types ${codec} v${version}`);
    }
  }
});

test('DuckDB reports the types tarn means', async () => {
  const nested = NESTED.filter((f) => f.name !== 'id' && f.name !== 's');
  const { file } = writeParquet({
    schema: [...ALL_TYPES, ...nested,
             field('st', { struct: [field('x', 'INT32', false), field('y', 'VARCHAR')] })],
    rows: [],
  });
  const got = Object.fromEntries((await rows(`DESCRIBE SELECT * FROM '${file}'`))
    .map((d) => [d.column_name, d.column_type]));
  assert.equal(got.b, 'BOOLEAN');
  assert.equal(got.i8, 'TINYINT');
  assert.equal(got.i16, 'SMALLINT');
  assert.equal(got.i32, 'INTEGER');
  assert.equal(got.i64, 'BIGINT');
  assert.equal(got.f, 'FLOAT');
  assert.equal(got.d, 'DOUBLE');
  assert.equal(got.dec4, 'DECIMAL(4,2)');
  assert.equal(got.dec19, 'DECIMAL(19,1)');
  assert.equal(got.dec38, 'DECIMAL(38,10)');
  assert.equal(got.s, 'VARCHAR');
  assert.equal(got.bin, 'BLOB');
  assert.equal(got.day, 'DATE');
  assert.equal(got.ts, 'TIMESTAMP', 'a local timestamp, not TIMESTAMP WITH TIME ZONE');
  assert.equal(got.tags, 'VARCHAR[]');
  assert.equal(got.attrs, 'MAP(VARCHAR, BIGINT)');
  assert.equal(got.dates, 'MAP(DATE, TIMESTAMP[])');
  assert.equal(got.st, 'STRUCT(x INTEGER, y VARCHAR)');
  assert.equal(got.ll, 'BOOLEAN[][]');
  const schema = await rows(`SELECT name, type, type_length, converted_type, logical_type, field_id
                             FROM parquet_schema('${file}')`);
  const ts = schema.find((e) => e.name === 'ts');
  assert.equal(ts.type, 'INT64');
  assert.equal(ts.converted_type, 'TIMESTAMP_MICROS');
  assert.match(ts.logical_type, /isAdjustedToUTC=0/);
  assert.match(ts.logical_type, /MICROS=MicroSeconds\(\)/);
  assert.equal(Number(ts.field_id), 7);
  assert.equal(schema.find((e) => e.name === 'dec19').type, 'FIXED_LEN_BYTE_ARRAY');
  assert.equal(Number(schema.find((e) => e.name === 'dec19').type_length), 9);
  assert.equal(schema.find((e) => e.name === 'dec9').type, 'INT32');
  assert.equal(schema.find((e) => e.name === 'dec18').type, 'INT64');
  assert.equal(schema.find((e) => e.name === 'i8').converted_type, 'INT_8');
});

test('nested structs, lists and maps, with empty and null ones', async () => {
  const r = rng(2);
  const data = genRows(NESTED, 1500, r, { nullRate: 0.2 });
  // Edge rows: empty vs null lists and maps, null structs whose children are not null, lists
  // whose elements are all null.
  data.push([1, [], [], [], [], null, [], []]);
  data.push([2, null, [], null, null, { x: 5, y: null, z: null }, null, null]);
  data.push([3, [null, null], [1, 2, 3], [['', 0], ['k', null]], [[0, []], [-1, [null]]],
             { x: 0, y: '', z: { deep: null } }, [null, { a: null, b: [] }, { a: -0.5, b: [null, 7] }],
             [[], null, [true, null, false]]]);
  for (const version of [1, 2]) {
    await check({ schema: NESTED, options: { data_page_version: version, data_page_bytes: 2048,
                                            data_page_max_rows: 300, batch_rows: 333 },
                  rows: data }, `nested v${version}`);
  }
  // Row groups and pages cut inside one large batch.
  await check({ schema: NESTED, options: { row_group_bytes: 16384, data_page_bytes: 1024,
                                          batch_rows: 5000, codec: 'ZSTD' },
                rows: data }, 'nested, small row groups');
});

test('many row groups and pages, dictionary, fallback and delta encodings', async () => {
  const schema = [
    field('seq', 'INT64', false), field('ts', 'TIMESTAMP', false), field('day', 'DATE'),
    field('city', 'VARCHAR'), field('code', 'INT32'), field('uniq', 'VARCHAR', false),
    field('amount', 'DECIMAL(12,2)'), field('ratio', 'DOUBLE'),
  ];
  const r = rng(3);
  const n = 30000;
  const data = [];
  for (let i = 0; i < n; ++i) {
    data.push([
      String(1000000 + i),
      String(1767225600000000n + BigInt(i) * 1013n + BigInt(Math.floor(r() * 1000))),
      r() < 0.1 ? null : 20000 + Math.floor(i / 3000),
      r() < 0.05 ? null : ['Oslo', 'Lima', 'Pune', 'Kyiv', 'Cork', 'Baku'][Math.floor(r() * 6)],
      // Few values at first (a dictionary), then many (the dictionary outgrows its limit).
      i < 3000 ? Math.floor(r() * 20) : Math.floor(r() * 1000000),
      `id-${Math.floor(r() * 1e12)}-${i}`,
      r() < 0.5 ? null : `${Math.floor(r() * 100000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}`,
      r() < 0.01 ? 'NaN' : Math.round(r() * 1000) / 8,
    ]);
  }
  const { meta, summary } = await check({
    schema,
    options: { row_group_bytes: 200000, data_page_bytes: 8192, dictionary_page_limit: 8192,
               codec: 'SNAPPY', batch_rows: 1024 },
    rows: data,
  }, 'encodings');
  assert.ok(summary.row_groups.length >= 4, `several row groups (${summary.row_groups.length})`);
  const byColumn = (name) => meta.filter((m) => m.path_in_schema === name).map((m) => m.encodings);
  for (const e of byColumn('seq')) assert.match(e, /DELTA_BINARY_PACKED/, 'seq: delta');
  for (const e of byColumn('ts')) assert.match(e, /DELTA_BINARY_PACKED/, 'ts: delta');
  for (const e of byColumn('city')) assert.match(e, /RLE_DICTIONARY/, 'city: dictionary');
  for (const e of byColumn('day')) assert.match(e, /RLE_DICTIONARY/, 'day: dictionary');
  for (const e of byColumn('uniq')) assert.doesNotMatch(e, /DICTIONARY/, 'uniq: plain');
  // code: a dictionary first, which outgrows its limit and falls back to delta (smaller than
  // PLAIN on the first page); later row groups sample high-cardinality values: delta only.
  const code = byColumn('code');
  assert.match(code[0], /RLE_DICTIONARY/, `code starts with a dictionary: ${code.join(' | ')}`);
  assert.ok(code.some((e) => /RLE_DICTIONARY/.test(e) && /DELTA_BINARY_PACKED/.test(e)),
            `code falls back once the dictionary is full: ${code.join(' | ')}`);
  assert.doesNotMatch(code.slice(-1)[0], /DICTIONARY/, `code ends without one: ${code.join(' | ')}`);

  // The same data with dictionaries and delta off, page v2, every codec: same values.
  for (const codec of CODECS) {
    await check({ schema, options: { dictionary: false, delta: false, data_page_version: 2,
                                    row_group_bytes: 400000, codec, batch_rows: 4096 },
                  rows: data.slice(0, 8000) }, `plain ${codec}`);
  }
});

test('long strings: truncated statistics stay bounds', async () => {
  const long = 'x'.repeat(200);
  const { file } = writeParquet({
    schema: [field('s', 'VARCHAR')],
    rows: [[`a${long}`], [`é${long}`], [null]],
  });
  const [m] = await rows(`SELECT stats_min_value, stats_max_value, min_is_exact, max_is_exact
                          FROM parquet_metadata('${file}')`);
  assert.ok(m.stats_min_value.length <= 64 && `a${long}`.startsWith(m.stats_min_value));
  assert.ok(m.stats_max_value > `é${long}`, 'the truncated max is still an upper bound');
  assert.equal(m.min_is_exact, false);
  const [c] = await rows(`SELECT count(*) AS n FROM '${file}' WHERE s > 'b'`);
  assert.equal(Number(c.n), 1, 'pruning with the statistics keeps the row');
});

test('random schemas and data', async () => {
  const base = process.env.PARQUET_SEED ? Number(process.env.PARQUET_SEED) : Date.now() % 1000000;
  const leafTypes = ['BOOLEAN', 'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'DECIMAL(7,3)',
                     'DECIMAL(15,0)', 'DECIMAL(25,5)', 'VARCHAR', 'VARBINARY', 'DATE', 'TIMESTAMP'];
  for (let k = 0; k < 6; ++k) {
    const seed = base + k;
    const r = rng(seed);
    let id = 1;
    const pick = (xs) => xs[Math.floor(r() * xs.length)];
    const genType = (depth) => {
      const x = r();
      if (depth >= 3 || x < 0.55) return pick(leafTypes);
      if (x < 0.7) {
        const n = 1 + Math.floor(r() * 3);
        return { struct: Array.from({ length: n }, (_, i) => genField(`f${i}`, depth + 1)) };
      }
      if (x < 0.87) return { list: genField('element', depth + 1) };
      return { map: [field('key', pick(['VARCHAR', 'INT32', 'INT64', 'DATE']), false),
                     genField('value', depth + 1)] };
    };
    const genField = (name, depth) => {
      const f = field(name, genType(depth), r() < 0.75);
      if (r() < 0.3) f.field_id = id++;
      return f;
    };
    const schema = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => genField(`c${i}`, 0));
    const options = {
      codec: pick(CODECS),
      data_page_version: pick([1, 2]),
      data_page_bytes: pick([256, 1024, 65536]),
      data_page_max_rows: pick([17, 200, 20000]),
      row_group_bytes: pick([2048, 30000, 1 << 27]),
      dictionary: r() < 0.7,
      dictionary_page_limit: pick([64, 1024, 1 << 20]),
      delta: r() < 0.7,
      batch_rows: pick([1, 50, 777]),
    };
    const data = genRows(schema, 200 + Math.floor(r() * 1500), r,
                         { nullRate: pick([0, 0.1, 0.5]), pool: pick([0, 0, 5]) });
    const label = `random seed ${seed} (PARQUET_SEED=${base}) schema ${JSON.stringify(schema)} options ${JSON.stringify(options)}`;
    await check({ schema, options, rows: data }, label);
  }
});
