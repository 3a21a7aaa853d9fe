"""End-to-end crash test (issue 3): SIGKILL a loaded tarn server at random moments, restart it on the
same data dir, and check that the log kept its promise: a PutRecords answer means fsynced.

Producer threads (boto3, retries disabled) send PutRecords batches without pause. A record is
*acknowledged* when its batch got a 200 answer and the record has no ErrorCode; every other record
sent (connection refused/reset, timeout, error answer, per-record error) is *unknown* and is never
retried. The main thread kills the server with SIGKILL 4-6 times, 0.3-1.5 s apart, and restarts it
each time (new port, read from the server.ready line; producers switch to it, and wait while the
server is down). At the end the server is stopped cleanly and restarted once more, every shard is
read from TRIM_HORIZON to its tip, and the test asserts:
  - every acknowledged record is there exactly once, in the shard and with the sequence number its
    answer gave, with the partition key and data that were sent;
  - no record appears twice (an unknown one at most once) and nothing appears that was never sent;
  - within a shard sequence numbers strictly increase, and each producer's acknowledged records
    appear in the order they were acknowledged.
The run is reproducible in its choices (shard count, kill count, kill moments, batch sizes, keys)
from the seed it prints; set TARN_CRASH_SEED to repeat one.
"""
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import unittest
import zlib
from collections import Counter

import boto3
import botocore.config
import botocore.exceptions

from tarn_harness import AWS_ENV, TarnProcess

PRODUCERS = 4
MIN_BATCH, MAX_BATCH = 50, 200
MIN_KILLS, MAX_KILLS = 4, 6
MIN_KILL_GAP_S, MAX_KILL_GAP_S = 0.3, 1.5
MIN_ACKS_BEFORE_FIRST_KILL = 300
MIN_ACKS_AFTER_LAST_KILL = 500
MIN_ACKS_TOTAL = 2000
WAIT_TIMEOUT_S = 60

# No retries of any kind: botocore's `total_max_attempts` counts the first attempt (its
# `max_attempts` counts retries only), so 1 means exactly one HTTP request per call. The test also
# counts the requests actually sent to prove it.
NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                  connect_timeout=2, read_timeout=5)
ADMIN = botocore.config.Config(retries={"total_max_attempts": 3, "mode": "standard"},
                               connect_timeout=5, read_timeout=30)


def make_client(session, endpoint, config):
    return session.client("kinesis", endpoint_url=endpoint, config=config)


def new_session():
    return boto3.session.Session(aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
                                 region_name=AWS_ENV["AWS_DEFAULT_REGION"])


def record_for(record_id):
    """The partition key and data of the record with this id ("producer:batch:index"), derived
    from the id alone so that the verifier can check every byte read back."""
    h = zlib.crc32(record_id.encode())
    partition_key = "pk-%d-%s" % (h % 997, "k" * (h % 7))
    pad = 40 + (h >> 8) % 300
    filler = (record_id * (pad // len(record_id) + 1))[:pad]
    return partition_key, (record_id + "|" + filler).encode()


class EndpointBoard:
    """Where the server is: an endpoint and its generation (one per server start), or down."""

    def __init__(self):
        self._cond = threading.Condition()
        self._endpoint = None
        self.generation = 0
        self._closed = False

    def publish(self, endpoint):
        with self._cond:
            self.generation += 1
            self._endpoint = endpoint
            self._cond.notify_all()

    def take_down(self):
        with self._cond:
            self._endpoint = None
            self._cond.notify_all()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def current(self):
        """Blocks while the server is down; (generation, endpoint), or None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._endpoint is not None)
            if self._closed:
                return None
            return self.generation, self._endpoint

    def wait_change(self, generation, timeout):
        """After a failure against a server that is still up: back off until it changes."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._endpoint is None
                                or self.generation != generation, timeout=timeout)


class Ledger:
    """What the producers learned, shared with the main thread."""

    def __init__(self):
        self.cond = threading.Condition()
        self.acks_total = 0
        self.acks_by_generation = Counter()
        self.failures = Counter()        # why batches failed
        self.record_errors = Counter()   # per-record ErrorCodes in 200 answers
        self.problems = []               # protocol violations seen by producers
        self.crashes = []                # unexpected exceptions in producer threads

    def add_acks(self, generation, n):
        with self.cond:
            self.acks_total += n
            self.acks_by_generation[generation] += n
            self.cond.notify_all()

    def wait_for(self, predicate, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self) or bool(self.crashes), timeout)


