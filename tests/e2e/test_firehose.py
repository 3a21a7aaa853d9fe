"""End-to-end: the Firehose API of a real tarn server, driven by boto3's firehose client and the
aws CLI v2 (Debian's /usr/bin/python3 and /usr/bin/aws): delivery streams' lifecycle, Firehose's
error codes, DirectPut records delivered into the lake as gzip NDJSON (forced out with the REST
flush endpoint), a KinesisStreamAsSource delivery, the status endpoints, /metrics, and the
internal streams hidden from the Kinesis API."""
import base64
import datetime
import gzip
import json
import os
import re
import subprocess
import time
import unittest
import urllib.error
import urllib.request

import boto3
import botocore.config

from tarn_harness import error_code, parse_prometheus, poll, AWS_ENV, TARN_BIN, TarnProcess

BUCKET = "arn:aws:s3:::tarn-lake"
ROLE = "arn:aws:iam::000000000000:role/firehose"


def client(service, endpoint):
    return boto3.client(
        service, endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="tarn-test", aws_secret_access_key="tarn-test-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}))


def destination(**extra):
    # botocore refuses IntervalInSeconds < 60 client-side: 60, and the tests flush explicitly.
    config = {"RoleARN": ROLE, "BucketARN": BUCKET,
              "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 60},
              "CompressionFormat": "GZIP"}
    config.update(extra)
    return config


class FirehoseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()
        cls.firehose = client("firehose", cls.tarn.endpoint)
        cls.kinesis = client("kinesis", cls.tarn.endpoint)
        cls.lake = os.path.join(cls.tarn.data_dir, "lake")

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        assert status == 0, "tarn exited with %s" % status

    # ---- helpers ----

    def create(self, name, **extra):
        answer = self.firehose.create_delivery_stream(
            DeliveryStreamName=name, DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration=destination(**extra))
        self.assertEqual(answer["DeliveryStreamARN"],
                         "arn:aws:firehose:us-east-1:000000000000:deliverystream/" + name)
        self.wait_active(name)

    def wait_active(self, name):
        def active():
            d = self.firehose.describe_delivery_stream(DeliveryStreamName=name)
            return d["DeliveryStreamDescription"]["DeliveryStreamStatus"] == "ACTIVE" and d
        return poll(active)

    def http(self, method, path, body=None, headers=None):
        """(status, parsed JSON or text) of a plain HTTP request to the server."""
        request = urllib.request.Request(self.tarn.endpoint + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def flush(self, name, timeout_ms=60000):
        status, body = self.http(
            "POST", "/api/v1/deliveries/%s/flush?timeout_ms=%d" % (name, timeout_ms))
        self.assertEqual(status, 200, body)
        return body

    def delivered_objects(self, table):
        """{relative path: [parsed records]} of the objects under raw/<table>/."""
        root = os.path.join(self.lake, "raw", table)
        out = {}
        for folder, _, files in os.walk(root):
            for f in files:
                path = os.path.join(folder, f)
                with open(path, "rb") as fh:
                    data = fh.read()
                self.assertEqual(data[:2], b"\x1f\x8b", "not gzip: " + path)
                lines = gzip.decompress(data).decode().splitlines()
                out[os.path.relpath(path, root)] = [json.loads(l) for l in lines if l.strip()]
        return out

    def assert_hourly_paths(self, paths, before, after):
        """Every path is year=/month=/day=/hour=/<object> of an hour between before and after."""
        hours = set()
        t = before.replace(minute=0, second=0, microsecond=0)
        while t <= after:
            hours.add(t.strftime("year=%Y/month=%m/day=%d/hour=%H"))
            t += datetime.timedelta(hours=1)
        for path in paths:
            m = re.fullmatch(r"(year=\d{4}/month=\d{2}/day=\d{2}/hour=\d{2})/[^/]+", path)
            self.assertTrue(m, path)
            self.assertIn(m.group(1), hours)

    # ---- tests ----

    def test_lifecycle_with_boto3(self):
        self.create("life-a")
        self.create("life-b", Prefix="raw/life/!{timestamp:yyyy}/",
                    ErrorOutputPrefix="errors/life/!{firehose:error-output-type}/")
        d = self.firehose.describe_delivery_stream(
            DeliveryStreamName="life-b")["DeliveryStreamDescription"]
        self.assertEqual(d["DeliveryStreamName"], "life-b")
        self.assertEqual(d["DeliveryStreamStatus"], "ACTIVE")
        self.assertEqual(d["DeliveryStreamType"], "DirectPut")
        self.assertEqual(d["VersionId"], "1")
        self.assertFalse(d["HasMoreDestinations"])
        s3 = d["Destinations"][0]["ExtendedS3DestinationDescription"]
        self.assertEqual(s3["Prefix"], "raw/life/!{timestamp:yyyy}/")
        self.assertEqual(s3["CompressionFormat"], "GZIP")
        self.assertEqual(s3["BufferingHints"], {"SizeInMBs": 5, "IntervalInSeconds": 60})

        names = self.firehose.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]
        self.assertIn("life-a", names)
        self.assertIn("life-b", names)
        self.assertEqual(names, sorted(names))
        page = self.firehose.list_delivery_streams(Limit=1, ExclusiveStartDeliveryStreamName="life-a")
        self.assertEqual(page["DeliveryStreamNames"], ["life-b"])
        self.assertEqual(page["HasMoreDeliveryStreams"],
                         names.index("life-b") < len(names) - 1)
        page = self.firehose.list_delivery_streams(Limit=1)
        self.assertEqual(len(page["DeliveryStreamNames"]), 1)
        self.assertTrue(page["HasMoreDeliveryStreams"])
        self.assertNotIn("life-a", self.firehose.list_delivery_streams(
            DeliveryStreamType="KinesisStreamAsSource", Limit=10000)["DeliveryStreamNames"])
        self.assertIn("life-a", self.firehose.list_delivery_streams(
            DeliveryStreamType="DirectPut", Limit=10000)["DeliveryStreamNames"])

        self.firehose.update_destination(
            DeliveryStreamName="life-b", CurrentDeliveryStreamVersionId="1",
            DestinationId=d["Destinations"][0]["DestinationId"],
            ExtendedS3DestinationUpdate={"BufferingHints": {"SizeInMBs": 64}})
        d = self.firehose.describe_delivery_stream(
            DeliveryStreamName="life-b")["DeliveryStreamDescription"]
        self.assertEqual(d["VersionId"], "2")
        self.assertEqual(d["Destinations"][0]["ExtendedS3DestinationDescription"]
                         ["BufferingHints"], {"SizeInMBs": 64, "IntervalInSeconds": 60})

        answer = self.firehose.put_record(DeliveryStreamName="life-a",
                                          Record={"Data": b'{"one": 1}'})
        self.assertTrue(answer["RecordId"])
        self.assertFalse(answer["Encrypted"])

        for name in ("life-a", "life-b"):
            self.firehose.delete_delivery_stream(DeliveryStreamName=name)
        poll(lambda: error_code(self.firehose.describe_delivery_stream,
                                DeliveryStreamName="life-a")[0] == "ResourceNotFoundException")
        names = self.firehose.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]
        self.assertNotIn("life-a", names)
        self.assertNotIn("life-b", names)

    def test_errors(self):
        fh = self.firehose
        for call, kwargs in (
                (fh.describe_delivery_stream, {}),
                (fh.delete_delivery_stream, {}),
                (fh.put_record, {"Record": {"Data": b"{}"}}),
                (fh.put_record_batch, {"Records": [{"Data": b"{}"}]}),
                (fh.update_destination, {"CurrentDeliveryStreamVersionId": "1",
                                         "DestinationId": "destinationId-000000000001",
                                         "ExtendedS3DestinationUpdate": {}})):
            self.assertEqual(error_code(call, DeliveryStreamName="nope", **kwargs),
                             ("ResourceNotFoundException", 400), call)
        try:
            fh.describe_delivery_stream(DeliveryStreamName="nope")
        except fh.exceptions.ResourceNotFoundException as e:
            self.assertEqual(e.response["Error"]["Message"],
                             "Firehose nope under account 000000000000 not found.")

        self.create("err-dup")
        self.assertEqual(error_code(fh.create_delivery_stream, DeliveryStreamName="err-dup",
                                    ExtendedS3DestinationConfiguration=destination()),
                         ("ResourceInUseException", 400))

        try:
            fh.create_delivery_stream(
                DeliveryStreamName="err-prefix",
                ExtendedS3DestinationConfiguration=destination(
                    Prefix="raw/x/!{timestamp:yyyy}/!{nope:thing}/",
                    ErrorOutputPrefix="errors/x/!{firehose:error-output-type}/"))
            self.fail("a bad prefix was accepted")
        except fh.exceptions.InvalidArgumentException as e:
            self.assertIn("position", e.response["Error"]["Message"])

        self.assertEqual(error_code(fh.update_destination, DeliveryStreamName="err-dup",
                                    CurrentDeliveryStreamVersionId="7",
                                    DestinationId="destinationId-000000000001",
                                    ExtendedS3DestinationUpdate={"BufferingHints":
                                                                 {"SizeInMBs": 8}}),
                         ("ConcurrentModificationException", 400))

        code = error_code(fh.put_record_batch, DeliveryStreamName="err-dup",
                          Records=[{"Data": b"{}"}] * 501)
        self.assertEqual(code, ("InvalidArgumentException", 400))
        code = error_code(fh.put_record_batch, DeliveryStreamName="err-dup",
                          Records=[{"Data": b"x" * (1000 * 1024 + 1)}])
        self.assertEqual(code, ("InvalidArgumentException", 400))
        code = error_code(fh.put_record, DeliveryStreamName="err-dup",
                          Record={"Data": b"x" * (1000 * 1024 + 1)})
        self.assertEqual(code, ("InvalidArgumentException", 400))
        # 5 records of 1000 KiB: each within its limit, more than 4 MiB together.
        code = error_code(fh.put_record_batch, DeliveryStreamName="err-dup",
                          Records=[{"Data": b"x" * (1000 * 1024)}] * 5)
        self.assertEqual(code, ("InvalidArgumentException", 400))

        self.assertEqual(error_code(
            fh.create_delivery_stream, DeliveryStreamName="err-source",
            DeliveryStreamType="KinesisStreamAsSource",
            KinesisStreamSourceConfiguration={
                "KinesisStreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/missing",
                "RoleARN": ROLE},
            ExtendedS3DestinationConfiguration=destination())[0], "InvalidArgumentException")
        self.assertNotIn("err-source",
                         fh.list_delivery_streams(Limit=10000)["DeliveryStreamNames"])

        # What boto3 validates client-side, sent raw: Firehose's validation message.
        status, body = self.http(
            "POST", "/", body=b"{}",
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": "Firehose_20150804.DescribeDeliveryStream"})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "InvalidArgumentException")
        self.assertEqual(body["message"],
                         "1 validation error detected: Value null at 'deliveryStreamName' failed "
                         "to satisfy constraint: Member must not be null")

        # Internal streams belong to the delivery streams: not creatable through Kinesis.
        self.assertEqual(error_code(self.kinesis.create_stream,
                                    StreamName="__firehose.mine", ShardCount=1),
                         ("InvalidArgumentException", 400))
        fh.delete_delivery_stream(DeliveryStreamName="err-dup")

    def test_direct_put_is_delivered_to_the_lake(self):
        name = "clicks"
        self.create(name)
        before = datetime.datetime.now(datetime.timezone.utc)
        sent = [{"id": i, "page": "/p/%d" % (i % 7), "ms": i * 1.5} for i in range(300)]
        for start in (0, 250):
            chunk = sent[start:start + 250]
            answer = self.firehose.put_record_batch(
                DeliveryStreamName=name,
                Records=[{"Data": json.dumps(r).encode()} for r in chunk])
            self.assertEqual(answer["FailedPutCount"], 0)
            self.assertFalse(answer["Encrypted"])
            self.assertEqual(len(answer["RequestResponses"]), len(chunk))
            ids = [r["RecordId"] for r in answer["RequestResponses"]]
            self.assertEqual(len(set(ids)), len(ids))
        extra = {"id": 300, "page": "/single", "ms": 0.0}
        self.firehose.put_record(DeliveryStreamName=name,
                                 Record={"Data": json.dumps(extra).encode()})
        sent.append(extra)

        flushed = self.flush(name)
        self.assertEqual(flushed["records"], len(sent))
        self.assertGreaterEqual(flushed["objects"], 1)
        after = datetime.datetime.now(datetime.timezone.utc)

        objects = self.delivered_objects(name)
        self.assertTrue(objects)
        self.assert_hourly_paths(objects, before, after)
        got = [r for records in objects.values() for r in records]
        self.assertEqual(len(got), len(sent))
        key = lambda r: r["id"]
        self.assertEqual(sorted(got, key=key), sorted(sent, key=key))

        status, body = self.http("GET", "/api/v1/deliveries/" + name)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["name"], name)
        self.assertEqual(body["status"], "ACTIVE")
        self.assertEqual(body["type"], "DirectPut")
        self.assertTrue(body["source_stream"].startswith("__firehose."))
        self.assertEqual(body["records_delivered"], len(sent))
        self.assertEqual(body["objects_written"], len(objects))
        self.assertEqual(body["lag_records"], 0, body)
        self.assertGreaterEqual(body["commits"], 1)
        self.assertEqual(body["last_error"], "")
        self.assertGreater(body["last_commit_ms"], 0)
        status, listing = self.http("GET", "/api/v1/deliveries")
        self.assertEqual(status, 200)
        self.assertIn(name, [d["name"] for d in listing])

        # A flush with nothing new delivers nothing more.
        self.assertEqual(self.flush(name)["records"], 0)
        self.assertEqual(len(self.delivered_objects(name)), len(objects))

        status, text = self.http("GET", "/metrics")
        samples, types = parse_prometheus(text)
        label = frozenset({"delivery": name}.items())
        self.assertEqual(samples[("tarn_delivery_records_delivered_total", label)], len(sent))
        self.assertEqual(types["tarn_delivery_records_delivered_total"], "counter")
        self.assertEqual(samples[("tarn_delivery_lag_records", label)], 0)
        self.assertIn(("tarn_delivery_buffered_bytes", label), samples)
        self.assertGreater(samples[("tarn_delivery_bytes_delivered_total", label)], 0)

        stream_names = self.kinesis.list_streams(Limit=10000)["StreamNames"]
        self.assertFalse([s for s in stream_names if s.startswith("__firehose.")], stream_names)
        self.assertNotIn(body["source_stream"], stream_names)

    def test_bad_records_go_to_the_error_output(self):
        name = "bad-recs"
        self.create(name)
        answer = self.firehose.put_record_batch(DeliveryStreamName=name, Records=[
            {"Data": b'{"ok": 1}'}, {"Data": b"not json"}, {"Data": b'{"ok": 2}'}])
        self.assertEqual(answer["FailedPutCount"], 0)
        self.assertEqual(self.flush(name)["records"], 3)
        got = [r for rs in self.delivered_objects(name).values() for r in rs]
        self.assertEqual(sorted(r["ok"] for r in got), [1, 2])
        errors = os.path.join(self.lake, "errors", name, "processing-failed")
        error_files = [os.path.join(d, f) for d, _, fs in os.walk(errors) for f in fs]
        self.assertEqual(len(error_files), 1, error_files)
        status, body = self.http("GET", "/api/v1/deliveries/" + name)
        self.assertEqual(body["records_delivered"], 2)
        self.assertEqual(body["errors"], {"processing-failed": 1})
        samples, _ = parse_prometheus(self.http("GET", "/metrics")[1])
        self.assertEqual(samples[("tarn_delivery_error_records_total",
                                  frozenset({"delivery": name, "kind": "processing-failed"}.items()))],
                         1)
        self.firehose.delete_delivery_stream(DeliveryStreamName=name)
        # A deleted delivery stream's metrics go with it.
        samples, _ = parse_prometheus(self.http("GET", "/metrics")[1])
        self.assertNotIn(("tarn_delivery_records_delivered_total",
                          frozenset({"delivery": name}.items())), samples)

    def test_rest_errors(self):
        status, body = self.http("GET", "/api/v1/deliveries/nope")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"], "not_found")
        status, body = self.http("POST", "/api/v1/deliveries/nope/flush")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"], "not_found")
        self.create("rest-err")
        status, body = self.http("POST", "/api/v1/deliveries/rest-err/flush?timeout_ms=abc")
        self.assertEqual(status, 400, body)
        self.firehose.delete_delivery_stream(DeliveryStreamName="rest-err")

    def test_kinesis_stream_as_source(self):
        self.kinesis.create_stream(StreamName="orders-src", ShardCount=2)
        poll(lambda: self.kinesis.describe_stream_summary(StreamName="orders-src")
             ["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE")
        self.firehose.create_delivery_stream(
            DeliveryStreamName="orders", DeliveryStreamType="KinesisStreamAsSource",
            KinesisStreamSourceConfiguration={
                "KinesisStreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/orders-src",
                "RoleARN": ROLE},
            ExtendedS3DestinationConfiguration=destination())
        d = self.wait_active("orders")["DeliveryStreamDescription"]
        self.assertEqual(d["DeliveryStreamType"], "KinesisStreamAsSource")
        self.assertEqual(self.firehose.list_delivery_streams(
            DeliveryStreamType="KinesisStreamAsSource")["DeliveryStreamNames"], ["orders"])
        # A KinesisStreamAsSource delivery takes no direct puts.
        self.assertEqual(error_code(self.firehose.put_record, DeliveryStreamName="orders",
                                    Record={"Data": b"{}"})[0], "InvalidArgumentException")
        sent = [{"order": i, "total": i * 2} for i in range(100)]
        before = datetime.datetime.now(datetime.timezone.utc)
        answer = self.kinesis.put_records(StreamName="orders-src", Records=[
            {"Data": json.dumps(r).encode(), "PartitionKey": str(i)} for i, r in enumerate(sent)])
        self.assertEqual(answer["FailedRecordCount"], 0)
        self.assertEqual(self.flush("orders")["records"], len(sent))
        after = datetime.datetime.now(datetime.timezone.utc)
        objects = self.delivered_objects("orders")
        self.assert_hourly_paths(objects, before, after)
        got = sorted((r for rs in objects.values() for r in rs), key=lambda r: r["order"])
        self.assertEqual(got, sent)
        status, body = self.http("GET", "/api/v1/deliveries/orders")
        self.assertEqual(body["source_stream"], "orders-src")
        self.assertEqual(body["records_delivered"], len(sent))
        self.firehose.delete_delivery_stream(DeliveryStreamName="orders")

    def test_tarn_gen_and_tarn_delivery(self):
        """`tarn gen --to firehose://` puts clickstream lines; `tarn delivery flush` waits for them
        to be committed and `tarn delivery status` reports them."""
        self.create("gen-fh")
        tarn_bin = TARN_BIN
        gen = subprocess.run(
            [tarn_bin, "gen", "--count", "1200", "--batch", "250", "--to", "firehose://gen-fh",
             "--endpoint", self.tarn.endpoint, "--report", "json"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(gen.returncode, 0, gen.stderr)
        self.assertEqual(json.loads(gen.stdout)["records"], 1200)
        flush = subprocess.run([tarn_bin, "delivery", "flush", "gen-fh", "--endpoint",
                                self.tarn.endpoint], capture_output=True, text=True, timeout=120)
        self.assertEqual(flush.returncode, 0, flush.stderr)
        self.assertEqual(json.loads(flush.stdout)["records"], 1200)
        status = subprocess.run([tarn_bin, "delivery", "status", "gen-fh", "--endpoint",
                                 self.tarn.endpoint], capture_output=True, text=True, timeout=60)
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertEqual(json.loads(status.stdout)["records_delivered"], 1200)
        records = [r for rs in self.delivered_objects("gen-fh").values() for r in rs]
        self.assertEqual(len(records), 1200)
        self.assertEqual(len({r["event_id"] for r in records}), 1200)
        # Errors are one line with a non-zero exit.
        missing = subprocess.run([tarn_bin, "delivery", "flush", "no-such", "--endpoint",
                                  self.tarn.endpoint], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("no-such", missing.stderr)
        bad = subprocess.run([tarn_bin, "gen", "--count", "1", "--to", "firehose://bad name!"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--to", bad.stderr)

    def test_aws_cli(self):
        def aws(*args, check=True):
            out = subprocess.run(
                ["/usr/bin/aws", "firehose", *args, "--endpoint-url", self.tarn.endpoint,
                 "--region", "us-east-1", "--output", "json"],
                env=AWS_ENV, capture_output=True, text=True, timeout=60)
            if check:
                self.assertEqual(out.returncode, 0, out.stderr)
                return json.loads(out.stdout) if out.stdout.strip() else {}
            return out

        aws("create-delivery-stream", "--delivery-stream-name", "cli-logs",
            "--delivery-stream-type", "DirectPut",
            "--extended-s3-destination-configuration", json.dumps(destination()))
        self.wait_active("cli-logs")
        d = aws("describe-delivery-stream", "--delivery-stream-name", "cli-logs")
        self.assertEqual(d["DeliveryStreamDescription"]["DeliveryStreamStatus"], "ACTIVE")
        self.assertIn("cli-logs", aws("list-delivery-streams", "--limit", "10000")
                      ["DeliveryStreamNames"])
        record = json.dumps({"cli": True})
        put = aws("put-record", "--delivery-stream-name", "cli-logs", "--record",
                  json.dumps({"Data": base64.b64encode(record.encode()).decode()}))
        self.assertTrue(put["RecordId"])
        batch = aws("put-record-batch", "--delivery-stream-name", "cli-logs", "--records",
                    json.dumps([{"Data": base64.b64encode(b'{"n": %d}' % i).decode()}
                                for i in range(3)]))
        self.assertEqual(batch["FailedPutCount"], 0)
        self.assertEqual(self.flush("cli-logs")["records"], 4)
        got = [r for rs in self.delivered_objects("cli-logs").values() for r in rs]
        self.assertEqual(sorted(json.dumps(r, sort_keys=True) for r in got),
                         sorted([json.dumps({"cli": True})] +
                                [json.dumps({"n": i}) for i in range(3)]))
        out = aws("describe-delivery-stream", "--delivery-stream-name", "cli-missing",
                  check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("ResourceNotFoundException", out.stderr)
        aws("delete-delivery-stream", "--delivery-stream-name", "cli-logs")


class FirehoseRestartTest(unittest.TestCase):
    """Delivery streams and their acknowledged records outlive a server killed with SIGKILL."""

    def test_records_survive_a_kill(self):
        data_dir = None
        tarn = TarnProcess.server(owns_data_dir=False)
        try:
            data_dir = tarn.data_dir
            fh = client("firehose", tarn.endpoint)
            fh.create_delivery_stream(DeliveryStreamName="durable",
                                      ExtendedS3DestinationConfiguration=destination())
            sent = [{"n": i} for i in range(40)]
            answer = fh.put_record_batch(DeliveryStreamName="durable", Records=[
                {"Data": json.dumps(r).encode()} for r in sent])
            self.assertEqual(answer["FailedPutCount"], 0)
            tarn.kill()

            tarn = TarnProcess.server(data_dir=data_dir)  # deletes the data dir at cleanup
            fh = client("firehose", tarn.endpoint)
            d = fh.describe_delivery_stream(DeliveryStreamName="durable")
            self.assertEqual(d["DeliveryStreamDescription"]["DeliveryStreamStatus"], "ACTIVE")
            request = urllib.request.Request(
                tarn.endpoint + "/api/v1/deliveries/durable/flush", method="POST")
            with urllib.request.urlopen(request, timeout=120) as r:
                self.assertEqual(json.loads(r.read())["records"], len(sent))
            root = os.path.join(data_dir, "lake", "raw", "durable")
            got = []
            for folder, _, files in os.walk(root):
                for f in files:
                    with open(os.path.join(folder, f), "rb") as fh_:
                        got += [json.loads(l) for l in gzip.decompress(fh_.read()).splitlines()
                                if l.strip()]
            self.assertEqual(sorted(got, key=lambda r: r["n"]), sent)
            stream_names = client("kinesis", tarn.endpoint).list_streams()["StreamNames"]
            self.assertFalse([s for s in stream_names if s.startswith("__firehose.")])
        finally:
            self.assertEqual(tarn.stop(), 0)
            tarn.cleanup()


if __name__ == "__main__":
    unittest.main()
