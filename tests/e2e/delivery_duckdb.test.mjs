// End-to-end: Firehose delivery streams of a real tarn server, driven with plain fetch() calls of
// the AWS JSON 1.1 API (Firehose_20150804.*, AWSGlue.*), read back with DuckDB as the oracle:
//   - a DirectPut delivery with GZIP NDJSON output under tarn's default prefix
//     (raw/<name>/year=/month=/day=/hour=/): read_json with hive partitioning returns every
//     record, once, and the partition columns are the hour the records arrived (UTC);
//   - a DirectPut delivery converting to Parquet with the schema of a Glue table (id bigint,
//     name string, ts timestamp; partition dt from the Prefix): read_parquet returns every
//     record with DuckDB types BIGINT / VARCHAR / TIMESTAMP and the values sent;
//   - IntervalInSeconds 0 (accepted by the raw API; botocore refuses it): a record reaches the
//     lake without any flush.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';

import { requireClient, startTarn } from './tarn_harness.mjs';

const duck = requireClient('@duckdb/node-api');

const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const BUCKET = 'arn:aws:s3:::tarn-lake';
const COUNT = 1000;
const BASE_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);  // record i's ts: BASE_MS + i seconds

let server;
let lake;
let conn;

before(async () => {
  server = await startTarn();
  lake = path.join(server.dataDir, 'lake');
  conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'tarn did not exit cleanly');
});

// One AWS JSON 1.1 call; returns the parsed answer, throws with the answer on an HTTP error.
async function aws(target, body) {
  const r = await fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${target}: HTTP ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function rest(method, urlPath) {
  const r = await fetch(`${server.endpoint}${urlPath}`, { method });
  const text = await r.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: r.status, body };
}

