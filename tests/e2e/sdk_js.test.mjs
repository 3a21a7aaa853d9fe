// End-to-end: the AWS SDK for JavaScript v3 against tarn. Its Kinesis client speaks HTTP/2 with
// prior knowledge (h2c) to an http:// endpoint, so this checks the edge server's h2c path with the
// real client users run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { requireClient, scrapeMetric, startTarn } from './tarn_harness.mjs';

const {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  ListStreamConsumersCommand, ListStreamsCommand, PutRecordCommand, PutRecordsCommand,
  waitUntilStreamExists,
} = requireClient('@aws-sdk/client-kinesis');

// An operation of the Kinesis model that tarn does not serve (enhanced fan-out consumers).
const unknownOperation = () =>
  new ListStreamConsumersCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/x' });

let tarn;
before(async () => { tarn = await startTarn(); });
after(async () => { assert.equal(await tarn.stop(), 0, tarn.logLines.join('\n')); });

function kinesis() {
  return new KinesisClient({
    endpoint: tarn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'tarn-test', secretAccessKey: 'tarn-test-secret' },
    maxAttempts: 1,
  });
}

test('an unknown operation reaches the SDK as UnknownOperationException over h2c', async () => {
  const h2Before = await scrapeMetric(tarn.endpoint, 'tarn_http_connections_total', { protocol: 'h2c' });
  const client = kinesis();
  try {
    await assert.rejects(client.send(unknownOperation()), (err) => {
      assert.equal(err.name, 'UnknownOperationException');
      assert.match(err.message, /Kinesis_20131202\.ListStreamConsumers/);
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.ok(err.$metadata.requestId, 'x-amzn-requestid is passed through');
      return true;
    });
  } finally {
    client.destroy();
  }
  const h2After = await scrapeMetric(tarn.endpoint, 'tarn_http_connections_total', { protocol: 'h2c' });
  assert.ok(h2After > h2Before, `the SDK connected over h2c (${h2Before} -> ${h2After})`);
});

test('many concurrent requests multiplex on one h2c connection', async () => {
  const client = kinesis();
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => client.send(new ListStreamsCommand({}))));
    for (const r of results) {
      assert.equal(r.status, 'fulfilled', String(r.reason));
      assert.ok(Array.isArray(r.value.StreamNames));
    }
  } finally {
    client.destroy();
  }
});

test('create, wait until ACTIVE, put and get records over h2c', async () => {
  const client = kinesis();
  try {
    await client.send(new CreateStreamCommand({ StreamName: 'js-stream', ShardCount: 2 }));
    await waitUntilStreamExists({ client, minDelay: 1, maxWaitTime: 30 }, { StreamName: 'js-stream' });
    const one = await client.send(new PutRecordCommand({
      StreamName: 'js-stream', PartitionKey: 'k', Data: new TextEncoder().encode('first'),
    }));
    assert.match(one.SequenceNumber, /^\d+$/);
    const many = await client.send(new PutRecordsCommand({
      StreamName: 'js-stream',
      Records: Array.from({ length: 20 }, (_, i) => ({
        PartitionKey: 'k', Data: new TextEncoder().encode(`r${i}`),
      })),
    }));
    assert.equal(many.FailedRecordCount, 0);
    // One partition key: every record is in one shard, in put order.
    assert.ok(many.Records.every((r) => r.ShardId === one.ShardId));
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({
      StreamName: 'js-stream', ShardId: one.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    const got = await client.send(new GetRecordsCommand({ ShardIterator }));
    const texts = got.Records.map((r) => new TextDecoder().decode(r.Data));
    assert.deepEqual(texts, ['first', ...Array.from({ length: 20 }, (_, i) => `r${i}`)]);
    assert.ok(got.Records[0].ApproximateArrivalTimestamp instanceof Date);
    assert.equal(got.Records[0].SequenceNumber, one.SequenceNumber);
    assert.ok(got.NextShardIterator);
  } finally {
    client.destroy();
  }
});
