// DuckDB's side of the conversion benchmark in bench/formats/run.sh: NDJSON -> Parquet (Snappy),
// `COPY (SELECT * FROM read_json(...)) TO ... (FORMAT parquet)`, RUNS times after a warm-up, two
// ways: `auto`, with DuckDB's own schema detection (which types event_id as UUID and stores it as
// 16 bytes), and `typed`, given the column types tarn infers (event_id VARCHAR, as the lake keeps
// it for Athena/Spark), so that the two writers store the same values.
//
//   node duckdb_convert.mjs EVENTS.ndjson OUT_DIR RUNS THREADS
//
// Prints one JSON object: {"auto": {rows, bytes, convert: [seconds...]}, "typed": {...}}.
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireClient = createRequire(path.join(here, '../../tests/clients/package.json'));
const { DuckDBInstance } = requireClient('@duckdb/node-api');

const [events, outDir, runsArg, threadsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:', { threads: String(threadsArg || 2) });
const conn = await db.connect();
const columns = `{event_id: 'VARCHAR', user_id: 'BIGINT', session_id: 'VARCHAR',
  event_type: 'VARCHAR', page: 'VARCHAR', referrer: 'VARCHAR', country: 'VARCHAR',
  device: 'VARCHAR', ts: 'TIMESTAMP',
  context: 'STRUCT(app_version VARCHAR, os VARCHAR, screen STRUCT(w BIGINT, h BIGINT))',
  tags: 'VARCHAR[]', price: 'DOUBLE'}`;

async function measure(label, readJson) {
  const out = path.join(outDir, `convert-duckdb-${label}.parquet`);
  const copy = `COPY (SELECT * FROM ${readJson}) TO ${quote(out)} (FORMAT parquet, COMPRESSION snappy)`;
  const timed = async () => {
    const start = process.hrtime.bigint();
    await conn.run(copy);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  await timed();  // warm-up
  const seconds = [];
  for (let r = 0; r < runs; r++) {
    seconds.push(await timed());
    console.error(`duckdb_convert.mjs: ${label} run ${r + 1}: ${seconds.at(-1).toFixed(2)} s`);
  }
  const [{ n }] = (await conn.runAndReadAll(
    `SELECT count(*) AS n FROM read_parquet(${quote(out)})`)).getRowObjectsJson();
  return { rows: Number(n), bytes: statSync(out).size, convert: seconds };
}

const auto = await measure('auto', `read_json(${quote(events)}, format = 'newline_delimited')`);
const typed = await measure('typed',
  `read_json(${quote(events)}, format = 'newline_delimited', columns = ${columns})`);
console.log(JSON.stringify({ auto, typed }));
