// The two sides of bench/query (see run.sh): the queries of QUERIES against a running tarn server
// (POST /api/v1/query, JSON answers) and against DuckDB in this process (read_parquet with
// hive_partitioning over the same files, with the catalog's partition types). Each query is run
// once to warm up, then RUNS times per side; the medians, the ratio tarn/DuckDB, the geometric
// mean of the ratios and the peak RSS of the tarn server and of this process (DuckDB) are printed.
// The answers must agree (as sorted row text for queries without ORDER BY), or this exits 1.
//
//   node run.mjs URL SERVER_PID EVENTS_DIR QUERIES RUNS THREADS
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireClient = createRequire(path.join(here, '../../tests/clients/package.json'));
const { DuckDBInstance } = requireClient('@duckdb/node-api');

const [url, serverPid, eventsDir, queriesFile, runsArg, threadsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const threads = Number(threadsArg || 2);
const queries = readFileSync(queriesFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('--'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const peakRssKb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
};

// Values as comparable text: numbers rounded to 9 significant digits, timestamps without 'T'.
const canon = (v) => {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(9);
  if (typeof v === 'string') {
    const ts = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?$/.exec(v);
    if (ts) return `${ts[1]} ${ts[2]}${ts[3] ? ts[3].replace(/0+$/, '').replace(/\.$/, '') : ''}`;
    if (/^-?\d+(\.\d+)?$/.test(v) && v.includes('.')) return Number(v).toPrecision(9);
    return v;
  }
  if (typeof v === 'object' && 'micros' in v) {
    const d = new Date(Number(v.micros / 1000n));
    return canon(d.toISOString().replace('Z', ''));
  }
  return JSON.stringify(v);
};
const rowText = (row) => row.map(canon).join('|');

async function tarnQuery(sql) {
  const start = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  const text = await res.text();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (res.status !== 200) throw new Error(`tarn: ${sql}: HTTP ${res.status}: ${text}`);
  const body = JSON.parse(text);
  return { seconds, rows: body.rows, stats: body.stats };
}

async function openDuck(n) {
  const db = await DuckDBInstance.create(':memory:', { threads: String(n) });
  const conn = await db.connect();
  const glob = path.join(eventsDir, '**', '*.parquet').replaceAll("'", "''");
  await conn.run('CREATE SCHEMA processed');
  await conn.run(`CREATE VIEW processed.events AS SELECT * FROM read_parquet('${glob}',
    hive_partitioning = true,
    hive_types = {'year': VARCHAR, 'month': VARCHAR, 'day': VARCHAR, 'hour': VARCHAR})`);
  return conn;
}

async function duckQuery(conn, sql) {
  const start = process.hrtime.bigint();
  const reader = await conn.runAndReadAll(sql);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rows: reader.getRows() };
}

async function timeSide(run, sql) {
  const first = await run(sql);  // warm-up, and the answer
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await run(sql)).seconds);
  return { median: median(times), rows: first.rows, stats: first.stats };
}

const duck = await openDuck(threads);
const duck1 = await openDuck(1);
const fmt = (s) => (s * 1000).toFixed(1).padStart(9);
console.log(`query: ${queries.length} queries, median of ${runs} warm runs; DuckDB ${threads} threads (and 1)`);
console.log(`${'#'.padStart(3)} ${'tarn ms'.padStart(9)} ${'duckdb ms'.padStart(9)} ${'ratio'.padStart(7)} ${'duck1 ms'.padStart(9)} ${'ratio1'.padStart(7)} ${'MB scanned'.padStart(10)}  query`);
let logSum = 0;
let logSum1 = 0;
let failures = 0;
for (const [i, sql] of queries.entries()) {
  const t = await timeSide(tarnQuery, sql);
  const d = await timeSide((q) => duckQuery(duck, q), sql);
  const d1 = await timeSide((q) => duckQuery(duck1, q), sql);
  const ordered = /\border\s+by\b/i.test(sql);
  const a = t.rows.map(rowText);
  const b = d.rows.map(rowText);
  if (!ordered) {
    a.sort();
    b.sort();
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    failures++;
    console.log(`MISMATCH in query ${i + 1}: ${sql}\n  tarn:   ${a.slice(0, 5).join(' ; ')}\n  duckdb: ${b.slice(0, 5).join(' ; ')}`);
  }
  const ratio = t.median / d.median;
  const ratio1 = t.median / d1.median;
  logSum += Math.log(ratio);
  logSum1 += Math.log(ratio1);
  console.log(`${String(i + 1).padStart(3)} ${fmt(t.median)} ${fmt(d.median)} ${ratio.toFixed(2).padStart(7)} ${fmt(d1.median)} ${ratio1.toFixed(2).padStart(7)} ${(t.stats.bytes_scanned / 1e6).toFixed(1).padStart(10)}  ${sql.slice(0, 90)}`);
}
const geo = Math.exp(logSum / queries.length);
const geo1 = Math.exp(logSum1 / queries.length);
console.log(`geometric mean of tarn/DuckDB: ${geo.toFixed(2)} (DuckDB ${threads} threads), ${geo1.toFixed(2)} (DuckDB 1 thread); < 1 means tarn is faster`);
console.log(`peak RSS: tarn server ${(peakRssKb(serverPid) / 1024).toFixed(0)} MB, node+DuckDB ${(peakRssKb(process.pid) / 1024).toFixed(0)} MB`);
if (failures) {
  console.log(`${failures} queries disagreed`);
  process.exit(1);
}
