// DuckDB views over a tarn lake, typed as tarn's catalog types them, so the same SQL text runs in
// DuckDB and in `tarn sql`: for each table of `tarn catalog tables --data DIR` a schema <db> and a
// view <db>.<table> over read_json / read_parquet / read_csv with hive partitioning, its columns
// cast to the catalog's types and its partition keys VARCHAR (the crawler types them `string`).
// Used by sql_duckdb.test.mjs (the differential harness) and tests/sql/duckdb_as_tarn.mjs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Hive/Glue type (as `tarn catalog describe` prints it) -> DuckDB type.
export function duckType(hive) {
  const t = hive.trim();
  const lower = t.toLowerCase();
  const simple = {
    string: 'VARCHAR', varchar: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', integer: 'INTEGER',
    smallint: 'SMALLINT', tinyint: 'TINYINT', double: 'DOUBLE', float: 'FLOAT', real: 'FLOAT',
    boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', binary: 'BLOB',
  };
  if (simple[lower]) return simple[lower];
  if (lower.startsWith('decimal')) return t.toUpperCase();
  if (lower.startsWith('array<')) return `${duckType(t.slice(6, -1))}[]`;
  if (lower.startsWith('struct<')) {
    const fields = splitTopLevel(t.slice(7, -1)).map((f) => {
      const colon = f.indexOf(':');
      return `"${f.slice(0, colon)}" ${duckType(f.slice(colon + 1))}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  if (lower.startsWith('map<')) {
    const [k, v] = splitTopLevel(t.slice(4, -1));
    return `MAP(${duckType(k)}, ${duckType(v)})`;
  }
  throw new Error(`no DuckDB type for catalog type ${hive}`);
}

// "a:int,b:struct<c:int,d:int>" -> ["a:int", "b:struct<c:int,d:int>"] (commas inside <> or ()
// belong to the inner type).
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if ('<('.includes(text[i])) depth++;
    else if ('>)'.includes(text[i])) depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.slice(start).trim()) parts.push(text.slice(start).trim());
  return parts;
}

function catalog(tarnBin, dataDir, ...args) {
  const run = spawnSync(tarnBin, ['catalog', ...args, '--data', dataDir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tarn catalog ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

// { name: 'raw.t1', format: 'json', columns: [[name, type]...], partitionKeys: [[name, type]] }
export function describeTable(tarnBin, dataDir, name) {
  const lines = catalog(tarnBin, dataDir, 'describe', name).split('\n');
  const section = (title, next) => {
    const start = lines.indexOf(title) + 1;
    const end = lines.indexOf(next);
    return lines.slice(start, end).filter((l) => l.trim())
      .map((l) => { const m = /^\s+(\S+)\s+(.+?)\s*$/.exec(l); return [m[1], m[2]]; });
  };
  const format = /^format\s+(\w+)/m.exec(lines.join('\n'))[1];
  return {
    name, format,
    columns: section('columns', 'partition keys'),
    partitionKeys: section('partition keys', 'schema versions'),
  };
}

export function listTables(tarnBin, dataDir) {
  return catalog(tarnBin, dataDir, 'tables').split('\n').slice(1)
    .map((l) => l.split(/\s+/)[0]).filter(Boolean);
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// The FROM clause reading a table's files, and whether its columns need a cast (JSON reads
// them typed already through `columns`).
function scanOf(table, root) {
  const hiveTypes = `{${table.partitionKeys.map(([k]) => `'${k}': 'VARCHAR'`).join(', ')}}`;
  const hive = table.partitionKeys.length
    ? `hive_partitioning = true, hive_types = ${hiveTypes}` : 'hive_partitioning = false';
  switch (table.format) {
    case 'json': {
      const columns = table.columns.map(([n, t]) => `'${n}': '${duckType(t)}'`).join(', ');
      return `read_json(${quote(`${root}/**/*.json*`)}, format = 'newline_delimited', ` +
        `columns = {${columns}}, ${hive})`;
    }
    case 'parquet':
      return `read_parquet(${quote(`${root}/**/*.parquet`)}, union_by_name = true, ${hive})`;
    case 'csv':
      return `read_csv(${quote(`${root}/**/*.csv*`)}, header = true, all_varchar = true, ` +
        `union_by_name = true, ${hive})`;
    default:
      throw new Error(`no DuckDB reader for format ${table.format} of ${table.name}`);
  }
}

// Creates the schemas and views of every table in the catalog of `dataDir`.
export async function attachLake(conn, tarnBin, dataDir) {
  const tables = listTables(tarnBin, dataDir).map((t) => describeTable(tarnBin, dataDir, t));
  for (const table of tables) {
    const [db, name] = table.name.split('.');
    const root = path.join(dataDir, 'lake', db, name);
    const select = [
      ...table.columns.map(([n, t]) => `CAST("${n}" AS ${duckType(t)}) AS "${n}"`),
      ...table.partitionKeys.map(([k]) => `"${k}"`),
    ].join(', ');
    await conn.run(`CREATE SCHEMA IF NOT EXISTS "${db}"`);
    await conn.run(`CREATE OR REPLACE VIEW "${db}"."${name}" AS SELECT ${select} ` +
      `FROM ${scanOf(table, root)}`);
  }
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Results in the shape of `tarn sql --format json`, and one canonical form for comparing them.

// "YYYY-MM-DD HH:MM:SS" plus ".ffffff" when the micros are nonzero (tarn's timestamp text).
export function normalizeTimestamp(text) {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]00(?::?00)?)?$/.exec(text);
  if (!m) return text;
  const frac = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  return `${m[1]} ${m[2]}${/^0*$/.test(frac) ? '' : `.${frac}`}`;
}

// One DuckDB value (node-api getRows()) as JSON text the way tarn prints it.
export function duckValueJson(v) {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'bigint': return v.toString();
    case 'number': return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    case 'boolean': return String(v);
    case 'string': return JSON.stringify(v);
    default: break;
  }
  const kind = v.constructor?.name ?? '';
  if (kind === 'DuckDBDecimalValue') return v.toString();
  if (kind.startsWith('DuckDBTimestamp')) return JSON.stringify(normalizeTimestamp(v.toString()));
  if (kind === 'DuckDBListValue' || kind === 'DuckDBArrayValue') {
    return `[${v.items.map(duckValueJson).join(',')}]`;
  }
  if (kind === 'DuckDBStructValue') {
    return `{${Object.entries(v.entries).map(([k, x]) => `${JSON.stringify(k)}:${duckValueJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v.toString());  // dates, intervals, blobs: their text
}

// DuckDB's type name -> Trino's lower-case name (loosely: what `tarn sql` should print).
export function trinoTypeName(duck) {
  const t = duck.toLowerCase();
  const map = { varchar: 'varchar', float: 'real', hugeint: 'decimal(38,0)', timestamp: 'timestamp(6)' };
  return map[t] ?? t;
}

// A whole result as the JSON text of `tarn sql --format json` (without stats).
export function duckResultJson(reader) {
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => trinoTypeName(t.toString()));
  const columns = names.map((n, i) => JSON.stringify({ name: n, type: types[i] }));
  const rows = reader.getRows().map((r) => `[${r.map(duckValueJson).join(',')}]`);
  return `{"columns":[${columns.join(',')}],"rows":[${rows.join(',')}]}`;
}

// Parses tarn's JSON keeping every number as its text ({num: '12.50'}): JSON.parse would round
// bigints beyond 2^53 and drop a decimal's scale. Numbers outside strings become sentinel strings
// first (node 20's JSON.parse has no access to a number's source text).
const NUM = '\u0000num:';
export function parseExactJson(text) {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g,
    (tok) => (tok[0] === '"' ? tok : `"\\u0000num:${tok}"`));
  return JSON.parse(marked, (_k, v) => (typeof v === 'string' && v.startsWith(NUM)
    ? { num: v.slice(NUM.length) } : v));
}

// The canonical form of a parsed value: numbers {num}, timestamps normalized, NaN/Infinity
// strings as numbers.
export function canonical(v) {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object') {
    if ('num' in v && Object.keys(v).length === 1) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  }
  if (typeof v === 'string') {
    if (['NaN', 'Infinity', '-Infinity'].includes(v)) return { num: v };
    return normalizeTimestamp(v);
  }
  return v;
}

function sameNumber(a, b) {
  if (a === b) return true;
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return BigInt(a) === BigInt(b);
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= Math.max(1e-9 * Math.max(Math.abs(x), Math.abs(y)), 1e-12);
}

// Deep equality of canonical values, numbers with 1e-9 relative tolerance.
export function sameValue(a, b) {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === 'object') {
    if ('num' in a || 'num' in b) return 'num' in a && 'num' in b && sameNumber(a.num, b.num);
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

// A sort key for order-insensitive comparison: both engines' spellings of a number give the
// same key (2 and 2.0; doubles rounded to 12 significant digits, so values that differ in the
// last bits still sort alike); integers keep all their digits.
function numberKey(text) {
  if (/^-?\d+$/.test(text)) return text;
  const x = Number(text);
  if (!Number.isFinite(x)) return text;
  return Number.isInteger(x) && Math.abs(x) < 2 ** 53 ? String(x) : x.toPrecision(12);
}

export function sortKey(row) {
  return JSON.stringify(row, (_k, v) => (v && typeof v === 'object' && 'num' in v
    ? `#${numberKey(v.num)}` : v));
}
