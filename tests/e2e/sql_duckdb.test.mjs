// Differential test of tarn's SQL engine against DuckDB: `tarn gen` events split by the hour of
// their ts into Hive partitions (year=/month=/day=/hour=), as NDJSON under lake/raw/events/ and
// as Parquet (tarn convert) under lake/processed/events/, crawled by `tarn crawl`. Every query of
// sql_corpus/queries.sql runs in `tarn sql --format json` (one process per query) and in DuckDB
// over views typed like tarn's catalog (duckdb_lake.mjs); the answers must agree: rows compare
// order-insensitively unless the query has ORDER BY, numbers with 1e-9 relative tolerance,
// timestamps as "YYYY-MM-DD HH:MM:SS[.ffffff]". All mismatches are reported in one failure.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import {
  attachLake, canonical, duckResultJson, parseExactJson, sameValue, sortKey,
} from './duckdb_lake.mjs';
import { requireClient, TARN_BIN } from './tarn_harness.mjs';

const duck = requireClient('@duckdb/node-api');
const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.SQL_DUCKDB_EVENTS ?? 200000);
const TABLES = ['raw.events', 'processed.events'];
const JOBS = 2;  // tarn processes at once: the machine has 2 cores
// The events' schema for tarn convert: the same types in every hour's Parquet file, whatever
// an hour's first records look like (price is only on purchases).
const EVENT_SCHEMA = 'event_id string, user_id bigint, session_id string, event_type string, ' +
  'page string, referrer string, country string, device string, price double, ts timestamp, ' +
  'context struct<app_version:string,os:string,screen:struct<w:bigint,h:bigint>>, ' +
  'tags array<string>';

let dir;
let conn;
let hours;

function tarn(...args) {
  const run = spawnSync(TARN_BIN, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, `tarn ${args.join(' ')}: ${run.stderr}`);
  return run;
}

// Runs `fn` over `items` with at most `jobs` in flight; results in input order.
async function pool(items, jobs, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return out;
}

// The events' NDJSON lines grouped by the UTC hour of ts: "2026/01/01/00" -> lines.
function splitByHour(ndjson) {
  const groups = new Map();
  for (const line of ndjson.split('\n')) {
    if (!line) continue;
    const m = /"ts":"(\d{4})-(\d\d)-(\d\d)T(\d\d)/.exec(line);
    assert.ok(m, `event without ts: ${line}`);
    const key = m.slice(1, 5).join('/');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(line);
  }
  return groups;
}

const hivePath = (key) => {
  const [y, mo, d, h] = key.split('/');
  return `year=${y}/month=${mo}/day=${d}/hour=${h}`;
};

async function writeLake() {
  const source = path.join(dir, 'events.ndjson');
  tarn('gen', '--count', String(EVENTS), '--seed', '7', '--out', source);
  const groups = splitByHour(fs.readFileSync(source, 'utf8'));
  fs.writeFileSync(path.join(dir, 'events.schema'), EVENT_SCHEMA + '\n');
  const convert = promisify(execFile);
  await pool([...groups.keys()], JOBS, async (key) => {
    const json = path.join(dir, 'lake/raw/events', hivePath(key), 'part-0.json');
    const parquet = path.join(dir, 'lake/processed/events', hivePath(key), 'part-0.parquet');
    fs.mkdirSync(path.dirname(json), { recursive: true });
    fs.mkdirSync(path.dirname(parquet), { recursive: true });
    fs.writeFileSync(json, groups.get(key).join('\n') + '\n');
    await convert(TARN_BIN, ['convert', '--schema', path.join(dir, 'events.schema'), json, parquet]);
  });
  tarn('crawl', '--data', dir);
  return groups.size;
}

// ---------------------------------------------------------------------------------------------
// The corpus

