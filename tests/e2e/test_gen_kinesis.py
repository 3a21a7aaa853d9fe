"""End-to-end: tarn's own Kinesis producer (`tarn gen --to kinesis://STREAM`) against a real tarn
server, read back with boto3 (Debian's /usr/bin/python3): every acknowledged record is stored in
the shard and at the sequence number the producer was told, with the data it sent, in order per
shard; and the producer's errors are one clear line with exit status 1. (The same producer against
kinesalite is tested in kinesalite_gen.test.mjs.)"""
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest

import boto3
import botocore.config

from tarn_harness import TARN_BIN, TarnProcess


def kinesis_client(endpoint):
    return boto3.client(
        "kinesis", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="tarn-test", aws_secret_access_key="tarn-test-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}))


def run_gen(*args, timeout=120):
    return subprocess.run([TARN_BIN, "gen", *args], capture_output=True, text=True,
                          timeout=timeout)


def read_stream(client, stream):
    """{shard_id: [records]} of every shard, read from TRIM_HORIZON until a read comes back empty."""
    out = {}
    for shard in client.list_shards(StreamName=stream)["Shards"]:
        shard_id = shard["ShardId"]
        iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard_id,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = []
        while iterator:
            page = client.get_records(ShardIterator=iterator, Limit=1000)
            records.extend(page["Records"])
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
        out[shard_id] = records
    return out


def read_acks(path):
    acks = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                raise AssertionError("bad ack line %r" % line)
            acks.append(dict(zip(("partition_key", "shard_id", "sequence", "md5"), fields)))
    return acks


class GenKinesisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()
        cls.kinesis = kinesis_client(cls.tarn.endpoint)
        cls.work_dir = tempfile.mkdtemp(prefix="tarn-gen-kinesis-")

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        shutil.rmtree(cls.work_dir, ignore_errors=True)
        if status != 0:
            raise AssertionError("tarn exited with %s" % status)

    def test_every_acknowledged_record_is_stored_in_order(self):
        acks_file = os.path.join(self.work_dir, "acks.tsv")
        run = run_gen("--to", "kinesis://s1", "--create-shards", "2", "--count", "5000",
                      "--endpoint", self.tarn.endpoint, "--acks", acks_file, "--report", "json")
        self.assertEqual(run.returncode, 0, run.stderr)
        report = json.loads(run.stdout)
        self.assertEqual((report["records"], report["failed_records"], report["batches"]),
                         (5000, 0, 10))
        acks = read_acks(acks_file)
        self.assertEqual(len(acks), 5000)

        stored = read_stream(self.kinesis, "s1")
        self.assertEqual(len(stored), 2)
        for shard_id, records in stored.items():
            expected = sorted((a for a in acks if a["shard_id"] == shard_id),
                              key=lambda a: int(a["sequence"]))
            self.assertTrue(expected, "shard %s got records" % shard_id)
            self.assertEqual(len(records), len(expected), shard_id)
            for i, (record, ack) in enumerate(zip(records, expected)):
                where = "%s position %d" % (shard_id, i)
                self.assertEqual(record["SequenceNumber"], ack["sequence"], where)
                self.assertEqual(record["PartitionKey"], ack["partition_key"], where)
                self.assertEqual(hashlib.md5(record["Data"]).hexdigest(), ack["md5"], where)
        first = next(iter(stored.values()))[0]
        self.assertTrue(first["Data"].endswith(b"\n"))
        self.assertEqual(str(json.loads(first["Data"])["user_id"]), first["PartitionKey"])

    def test_distinct_sends_the_first_lines_over_and_over(self):
        run = run_gen("--to", "kinesis://repeat", "--create-shards", "1", "--count", "2500",
                      "--distinct", "1000", "--batch", "100", "--connections", "3",
                      "--endpoint", self.tarn.endpoint, "--report", "json")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(json.loads(run.stdout)["records"], 2500)
        # The same flags give the same lines (the timeline is spread over --count).
        lines = run_gen("--count", "2500").stdout.splitlines(keepends=True)[:1000]
        stored = [r["Data"].decode() for r in read_stream(self.kinesis, "repeat")["shardId-000000000000"]]
        # Connections race, so order across batches is not fixed; each line is stored 2 or 3 times.
        self.assertEqual(sorted(stored), sorted(lines * 2 + lines[:500]))

    def test_distinct_refuses_what_it_cannot_honour(self):
        for args, message in [
                (["--distinct", "750"], "--distinct: expected a multiple of --batch (500)"),
                (["--distinct", "1000", "--rate", "10"], "--distinct and --rate cannot go together"),
                (["--distinct", "1000", "--acks", "/dev/null"],
                 "--distinct and --acks cannot go together")]:
            run = run_gen("--to", "kinesis://s1", "--endpoint", self.tarn.endpoint, *args)
            self.assertEqual(run.returncode, 2, args)
            self.assertIn(message, run.stderr)

    def test_missing_stream_is_one_clear_error(self):
        run = run_gen("--to", "kinesis://missing", "--count", "10", "--endpoint", self.tarn.endpoint)
        self.assertEqual(run.returncode, 1)
        self.assertRegex(run.stderr,
                         r"^tarn gen: PutRecords: ResourceNotFoundException: .* \(HTTP 400\)\n$")

    def test_unreachable_endpoint_is_one_clear_error(self):
        with socket.socket() as probe:  # a port that was free a moment ago
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        run = run_gen("--to", "kinesis://s1", "--count", "10",
                      "--endpoint", "http://127.0.0.1:%d" % port)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stdout, "")
        self.assertEqual(run.stderr, "tarn gen: cannot connect to http://127.0.0.1:%d: "
                                     "Connection refused\n" % port)


if __name__ == "__main__":
    unittest.main()
