"""`tarn sql` and POST /api/v1/query end to end: a lake made by `tarn gen` and `tarn crawl`,
queried embedded (--data), through a running server (--endpoint, and --data on a dir the server
holds), in batch mode (-c, -f, stdin) and as a REPL on a pseudo-terminal; output formats, error
messages and exit statuses."""
import json
import os
import pty
import select
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from tarn_harness import TARN_BIN, TarnProcess

EVENTS = 3000


def run_tarn(*args, stdin=None, timeout=60):
    return subprocess.run([TARN_BIN, *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout)


class SqlCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="tarn-sql-e2e-")
        events = os.path.join(cls.data, "events.ndjson")
        out = run_tarn("gen", "--count", str(EVENTS), "--seed", "5", "--out", events)
        assert out.returncode == 0, out.stderr
        with open(events) as f:
            lines = f.readlines()
        half = len(lines) // 2
        for day, part in (("01", lines[:half]), ("02", lines[half:])):
            folder = os.path.join(cls.data, "lake", "raw", "events", "day=" + day)
            os.makedirs(folder)
            with open(os.path.join(folder, "part.json"), "w") as f:
                f.writelines(part)
        os.remove(events)
        crawl = run_tarn("crawl", "--data", cls.data)
        assert crawl.returncode == 0, crawl.stderr
        cls.countries = {}
        for line in lines:
            c = json.loads(line)["country"]
            cls.countries[c] = cls.countries.get(c, 0) + 1

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.data, ignore_errors=True)

    def sql(self, *args, **kwargs):
        return run_tarn("sql", "--data", self.data, *args, **kwargs)

    def test_csv_has_a_header_and_the_rows(self):
        out = self.sql("-c", "SELECT country, count(*) AS n FROM raw.events GROUP BY country "
                       "ORDER BY n DESC, country", "--format", "csv")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "country,n")
        got = {l.split(",")[0]: int(l.split(",")[1]) for l in lines[1:]}
        self.assertEqual(got, self.countries)

    def test_json_has_columns_rows_and_statistics(self):
        out = self.sql("-c", "SELECT day, count(*) AS n, min(ts) FROM raw.events WHERE day = '02' "
                       "GROUP BY day", "--format", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        body = json.loads(out.stdout)
        self.assertEqual(body["columns"], [{"name": "day", "type": "varchar"},
                                           {"name": "n", "type": "bigint"},
                                           {"name": "_col2", "type": body["columns"][2]["type"]}])
        self.assertTrue(body["columns"][2]["type"].startswith("timestamp"))
        self.assertEqual(body["rows"][0][:2], ["02", EVENTS - EVENTS // 2])
        self.assertRegex(body["rows"][0][2], r"^2026-01-\d\d \d\d:\d\d:\d\d(\.\d{6})?$")
        stats = body["stats"]
        self.assertEqual(stats["files_read"], 1)
        self.assertEqual(stats["files_pruned"], 1)
        self.assertEqual(stats["partitions_pruned"], 1)
        self.assertEqual(stats["rows_scanned"], EVENTS - EVENTS // 2)
        self.assertGreater(stats["bytes_scanned"], 0)

    def test_errors_exit_1_with_one_line_naming_the_position(self):
        out = self.sql("-c", "SELECT nope FROM raw.events")
        self.assertEqual(out.returncode, 1)
        self.assertEqual(out.stderr.strip(),
                         "tarn sql: bind error: line 1, column 8: Column 'nope' cannot be resolved")
        out = self.sql("-c", "SELECT count(* FROM raw.events")
        self.assertEqual(out.returncode, 1)
        self.assertIn("parse error: line 1, column", out.stderr)
        out = self.sql("-c", "SELECT 1 FROM raw.nothing")
        self.assertEqual(out.returncode, 1)
        self.assertIn("catalog error: line 1, column 15: Table 'raw.nothing' does not exist",
                      out.stderr)
        out = self.sql("-c", "SELECT 1", "--format", "xml")
        self.assertEqual(out.returncode, 2)

    def test_scripts_from_a_file_and_stdin_stop_at_the_first_error(self):
        script = os.path.join(self.data, "script.sql")
        with open(script, "w") as f:
            f.write("SELECT 1 AS a;\n-- a comment; with a semicolon\nSELECT 'x;y' AS b;\n"
                    "SELECT broken FROM raw.events;\nSELECT 3 AS c;\n")
        out = self.sql("-f", script, "--format", "csv")
        self.assertEqual(out.returncode, 1)
        self.assertEqual(out.stdout, "a\n1\nb\nx;y\n")
        self.assertIn("Column 'broken' cannot be resolved", out.stderr)
        out = self.sql("--format", "csv", stdin="SELECT count(*) AS n FROM raw.events;")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, "n\n%d\n" % EVENTS)

    def test_repl_takes_multi_line_statements_and_reports_statistics(self):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["HOME"] = self.data  # the history file goes here
            os.execv(TARN_BIN, [TARN_BIN, "sql", "--data", self.data])
        transcript = b""

        def read_until(marker, timeout=30):
            nonlocal transcript
            deadline = time.monotonic() + timeout
            while marker not in transcript:
                left = deadline - time.monotonic()
                self.assertGreater(left, 0, "no %r in %r" % (marker, transcript))
                ready, _, _ = select.select([fd], [], [], left)
                if ready:
                    try:
                        transcript += os.read(fd, 4096)
                    except OSError:
                        break
            return transcript

        try:
            read_until(b"tarn> ")
            os.write(fd, b"SELECT count(*) AS n\r")
            read_until(b"-> ")
            os.write(fd, b"FROM raw.events;\r")
            out = read_until(b"rows in")
            self.assertIn(b" %d" % EVENTS, out)
            self.assertRegex(out.decode(errors="replace"), r"1 rows in [\d.]+ ms; scanned")
            os.write(fd, b"\\q\r")
            _, status = os.waitpid(pid, 0)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        finally:
            os.close(fd)
        with open(os.path.join(self.data, ".tarn_sql_history")) as f:
            self.assertIn("raw.events;", f.read())  # libedit escapes spaces as \\040


class SqlServerTest(unittest.TestCase):
    def setUp(self):
        self.server = TarnProcess.server()
        self.addCleanup(self.server.cleanup)
        folder = os.path.join(self.server.data_dir, "lake", "raw", "t")
        os.makedirs(folder)
        with open(os.path.join(folder, "a.json"), "w") as f:
            f.write('{"k": "a", "v": 1}\n{"k": "b", "v": 2}\n{"k": "a", "v": null}\n')
        self.assertTrue(self.start_crawler(), "the crawl did not register raw.t")

    def start_crawler(self):
        # A crawler of the server's own (the CLI cannot crawl a data dir a server holds).
        env = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x",
                   AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/nonexistent",
                   AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_PAGER="")
        url = self.server.endpoint
        lake = "file://" + os.path.abspath(self.server.data_dir) + "/lake/raw/"
        glue = ["/usr/bin/aws", "glue", "--endpoint-url", url]
        targets = json.dumps({"S3Targets": [{"Path": lake}]})
        for args in (["create-crawler", "--name", "sqltest", "--role", "r", "--database-name",
                      "raw", "--targets", targets], ["start-crawler", "--name", "sqltest"]):
            out = subprocess.run(glue + args, env=env, capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.query_ok():
                return True
            time.sleep(0.05)
        return False

    def query_ok(self):
        try:
            self.post({"sql": "SELECT count(*) FROM raw.t"})
            return True
        except urllib.error.HTTPError:
            return False

    def post(self, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.server.endpoint + "/api/v1/query", data=data,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def post_error(self, body):
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            self.post(body)
        return ctx.exception.code, json.loads(ctx.exception.read())

    def test_query_api_answers_rows_types_and_errors(self):
        body = self.post({"sql": "SELECT k, sum(v) AS s FROM raw.t GROUP BY k ORDER BY k"})
        self.assertEqual(body["columns"], [{"name": "k", "type": "varchar"},
                                           {"name": "s", "type": "bigint"}])
        self.assertEqual(body["rows"], [["a", 1], ["b", 2]])
        self.assertEqual(body["stats"]["files_read"], 1)
        code, err = self.post_error({"sql": "SELECT x FROM raw.t"})
        self.assertEqual((code, err["error"]), (400, "bind"))
        self.assertIn("line 1, column 8", err["message"])
        code, err = self.post_error({"sql": "SELECT 1 FROM raw.nope"})
        self.assertEqual((code, err["error"]), (404, "catalog"))
        code, err = self.post_error(b"not json")
        self.assertEqual((code, err["error"]), (400, "invalid_request"))
        code, err = self.post_error({"sql": "SELECT 1", "format": "xml"})
        self.assertEqual(code, 400)
        body = self.post({"sql": "SELECT k FROM raw.t WHERE v IS NULL", "format": "csv"})
        self.assertEqual(body["text"], "k\na\n")
        self.assertIn("rows in", body["stats_line"])

    def test_cli_uses_the_server_by_endpoint_or_by_data_dir(self):
        for args in (["--endpoint", self.server.endpoint], ["--data", self.server.data_dir]):
            out = run_tarn("sql", *args, "-c", "SELECT count(*) AS n, count(v) FROM raw.t",
                           "--format", "csv")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout, "n,_col1\n3,2\n")
            out = run_tarn("sql", *args, "-c", "SELECT nope FROM raw.t")
            self.assertEqual(out.returncode, 1)
            self.assertIn("bind error: line 1, column 8: Column 'nope' cannot be resolved",
                          out.stderr)
        self.assertTrue(self.server.events("query.done"))


if __name__ == "__main__":
    unittest.main()
