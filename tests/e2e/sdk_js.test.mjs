// End-to-end: the AWS SDK for JavaScript v3 against tarn. Its Kinesis client speaks HTTP/2 with
// prior knowledge (h2c) to an http:// endpoint, so this checks the edge server's h2c path with the
// real client users run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { requireClient, scrapeMetric, startTarn } from './tarn_harness.mjs';

const { KinesisClient, ListStreamsCommand } = requireClient('@aws-sdk/client-kinesis');

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
    await assert.rejects(client.send(new ListStreamsCommand({})), (err) => {
      assert.equal(err.name, 'UnknownOperationException');
      assert.match(err.message, /Kinesis_20131202\.ListStreams/);
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
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.name, 'UnknownOperationException');
    }
  } finally {
    client.destroy();
  }
});
