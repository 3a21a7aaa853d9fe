"""End-to-end crash test of delivery streams: a Firehose delivery (KinesisStreamAsSource) keeps
delivering a loaded Kinesis stream into the lake while the server is SIGKILLed at random moments
and restarted on the same data dir; the lake must end up with every acknowledged record exactly
once (DESIGN.md, "Guarantees": acknowledged means durable, exactly once into the lake, readers
never see half a file).

Setup: a stream `events` (2 shards) and a delivery stream reading it (BufferingHints 1 MB / 60 s,
so ranges are delivered by size while the load runs, GZIP, tarn's default prefix
raw/<delivery>/year=/month=/day=/hour=/). Producer threads (boto3, no retries) send PutRecords
batches of JSON records with unique ids; a record is *acknowledged* when its batch got a 200
answer and the record has no ErrorCode. Nothing is ever retried: a batch that fails (connection
refused or reset while the server is down, an error answer) is *unknown*. The main thread kills
the server with SIGKILL 20-24 times, 0.2-1.5 s apart, restarting it each time (the producers
follow it to its new port), then kills it once more, restarts it and forces everything out with
POST /api/v1/deliveries/NAME/flush. It asserts:
  - every acknowledged id is in the lake, and no id is there twice (nor one never sent), with the
    exact content that was sent;
  - every object under raw/<delivery>/ is a complete gzip file of NDJSON named
    `<delivery>-<shardId>-<first>-<last>.json.gz`, no temporary file is left, and the sequence
    ranges of one shard's objects do not overlap;
  - the catalog (catalog.db's `files` table, read with sqlite3) lists exactly those objects with
    their sizes and row counts, no intent of the delivery is left open, and the status endpoint
    shows no lag and no error;
  - nothing went to the error output, and the lake held delivered objects before the final
    flush (the kills hit a delivery that was running).
The choices (kill count and moments, batch sizes) come from the seed it prints; set
TARN_CRASH_SEED to repeat one.
"""
import gzip
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import zlib
from collections import Counter


from tarn_harness import TarnProcess, poll
# The endpoint board and client configs of the stream crash test (importing names only: its
# test case is not collected here).
import test_crash
from test_crash import ADMIN, EndpointBoard, Ledger, new_session

STREAM = "events"
SHARDS = 2
DELIVERY = "events-lake"  # also the lake table (DeliveryTableName: no format conversion)
ROLE = "arn:aws:iam::000000000000:role/firehose"
BUCKET = "arn:aws:s3:::tarn-lake"
PRODUCERS = 2
MIN_BATCH, MAX_BATCH = 100, 300
MIN_KILLS, MAX_KILLS = 20, 24
MIN_KILL_GAP_S, MAX_KILL_GAP_S = 0.2, 1.5
MIN_ACKS_BEFORE_FIRST_KILL = 2000
MIN_ACKS_AFTER_LAST_KILL = 1000
WAIT_TIMEOUT_S = 30
OBJECT_NAME = re.compile(r"^%s-(shardId-\d{12})-(\d+)-(\d+)\.json\.gz$" % re.escape(DELIVERY))
PARTITION_PATH = re.compile(r"^year=\d{4}/month=\d{2}/day=\d{2}/hour=\d{2}$")


def record_for(record_id):
    """The JSON record with this id, derived from the id alone so the check can compare every
    field read back. ~300-600 bytes, so 1 MB buffers fill within seconds."""
    h = zlib.crc32(record_id.encode())
    return {"id": record_id, "n": h % 100000, "ok": h % 2 == 0,
            "pad": (record_id + "~") * (8 + h % 20)}


class Producer(test_crash.Producer):
    """test_crash's producer (never retries a batch), with this test's records and ids."""
    min_batch, max_batch = MIN_BATCH, MAX_BATCH

    def __init__(self, index, run, board, ledger, seed):
        super().__init__(index, STREAM, board, ledger, seed)
        self.run_tag = run  # ids are unique across runs of the test on one machine

    def _batch_ids(self, batch, size):
        return ["%s-%d-%d-%d" % (self.run_tag, self.index, batch, i) for i in range(size)]

    def _entry(self, record_id):
        return {"Data": json.dumps(record_for(record_id)).encode(), "PartitionKey": record_id}

    def _acked(self, record_id, result):
        self.acked.append(record_id)


