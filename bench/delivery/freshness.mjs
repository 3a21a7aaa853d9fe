// The driver of bench/delivery/run.sh: delivery freshness against a running tarn server.
//
//   node freshness.mjs ENDPOINT LAKE_DIR COUNT
//
// Creates (with the raw AWS JSON 1.1 API: botocore refuses IntervalInSeconds < 60) a DirectPut
// delivery stream and a KinesisStreamAsSource one reading a 1-shard stream, both with
// BufferingHints IntervalInSeconds 0, then COUNT times per delivery: puts one record with a unique
// id (Firehose PutRecordBatch, or Kinesis PutRecord for the stream-sourced one), notes when the
// answer arrived, and polls GET /api/v1/deliveries/NAME until records_delivered counts it (a
// record counts once its object is committed to the lake: written, renamed and in the catalog).
// The latency is from the put's answer to the first poll that sees it (polls every POLL_MS, so
// figures are up to POLL_MS late). At the end every id is looked for in the lake's objects.
// Prints one JSON line per delivery: {"target", "count", "p50_ms", "p99_ms", "max_ms", "in_lake"}.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [endpoint, lakeDir, countText] = process.argv.slice(2);
const COUNT = Number(countText ?? 200);
const POLL_MS = Number(process.env.POLL_MS ?? 5);
const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const BUCKET = 'arn:aws:s3:::tarn-lake';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function aws(target, body) {
  const r = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${target}: HTTP ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function status(name) {
  const r = await fetch(`${endpoint}/api/v1/deliveries/${name}`);
  if (r.status !== 200) throw new Error(`GET /api/v1/deliveries/${name}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function waitUntil(what, condition, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const s3 = (extra = {}) => ({
  RoleARN: ROLE, BucketARN: BUCKET, CompressionFormat: 'GZIP',
  BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, ...extra,
});

async function createDeliveries() {
  await aws('Firehose_20150804.CreateDeliveryStream', {
    DeliveryStreamName: 'fresh-direct', DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: s3(),
  });
  await aws('Kinesis_20131202.CreateStream', { StreamName: 'fresh-src', ShardCount: 1 });
  await waitUntil('stream fresh-src ACTIVE', async () =>
    (await aws('Kinesis_20131202.DescribeStreamSummary', { StreamName: 'fresh-src' }))
      .StreamDescriptionSummary.StreamStatus === 'ACTIVE');
  await aws('Firehose_20150804.CreateDeliveryStream', {
    DeliveryStreamName: 'fresh-kinesis', DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: {
      KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/fresh-src', RoleARN: ROLE,
    },
    ExtendedS3DestinationConfiguration: s3(),
  });
  for (const name of ['fresh-direct', 'fresh-kinesis']) {
    await waitUntil(`${name} ACTIVE`, async () =>
      (await aws('Firehose_20150804.DescribeDeliveryStream', { DeliveryStreamName: name }))
        .DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE');
  }
}

const data = (id) => Buffer.from(JSON.stringify({ id, at: Date.now(), pad: 'x'.repeat(100) }) + '\n')
  .toString('base64');

const putters = {
  'fresh-direct': async (id) => {
    const a = await aws('Firehose_20150804.PutRecordBatch',
      { DeliveryStreamName: 'fresh-direct', Records: [{ Data: data(id) }] });
    if (a.FailedPutCount !== 0) throw new Error(`PutRecordBatch failed: ${JSON.stringify(a)}`);
  },
  'fresh-kinesis': async (id) => {
    await aws('Kinesis_20131202.PutRecord',
      { StreamName: 'fresh-src', PartitionKey: id, Data: data(id) });
  },
};

function idsInLake(name) {
  const root = path.join(lakeDir, 'raw', name);
  const ids = new Set();
  if (!fs.existsSync(root)) return ids;
  for (const f of fs.readdirSync(root, { recursive: true })) {
    const file = path.join(root, String(f));
    if (!file.endsWith('.json.gz') || !fs.statSync(file).isFile()) continue;
    for (const line of zlib.gunzipSync(fs.readFileSync(file)).toString().split('\n')) {
      if (line) ids.add(JSON.parse(line).id);
    }
  }
  return ids;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(name) {
  const latencies = [];
  const ids = [];
  let delivered = (await status(name)).records_delivered;
  for (let i = 0; i < COUNT; i++) {
    const id = `${name}-${process.pid}-${i}`;
    ids.push(id);
    await putters[name](id);
    const answered = performance.now();
    const deadline = answered + 30000;
    for (;;) {
      const s = await status(name);
      if (s.records_delivered > delivered) {
        delivered = s.records_delivered;
        latencies.push(performance.now() - answered);
        break;
      }
      if (performance.now() > deadline) {
        throw new Error(`${name}: record ${i} not delivered within 30 s: ${JSON.stringify(s)}`);
      }
      await sleep(POLL_MS);
    }
  }
  const inLake = idsInLake(name);
  const found = ids.filter((id) => inLake.has(id)).length;
  latencies.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return {
    target: name, count: COUNT, p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)), max_ms: round(latencies[latencies.length - 1]),
    in_lake: found,
  };
}

await createDeliveries();
for (const name of ['fresh-direct', 'fresh-kinesis']) {
  console.log(JSON.stringify(await measure(name)));
}
