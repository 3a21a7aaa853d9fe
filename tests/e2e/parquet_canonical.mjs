// Shared by the Parquet interop tests (parquet_duckdb_read, parquet_arrow_rs): `tarn parquet cat
// --format json` read losslessly, and canonical forms in which another engine's values and tarn's
// JSON compare equal exactly when they are the same value.
//
// A canonical kind says how a column's values are compared:
//   'bool'     'true' / 'false'
//   'exact'    exact decimal text: integers (any width, unsigned ones too), DECIMAL, TIME (tarn has
//              no TIME type: microseconds since midnight as INT64)
//   'float'    JS shortest text of the value through Math.fround; NaN / Infinity / -Infinity / -0
//              by name (tarn writes "NaN" etc.); 'double' the same without Math.fround
//   'text'     the string as tarn prints it: VARCHAR, BLOB as base64, DATE as YYYY-MM-DD,
//              TIMESTAMP as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC (see fmtDate, fmtTs)
//   { list: KIND }                  element-wise
//   { struct: [[name, KIND], ...] } member-wise, all members present, in any order
//   { map: [KIND, KIND] }           a list of [key, value] pairs (tarn writes a JSON object for
//                                   VARCHAR keys, [{"key","value"}] otherwise)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { TARN_BIN } from './tarn_harness.mjs';

export function tarn(...args) {
  const r = spawnSync(TARN_BIN, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return r;
}

// JSON with numbers kept as their text ({ num: '1.50' }) and objects as ordered entries
// ({ obj: [[k, v], ...] }), so 38-digit decimals and integer-like map keys survive.
export function parseLossless(text) {
  let i = 0;
  const ws = () => { while (' \t\r\n'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = [];
      ws();
      if (text[i] === '}') { i++; return { obj }; }
      for (;;) {
        ws();
        const k = value();
        ws();
        assert.equal(text[i++], ':');
        obj.push([k, value()]);
        ws();
        if (text[i] === ',') { i++; continue; }
        assert.equal(text[i++], '}');
        return { obj };
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        assert.equal(text[i++], ']');
        return arr;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1));
      i = j + 1;
      return s;
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) { i += word.length; return v; }
    }
    const m = /^-?[0-9][0-9.eE+-]*/.exec(text.slice(i, i + 400));
    assert.ok(m, `bad JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    return { num: m[0] };
  };
  const v = value();
  ws();
  assert.equal(i, text.length);
  return v;
}

// The rows of `tarn parquet cat --format json FILE [--columns COLUMNS]`, each parsed losslessly.
export function tarnRows(file, columns) {
  const args = ['parquet', 'cat', file, '--format', 'json'];
  if (columns) args.push('--columns', columns);
  const r = tarn(...args);
  assert.equal(r.status, 0, `tarn parquet cat ${file}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0).map(parseLossless);
}

// ---- Formatting ----------------------------------------------------------------------------------

export const pad = (n, w) => String(n).padStart(w, '0');

function civil(days) {  // days since 1970-01-01 -> [y, m, d] (proleptic Gregorian)
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

// Days since 1970-01-01 (number or bigint) -> YYYY-MM-DD.
export const fmtDate = (days) => {
  const [y, m, d] = civil(Number(days));
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
};

export const floorDiv = (a, b) => (a % b < 0n ? a / b - 1n : a / b);

// Microseconds since the epoch (bigint) -> 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
export function fmtTs(micros) {
  const day = 86400000000n;
  const days = floorDiv(micros, day);
  let rest = micros - days * day;
  const us = rest % 1000000n;
  rest /= 1000000n;
  const hms = `${pad(rest / 3600n, 2)}:${pad((rest / 60n) % 60n, 2)}:${pad(rest % 60n, 2)}`;
  return `${fmtDate(days)} ${hms}${us === 0n ? '' : '.' + pad(us, 6)}`;
}

// An unscaled decimal (bigint) at `scale` -> exact decimal text.
export function fmtDecimal(unscaled, scale) {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  digits = digits.padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export function fmtFloat(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

// ---- tarn's side ---------------------------------------------------------------------------------

// tarn's JSON value (from parseLossless) in the canonical form of `kind`.
export function tarnCanon(v, kind) {
  if (v === null) return null;
  if (typeof kind === 'string') {
    switch (kind) {
      case 'bool': return String(v);
      case 'float': return typeof v === 'string' ? v : fmtFloat(Math.fround(Number(v.num)));
      case 'double': return typeof v === 'string' ? v : fmtFloat(Number(v.num));
      case 'exact': return v.num;
      case 'text': return v;
      default: throw new Error(`unknown canonical kind ${kind}`);
    }
  }
  if (kind.list) return v.map((x) => tarnCanon(x, kind.list));
  if (kind.struct) {
    const got = new Map(v.obj);
    const out = {};
    for (const [name, k] of kind.struct) out[name] = tarnCanon(got.get(name), k);
    assert.equal(got.size, kind.struct.length, `struct fields ${[...got.keys()]}`);
    return out;
  }
  const [kk, vk] = kind.map;
  if (Array.isArray(v)) {  // [{"key": k, "value": v}, ...]
    return v.map((e) => {
      const m = new Map(e.obj);
      return [tarnCanon(m.get('key'), kk), tarnCanon(m.get('value'), vk)];
    });
  }
  return v.obj.map(([k, x]) => [tarnCanon(k, kk), tarnCanon(x, vk)]);
}

// Compares tarn's rows (tarnRows) with another engine's, given as { names, kinds, types, want }:
// column names in order, their canonical kinds, type names for messages, and want(r, c) the
// canonical value of row r, column c. Returns the number of values compared.
export function compareRows(label, other, tarnResult, rowCount) {
  assert.equal(tarnResult.length, rowCount, `${label}: row count`);
  let checked = 0;
  for (let r = 0; r < rowCount; r++) {
    const got = new Map(tarnResult[r].obj);
    assert.deepEqual([...got.keys()], other.names, `${label}: columns of row ${r}`);
    other.names.forEach((name, c) => {
      const have = tarnCanon(got.get(name), other.kinds[c]);
      assert.deepStrictEqual(have, other.want(r, c), `${label}: row ${r}, column ${name} (${other.types[c]})`);
      checked++;
    });
  }
  return checked;
}
