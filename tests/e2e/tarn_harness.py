"""Starts and stops a real `tarn` process for end-to-end tests.

Each server gets its own temporary data dir and a free loopback port chosen by the kernel
(`--port 0`); the port is read from the server's structured `edge.listening` log line, so there is
no port race and no sleeping. Stopping sends SIGTERM and requires a clean exit.
"""
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time

TARN_BIN = os.environ.get("TARN_BIN", os.path.join(os.path.dirname(__file__), "../../build/release/tarn"))

# Real AWS clients, isolated from any configuration on the machine.
AWS_ENV = dict(
    os.environ,
    AWS_ACCESS_KEY_ID="tarn-test",
    AWS_SECRET_ACCESS_KEY="tarn-test-secret",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_CONFIG_FILE="/nonexistent",
    AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    AWS_EC2_METADATA_DISABLED="true",
    AWS_PAGER="",
)


class TarnProcess:
    """A running `tarn server` (or `tarn up`) whose stderr log lines are collected."""

    def __init__(self, args, data_dir=None, startup_timeout=30):
        self.owns_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="tarn-e2e-")
        self.args = [TARN_BIN] + args
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.log_lines = []
        self.stdout_lines = []
        self._stdout_changed = threading.Condition()
        self._events = queue.Queue()
        self._readers = [
            threading.Thread(target=self._read_stderr, daemon=True),
            threading.Thread(target=self._read_stdout, daemon=True),
        ]
        for t in self._readers:
            t.start()
        self.endpoint = None
        self.port = None
        self._wait_ready(startup_timeout)

    @classmethod
    def server(cls, data_dir=None, extra=(), owns_data_dir=True):
        """`tarn server` on `data_dir` (a new temporary one when None). cleanup() deletes the data
        dir unless owns_data_dir is False (a server restarted on a data dir that outlives it)."""
        data_dir = data_dir or tempfile.mkdtemp(prefix="tarn-e2e-")
        p = cls.__new__(cls)
        cls.__init__(p, ["server", "--data", data_dir, "--port", "0", *extra], data_dir=data_dir)
        p.owns_data_dir = owns_data_dir
        return p

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.log_lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "non_json", "line": line}
            self._events.put(event)
        self._events.put({"event": "eof"})

    def _read_stdout(self):
        for line in self.proc.stdout:
            with self._stdout_changed:
                self.stdout_lines.append(line)
                self._stdout_changed.notify_all()
        with self._stdout_changed:
            self.stdout_lines.append(None)  # end of output
            self._stdout_changed.notify_all()

    def wait_stdout(self, text, timeout=30):
        """Waits until the process has printed `text` on stdout; returns all stdout so far."""
        def printed():
            return text in "".join(l for l in self.stdout_lines if l) or None in self.stdout_lines
        with self._stdout_changed:
            self._stdout_changed.wait_for(printed, timeout=timeout)
            return "".join(l for l in self.stdout_lines if l)

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.proc.kill()  # not left running behind the failed test
                self.proc.wait()
                raise TimeoutError("tarn did not become ready; log:\n" + "".join(self.log_lines))
            try:
                event = self._events.get(timeout=left)
            except queue.Empty:
                continue
            if event.get("event") == "server.ready":
                self.endpoint = event["endpoint"]
                self.port = int(self.endpoint.rsplit(":", 1)[1])
                return
            if event.get("event") == "eof":
                self.proc.wait(timeout=10)
                raise RuntimeError("tarn exited before it was ready (status %s):\n%s"
                                   % (self.proc.returncode, "".join(self.log_lines)))

    def events(self, name):
        out = []
        for line in self.log_lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == name:
                out.append(event)
        return out

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the server and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            status = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        for t in self._readers:
            t.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return status

    def kill(self, timeout=30):
        """SIGKILL (no clean shutdown), reaped; returns the exit status: -signal.SIGKILL when the
        server was still running, its own status when it had already exited. The data dir stays."""
        return self.stop(signal.SIGKILL, timeout=timeout)

    def cleanup(self):
        if self.proc.poll() is None:
            self.stop()
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def parse_prometheus(text):
    """Parses Prometheus text exposition strictly; returns {(name, frozenset(labels)): value} and
    {name: type}. Raises ValueError on any malformed line."""
    import re
    samples, types = {}, {}
    sample_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
    label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            if kind not in ("counter", "gauge", "histogram", "summary", "untyped"):
                raise ValueError("bad type line: " + line)
            types[name] = kind
            continue
        m = sample_re.match(line)
        if not m:
            raise ValueError("bad sample line: " + line)
        labels = {}
        if m.group(3):
            pos = 0
            body = m.group(3)
            while pos < len(body):
                lm = label_re.match(body, pos)
                if not lm:
                    raise ValueError("bad labels: " + line)
                labels[lm.group(1)] = lm.group(2)
                pos = lm.end()
        value = m.group(4)
        samples[(m.group(1), frozenset(labels.items()))] = float(value.replace("Inf", "inf"))
    return samples, types


def error_code(call, *args, **kwargs):
    """The AWS error code and HTTP status of a boto3 call that must fail."""
    import botocore.exceptions
    try:
        call(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded")


def poll(condition, timeout=30, interval=0.02):
    """Polls `condition` until it returns a truthy value (returned) or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met within %ss" % timeout)