class Producer(threading.Thread):
    min_batch, max_batch = MIN_BATCH, MAX_BATCH  # records per PutRecords call

    def __init__(self, index, stream, board, ledger, seed):
        super().__init__(name="producer-%d" % index, daemon=True)
        self.index = index
        self.stream = stream
        self.board = board
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.acked = []      # (id, shard id, sequence number), in acknowledgement order
        self.unknown = set()  # ids sent whose fate is unknown
        self.calls = 0       # put_records calls made
        self.requests_sent = 0  # HTTP requests botocore sent for them (must equal calls)
        self._session = new_session()

    def _count_send(self, **_):
        self.requests_sent += 1

    def run(self):
        try:
            self._produce()
        except Exception:  # a bug in the test or an unexpected client behaviour: fail the test
            with self.ledger.cond:
                self.ledger.crashes.append("%s:\n%s" % (self.name, traceback.format_exc()))
                self.ledger.cond.notify_all()

    def _produce(self):
        client, client_generation = None, None
        batch = 0
        while True:
            current = self.board.current()
            if current is None:
                if client is not None:
                    client.close()
                return
            generation, endpoint = current
            if generation != client_generation:
                if client is not None:
                    client.close()
                client = make_client(self._session, endpoint, NO_RETRY)
                client.meta.events.register("before-send.kinesis.PutRecords", self._count_send)
                client_generation = generation
            ids = self._batch_ids(batch, self.rng.randint(self.min_batch, self.max_batch))
            batch += 1
            entries = [self._entry(record_id) for record_id in ids]
            self.calls += 1
            try:
                answer = client.put_records(StreamName=self.stream, Records=entries)
            except botocore.exceptions.ClientError as e:
                code = e.response.get("Error", {}).get("Code", "?")
                status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
                self._failed(ids, "%s %s" % (status, code), generation)
                continue
            except botocore.exceptions.BotoCoreError as e:  # refused, reset, timeout, bad answer
                self._failed(ids, "connection: " + type(e).__name__, generation)
                continue
            results = answer.get("Records", [])
            if len(results) != len(ids):
                with self.ledger.cond:
                    self.ledger.problems.append(
                        "%s: PutRecords answered %d results for %d records"
                        % (self.name, len(results), len(ids)))
                self._failed(ids, "wrong result count", generation)
                continue
            acked = 0
            errors = 0
            for record_id, result in zip(ids, results):
                if "ErrorCode" in result:
                    errors += 1
                    self.unknown.add(record_id)
                    with self.ledger.cond:
                        self.ledger.record_errors[result["ErrorCode"]] += 1
                    continue
                self._acked(record_id, result)
                acked += 1
            if answer.get("FailedRecordCount", 0) != errors:
                with self.ledger.cond:
                    self.ledger.problems.append(
                        "%s: FailedRecordCount %s but %d records have an ErrorCode"
                        % (self.name, answer.get("FailedRecordCount"), errors))
            self.ledger.add_acks(generation, acked)

    # What a batch holds and what an acknowledgement records; test_delivery_crash overrides them.
    def _batch_ids(self, batch, size):
        return ["%d:%d:%d" % (self.index, batch, i) for i in range(size)]

    def _entry(self, record_id):
        partition_key, data = record_for(record_id)
        return {"Data": data, "PartitionKey": partition_key}

    def _acked(self, record_id, result):
        self.acked.append((record_id, result["ShardId"], result["SequenceNumber"]))

    def _failed(self, ids, why, generation):
        self.unknown.update(ids)
        with self.ledger.cond:
            self.ledger.failures[why] += 1
        # Never retried. If the server is down, current() waits for the next one; if it answered
        # with an error, back off a little instead of spinning.
        self.board.wait_change(generation, timeout=0.05)


def read_shard(client, stream, shard_id, deadline):
    """Every record of the shard from TRIM_HORIZON to the tip, following NextShardIterator until a
    page is empty and MillisBehindLatest is 0 (or the shard is closed and drained)."""
    iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard_id,
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = []
    while True:
        if time.monotonic() > deadline:
            raise AssertionError("reading %s did not reach its tip in time (%d records so far)"
                                 % (shard_id, len(records)))
        page = client.get_records(ShardIterator=iterator, Limit=10000)
        records.extend(page["Records"])
        iterator = page.get("NextShardIterator")
        if iterator is None:
            return records
        if not page["Records"] and page.get("MillisBehindLatest") == 0:
            return records


