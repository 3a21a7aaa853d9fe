#!/usr/bin/python3
"""sqllogictest-style runner for tarn's SQL engine: runs tests/sql/*.test against `tarn sql`.

Usage: TARN_BIN=build/release/tarn /usr/bin/python3 tests/sql/run_tests.py [-j N] FILE_OR_DIR...

Every .test file gets a fresh data directory (a tempdir, removed at the end). Its records are
separated by blank lines; lines starting with '#' between records are comments.

  table <db>.<name> <json|csv|parquet> [partitioned by (k1, k2)] [schema "a bigint, b varchar"]
  {"a": 1, "b": "x", "k1": "2024-01-01", "k2": 7}
  ...
      A fixture (tarn has no CREATE TABLE yet). The NDJSON rows are written as ONE new file per
      partition under DIR/lake/<db>/<name>/[k1=v1/k2=v2/]part-<N>.<ext>; the partition keys are
      taken out of each row. json writes the lines as NDJSON (.json); csv and parquet write a
      temporary NDJSON file and run `tarn convert [--schema FILE]` on it, so with `schema` the
      Parquet column types are exact. Several `table` records for one table add files (schema
      evolution: a later file may lack or add columns). Before the first statement after
      fixture changes the runner runs `tarn crawl --data DIR` once.

  statement ok
  SQL...
      The statement must succeed (exit 0). SQL runs until the blank line.

  statement error [REGEX]
  SQL...
      The statement must fail: exit status 1 and a stderr line `error: <message>` (a prefix
      before `error: `, as in tarn's `tarn sql: bind error: ...`, is tolerated); REGEX (Python
      re.search, case-insensitive) must match the message.

  query <TYPES> [nosort|rowsort|valuesort|match]
  SQL...
  ----
  expected rows, one per line, values separated by tabs
      TYPES has one letter per column: I integer (exact), R real/double/decimal (1e-9 relative
      tolerance, or 1e-12 absolute near zero), T text, B boolean ('true'/'false'), D date or
      timestamp (text), any other letter compares as text. NULL is `NULL`, the empty string
      `(empty)`. rowsort sorts the rows of both sides as text, valuesort every value; nosort
      (default) keeps the engine's order -- use it only with an ORDER BY that fixes the order.
      `match` (for EXPLAIN and other loose output): each expected line is a regex that must
      match (re.search, case-insensitive) the engine's rows joined by newlines, values by tabs.
      Arrays and rows render as compact JSON (`[1,2]`, `{"x":1}`).

  mode skip / mode unskip
      Records between them are parsed but not run (counted as skipped). Put a comment saying why.

  require tarn-sql-<feature>
      Skips the rest of the file; for features the engine does not have yet. Say why.

How the crawler types what the fixtures write (from `tarn catalog describe`, tarn of 2026-11):
  JSON (and CSV, by the text of its fields)
    integer numbers -> bigint; numbers with a fraction, or ints mixed with fractions -> double;
    "YYYY-MM-DD" -> date; "YYYY-MM-DD HH:MM:SS[.f]" and ISO 8601 with T/Z -> timestamp;
    true/false -> boolean; objects -> struct<...> (nested); arrays -> array<elem>;
    a key that is null in every row -> string; mixed kinds (1 and "s") -> string; anything
    else -> string. The crawler says `string` where Trino says varchar.
  Parquet: the types the file declares, i.e. the `schema` of the fixture: bigint, int,
    smallint, tinyint, float (= real), double, decimal(p,s), string, date, timestamp,
    boolean, struct<...>, array<...>.
  Partition keys (k=v folders) are ALWAYS `string` (varchar), whatever their values look like:
    compare them with '...' literals or CAST them.
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

SORT_MODES = ('nosort', 'rowsort', 'valuesort', 'match')
FORMAT_EXT = {'json': 'json', 'csv': 'csv', 'parquet': 'parquet'}
TABLE_RE = re.compile(
    r'^table\s+(?P<db>\w+)\.(?P<name>\w+)\s+(?P<fmt>json|csv|parquet)'
    r'(?:\s+partitioned\s+by\s*\((?P<keys>[^)]*)\))?'
    r'(?:\s+schema\s+"(?P<schema>[^"]*)")?\s*$', re.IGNORECASE)


class TestFileError(Exception):
    """A malformed .test file: reported like a failure, at its line."""


@dataclass
class Record:
    kind: str            # 'table', 'statement', 'query', 'skip', 'unskip', 'require'
    line: int            # 1-based line of the directive
    sql: str = ''
    expect_error: bool = False
    error_regex: str = ''
    types: str = ''
    sort: str = 'nosort'
    expected: list = field(default_factory=list)   # query: lines; table: NDJSON lines
    table: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Parsing

def split_blocks(text):
    """Yields (first_line_number, [lines]) for each blank-line separated block, minus comments
    that precede a block's directive."""
    block, start = [], 0
    for number, line in enumerate(text.split('\n'), 1):
        if line.strip() == '':
            if block:
                yield start, block
            block = []
            continue
        if not block and line.lstrip().startswith('#'):
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, block