// [{name, sql, duckSql, table}] -- one entry per query and table it runs on.
function loadCorpus() {
  const text = fs.readFileSync(path.join(here, 'sql_corpus/queries.sql'), 'utf8');
  const blocks = text.split(/^-- name: */m).slice(1);
  const out = [];
  for (const block of blocks) {
    const [name, ...rest] = block.split('\n');
    const lines = rest.filter((l) => l.trim() === '-- duckdb:' || !l.trim().startsWith('--'));
    const body = lines.join('\n');
    const [tarnPart, duckPart] = body.split(/^-- duckdb:\s*$/m);
    const sql = tarnPart.trim().replace(/;$/, '');
    const duckSql = (duckPart ?? tarnPart).trim().replace(/;$/, '');
    assert.ok(sql && !sql.includes(';'), `corpus query ${name}: one statement ending in ;`);
    const tables = sql.includes('{events}') ? TABLES : [null];
    for (const table of tables) {
      const fill = (s) => (table ? s.replaceAll('{events}', table) : s);
      out.push({ name: name.trim(), table, sql: fill(sql), duckSql: fill(duckSql) });
    }
  }
  return out;
}

// Whether row order is part of the answer: the query orders its result.
const ordered = (sql) => /\border\s+by\b/i.test(sql);

function normalizeResult(parsed) {
  return { columns: parsed.columns, rows: parsed.rows.map((r) => r.map(canonical)),
    stats: parsed.stats };
}

// DuckDB's answers, kept: the DuckDB-only test and the comparison ask for the same queries.
const duckAnswers = new Map();
async function runDuck(sql) {
  if (!duckAnswers.has(sql)) {
    const reader = await conn.runAndReadAll(sql);
    duckAnswers.set(sql, normalizeResult(parseExactJson(duckResultJson(reader))));
  }
  return duckAnswers.get(sql);
}

const execTarn = promisify(execFile);
async function runTarn(sql) {
  try {
    const { stdout } = await execTarn(TARN_BIN,
      ['sql', '--data', dir, '-c', sql, '--format', 'json'], { maxBuffer: 1 << 28 });
    return normalizeResult(parseExactJson(stdout));
  } catch (e) {
    return { error: (e.stderr || e.message || String(e)).trim().split('\n').pop() };
  }
}

// Why two normalized results differ, or null when they agree.
function difference(query, want, got) {
  if (got.error) return `tarn failed: ${got.error}`;
  if (got.columns.length !== want.columns.length) {
    return `columns: tarn ${JSON.stringify(got.columns.map((c) => c.name))}, ` +
      `DuckDB ${JSON.stringify(want.columns.map((c) => c.name))}`;
  }
  let w = want.rows;
  let g = got.rows;
  if (!ordered(query.sql)) {
    const bySortKey = (a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);
    w = [...w].sort(bySortKey);
    g = [...g].sort(bySortKey);
  }
  if (w.length !== g.length) return `rows: tarn ${g.length}, DuckDB ${w.length}`;
  const i = w.findIndex((row, k) => !sameValue(row, g[k]));
  if (i < 0) return null;
  const show = (rows) => rows.slice(i, i + 3).map((r) => JSON.stringify(r)).join('\n      ');
  return `first difference at row ${i + 1}:\n    DuckDB:\n      ${show(w)}\n    tarn:\n      ${show(g)}`;
}

// ---------------------------------------------------------------------------------------------

