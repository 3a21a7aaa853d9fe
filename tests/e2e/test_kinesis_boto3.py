"""End-to-end: the Kinesis Data Streams API of a real tarn server driven by boto3 (Debian's
/usr/bin/python3): paginators, waiters, reading every shard in order, expiring iterators and
ListShards tokens, throttling, StreamARN, and malformed requests."""
import json
import unittest
import urllib.error
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

from tarn_harness import error_code, poll, TarnProcess


def kinesis_client(endpoint, **config):
    return boto3.client(
        "kinesis", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="tarn-test", aws_secret_access_key="tarn-test-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}, **config))




def raw_post(endpoint, target, body):
    request = urllib.request.Request(endpoint + "/", data=body, method="POST", headers={
        "X-Amz-Target": "Kinesis_20131202." + target,
        "Content-Type": "application/x-amz-json-1.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class KinesisBoto3Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()
        cls.kinesis = kinesis_client(cls.tarn.endpoint)

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        assert status == 0, "server exited with %s" % status

    def create(self, name, shards):
        self.kinesis.create_stream(StreamName=name, ShardCount=shards)
        self.kinesis.get_waiter("stream_exists").wait(
            StreamName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})

    def test_paginators(self):
        names = ["b3-page-%d" % i for i in range(3)]
        for name in names:
            self.create(name, 1)
        pages = list(self.kinesis.get_paginator("list_streams").paginate(
            PaginationConfig={"PageSize": 1}))
        listed = [n for p in pages for n in p["StreamNames"]]
        self.assertEqual(listed, sorted(listed))
        self.assertTrue(set(names) <= set(listed))
        self.assertGreaterEqual(len(pages), len(listed))
        # StreamSummaries (newer than Debian's botocore model) on the wire:
        status, body = raw_post(self.tarn.endpoint, "ListStreams", b'{"Limit": 2}')
        self.assertEqual(status, 200)
        self.assertEqual([s["StreamName"] for s in body["StreamSummaries"]], body["StreamNames"])
        self.assertTrue(body["HasMoreStreams"])
        status, body = raw_post(self.tarn.endpoint, "ListStreams",
                                json.dumps({"NextToken": body["NextToken"]}).encode())
        self.assertEqual(status, 200)
        self.assertEqual(body["StreamNames"], listed[2:2 + len(body["StreamNames"])])

        self.create("b3-shards", 4)
        # As on AWS, a NextToken names its stream and must come alone, so the list_shards
        # paginator starts from the first page's token (paginating with StreamName fails).
        first = self.kinesis.list_shards(StreamName="b3-shards", MaxResults=1)
        pages = [first] + list(self.kinesis.get_paginator("list_shards").paginate(
            PaginationConfig={"PageSize": 1, "StartingToken": first["NextToken"]}))
        self.assertEqual(len(pages), 4)
        self.assertEqual([s["ShardId"] for p in pages for s in p["Shards"]],
                         ["shardId-%012d" % i for i in range(4)])
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            list(self.kinesis.get_paginator("list_shards").paginate(
                StreamName="b3-shards", PaginationConfig={"PageSize": 1}))
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidArgumentException")
        described = self.kinesis.describe_stream(StreamName="b3-shards", Limit=3)
        self.assertTrue(described["StreamDescription"]["HasMoreShards"])
        rest = self.kinesis.describe_stream(StreamName="b3-shards",
                                            ExclusiveStartShardId="shardId-000000000002")
        self.assertEqual([s["ShardId"] for s in rest["StreamDescription"]["Shards"]],
                         ["shardId-000000000003"])

    def test_waiters(self):
        self.kinesis.create_stream(StreamName="b3-wait", ShardCount=1)
        self.kinesis.get_waiter("stream_exists").wait(
            StreamName="b3-wait", WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
        self.kinesis.delete_stream(StreamName="b3-wait")
        self.kinesis.get_waiter("stream_not_exists").wait(
            StreamName="b3-wait", WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
        self.assertEqual(error_code(self.kinesis.describe_stream, StreamName="b3-wait"),
                         ("ResourceNotFoundException", 400))

    def test_get_records_loop_over_every_shard_in_order(self):
        self.create("b3-loop", 3)
        expected = {}  # shard id -> [(sequence number, data)] in put order
        for batch in range(4):
            records = [{"Data": b"rec-%d-%d" % (batch, i), "PartitionKey": "key-%d" % (i % 17)}
                       for i in range(100)]
            answer = self.kinesis.put_records(StreamName="b3-loop", Records=records)
            self.assertEqual(answer["FailedRecordCount"], 0)
            self.assertEqual(len(answer["Records"]), 100)
            for sent, got in zip(records, answer["Records"]):
                expected.setdefault(got["ShardId"], []).append((got["SequenceNumber"], sent["Data"]))
        self.assertGreater(len(expected), 1, "partition keys spread over the shards")

        for shard in self.kinesis.list_shards(StreamName="b3-loop")["Shards"]:
            shard_id = shard["ShardId"]
            iterator = self.kinesis.get_shard_iterator(
                StreamName="b3-loop", ShardId=shard_id,
                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            read = []
            while True:
                answer = self.kinesis.get_records(ShardIterator=iterator, Limit=37)
                read += [(r["SequenceNumber"], r["Data"]) for r in answer["Records"]]
                iterator = answer["NextShardIterator"]
                if not answer["Records"] and answer["MillisBehindLatest"] == 0:
                    break
            self.assertEqual(read, expected.get(shard_id, []))
            seqs = [int(s) for s, _ in read]
            self.assertEqual(seqs, sorted(set(seqs)), "strictly increasing")

    def test_stream_arn_instead_of_name(self):
        # Debian's botocore predates StreamARN parameters: the same requests, sent raw.
        self.create("b3-arn", 1)
        arn = self.kinesis.describe_stream_summary(
            StreamName="b3-arn")["StreamDescriptionSummary"]["StreamARN"]
        self.assertEqual(arn, "arn:aws:kinesis:us-east-1:000000000000:stream/b3-arn")

        def call(target, **body):
            status, answer = raw_post(self.tarn.endpoint, target,
                                      json.dumps(dict(body, StreamARN=arn)).encode())
            self.assertEqual(status, 200, answer)
            return answer
        put = call("PutRecord", Data="YnktYXJu", PartitionKey="k")
        iterator = call("GetShardIterator", ShardId=put["ShardId"],
                        ShardIteratorType="AT_SEQUENCE_NUMBER",
                        StartingSequenceNumber=put["SequenceNumber"])["ShardIterator"]
        records = call("GetRecords", ShardIterator=iterator)["Records"]
        self.assertEqual([r["Data"] for r in records], ["YnktYXJu"])
        self.assertEqual(call("PutRecords", Records=[{"Data": "", "PartitionKey": "k"}])
                         ["FailedRecordCount"], 0)
        self.assertEqual(len(call("ListShards")["Shards"]), 1)
        self.assertEqual(call("DescribeStream")["StreamDescription"]["StreamName"], "b3-arn")
        call("AddTagsToStream", Tags={"a": "b"})
        self.assertEqual(call("ListTagsForStream")["Tags"], [{"Key": "a", "Value": "b"}])
        status, answer = raw_post(self.tarn.endpoint, "DescribeStreamSummary", json.dumps(
            {"StreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/b3-none"}).encode())
        self.assertEqual((status, answer["__type"]), (400, "ResourceNotFoundException"))

    def test_server_side_validation(self):
        unchecked = kinesis_client(self.tarn.endpoint, parameter_validation=False)
        self.assertEqual(error_code(unchecked.create_stream, StreamName="b3-zero", ShardCount=0),
                         ("ValidationException", 400))
        self.create("b3-valid", 1)
        self.assertEqual(error_code(unchecked.put_records, StreamName="b3-valid", Records=[]),
                         ("ValidationException", 400))
        self.assertEqual(error_code(unchecked.put_record, StreamName="b3-valid", Data=b"x",
                                    PartitionKey=""), ("ValidationException", 400))
        self.assertEqual(error_code(unchecked.put_record, StreamName="b3-valid", Data=b"x",
                                    PartitionKey="k" * 257), ("ValidationException", 400))
        # 6 records of ~1 MiB: each is allowed, together they pass 5 MiB.
        big = [{"Data": b"x" * (1024 * 1024 - 300), "PartitionKey": "k"} for _ in range(6)]
        self.assertEqual(error_code(self.kinesis.put_records, StreamName="b3-valid", Records=big),
                         ("InvalidArgumentException", 400))
        self.assertEqual(error_code(self.kinesis.get_shard_iterator, StreamName="b3-valid",
                                    ShardId="shardId-000000000000",
                                    ShardIteratorType="AT_SEQUENCE_NUMBER"),
                         ("InvalidArgumentException", 400))

    def test_malformed_bodies(self):
        self.create("b3-raw", 1)
        status, body = raw_post(self.tarn.endpoint, "PutRecords", b'{"StreamName":"b3-raw",')
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = raw_post(self.tarn.endpoint, "PutRecords", json.dumps({
            "StreamName": "b3-raw",
            "Records": [{"Data": "not*base64", "PartitionKey": "k"}]}).encode())
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = raw_post(self.tarn.endpoint, "PutRecord", json.dumps({
            "StreamName": "b3-raw", "Data": "eA=="}).encode())
        self.assertEqual((status, body["__type"]), (400, "ValidationException"))
        self.assertIn("partitionKey", body["message"])
        status, body = raw_post(self.tarn.endpoint, "CreateStream", b'[1,2]')
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = raw_post(self.tarn.endpoint, "CreateStream",
                                b'{"StreamName": "b3-x", "ShardCount": "two"}')
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        # A PutRecords with escapes in the partition key and a per-record answer in order.
        status, body = raw_post(self.tarn.endpoint, "PutRecords", json.dumps({
            "StreamName": "b3-raw",
            "Records": [{"Data": "", "PartitionKey": "a\"b\u00e9"},
                        {"Data": "eHk=", "PartitionKey": "c"}]}).encode())
        self.assertEqual(status, 200, body)
        self.assertEqual(body["FailedRecordCount"], 0)
        iterator = self.kinesis.get_shard_iterator(
            StreamName="b3-raw", ShardId="shardId-000000000000",
            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = self.kinesis.get_records(ShardIterator=iterator)["Records"]
        self.assertEqual([(r["PartitionKey"], r["Data"]) for r in records],
                         [("a\"b\u00e9", b""), ("c", b"xy")])


class KinesisLimitsTest(unittest.TestCase):
    """A server with short-lived iterators and tokens and a per-shard rate limit."""

    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server(extra=[
            "--iterator-ttl-ms", "300", "--list-shards-token-ttl-ms", "300",
            "--shard-records-per-second", "2"])
        cls.kinesis = kinesis_client(cls.tarn.endpoint)
        cls.kinesis.create_stream(StreamName="lim", ShardCount=2)
        cls.kinesis.get_waiter("stream_exists").wait(
            StreamName="lim", WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        assert status == 0, "server exited with %s" % status

    def test_expired_iterator(self):
        iterator = self.kinesis.get_shard_iterator(
            StreamName="lim", ShardId="shardId-000000000000",
            ShardIteratorType="LATEST")["ShardIterator"]

        def expired():
            try:
                self.kinesis.get_records(ShardIterator=iterator)
                return None
            except botocore.exceptions.ClientError as e:
                return e.response["Error"]["Code"], e.response["Error"]["Message"]
        code, message = poll(expired)
        self.assertEqual(code, "ExpiredIteratorException")
        self.assertIn("expired", message.lower())

    def test_expired_list_shards_token(self):
        page = self.kinesis.list_shards(StreamName="lim", MaxResults=1)
        token = page["NextToken"]

        def expired():
            try:
                self.kinesis.list_shards(NextToken=token)
                return None
            except botocore.exceptions.ClientError as e:
                return e.response["Error"]["Code"]
        self.assertEqual(poll(expired), "ExpiredNextTokenException")
        code = error_code(self.kinesis.list_shards, NextToken=token, StreamName="lim")
        self.assertEqual(code, ("InvalidArgumentException", 400))

    def test_throughput_exceeded(self):
        records = [{"Data": b"x", "PartitionKey": "same-key"} for _ in range(100)]
        answer = self.kinesis.put_records(StreamName="lim", Records=records)
        self.assertGreater(answer["FailedRecordCount"], 0)
        self.assertLess(answer["FailedRecordCount"], 100)
        failed = [r for r in answer["Records"] if "ErrorCode" in r]
        self.assertEqual(len(failed), answer["FailedRecordCount"])
        self.assertEqual({r["ErrorCode"] for r in failed}, {"ProvisionedThroughputExceededException"})
        self.assertTrue(all(r["ErrorMessage"] for r in failed))
        # PutRecord turns the record's outcome into the call's error (a token comes back every
        # 500 ms: a quick run of calls finds the bucket empty).
        def throttled():
            try:
                self.kinesis.put_record(StreamName="lim", Data=b"x", PartitionKey="same-key")
                return None
            except botocore.exceptions.ClientError as e:
                return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
        self.assertEqual(poll(throttled, interval=0),
                         ("ProvisionedThroughputExceededException", 400))


if __name__ == "__main__":
    unittest.main()