def parse_record(start, lines):
    head = lines[0].strip()
    words = head.split()
    if words[0] == 'table':
        m = TABLE_RE.match(head)
        if not m:
            raise TestFileError(f'line {start}: bad table directive: {head}')
        keys = [k.strip() for k in (m['keys'] or '').split(',') if k.strip()]
        fmt = m['fmt'].lower()
        if m['schema'] and fmt == 'json':
            raise TestFileError(f'line {start}: `schema` needs csv or parquet (json is crawled)')
        return Record('table', start, expected=lines[1:], table={
            'db': m['db'], 'name': m['name'], 'format': fmt, 'keys': keys,
            'schema': m['schema']})
    if words[0] == 'statement':
        if len(words) < 2 or words[1] not in ('ok', 'error'):
            raise TestFileError(f'line {start}: expected `statement ok` or `statement error`')
        regex = head.split(None, 2)[2] if len(words) > 2 else ''
        return Record('statement', start, sql='\n'.join(lines[1:]),
                      expect_error=words[1] == 'error', error_regex=regex)
    if words[0] == 'query':
        if len(words) < 2:
            raise TestFileError(f'line {start}: `query` needs the column types')
        sort = words[2] if len(words) > 2 else 'nosort'
        if sort not in SORT_MODES:
            raise TestFileError(f'line {start}: unknown sort mode {sort}')
        if '----' not in lines:
            raise TestFileError(f'line {start}: query without ----')
        sep = lines.index('----')
        return Record('query', start, sql='\n'.join(lines[1:sep]), types=words[1], sort=sort,
                      expected=lines[sep + 1:])
    if head == 'mode skip':
        return Record('skip', start)
    if head == 'mode unskip':
        return Record('unskip', start)
    if words[0] == 'require':
        return Record('require', start, sql=head)
    raise TestFileError(f'line {start}: unknown directive: {head}')


