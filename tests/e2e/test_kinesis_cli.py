"""End-to-end: the Kinesis Data Streams API of a real tarn server driven by the aws CLI v2."""
import base64
import datetime
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from tarn_harness import AWS_ENV, TarnProcess

AWS = "/usr/bin/aws"


def b64(text):
    return base64.b64encode(text.encode()).decode()


class KinesisCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()
        cls.tmp = tempfile.mkdtemp(prefix="tarn-e2e-cli-")

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert status == 0, "server exited with %s" % status

    def run_aws(self, *args):
        return subprocess.run(
            [AWS, "kinesis", *args, "--endpoint-url", self.tarn.endpoint, "--output", "json"],
            env=AWS_ENV, capture_output=True, text=True, timeout=60)

    def aws(self, *args):
        result = self.run_aws(*args)
        self.assertEqual(result.returncode, 0, "aws %s failed: %s" % (args, result.stderr))
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def aws_error(self, *args):
        result = self.run_aws(*args)
        self.assertNotEqual(result.returncode, 0, "aws %s should fail: %s" % (args, result.stdout))
        return result.stderr

    def wait_active(self, name):
        """Polls until the stream is ACTIVE (`aws kinesis wait` sleeps 10 s between its polls;
        test_stream_lifecycle_and_listing uses it once)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            summary = self.aws("describe-stream-summary", "--stream-name", name)
            if summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
                return
        self.fail("stream %s did not become ACTIVE" % name)

    def create(self, name, shards):
        self.aws("create-stream", "--stream-name", name, "--shard-count", str(shards))
        self.wait_active(name)

    def read_all(self, name, shard_id, iterator_type="TRIM_HORIZON", **extra):
        args = ["get-shard-iterator", "--stream-name", name, "--shard-id", shard_id,
                "--shard-iterator-type", iterator_type]
        for k, v in extra.items():
            args += ["--" + k, v]
        iterator = self.aws(*args)["ShardIterator"]
        return self.aws("get-records", "--shard-iterator", iterator)

    def test_stream_lifecycle_and_listing(self):
        self.aws("create-stream", "--stream-name", "cli-life", "--shard-count", "3")
        self.aws("wait", "stream-exists", "--stream-name", "cli-life")
        desc = self.aws("describe-stream", "--stream-name", "cli-life")["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "ACTIVE")
        self.assertEqual([s["ShardId"] for s in desc["Shards"]],
                         ["shardId-00000000000%d" % i for i in range(3)])
        self.assertEqual(desc["Shards"][0]["HashKeyRange"]["StartingHashKey"], "0")
        self.assertEqual(desc["Shards"][-1]["HashKeyRange"]["EndingHashKey"], str(2**128 - 1))
        self.assertEqual(desc["RetentionPeriodHours"], 24)
        summary = self.aws("describe-stream-summary", "--stream-name", "cli-life")
        summary = summary["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 3)
        self.assertTrue(summary["StreamARN"].endswith(":stream/cli-life"))
        self.assertIn("cli-life", self.aws("list-streams")["StreamNames"])

        # list-shards one page at a time, following NextToken by hand.
        page = self.aws("list-shards", "--stream-name", "cli-life", "--max-results", "2",
                        "--no-paginate")
        self.assertEqual(len(page["Shards"]), 2)
        rest = self.aws("list-shards", "--next-token", page["NextToken"], "--no-paginate")
        self.assertEqual([s["ShardId"] for s in rest["Shards"]], ["shardId-000000000002"])
        self.assertNotIn("NextToken", rest)
        after = self.aws("list-shards", "--stream-name", "cli-life", "--shard-filter",
                         "Type=AFTER_SHARD_ID,ShardId=shardId-000000000000")
        self.assertEqual([s["ShardId"] for s in after["Shards"]],
                         ["shardId-000000000001", "shardId-000000000002"])

        self.aws("delete-stream", "--stream-name", "cli-life")
        self.aws("wait", "stream-not-exists", "--stream-name", "cli-life")
        self.assertNotIn("cli-life", self.aws("list-streams")["StreamNames"])

    def test_put_and_every_iterator_type(self):
        self.create("cli-rec", 1)
        first = self.aws("put-record", "--stream-name", "cli-rec", "--partition-key", "k",
                         "--data", b64("one"))
        self.assertEqual(first["ShardId"], "shardId-000000000000")
        put = self.aws("put-records", "--stream-name", "cli-rec", "--records",
                       "Data=%s,PartitionKey=a" % b64("two"),
                       "Data=%s,PartitionKey=b" % b64("three"))
        self.assertEqual(put["FailedRecordCount"], 0)
        seqs = [first["SequenceNumber"]] + [r["SequenceNumber"] for r in put["Records"]]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), 3)
        shard = "shardId-000000000000"

        def datas(result):
            return [base64.b64decode(r["Data"]).decode() for r in result["Records"]]

        self.assertEqual(datas(self.read_all("cli-rec", shard)), ["one", "two", "three"])
        self.assertEqual(datas(self.read_all("cli-rec", shard, "AT_SEQUENCE_NUMBER",
                                             **{"starting-sequence-number": seqs[1]})),
                         ["two", "three"])
        self.assertEqual(datas(self.read_all("cli-rec", shard, "AFTER_SEQUENCE_NUMBER",
                                             **{"starting-sequence-number": seqs[1]})),
                         ["three"])
        latest = self.read_all("cli-rec", shard, "LATEST")
        self.assertEqual(latest["Records"], [])
        self.assertIn("NextShardIterator", latest)
        records = self.read_all("cli-rec", shard)["Records"]
        # The CLI prints timestamps in ISO 8601.
        arrival = datetime.datetime.fromisoformat(records[0]["ApproximateArrivalTimestamp"])
        self.assertLess(abs(arrival.timestamp() - time.time()), 600)
        at = self.read_all("cli-rec", shard, "AT_TIMESTAMP",
                           timestamp=str(arrival.timestamp() - 60))
        self.assertEqual(datas(at), ["one", "two", "three"])
        future = self.read_all("cli-rec", shard, "AT_TIMESTAMP", timestamp=str(time.time() + 3600))
        self.assertEqual(future["Records"], [])
        self.assertEqual(records[0]["PartitionKey"], "k")

    def test_retention_and_tags(self):
        self.create("cli-settings", 1)
        self.aws("increase-stream-retention-period", "--stream-name", "cli-settings",
                 "--retention-period-hours", "48")
        desc = self.aws("describe-stream-summary", "--stream-name", "cli-settings")
        self.assertEqual(desc["StreamDescriptionSummary"]["RetentionPeriodHours"], 48)
        self.aws("decrease-stream-retention-period", "--stream-name", "cli-settings",
                 "--retention-period-hours", "24")
        desc = self.aws("describe-stream-summary", "--stream-name", "cli-settings")
        self.assertEqual(desc["StreamDescriptionSummary"]["RetentionPeriodHours"], 24)
        self.assertIn("InvalidArgumentException", self.aws_error(
            "decrease-stream-retention-period", "--stream-name", "cli-settings",
            "--retention-period-hours", "12"))

        self.aws("add-tags-to-stream", "--stream-name", "cli-settings", "--tags", "team=data,env=dev")
        tags = self.aws("list-tags-for-stream", "--stream-name", "cli-settings")
        self.assertEqual(tags["Tags"], [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "data"}])
        self.assertFalse(tags["HasMoreTags"])
        self.aws("remove-tags-from-stream", "--stream-name", "cli-settings", "--tag-keys", "env")
        tags = self.aws("list-tags-for-stream", "--stream-name", "cli-settings")
        self.assertEqual(tags["Tags"], [{"Key": "team", "Value": "data"}])

    def test_resharding_reads_across_parent_and_children(self):
        self.create("cli-reshard", 1)
        self.aws("put-record", "--stream-name", "cli-reshard", "--partition-key", "p",
                 "--data", b64("before"))
        self.aws("split-shard", "--stream-name", "cli-reshard",
                 "--shard-to-split", "shardId-000000000000",
                 "--new-starting-hash-key", str(2**127))
        self.wait_active("cli-reshard")
        shards = self.aws("list-shards", "--stream-name", "cli-reshard")["Shards"]
        self.assertEqual([s["ShardId"] for s in shards],
                         ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"])
        self.assertIn("EndingSequenceNumber", shards[0]["SequenceNumberRange"])
        self.assertEqual(shards[1]["ParentShardId"], "shardId-000000000000")
        self.assertEqual(shards[2]["HashKeyRange"]["StartingHashKey"], str(2**127))
        # Open shards only:
        latest = self.aws("list-shards", "--stream-name", "cli-reshard",
                          "--shard-filter", "Type=AT_LATEST")["Shards"]
        self.assertEqual([s["ShardId"] for s in latest], ["shardId-000000000001", "shardId-000000000002"])

        # The closed parent still serves its record, then names its children and ends.
        parent = self.read_all("cli-reshard", "shardId-000000000000")
        self.assertEqual([base64.b64decode(r["Data"]) for r in parent["Records"]], [b"before"])
        parent_seq = parent["Records"][0]["SequenceNumber"]
        if "ChildShards" not in parent:  # the records and the end may come in two answers
            parent = self.aws("get-records", "--shard-iterator", parent["NextShardIterator"])
        self.assertIsNone(parent.get("NextShardIterator"))
        self.assertEqual(sorted(c["ShardId"] for c in parent["ChildShards"]),
                         ["shardId-000000000001", "shardId-000000000002"])

        put = self.aws("put-record", "--stream-name", "cli-reshard", "--partition-key", "p",
                       "--data", b64("after"), "--explicit-hash-key", str(2**127 + 5))
        self.assertEqual(put["ShardId"], "shardId-000000000002")
        child = self.read_all("cli-reshard", "shardId-000000000002")
        self.assertEqual([base64.b64decode(r["Data"]) for r in child["Records"]], [b"after"])
        self.assertGreater(child["Records"][0]["SequenceNumber"], parent_seq)

        self.aws("merge-shards", "--stream-name", "cli-reshard",
                 "--shard-to-merge", "shardId-000000000001",
                 "--adjacent-shard-to-merge", "shardId-000000000002")
        self.wait_active("cli-reshard")
        merged = self.aws("list-shards", "--stream-name", "cli-reshard",
                          "--shard-filter", "Type=AT_LATEST")["Shards"]
        self.assertEqual(len(merged), 1)
        self.assertEqual(merged[0]["ParentShardId"], "shardId-000000000001")
        self.assertEqual(merged[0]["AdjacentParentShardId"], "shardId-000000000002")

        updated = self.aws("update-shard-count", "--stream-name", "cli-reshard",
                           "--target-shard-count", "2", "--scaling-type", "UNIFORM_SCALING")
        self.assertEqual((updated["CurrentShardCount"], updated["TargetShardCount"]), (1, 2))
        self.wait_active("cli-reshard")
        summary = self.aws("describe-stream-summary", "--stream-name", "cli-reshard")
        self.assertEqual(summary["StreamDescriptionSummary"]["OpenShardCount"], 2)

    def test_errors(self):
        self.assertIn("ResourceNotFoundException",
                      self.aws_error("describe-stream", "--stream-name", "cli-nope"))
        self.assertIn("ResourceNotFoundException", self.aws_error(
            "put-record", "--stream-name", "cli-nope", "--partition-key", "k", "--data", b64("x")))
        self.create("cli-err", 1)
        self.assertIn("ResourceInUseException",
                      self.aws_error("create-stream", "--stream-name", "cli-err", "--shard-count", "1"))
        too_many = self.aws_error("create-stream", "--stream-name", "cli-err2", "--shard-count", "100000")
        self.assertTrue("LimitExceededException" in too_many or "InvalidArgumentException" in too_many,
                        too_many)
        self.assertIn("InvalidArgumentException",
                      self.aws_error("get-records", "--shard-iterator", "not-an-iterator"))

        records = [{"Data": b64("r%d" % i), "PartitionKey": "k"} for i in range(501)]
        path = os.path.join(self.tmp, "501.json")
        with open(path, "w") as f:
            json.dump({"StreamName": "cli-err", "Records": records}, f)
        err = self.aws_error("put-records", "--cli-input-json", "file://" + path)
        self.assertIn("ValidationException", err)
        self.assertIn("records", err)

        big = os.path.join(self.tmp, "big.bin")
        with open(big, "wb") as f:
            f.write(b"x" * (1024 * 1024 + 1))
        err = self.aws_error("put-record", "--stream-name", "cli-err", "--partition-key", "k",
                             "--data", "fileb://" + big)
        self.assertIn("ValidationException", err)
        self.assertIn("1048576", err)

        err = self.aws_error("put-record", "--stream-name", "cli-err", "--partition-key", "k",
                             "--data", b64("x"), "--explicit-hash-key", "12ab")
        self.assertIn("ValidationException", err)
        err = self.aws_error("put-record", "--stream-name", "cli-err", "--partition-key", "k",
                             "--data", b64("x"), "--explicit-hash-key", str(2**128))
        self.assertIn("InvalidArgumentException", err)
        # Nothing of the above was stored.
        shard = "shardId-000000000000"
        self.assertEqual(self.read_all("cli-err", shard)["Records"], [])


class UpCreatesEventsTest(unittest.TestCase):
    def test_up_creates_events_stream(self):
        data_dir = tempfile.mkdtemp(prefix="tarn-e2e-")
        tarn = TarnProcess(["up", "--data", data_dir, "--port", "0"], data_dir=data_dir)
        try:
            banner = tarn.wait_stdout("Ctrl-C")
            self.assertIn("events (2 shards, ACTIVE)", banner)
            result = subprocess.run(
                [AWS, "kinesis", "describe-stream-summary", "--stream-name", "events",
                 "--endpoint-url", tarn.endpoint, "--output", "json"],
                env=AWS_ENV, capture_output=True, text=True, timeout=60)
            self.assertEqual(result.returncode, 0, result.stderr)
            summary = json.loads(result.stdout)["StreamDescriptionSummary"]
            self.assertEqual((summary["StreamStatus"], summary["OpenShardCount"]), ("ACTIVE", 2))
            self.assertEqual(tarn.stop(), 0)
        finally:
            tarn.cleanup()


if __name__ == "__main__":
    unittest.main()