def verify(producers, shards_read):
    """Checks the records read back against what the producers learned. Returns (problems,
    stats); problems is a list of strings, empty when every guarantee held."""
    problems = []
    sent_by_id = {}  # id -> "acked" | "unknown"
    for p in producers:
        for record_id in p.unknown:
            sent_by_id[record_id] = "unknown"
        for record_id, _, _ in p.acked:
            if sent_by_id.get(record_id) is not None:
                problems.append("%s both acknowledged and unknown" % record_id)
            sent_by_id[record_id] = "acked"

    found = {}  # id -> (shard id, sequence number, position in shard)
    for shard_id, records in sorted(shards_read.items()):
        previous = None
        for position, record in enumerate(records):
            seq_text = record["SequenceNumber"]
            if not seq_text.isdigit():
                problems.append("%s: sequence number %r is not a decimal string"
                                % (shard_id, seq_text))
                continue
            seq = int(seq_text)
            if previous is not None and seq <= previous:
                problems.append("%s: sequence number %s at position %d does not increase (after "
                                "%s)" % (shard_id, seq_text, position, previous))
            previous = seq
            data = record["Data"]
            record_id = data.split(b"|", 1)[0].decode("utf-8", "replace")
            partition_key, expected = record_for(record_id)
            if record_id not in sent_by_id:
                problems.append("%s: a record that was never sent: %r" % (shard_id, data[:80]))
                continue
            if data != expected or record["PartitionKey"] != partition_key:
                problems.append("%s: record %s came back altered (%r / %r)"
                                % (shard_id, record_id, record["PartitionKey"], data[:80]))
            if record_id in found:
                problems.append("%s appears twice (%s %s and %s %s)"
                                % (record_id, found[record_id][0], found[record_id][1], shard_id,
                                   seq_text))
                continue
            found[record_id] = (shard_id, seq_text, position)

    acked_total = 0
    for p in producers:
        last_position = {}  # shard id -> position of this producer's last acknowledged record
        for record_id, shard_id, seq_text in p.acked:
            acked_total += 1
            where = found.get(record_id)
            if where is None:
                problems.append("acknowledged %s (%s %s) is missing" % (record_id, shard_id,
                                                                         seq_text))
                continue
            if (where[0], where[1]) != (shard_id, seq_text):
                problems.append("acknowledged %s as %s %s but read back as %s %s"
                                % (record_id, shard_id, seq_text, where[0], where[1]))
                continue
            if shard_id in last_position and where[2] <= last_position[shard_id]:
                problems.append("%s: %s's acknowledged %s is out of acknowledgement order"
                                % (shard_id, p.name, record_id))
            last_position[shard_id] = where[2]

    unknown_total = sum(len(p.unknown) for p in producers)
    unknown_found = sum(1 for record_id in found if sent_by_id.get(record_id) == "unknown")
    stats = {"acknowledged": acked_total, "unknown": unknown_total, "found": len(found),
             "unknown_found": unknown_found,
             "per_shard": {s: len(r) for s, r in sorted(shards_read.items())}}
    return problems, stats


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("TARN_CRASH_SEED") or random.SystemRandom().getrandbits(32))
        print("\ncrash test seed: %d (repeat with TARN_CRASH_SEED=%d)" % (self.seed, self.seed),
              file=sys.stderr, flush=True)
        self.rng = random.Random(self.seed)
        self.data_dir = tempfile.mkdtemp(prefix="tarn-crash-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.server = None
        self.addCleanup(self._stop_server)

    def _stop_server(self):
        if self.server is not None and self.server.proc.poll() is None:
            self.server.stop()

    def start_server(self):
        self.server = TarnProcess.server(data_dir=self.data_dir, owns_data_dir=False)
        return self.server

    def kill_server(self):
        status = self.server.kill()
        self.assertEqual(status, -signal.SIGKILL,
                         "the server had already exited (status %s) before it was killed; log:\n%s"
                         % (status, "".join(self.server.log_lines[-40:])))

    def log_tail(self):
        return "".join(self.server.log_lines[-40:]) if self.server else ""

    def test_acknowledged_records_survive_sigkill(self):
        rng = self.rng
        shard_count = rng.randint(2, 4)
        kills = rng.randint(MIN_KILLS, MAX_KILLS)
        # Unique, so a stale producer connecting to a reused port of another test's server gets
        # ResourceNotFoundException rather than somebody else's acknowledgement.
        stream = "crash-%d-%08x" % (os.getpid(), self.seed)

        server = self.start_server()
        admin = make_client(new_session(), server.endpoint, ADMIN)
        self.addCleanup(admin.close)
        admin.create_stream(StreamName=stream, ShardCount=shard_count)
        admin.get_waiter("stream_exists").wait(StreamName=stream,
                                               WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        shard_ids = [s["ShardId"] for s in admin.list_shards(StreamName=stream)["Shards"]]
        self.assertEqual(len(shard_ids), shard_count)

        board = EndpointBoard()
        ledger = Ledger()
        producers = [Producer(i, stream, board, ledger, rng.getrandbits(64))
                     for i in range(PRODUCERS)]
        board.publish(server.endpoint)
        for p in producers:
            p.start()
        stopped = False
        try:
            self.assertTrue(
                ledger.wait_for(lambda l: l.acks_total >= MIN_ACKS_BEFORE_FIRST_KILL,
                                WAIT_TIMEOUT_S),
                "no load before the first kill: %d acks, failures %s\n%s"
                % (ledger.acks_total, dict(ledger.failures), self.log_tail()))
            self.assertEqual(ledger.crashes, [])
            kill_log = []
            for k in range(kills):
                # A random moment under load; the wait *is* the randomness, not a hope.
                time.sleep(rng.uniform(MIN_KILL_GAP_S, MAX_KILL_GAP_S))
                acks_before = ledger.acks_total
                board.take_down()
                self.kill_server()
                recovered = len(self.start_server().events("stream.recovered"))
                board.publish(self.server.endpoint)
                kill_log.append((acks_before, recovered))
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
            stopped = not any(p.is_alive() for p in producers)
        self.assertTrue(stopped, "a producer thread did not stop")
        self.assertEqual(ledger.crashes, [], "\n".join(ledger.crashes))
        self.assertEqual(ledger.problems, [])
        for p in producers:
            self.assertEqual(p.requests_sent, p.calls,
                             "%s: botocore sent %d requests for %d calls: it retried"
                             % (p.name, p.requests_sent, p.calls))

        # Stop cleanly (a server recovered from a crash must also shut down cleanly), restart on
        # the same data and read everything back.
        status = self.server.stop()
        self.assertEqual(status, 0, "clean stop failed; log:\n" + self.log_tail())
        server = self.start_server()
        reader = make_client(new_session(), server.endpoint, ADMIN)
        self.addCleanup(reader.close)
        summary = reader.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamStatus"], "ACTIVE")
        self.assertEqual(summary["OpenShardCount"], shard_count)
        deadline = time.monotonic() + WAIT_TIMEOUT_S
        shards_read = {shard_id: read_shard(reader, stream, shard_id, deadline)
                       for shard_id in shard_ids}
        problems, stats = verify(producers, shards_read)

        failed_batches = sum(ledger.failures.values())
        interrupted = sum(n for why, n in ledger.failures.items() if why.startswith("connection"))
        print("crash test: seed %d, %d shards, %d kills (acks at each kill / shards recovered "
              "with a cut tail: %s); acknowledged %d, unknown %d (found %d of them), found %d %s; "
              "acks per server run %s; failed batches %d %s; per-record errors %s; calls %d"
              % (self.seed, shard_count, kills, kill_log, stats["acknowledged"], stats["unknown"],
                 stats["unknown_found"], stats["found"], stats["per_shard"],
                 [ledger.acks_by_generation[g] for g in range(1, final_generation + 1)],
                 failed_batches, dict(ledger.failures), dict(ledger.record_errors),
                 sum(p.calls for p in producers)),
              file=sys.stderr, flush=True)

        self.assertEqual(problems, [], "%d problems (seed %d), first ones:\n%s"
                         % (len(problems), self.seed, "\n".join(problems[:30])))
        # Not vacuous: real load, including after the last restart, and the kills hit batches
        # in flight.
        self.assertGreater(stats["acknowledged"], MIN_ACKS_TOTAL)
        self.assertGreaterEqual(ledger.acks_by_generation[final_generation],
                                MIN_ACKS_AFTER_LAST_KILL)
        self.assertGreater(interrupted, 0, "no kill interrupted a batch in flight")
        self.assertEqual(stats["found"], stats["acknowledged"] + stats["unknown_found"])

        status = self.server.stop()
        self.assertEqual(status, 0, "clean stop failed; log:\n" + self.log_tail())


if __name__ == "__main__":
    unittest.main()