def parse_file(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    records = []
    for start, lines in split_blocks(text):
        records.append(parse_record(start, lines))
    return records


# ---------------------------------------------------------------------------------------------
# Fixtures

class Lake:
    """The data dir of one .test file: writes fixture files, crawls when they changed."""

    def __init__(self, tarn, data_dir):
        self.tarn = tarn
        self.data_dir = data_dir
        self.parts = {}       # table -> next part number
        self.dirty = False

    def add(self, record):
        spec = record.table
        rows = []
        for offset, line in enumerate(record.expected, 1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise TestFileError(f'line {record.line + offset}: bad fixture row: {e}')
            if not isinstance(row, dict):
                raise TestFileError(f'line {record.line + offset}: a fixture row is an object')
            rows.append(row)
        groups = {}
        for row in rows:
            values = tuple(partition_value(row.pop(k, None)) for k in spec['keys'])
            groups.setdefault(values, []).append(row)
        if not groups:
            raise TestFileError(f'line {record.line}: a table fixture needs rows')
        table_dir = os.path.join(self.data_dir, 'lake', spec['db'], spec['name'])
        for values, group in groups.items():
            folder = os.path.join(table_dir, *[f'{k}={v}' for k, v in zip(spec['keys'], values)])
            os.makedirs(folder, exist_ok=True)
            number = self.parts.get((spec['db'], spec['name']), 0)
            self.parts[(spec['db'], spec['name'])] = number + 1
            target = os.path.join(folder, f'part-{number}.{FORMAT_EXT[spec["format"]]}')
            self.write(target, group, spec)
        self.dirty = True

    def write(self, target, rows, spec):
        ndjson = ''.join(json.dumps(r) + '\n' for r in rows)
        if spec['format'] == 'json':
            with open(target, 'w', encoding='utf-8') as f:
                f.write(ndjson)
            return
        # csv/parquet: tarn convert from a temporary NDJSON file (outside the lake, so the
        # crawler never sees it).
        tmp = os.path.join(self.data_dir, 'fixture.ndjson')
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(ndjson)
        args = [self.tarn, 'convert']
        if spec['schema']:
            schema_file = os.path.join(self.data_dir, 'fixture.schema')
            with open(schema_file, 'w', encoding='utf-8') as f:
                f.write(spec['schema'] + '\n')
            args += ['--schema', schema_file]
        run = subprocess.run(args + [tmp, target], capture_output=True, text=True)
        if run.returncode != 0:
            raise TestFileError(f'tarn convert failed for {target}: {run.stderr.strip()}')

    def crawl_if_needed(self):
        if not self.dirty:
            return
        run = subprocess.run([self.tarn, 'crawl', '--data', self.data_dir],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise TestFileError(f'tarn crawl failed: {run.stderr.strip()}')
        self.dirty = False


def partition_value(v):
    if v is None:
        raise TestFileError('a fixture row lacks a partition key')
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


# ---------------------------------------------------------------------------------------------
# Running SQL and comparing

@dataclass
class Outcome:
    ok: bool
    error: str = ''                      # the message after `error: `
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    raw: str = ''


class RawNumber(str):
    """A JSON number kept as its text, so decimals keep their scale and bigints their digits."""


def run_sql(tarn, data_dir, sql):
    run = subprocess.run([tarn, 'sql', '--data', data_dir, '-c', sql, '--format', 'json'],
                         capture_output=True, text=True)
    if run.returncode != 0:
        # The message: what follows `error: ` (the contract's line is `error: <message>`;
        # a prefix such as `tarn sql: bind error: ` is tolerated), else all of stderr.
        lines = [l for l in run.stderr.splitlines() if 'error: ' in l]
        message = lines[-1].split('error: ', 1)[1] if lines else run.stderr.strip()
        return Outcome(False, error=message, raw=f'exit {run.returncode}: {run.stderr.strip()}')
    try:
        answer = json.loads(run.stdout, parse_int=RawNumber, parse_float=RawNumber)
        return Outcome(True, columns=answer['columns'], rows=answer['rows'], raw=run.stdout)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        return Outcome(False, error=f'unreadable output ({e})', raw=run.stdout[:2000])


def render(value):
    """One value as the expected-rows text has it."""
    if value is None:
        return 'NULL'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, RawNumber):
        return str(value)
    if isinstance(value, str):
        return '(empty)' if value == '' else value
    return nested_json(value)


def nested_json(value):
    """Compact JSON of an array or row, numbers as the engine printed them."""
    if isinstance(value, RawNumber):
        return str(value)
    if isinstance(value, list):
        return '[' + ','.join(nested_json(v) for v in value) + ']'
    if isinstance(value, dict):
        return '{' + ','.join(json.dumps(k) + ':' + nested_json(v) for k, v in value.items()) + '}'
    return json.dumps(value)


def to_float(text):
    special = {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf,
               'nan': math.nan, 'inf': math.inf, '-inf': -math.inf}
    return special[text] if text in special else float(text)


def same_value(kind, want, got):
    if want == got:
        return True
    if want == 'NULL' or got == 'NULL':
        return False
    if kind == 'I':
        try:
            return int(want) == int(got)
        except ValueError:
            return False
    if kind == 'R':
        try:
            a, b = to_float(want), to_float(got)
        except ValueError:
            return False
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= max(1e-9 * max(abs(a), abs(b)), 1e-12)
    if kind == 'D':
        # Timestamps: a zero fraction may be left out ("10:00:00" == "10:00:00.000000").
        return re.sub(r'\.0+$', '', want) == re.sub(r'\.0+$', '', got)
    return False


def check_query(record, outcome):
    """None when the outcome is what the record expects, else the reason."""
    if not outcome.ok:
        return f'query failed: {outcome.error}\n  ({outcome.raw})'
    got = [[render(v) for v in row] for row in outcome.rows]
    if record.sort == 'match':
        text = '\n'.join('\t'.join(r) for r in got)
        missing = [p for p in record.expected if not re.search(p, text, re.IGNORECASE)]
        return None if not missing else f'no match for {missing!r} in:\n{indent(text)}'
    if len(outcome.columns) != len(record.types):
        return (f'{len(outcome.columns)} columns {[c.get("name") for c in outcome.columns]}, '
                f'the record declares {len(record.types)} ({record.types})')
    want = [line.split('\t') for line in record.expected]
    if record.sort == 'rowsort':
        got, want = sorted(got), sorted(want)
    elif record.sort == 'valuesort':
        got = [[v] for v in sorted(v for r in got for v in r)]
        want = [[v] for v in sorted(v for r in want for v in r)]
    kinds = record.types if record.sort != 'valuesort' else 'T'
    for i, (w, g) in enumerate(zip(want, got)):
        row_ok = len(w) == len(g) and all(
            same_value(kinds[j] if j < len(kinds) else 'T', w[j], g[j]) for j in range(len(w)))
        if not row_ok:
            return f'row {i + 1} differs\n{diff_text(want, got)}'
    if len(want) != len(got):
        return f'{len(want)} rows expected, {len(got)} returned\n{diff_text(want, got)}'
    return None


def check_statement(record, outcome):
    if not record.expect_error:
        return None if outcome.ok else f'statement failed: {outcome.error}\n  ({outcome.raw})'
    if outcome.ok:
        return f'statement succeeded, an error was expected ({record.error_regex or "any"})'
    if not outcome.raw.startswith('exit 1:'):
        return f'expected exit status 1 and `error: ...`, got {outcome.raw}'
    if record.error_regex and not re.search(record.error_regex, outcome.error, re.IGNORECASE):
        return f'error message does not match /{record.error_regex}/: {outcome.error}'
    return None


def indent(text):
    return '\n'.join('    ' + l for l in text.split('\n'))


def diff_text(want, got, limit=20):
    def show(rows):
        return indent('\n'.join('\t'.join(r) for r in rows[:limit]) +
                      (f'\n... {len(rows) - limit} more' if len(rows) > limit else '')) \
            if rows else '    (no rows)'
    return f'  expected:\n{show(want)}\n  actual:\n{show(got)}'


# ---------------------------------------------------------------------------------------------
# Files

@dataclass
class FileResult:
    path: str
    records: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)


def run_file(tarn, path):
    result = FileResult(path)
    try:
        records = parse_file(path)
    except (TestFileError, OSError) as e:
        result.failures.append(f'{path}: {e}')
        return result
    data_dir = tempfile.mkdtemp(prefix='tarn-sqltest-')
    try:
        lake = Lake(tarn, data_dir)
        skipping = False
        for record in records:
            if record.kind == 'skip':
                skipping = True
                continue
            if record.kind == 'unskip':
                skipping = False
                continue
            if record.kind == 'require':
                result.skipped += sum(1 for r in records if r.line > record.line
                                      and r.kind in ('statement', 'query'))
                break
            if record.kind == 'table':
                lake.add(record)
                continue
            if skipping:
                result.skipped += 1
                continue
            result.records += 1
            lake.crawl_if_needed()
            outcome = run_sql(tarn, data_dir, record.sql)
            check = check_query if record.kind == 'query' else check_statement
            reason = check(record, outcome)
            if reason:
                result.failures.append(f'{path}:{record.line}: {reason}\n  SQL: {record.sql}')
    except TestFileError as e:
        result.failures.append(f'{path}: {e}')
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.test'))
        else:
            files.append(p)
    return files


def tarn_sql_available(tarn):
    """None when `tarn --help` lists the sql subcommand, else why not: one clear line instead
    of hundreds of failures that all mean the same. (`tarn sql --help` is no test: the CLI
    answers it with the top-level help when `sql` is unknown.)"""
    try:
        run = subprocess.run([tarn, '--help'], capture_output=True, text=True)
    except OSError as e:
        return f'tarn sql is not available: cannot run {tarn}: {e}'
    if not re.search(r'^\s+sql\s', run.stdout, re.MULTILINE):
        return f'tarn sql is not available: `{tarn} --help` lists no sql subcommand'
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('paths', nargs='+', help='.test files or directories of them')
    parser.add_argument('--tarn', default=os.environ.get('TARN_BIN'),
                        help='tarn binary (default: $TARN_BIN)')
    parser.add_argument('-j', '--jobs', type=int, default=2, help='files run in parallel')
    args = parser.parse_args()
    if not args.tarn:
        parser.error('set TARN_BIN or pass --tarn')
    problem = tarn_sql_available(args.tarn)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    started = time.monotonic()
    files = collect(args.paths)
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(lambda f: run_file(args.tarn, f), files))
    failures = [f for r in results for f in r.failures]
    for failure in failures:
        print(f'FAIL {failure}\n')
    for r in results:
        status = 'ok' if not r.failures else f'{len(r.failures)} FAILED'
        print(f'{os.path.basename(r.path):28} {r.records:4} records {r.skipped:3} skipped  {status}')
    print(f'{len(files)} files, {sum(r.records for r in results)} records, '
          f'{sum(r.skipped for r in results)} skipped, {len(failures)} failures, '
          f'{time.monotonic() - started:.1f} s')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