async function flush(name) {
  const { status, body } = await rest('POST', `/api/v1/deliveries/${name}/flush?timeout_ms=60000`);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function createDirectPut(name, s3) {
  const answer = await aws('Firehose_20150804.CreateDeliveryStream', {
    DeliveryStreamName: name,
    DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET, ...s3 },
  });
  assert.equal(answer.DeliveryStreamARN,
    `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`);
  const deadline = Date.now() + 30000;
  for (;;) {
    const d = await aws('Firehose_20150804.DescribeDeliveryStream', { DeliveryStreamName: name });
    if (d.DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE') return d;
    assert.ok(Date.now() < deadline, `${name} not ACTIVE in time: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const recordOf = (i) => ({ id: i, name: `name-${i}`, ts: new Date(BASE_MS + i * 1000).toISOString() });

// PutRecordBatch of the records in batches of 500 (Firehose's limit); every one must succeed.
async function putAll(name, records) {
  for (let start = 0; start < records.length; start += 500) {
    const chunk = records.slice(start, start + 500);
    const answer = await aws('Firehose_20150804.PutRecordBatch', {
      DeliveryStreamName: name,
      Records: chunk.map((r) => ({ Data: Buffer.from(JSON.stringify(r) + '\n').toString('base64') })),
    });
    assert.equal(answer.FailedPutCount, 0, JSON.stringify(answer).slice(0, 500));
    assert.equal(answer.RequestResponses.length, chunk.length);
    const ids = answer.RequestResponses.map((r) => r.RecordId);
    assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0));
    assert.equal(new Set(ids).size, ids.length, 'RecordIds are not unique');
  }
}

const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();

// The UTC hours (and dates) between two instants, as the default prefix writes them.
function utcHours(fromMs, toMs) {
  const out = new Set();
  for (let t = Math.floor(fromMs / 3600000) * 3600000; t <= toMs; t += 3600000) {
    const d = new Date(t);
    out.add([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours()].join('/'));
  }
  return out;
}
function utcDates(fromMs, toMs) {
  return new Set([...utcHours(fromMs, toMs)].map((h) => {
    const [y, m, d] = h.split('/').map(Number);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }));
}

function filesUnder(root) {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true })
    .map((f) => path.join(root, String(f)))
    .filter((f) => fs.statSync(f).isFile());
}

test('DirectPut GZIP NDJSON under the default prefix reads back with DuckDB read_json', async () => {
  const name = 'dd-raw';
  await createDirectPut(name, {
    BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
    CompressionFormat: 'GZIP',
  });
  const records = Array.from({ length: COUNT }, (_, i) => recordOf(i));
  const before = Date.now();
  await putAll(name, records);
  const after = Date.now();
  const flushed = await flush(name);
  assert.equal(flushed.records, COUNT, JSON.stringify(flushed));
  assert.ok(flushed.objects >= 1, JSON.stringify(flushed));

  const files = filesUnder(path.join(lake, 'raw', name));
  assert.ok(files.length >= 1);
  for (const f of files) {
    assert.match(path.relative(path.join(lake, 'raw', name), f),
      /^year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/dd-raw-shardId-\d{12}-\d+-\d+\.json\.gz$/);
    zlib.gunzipSync(fs.readFileSync(f));  // complete gzip
  }

  const glob = `read_json('${lake}/raw/${name}/**/*.json.gz', hive_partitioning = true)`;
  const [summary] = await rows(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids,
      min(id)::INTEGER AS lo, max(id)::INTEGER AS hi,
      count(*) FILTER (WHERE name <> 'name-' || id)::INTEGER AS bad_names FROM ${glob}`);
  assert.deepEqual(summary, { n: COUNT, ids: COUNT, lo: 0, hi: COUNT - 1, bad_names: 0 });
  // The ts text survives (whatever type DuckDB detected): compare it as epoch milliseconds.
  const [ts] = await rows(`SELECT count(*) FILTER (WHERE epoch_ms(CAST(ts AS TIMESTAMP))
      <> ${BASE_MS} + id * 1000)::INTEGER AS bad FROM ${glob}`);
  assert.equal(ts.bad, 0);
  // The hive partition columns: the UTC hour the records arrived.
  const hours = await rows(`SELECT DISTINCT CAST(year AS INTEGER) AS y, CAST(month AS INTEGER) AS m,
      CAST(day AS INTEGER) AS d, CAST(hour AS INTEGER) AS h FROM ${glob}`);
  const allowed = utcHours(before, after);
  assert.ok(hours.length >= 1);
  for (const { y, m, d, h } of hours) {
    assert.ok(allowed.has([y, m, d, h].join('/')), `partition ${y}/${m}/${d}/${h} not in ${[...allowed]}`);
  }

  const { status, body } = await rest('GET', `/api/v1/deliveries/${name}`);
  assert.equal(status, 200);
  assert.equal(body.records_delivered, COUNT);
  assert.equal(body.objects_written, files.length);
  assert.equal(body.lag_records, 0);
  assert.equal(body.last_error, '');
});

test('DataFormatConversion to Parquet with a Glue table schema reads back with DuckDB read_parquet', async () => {
  const lakeUri = `file://${fs.realpathSync(lake)}/`;
  await aws('AWSGlue.CreateDatabase', { DatabaseInput: { Name: 'processed' } });
  await aws('AWSGlue.CreateTable', {
    DatabaseName: 'processed',
    TableInput: {
      Name: 'conv',
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      StorageDescriptor: {
        Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' },
                  { Name: 'ts', Type: 'timestamp' }],
        Location: `${lakeUri}processed/conv/`,
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
    },
  });
  const name = 'dd-conv';
  await createDirectPut(name, {
    Prefix: 'processed/conv/dt=!{timestamp:yyyy-MM-dd}/',
    ErrorOutputPrefix: 'errors/conv/!{firehose:error-output-type}/',
    BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
    CompressionFormat: 'UNCOMPRESSED',
    DataFormatConversionConfiguration: {
      Enabled: true,
      SchemaConfiguration: { DatabaseName: 'processed', TableName: 'conv', RoleARN: ROLE, Region: 'us-east-1' },
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
    },
  });
  const records = Array.from({ length: COUNT }, (_, i) => recordOf(i));
  const before = Date.now();
  await putAll(name, records);
  const after = Date.now();
  const flushed = await flush(name);
  assert.equal(flushed.records, COUNT, JSON.stringify(flushed));

  const files = filesUnder(path.join(lake, 'processed', 'conv'));
  assert.ok(files.length >= 1);
  for (const f of files) assert.match(f, /\/dt=\d{4}-\d{2}-\d{2}\/dd-conv-shardId-\d{12}-\d+-\d+\.parquet$/);
  assert.deepEqual(filesUnder(path.join(lake, 'errors', 'conv')), [], 'records went to the error output');

  const source = `read_parquet('${lake}/processed/conv/**/*.parquet', hive_partitioning = true)`;
  const r = await conn.runAndReadAll(`SELECT id, name, ts, dt FROM ${source} LIMIT 1`);
  const types = Object.fromEntries(r.columnNames().map((n, i) => [n, r.columnTypes()[i].toString()]));
  assert.equal(types.id, 'BIGINT');
  assert.equal(types.name, 'VARCHAR');
  assert.match(types.ts, /^TIMESTAMP/, `ts is ${types.ts}`);
  const [summary] = await rows(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids,
      min(id)::INTEGER AS lo, max(id)::INTEGER AS hi,
      count(*) FILTER (WHERE name IS DISTINCT FROM 'name-' || id)::INTEGER AS bad_names,
      count(*) FILTER (WHERE epoch_ms(ts) IS DISTINCT FROM ${BASE_MS} + id * 1000)::INTEGER AS bad_ts
      FROM ${source}`);
  assert.deepEqual(summary, { n: COUNT, ids: COUNT, lo: 0, hi: COUNT - 1, bad_names: 0, bad_ts: 0 });
  const dts = (await rows(`SELECT DISTINCT CAST(dt AS VARCHAR) AS dt FROM ${source}`)).map((x) => x.dt);
  const allowed = utcDates(before, after);
  assert.ok(dts.length >= 1);
  for (const dt of dts) assert.ok(allowed.has(dt), `dt=${dt} not in ${[...allowed]}`);

  // The catalog table is the Glue table, with its partition registered.
  const parts = await aws('AWSGlue.GetPartitions', { DatabaseName: 'processed', TableName: 'conv' });
  assert.deepEqual(parts.Partitions.map((p) => p.Values[0]).sort(), [...dts].sort());
});

test('IntervalInSeconds 0 delivers without a flush', async () => {
  const name = 'dd-now';
  const d = await createDirectPut(name, {
    BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
    CompressionFormat: 'GZIP',
  });
  assert.equal(d.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription
    .BufferingHints.IntervalInSeconds, 0);
  const marker = `now-${process.pid}-${Date.now()}`;
  await putAll(name, [{ id: 1, name: marker }]);
  const put = Date.now();
  const root = path.join(lake, 'raw', name);
  const deadline = put + 10000;
  let found = null;
  while (found === null) {
    for (const f of filesUnder(root)) {
      if (!f.endsWith('.json.gz')) continue;
      const text = zlib.gunzipSync(fs.readFileSync(f)).toString();
      if (text.includes(marker)) found = { file: f, ms: Date.now() - put, text };
    }
    if (found) break;
    assert.ok(Date.now() < deadline, `the record was not in ${root} within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual(JSON.parse(found.text.trim()), { id: 1, name: marker });
  console.log(`IntervalInSeconds 0: the record was in the lake ${found.ms} ms after its answer`);
  assert.ok(found.ms < 2000, `took ${found.ms} ms (goal: 2 s)`);
  // The object is renamed into place before the lake commit registers it: the status counts it
  // once committed, which must follow within the same 2 s.
  let body;
  for (;;) {
    ({ body } = await rest('GET', `/api/v1/deliveries/${name}`));
    if (body.records_delivered === 1) break;
    assert.ok(Date.now() < put + 2000, `not committed within 2 s: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(body.lag_records, 0);
  assert.equal(body.objects_written, 1);
});
