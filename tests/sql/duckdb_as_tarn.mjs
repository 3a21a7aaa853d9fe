#!/usr/bin/env node
// Stands in for `tarn sql` with DuckDB, to check the expectations of the .test files where DuckDB
// and Trino agree (and to test run_tests.py itself) before tarn's engine exists:
//   TARN_BIN=tests/sql/duckdb_as_tarn.sh run_tests.py tests/sql
// `sql --data DIR -c SQL --format json` runs SQL in DuckDB over views of DIR's catalog
// (tests/e2e/duckdb_lake.mjs); every other subcommand goes to the real tarn (REAL_TARN_BIN).
// Expect failures where the dialects differ (integer division, error messages, SHOW...): read
// them, don't "fix" the .test files toward DuckDB.
import { spawnSync } from 'node:child_process';

import { attachLake, duckResultJson } from '../e2e/duckdb_lake.mjs';
import { requireClient, TARN_BIN } from '../e2e/tarn_harness.mjs';

const REAL = process.env.REAL_TARN_BIN ?? TARN_BIN;
const args = process.argv.slice(2);

if (args[0] === '--help') {
  process.stdout.write('DuckDB standing in for tarn sql\nSubcommands:\n  sql   SQL in DuckDB\n');
  process.exit(0);
}
if (args[0] !== 'sql') {
  const run = spawnSync(REAL, args, { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
if (args.includes('--help')) process.exit(0);
const flag = (name) => args[args.indexOf(name) + 1];
const duck = requireClient('@duckdb/node-api');
try {
  const conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await attachLake(conn, REAL, flag('--data'));
  const reader = await conn.runAndReadAll(flag('-c'));
  process.stdout.write(duckResultJson(reader) + '\n');
} catch (e) {
  process.stderr.write(`error: ${String(e.message).split('\n')[0]}\n`);
  process.exit(1);
}
