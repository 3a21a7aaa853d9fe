// End-to-end: tarn's own Kinesis producer (`tarn gen --to kinesis://STREAM`) against a third-party
// Kinesis server, kinesalite (npm), started in this process on 127.0.0.1. Records are read back
// with the AWS SDK for JavaScript v3, so the producer is checked against two independent
// implementations of the protocol: every acknowledged record is stored where the producer was told,
// with the data it sent, in sequence-number order per shard.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { TARN_BIN, requireClient } from './tarn_harness.mjs';

const kinesalite = requireClient('kinesalite');
const { NodeHttpHandler } = requireClient('@smithy/node-http-handler');
const { KinesisClient, ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand } =
  requireClient('@aws-sdk/client-kinesis');

let server;
let endpoint;
let workDir;

before(async () => {
  // In memory, streams ACTIVE at once. kinesalite speaks HTTP/1.1 only, hence NodeHttpHandler below.
  server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${server.address().port}`;
  workDir = mkdtempSync(path.join(tmpdir(), 'tarn-kinesalite-'));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

// Runs `tarn gen ARGS` without blocking this process's event loop (kinesalite runs in it).
function runGen(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(TARN_BIN, ['gen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function kinesis() {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'tarn-test', secretAccessKey: 'tarn-test-secret' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

// Every record of every shard of `stream`, read from TRIM_HORIZON until a read comes back empty.
async function readStream(client, stream) {
  const byShard = new Map();
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: stream }));
  for (const { ShardId } of Shards) {
    const records = [];
    let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand(
      { StreamName: stream, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...page.Records);
      if (page.Records.length === 0) break;
      iterator = page.NextShardIterator;
    }
    byShard.set(ShardId, records);
  }
  return byShard;
}

function readAcks(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((line) => {
    const fields = line.split('\t');
    assert.equal(fields.length, 4, `ack line '${line}'`);
    const [partitionKey, shardId, sequence, md5] = fields;
    return { partitionKey, shardId, sequence, md5 };
  });
}

const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

test('every acknowledged record is stored as sent, in order per shard', async () => {
  const acksFile = path.join(workDir, 'acks.tsv');
  const run = await runGen(['--to', 'kinesis://s1', '--create-shards', '2', '--count', '5000',
                            '--endpoint', endpoint, '--acks', acksFile, '--report', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.records, 5000);
  assert.equal(report.failed_records, 0);
  assert.equal(report.batches, 10, 'batches of 500 by default');

  const acks = readAcks(acksFile);
  assert.equal(acks.length, 5000);
  const client = kinesis();
  try {
    const stored = await readStream(client, 's1');
    assert.equal(stored.size, 2);
    for (const [shardId, records] of stored) {
      const expected = acks.filter((a) => a.shardId === shardId)
        .sort((a, b) => (BigInt(a.sequence) < BigInt(b.sequence) ? -1 : 1));
      assert.ok(expected.length > 0, `shard ${shardId} got records`);
      assert.equal(records.length, expected.length, `records in ${shardId}`);
      records.forEach((r, i) => {
        assert.equal(r.SequenceNumber, expected[i].sequence, `${shardId} position ${i}`);
        assert.equal(r.PartitionKey, expected[i].partitionKey);
        assert.equal(md5(r.Data), expected[i].md5, 'the data acknowledged is the data stored');
      });
    }
    // A record's data is one clickstream line with its newline; the partition key its user_id.
    const first = [...stored.values()][0][0];
    const line = Buffer.from(first.Data).toString('utf8');
    assert.ok(line.endsWith('\n'));
    assert.equal(String(JSON.parse(line).user_id), first.PartitionKey);
  } finally {
    client.destroy();
  }
});

test('--batch and --record-bytes shape the requests and records', async () => {
  const run = await runGen(['--to', 'kinesis://s2', '--create-shards', '1', '--count', '600',
                            '--batch', '100', '--record-bytes', '200', '--connections', '3',
                            '--endpoint', endpoint, '--report', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual([report.records, report.batches, report.bytes], [600, 6, 600 * 200]);
  const client = kinesis();
  try {
    const [records] = [...(await readStream(client, 's2')).values()];
    assert.equal(records.length, 600);
    for (const r of records) {
      assert.equal(r.Data.length, 200);
      assert.equal(r.Data[199], 0x0a, 'records end with a newline');
    }
  } finally {
    client.destroy();
  }
});

test('an unreachable endpoint fails with one clear line and exit status 1', async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const run = await runGen(['--to', 'kinesis://s1', '--count', '10',
                            '--endpoint', `http://127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr,
               new RegExp(`^tarn gen: cannot connect to http://127\\.0\\.0\\.1:${port}: Connection refused\\n$`));
});

test('a stream that does not exist is an AWS error, reported and exit status 1', async () => {
  const run = await runGen(['--to', 'kinesis://missing', '--count', '10', '--endpoint', endpoint]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^tarn gen: PutRecords: ResourceNotFoundException: .*missing.* \(HTTP 400\)\n$/);
});