// SQL_DUCKDB_SHOW=1: print DuckDB's answers (to eyeball the corpus).
const SHOW = process.env.SQL_DUCKDB_SHOW === '1';

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarn-sql-duckdb-'));
  hours = await writeLake();
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await attachLake(conn, TARN_BIN, dir);
  // Read each table's files once: DuckDB answers ~100 queries from memory instead of
  // re-parsing 60 MB of JSON for each.
  for (const t of TABLES) {
    const [db, name] = t.split('.');
    await conn.run(`CREATE TABLE "${db}"."${name}_loaded" AS SELECT * FROM ${t}`);
    await conn.run(`CREATE OR REPLACE VIEW ${t} AS SELECT * FROM "${db}"."${name}_loaded"`);
  }
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the lake: both tables crawled with string partition keys, the same events in DuckDB', async () => {
  const describe = tarn('catalog', 'describe', '--data', dir, 'raw.events').stdout;
  for (const key of ['year', 'month', 'day', 'hour']) {
    assert.match(describe, new RegExp(`^ {2}${key}\\s+string$`, 'm'), describe);
  }
  for (const t of TABLES) {
    const r = await runDuck(`SELECT count(*), count(DISTINCT event_id),
      count(DISTINCT year || month || day || hour) FROM ${t}`);
    assert.deepEqual(r.rows[0].map((v) => Number(v.num)), [EVENTS, EVENTS, hours], t);
  }
  // NDJSON and Parquet hold the same rows.
  // (By name: the crawler orders NDJSON columns as it first meets them.)
  const columns = EVENT_SCHEMA.split(', ').map((c) => c.split(' ')[0]).join(', ');
  const diff = await runDuck(`SELECT count(*) FROM (SELECT ${columns} FROM raw.events
    EXCEPT ALL SELECT ${columns} FROM processed.events)`);
  assert.equal(Number(diff.rows[0][0].num), 0);
});

test('every corpus query runs in DuckDB and returns rows', async () => {
  const corpus = loadCorpus();
  assert.ok(new Set(corpus.map((q) => q.name)).size >= 80, 'the corpus has >= 80 queries');
  const problems = [];
  for (const q of corpus) {
    try {
      const r = await runDuck(q.duckSql);
      if (r.rows.length === 0) problems.push(`${q.name} (${q.table}): no rows`);
      if (SHOW) console.log(q.name, q.table, r.rows.length, JSON.stringify(r.rows.slice(0, 3)));
    } catch (e) {
      problems.push(`${q.name} (${q.table}): ${e.message.split('\n')[0]}`);
    }
  }
  assert.deepEqual(problems, []);
});

function assertTarnSqlAvailable() {
  const help = spawnSync(TARN_BIN, ['--help'], { encoding: 'utf8' }).stdout ?? '';
  assert.ok(/^\s+sql\s/m.test(help),
    `tarn sql is not available: \`${TARN_BIN} --help\` lists no sql subcommand`);
}

test('tarn sql answers every corpus query as DuckDB does', async () => {
  assertTarnSqlAvailable();
  const corpus = loadCorpus();
  const wants = [];
  for (const q of corpus) wants.push(await runDuck(q.duckSql));
  const gots = await pool(corpus, JOBS, (q) => runTarn(q.sql));
  if (gots.every((g) => g.error)) {
    assert.fail(`tarn sql is not available: every query failed, e.g. ${gots[0].error}`);
  }
  const mismatches = corpus.map((q, i) => {
    const why = difference(q, wants[i], gots[i]);
    return why && `${q.name} on ${q.table ?? '-'}: ${why}\n    SQL: ${q.sql.replace(/\s+/g, ' ')}`;
  }).filter(Boolean);
  assert.equal(mismatches.length, 0,
    `${mismatches.length} of ${corpus.length} queries differ:\n\n${mismatches.join('\n\n')}`);
});

test('a filter on partition keys reads one hour and says so in the stats', async () => {
  assertTarnSqlAvailable();
  for (const t of TABLES) {
    const sql = `SELECT count(*) FROM ${t} WHERE day = '02' AND hour = '03'`;
    const [want, got] = [await runDuck(sql), await runTarn(sql)];
    assert.ok(!got.error, `tarn sql: ${got.error}`);
    assert.ok(sameValue(got.rows, want.rows), `${t}: ${JSON.stringify(got.rows)}`);
    const stat = (name) => Number(got.stats?.[name]?.num);
    assert.equal(stat('partitions_read'), 1, `${t}: ${JSON.stringify(got.stats)}`);
    assert.equal(stat('partitions_pruned'), hours - 1, `${t}: ${JSON.stringify(got.stats)}`);
  }
});
