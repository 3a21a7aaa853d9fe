"""End-to-end: the tarn binary's edge server against real clients (urllib, boto3, aws CLI v2)."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

from tarn_harness import AWS_ENV, TARN_BIN, TarnProcess, parse_prometheus, poll


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


class EdgeServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        assert status == 0, "server exited with %s" % status

    def test_health(self):
        status, headers, body = http_get(self.tarn.endpoint + "/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertEqual(headers["content-type"], "application/json")

    def test_unknown_path_is_404_json(self):
        status, _, body = http_get(self.tarn.endpoint + "/no/such/thing")
        self.assertEqual(status, 404)
        self.assertEqual(json.loads(body)["code"], "NotFound")

    def test_metrics_parse_and_count_requests(self):
        for _ in range(3):
            http_get(self.tarn.endpoint + "/health")
        status, headers, body = http_get(self.tarn.endpoint + "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        samples, types = parse_prometheus(body)
        health = samples[("tarn_http_requests_total",
                          frozenset({"method": "GET", "route": "/health", "code": "200"}.items()))]
        self.assertGreaterEqual(health, 3)
        self.assertEqual(types["tarn_http_requests_total"], "counter")
        self.assertEqual(types["tarn_http_request_duration_seconds"], "histogram")
        # Buckets are cumulative and +Inf equals the count.
        buckets = sorted(
            (float(dict(labels)["le"].replace("+Inf", "inf")), v)
            for (name, labels), v in samples.items()
            if name == "tarn_http_request_duration_seconds_bucket" and dict(labels)["route"] == "/health")
        self.assertTrue(buckets)
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts))
        count = samples[("tarn_http_request_duration_seconds_count",
                         frozenset({"route": "/health"}.items()))]
        self.assertEqual(buckets[-1][1], count)
        rss = samples[("process_resident_memory_bytes", frozenset())]
        self.assertGreater(rss, 1 << 20)

    def test_unknown_target_with_boto3(self):
        client = boto3.client(
            "kinesis", endpoint_url=self.tarn.endpoint, region_name="us-east-1",
            aws_access_key_id="tarn-test", aws_secret_access_key="tarn-test-secret",
            config=botocore.config.Config(retries={"max_attempts": 1}))
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            client.list_stream_consumers(StreamARN="arn:aws:kinesis:us-east-1:000000000000:stream/x")
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], "UnknownOperationException")
        self.assertIn("Kinesis_20131202.ListStreamConsumers", error["Error"]["Message"])
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertTrue(error["ResponseMetadata"]["RequestId"])

    def test_unknown_target_with_aws_cli(self):
        result = subprocess.run(
            ["/usr/bin/aws", "kinesis", "list-stream-consumers", "--stream-arn",
             "arn:aws:kinesis:us-east-1:000000000000:stream/x", "--endpoint-url", self.tarn.endpoint],
            env=AWS_ENV, capture_output=True, text=True, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("UnknownOperationException", result.stderr)
        self.assertIn("ListStreamConsumers", result.stderr)

    def test_h2c_with_curl(self):
        # One URL per curl run: curl 7.88 fails to reuse an h2c connection with prior knowledge
        # against any server (Node's http2 server too); multiplexing is covered by sdk_js.test.mjs.
        for path, code, text in (("/health", "200", '{"status":"ok"}'), ("/nope", "404", '"NotFound"')):
            result = subprocess.run(
                ["curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}",
                 self.tarn.endpoint + path],
                capture_output=True, text=True, timeout=30)
            self.assertEqual(result.returncode, 0, result.stderr)
            body, status = result.stdout.rsplit("\n", 1)
            self.assertEqual(status, "2 " + code)
            self.assertIn(text, body)

    def test_oversized_request_is_413(self):
        # Announce a 17 MiB body (over the 16 MiB limit) and send none of it: the server must answer
        # 413 from the headers alone, before reading a body it will never accept.
        with socket.create_connection(("127.0.0.1", self.tarn.port), timeout=10) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (17 << 20))
            response = b""
            while b"\r\n\r\n" not in response:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                response += chunk
            head, _, rest = response.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            while len(rest) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
        self.assertTrue(head.startswith(b"HTTP/1.1 413"), head)
        self.assertEqual(json.loads(rest[:length])["code"], "RequestEntityTooLarge")
        self.assertEqual(http_get(self.tarn.endpoint + "/health")[0], 200)

    def test_second_server_on_same_data_dir_is_refused(self):
        result = subprocess.run(
            [TARN_BIN, "server", "--data", self.tarn.data_dir, "--port", "0"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn("in use", result.stderr)
        self.assertIn("--endpoint " + self.tarn.endpoint, result.stderr)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_and_sigint_stop_cleanly_and_release_the_data_dir(self):
        data_dir = tempfile.mkdtemp(prefix="tarn-e2e-")
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                tarn = TarnProcess.server(data_dir=data_dir)
                tarn.owns_data_dir = False
                self.assertEqual(http_get(tarn.endpoint + "/health")[0], 200)
                self.assertEqual(tarn.stop(sig), 0)
                self.assertEqual(len(tarn.events("server.stopped")), 1, "".join(tarn.log_lines))
                self.assertEqual(len(tarn.events("edge.stopped")), 1)
                # The lock is gone with the process: the next loop iteration starts a new server
                # on the same data dir.
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def test_port_in_use_is_a_clear_error(self):
        first = TarnProcess.server()
        try:
            data_dir = tempfile.mkdtemp(prefix="tarn-e2e-")
            result = subprocess.run(
                [TARN_BIN, "server", "--data", data_dir, "--port", str(first.port)],
                capture_output=True, text=True, timeout=30)
            shutil.rmtree(data_dir, ignore_errors=True)
            self.assertEqual(result.returncode, 1)
            self.assertIn("already in use", result.stderr)
        finally:
            self.assertEqual(first.stop(), 0)
            first.cleanup()


class UpTest(unittest.TestCase):
    def test_up_prints_urls_that_work(self):
        data_dir = tempfile.mkdtemp(prefix="tarn-e2e-")
        tarn = TarnProcess(["up", "--data", data_dir, "--port", "0"], data_dir=data_dir)
        try:
            banner = tarn.wait_stdout("Ctrl-C")
            self.assertIn(tarn.endpoint, banner)
            self.assertIn(tarn.endpoint + "/health", banner)
            self.assertIn(tarn.endpoint + "/metrics", banner)
            self.assertEqual(http_get(tarn.endpoint + "/health")[0], 200)
            # The demo pipeline runs: producer -> stream `events` -> delivery -> raw/events/.
            request = urllib.request.Request(
                tarn.endpoint + "/api/v1/deliveries/events/flush", method="POST")
            with urllib.request.urlopen(request, timeout=120) as r:
                flushed = json.loads(r.read())
            lake = os.path.join(data_dir, "lake", "raw", "events")

            def delivered():
                objects = [os.path.join(d, f) for d, _, fs in os.walk(lake) for f in fs]
                return objects if any(o.endswith(".json.gz") for o in objects) else None
            objects = poll(delivered, timeout=60) if flushed["records"] == 0 else delivered()
            self.assertTrue(objects, "nothing delivered into raw/events/")
            for path in objects:
                self.assertRegex(os.path.relpath(path, lake),
                                 r"^year=\d{4}/month=\d{2}/day=\d{2}/hour=\d{2}/events-shardId-")
            # ... and SQL reads what was delivered (the delivery registered raw.events).
            self.assertIn(tarn.endpoint + "/api/v1/query", banner)
            query = urllib.request.Request(
                tarn.endpoint + "/api/v1/query", method="POST",
                data=json.dumps({"sql": "SELECT count(*), count(DISTINCT event_type) "
                                        "FROM raw.events WHERE year >= '2026'"}).encode())
            with urllib.request.urlopen(query, timeout=60) as r:
                answer = json.loads(r.read())
            self.assertGreater(answer["rows"][0][0], 0)
            self.assertGreater(answer["rows"][0][1], 1)
            self.assertGreater(answer["stats"]["bytes_scanned"], 0)
            self.assertEqual(tarn.stop(signal.SIGINT), 0)
        finally:
            tarn.cleanup()


if __name__ == "__main__":
    unittest.main()