def http(endpoint, method, path, timeout=120):
    """(status, parsed JSON or text) of a plain HTTP request."""
    request = urllib.request.Request(endpoint + path, method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def lake_files(root):
    """Relative paths of every file under root (empty when it does not exist)."""
    out = []
    for folder, _, files in os.walk(root):
        for f in files:
            out.append(os.path.relpath(os.path.join(folder, f), root))
    return sorted(out)


class DeliveryCrashTest(unittest.TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("TARN_CRASH_SEED") or random.SystemRandom().getrandbits(32))
        print("\ndelivery crash test seed: %d (repeat with TARN_CRASH_SEED=%d)"
              % (self.seed, self.seed), file=sys.stderr, flush=True)
        self.rng = random.Random(self.seed)
        self.data_dir = tempfile.mkdtemp(prefix="tarn-dcrash-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.server = None
        self.servers = []  # every server run, for their logs
        self.addCleanup(self._stop_server)

    def _stop_server(self):
        if self.server is not None and self.server.proc.poll() is None:
            self.server.stop()

    def start_server(self):
        self.server = TarnProcess.server(data_dir=self.data_dir, owns_data_dir=False)
        self.servers.append(self.server)
        return self.server

    def events(self, name):
        """The log events called `name` of every server run so far."""
        return [e for s in self.servers for e in s.events(name)]

    def kill_server(self):
        status = self.server.kill()
        self.assertEqual(status, -signal.SIGKILL,
                         "the server had already exited (status %s) before it was killed; log:\n%s"
                         % (status, self.log_tail()))

    def log_tail(self, n=40):
        return "".join(self.server.log_lines[-n:]) if self.server else ""

    def test_delivery_is_exactly_once_across_sigkills(self):
        rng = self.rng
        kills = rng.randint(MIN_KILLS, MAX_KILLS)
        run_tag = "%08x" % self.seed
        lake = os.path.join(self.data_dir, "lake")
        table_root = os.path.join(lake, "raw", DELIVERY)
        started = time.monotonic()

        server = self.start_server()
        session = new_session()
        kinesis = session.client("kinesis", endpoint_url=server.endpoint, config=ADMIN)
        firehose = session.client("firehose", endpoint_url=server.endpoint, config=ADMIN)
        kinesis.create_stream(StreamName=STREAM, ShardCount=SHARDS)
        kinesis.get_waiter("stream_exists").wait(StreamName=STREAM,
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        firehose.create_delivery_stream(
            DeliveryStreamName=DELIVERY, DeliveryStreamType="KinesisStreamAsSource",
            KinesisStreamSourceConfiguration={
                "KinesisStreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/" + STREAM,
                "RoleARN": ROLE},
            ExtendedS3DestinationConfiguration={
                "RoleARN": ROLE, "BucketARN": BUCKET,
                # botocore refuses IntervalInSeconds < 60 client-side.
                "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
                "CompressionFormat": "GZIP"})
        poll(lambda: firehose.describe_delivery_stream(DeliveryStreamName=DELIVERY)
             ["DeliveryStreamDescription"]["DeliveryStreamStatus"] == "ACTIVE")
        kinesis.close()
        firehose.close()

        board = EndpointBoard()
        ledger = Ledger()
        producers = [Producer(i, run_tag, board, ledger, rng.getrandbits(64))
                     for i in range(PRODUCERS)]
        board.publish(server.endpoint)
        for p in producers:
            p.start()
        kill_log = []  # (acks at the kill, records_delivered by the killed server or None)
        objects_before_final = 0
        try:
            self.assertTrue(
                ledger.wait_for(lambda l: l.acks_total >= MIN_ACKS_BEFORE_FIRST_KILL,
                                WAIT_TIMEOUT_S),
                "no load before the first kill: %d acks, failures %s\n%s"
                % (ledger.acks_total, dict(ledger.failures), self.log_tail()))
            for _ in range(kills):
                time.sleep(rng.uniform(MIN_KILL_GAP_S, MAX_KILL_GAP_S))  # the random moment
                self.assertEqual(ledger.crashes, [], "\n".join(ledger.crashes))
                delivered = None
                try:  # what this server run delivered, for the report only
                    status, body = http(self.server.endpoint, "GET",
                                        "/api/v1/deliveries/" + DELIVERY, timeout=2)
                    if status == 200:
                        delivered = body.get("records_delivered")
                except OSError:
                    pass
                acks_before = ledger.acks_total
                board.take_down()
                self.kill_server()
                self.start_server()
                board.publish(self.server.endpoint)
                kill_log.append((acks_before, delivered))
            final_generation = board.generation
            self.assertTrue(
                ledger.wait_for(
                    lambda l: l.acks_by_generation[final_generation] >= MIN_ACKS_AFTER_LAST_KILL,
                    WAIT_TIMEOUT_S),
                "too few acknowledgements after the last restart: %d; failures %s\n%s"
                % (ledger.acks_by_generation[final_generation], dict(ledger.failures),
                   self.log_tail()))
        finally:
            board.close()
            for p in producers:
                p.join(timeout=30)
        self.assertFalse(any(p.is_alive() for p in producers), "a producer thread did not stop")
        self.assertEqual(ledger.crashes, [], "\n".join(ledger.crashes))
        self.assertEqual(ledger.problems, [])
        for p in producers:
            self.assertEqual(p.requests_sent, p.calls,
                             "%s: botocore sent %d requests for %d calls: it retried"
                             % (p.name, p.requests_sent, p.calls))

        # Objects delivered (by size) while the kills went on, before any flush.
        objects_before_final = len([f for f in lake_files(table_root) if f.endswith(".json.gz")])

        # One more crash, then restart and force everything out.
        self.kill_server()
        server = self.start_server()
        status, flushed = http(server.endpoint, "POST",
                               "/api/v1/deliveries/%s/flush?timeout_ms=60000" % DELIVERY)
        self.assertEqual(status, 200, "flush: %s\n%s" % (flushed, self.log_tail()))
        self.assertEqual(set(flushed), {"records", "objects"}, flushed)
        status, state = http(server.endpoint, "GET", "/api/v1/deliveries/" + DELIVERY)
        self.assertEqual(status, 200, state)
        self.assertEqual(state["status"], "ACTIVE", state)
        self.assertEqual(state["lag_records"], 0, state)
        self.assertEqual(state["last_error"], "", state)
        self.assertEqual(state["source_stream"], STREAM, state)

        # ---- the lake ----
        acked = set()
        unknown = set()
        for p in producers:
            acked.update(p.acked)
            unknown.update(p.unknown)
        self.assertFalse(acked & unknown, "ids both acknowledged and unknown")
        problems = []
        counts = Counter()
        objects = {}  # lake key -> (bytes, rows)
        ranges = {}   # shard id -> [(first, last, key)]
        files = lake_files(table_root)
        for rel in files:
            key = "raw/%s/%s" % (DELIVERY, rel)
            folder, name = os.path.split(rel)
            if ".tarn-tmp-" in rel:
                problems.append("temporary file left in the lake: " + key)
                continue
            if not PARTITION_PATH.match(folder):
                problems.append("object outside an hourly partition: " + key)
            m = OBJECT_NAME.match(name)
            if not m:
                problems.append("unexpected object name: " + key)
                continue
            first, last = int(m.group(2)), int(m.group(3))
            if first > last:
                problems.append("%s: first sequence number after the last" % key)
            ranges.setdefault(m.group(1), []).append((first, last, key))
            with open(os.path.join(table_root, rel), "rb") as f:
                data = f.read()
            try:
                text = gzip.decompress(data).decode("utf-8")
            except Exception as e:  # truncated or corrupt gzip
                problems.append("%s (%d bytes) is not a complete gzip file: %r"
                                % (key, len(data), e))
                continue
            if not text.endswith("\n"):
                problems.append("%s: does not end with a newline" % key)
            lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
            objects[key] = (len(data), len(lines))
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    problems.append("%s: a line that is not JSON: %r" % (key, line[:80]))
                    continue
                record_id = record.get("id")
                counts[record_id] += 1
                if record_id not in acked and record_id not in unknown:
                    problems.append("%s: a record that was never sent: %r" % (key, line[:80]))
                elif record != record_for(record_id):
                    problems.append("%s: record %s came back altered: %r"
                                    % (key, record_id, line[:120]))
        for shard, shard_ranges in sorted(ranges.items()):
            shard_ranges.sort()
            for (f1, l1, k1), (f2, l2, k2) in zip(shard_ranges, shard_ranges[1:]):
                if f2 <= l1:
                    problems.append("%s: objects overlap: %s and %s" % (shard, k1, k2))
        duplicates = sorted(i for i, c in counts.items() if c > 1)
        if duplicates:
            problems.append("%d ids delivered more than once, e.g. %s"
                            % (len(duplicates), duplicates[:5]))
        missing = sorted(acked - set(counts))
        if missing:
            problems.append("%d acknowledged ids missing from the lake, e.g. %s"
                            % (len(missing), missing[:5]))
        errors_root = os.path.join(lake, "errors")
        error_files = lake_files(errors_root)
        if error_files:
            problems.append("records went to the error output: %s" % error_files[:5])

        # ---- the catalog: exactly the objects on disk, with their sizes and row counts ----
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.data_dir, "catalog.db"),
                             uri=True, timeout=10)
        try:
            rows = db.execute("SELECT key, bytes, row_count FROM files "
                              "WHERE database = 'raw' AND table_name = ?", (DELIVERY,)).fetchall()
            open_intents = db.execute("SELECT count(*) FROM intents WHERE owner = ?",
                                      ("delivery/" + DELIVERY,)).fetchone()[0]
        finally:
            db.close()
        catalog = {}
        for key, size, row_count in rows:
            # The key relative to the lake root ("raw/<table>/..."); accept a file:// URI too.
            rel = key.split("/lake/", 1)[1] if "/lake/" in key else key
            catalog[rel] = (size, row_count)
        if set(catalog) != set(objects):
            problems.append("catalog and lake disagree: only in the catalog %s, only on disk %s"
                            % (sorted(set(catalog) - set(objects))[:5],
                               sorted(set(objects) - set(catalog))[:5]))
        for key in set(catalog) & set(objects):
            size, row_count = catalog[key]
            if size != objects[key][0] or (row_count is not None and row_count != objects[key][1]):
                problems.append("%s: catalog says %s bytes / %s rows, the object has %s / %s"
                                % (key, size, row_count, objects[key][0], objects[key][1]))
        if open_intents:
            problems.append("%d intents of the delivery left open after the flush" % open_intents)
        # Log events that mean recovery went wrong (a replay that built other objects, an intent
        # thrown away, a delivery that could not be loaded).
        for bad in ("delivery.replay_mismatch", "delivery.intent_rolled_back",
                    "delivery.load_failed"):
            for event in self.events(bad):
                problems.append("server log: %s" % json.dumps(event))
        replayed = len(self.events("delivery.intent_replayed"))
        attempts_failed = len(self.events("delivery.attempt_failed"))

        unknown_found = len(set(counts) & unknown)
        interrupted = sum(n for why, n in ledger.failures.items() if why.startswith("connection"))
        print("delivery crash test: seed %d, %d kills in %.1f s (acks / records delivered by the "
              "killed run: %s); acknowledged %d, unknown %d (%d of them delivered), in the lake "
              "%d records in %d objects (%d before the final flush), final flush %s; intents replayed "
              "after a kill %d, failed delivery attempts %d; acks per "
              "server run %s; failed batches %s; per-record errors %s"
              % (self.seed, kills, time.monotonic() - started, kill_log, len(acked), len(unknown),
                 unknown_found, sum(counts.values()), len(objects), objects_before_final,
                 flushed, replayed, attempts_failed, [ledger.acks_by_generation[g] for g in range(1, final_generation + 1)],
                 dict(ledger.failures), dict(ledger.record_errors)),
              file=sys.stderr, flush=True)
        self.assertEqual(problems, [], "%d problems (seed %d), first ones:\n%s\nserver log:\n%s"
                         % (len(problems), self.seed, "\n".join(problems[:30]), self.log_tail()))
        # Not vacuous: real load, the kills hit requests in flight and a running delivery.
        self.assertGreater(len(acked), MIN_ACKS_BEFORE_FIRST_KILL + MIN_ACKS_AFTER_LAST_KILL)
        self.assertGreater(interrupted, 0, "no kill interrupted a batch in flight")
        self.assertGreater(objects_before_final, 0,
                           "nothing was delivered before the final flush: the kills never hit "
                           "a delivering server")
        self.assertEqual(sum(counts.values()), len(acked) + unknown_found)
        self.assertEqual(len(catalog), len(objects))

        status = self.server.stop()
        self.assertEqual(status, 0, "clean stop failed; log:\n" + self.log_tail())


if __name__ == "__main__":
    unittest.main()
