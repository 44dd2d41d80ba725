#!/usr/bin/env python3
"""Runs SQL text in a real engine and writes the result rows as JSON lines.

  engines.py duckdb QUERY.sql:OUT.jsonl …
  engines.py spark  QUERY.sql:OUT.jsonl …
  engines.py athena QUERY.sql:OUT.jsonl … --table NAME [--date-partition COL] --files F…

Issue 15's checks: `tally usage --emit-sql DIALECT` writes a query, this runs
it where it is meant to run, and the rows it returns are priced by
`tally usage --aggregates`. Run it with the engines venv's Python
(Scripts/lib/setup.sh: tally_ensure_engines, $TALLY_ENGINES_PYTHON).

Each OUT.jsonl gets one JSON object a line per result row of its query, keys
in the result's column order: SQL NULL is null, integers are JSON integers
(of any size: DuckDB's SUM of BIGINT is a HUGEINT), DECIMALs are JSON numbers
written exactly, strings are strings, anything else its text.

duckdb   The query runs in one in-memory DuckDB (the Python module) per query
         file; a file may hold several `;`-separated statements, and the last
         one's rows are the result.
spark    One local SparkSession (local[2], UI off, 2 shuffle partitions, the
         in-memory catalog so no metastore_db/ is left behind, UTC session
         time zone, log level ERROR) for all the query files given, so Spark's
         start-up is paid once. A file may hold several `;`-separated
         statements (CREATE TEMPORARY VIEW …; SELECT …): they run in order and
         the last one's rows are the result. Temporary views live on into the
         next file.
athena   The query is Trino SQL over a table NAME with one VARCHAR column
         `line`. It is transpiled by sqlglot (read "trino", write "duckdb") and
         run in DuckDB over a table NAME (SCHEMA.NAME for "db"."logs") made
         from --files: one row per line of each file, lines split at \n only
         (a trailing \r cut), every line kept (empty ones as ''), invalid
         UTF-8 replaced, gzip by the `.gz` extension, a CloudWatch Logs
         export's lines as they are. With
         --date-partition COL the table has a second VARCHAR column COL,
         'YYYY/MM/DD' from the file's S3 path (…/REGION/YYYY/MM/DD/HH/FILE),
         NULL when the path has none, as Athena's partition column would be.

Errors (a file that can't be read, a query an engine refuses) are one line
on standard error and exit status 2.
"""
import argparse
import datetime
import decimal
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


# ---------------------------------------------------------------- output

def json_value(value):
    """A result value as JSON text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return json.dumps(str(value))
        text = format(value, "f")
        return text
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else json.dumps(str(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (bytes, bytearray)):
        return json.dumps(bytes(value).decode("utf-8", "replace"), ensure_ascii=False)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)


def write_rows(path, columns, rows):
    """One JSON object a line, the columns in order (a repeated name is written twice, as returned)."""
    keys = [json.dumps(c, ensure_ascii=False) for c in columns]
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write("{" + ",".join(f"{k}:{json_value(v)}" for k, v in zip(keys, row)) + "}\n")


# ---------------------------------------------------------------- input

def read_query(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")


def split_statements(sql):
    """`;`-separated statements, a `;` inside quotes or a comment not counting.
    Quotes: '…' (with backslash escapes and '' as in Spark), "…", `…`."""
    statements, current, i, n = [], [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == "\\" and c != "`":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            current.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            current.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            current.append(sql[i:j])
            i = j
        elif c == ";":
            statements.append("".join(current))
            current = []
            i += 1
        else:
            current.append(c)
            i += 1
    statements.append("".join(current))
    return [s for s in statements if strip_comments(s).strip()]


def strip_comments(sql):
    return re.sub(r"--[^\n]*|/\*.*?\*/", "", sql, flags=re.S)


def pairs(specs):
    out = []
    for spec in specs:
        query, sep, result = spec.rpartition(":")
        if not sep or not query or not result:
            fail(f"expected QUERY.sql:OUT.jsonl, got {spec!r}")
        out.append((query, result))
    return out


# ---------------------------------------------------------------- engines

def run_duckdb(jobs, prepare=None, transform=None):
    import duckdb
    for query_path, out_path in jobs:
        sql = read_query(query_path)
        if transform:
            sql = transform(sql, query_path)
        con = duckdb.connect()
        try:
            if prepare:
                prepare(con)
            statements = split_statements(sql)
            if not statements:
                fail(f"{query_path}: no statement")
            result = None
            for statement in statements:
                result = con.execute(statement)
            columns = [d[0] for d in result.description or []]
            write_rows(out_path, columns, result.fetchall())
        except duckdb.Error as e:
            fail(f"{query_path}: duckdb: {first_line(e)}")
        finally:
            con.close()


LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def spark_session(scratch):
    """A quiet local session; the JVM's own start-up messages are kept off by a log4j2 file."""
    log4j = os.path.join(scratch, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write(LOG4J)
    java_options = f"-Dlog4j2.configurationFile=file:{log4j} -Dderby.system.home={scratch}"
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("tally-engines")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.default.parallelism", "2")
             .config("spark.sql.catalogImplementation", "in-memory")
             .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
             .config("spark.local.dir", os.path.join(scratch, "local"))
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.extraJavaOptions", java_options)
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    # PySpark logs each failed query's whole plan and stack as JSON on stderr; the error is reported once, below.
    import logging
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    return spark


def run_spark(jobs):
    # Read every query first: a missing file fails before Spark starts.
    texts = [(q, o, read_query(q)) for q, o in jobs]
    scratch = tempfile.mkdtemp(prefix="tally-spark-")
    try:
        started = time.monotonic()
        try:
            spark = spark_session(scratch)
        except Exception as e:  # no java, a port refused, …
            fail(f"spark: the session did not start: {first_line(e)}")
        if os.environ.get("TALLY_ENGINES_TIMING"):
            print(f"engines: spark session started in {time.monotonic() - started:.1f} s", file=sys.stderr)
        try:
            from pyspark.errors import PySparkException
        except ImportError:  # pragma: no cover
            PySparkException = Exception
        for query_path, out_path, sql in texts:
            statements = split_statements(sql)
            if not statements:
                fail(f"{query_path}: no statement")
            started = time.monotonic()
            try:
                frame = None
                for statement in statements:
                    frame = spark.sql(statement)
                columns = frame.columns
                rows = [tuple(r) for r in frame.collect()]
            except (PySparkException, Exception) as e:  # Py4J errors are not PySparkExceptions
                fail(f"{query_path}: spark: {first_line(e)}")
            write_rows(out_path, columns, rows)
            if os.environ.get("TALLY_ENGINES_TIMING"):
                print(f"engines: {query_path} ran in {time.monotonic() - started:.1f} s", file=sys.stderr)
        spark.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


DATE_IN_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/\d{2}/[^/]+$")


def date_partition(path):
    """'YYYY/MM/DD' of an S3 key …/REGION/YYYY/MM/DD/HH/FILE, else None."""
    m = DATE_IN_PATH.search(path.replace(os.sep, "/"))
    return "/".join(m.groups()) if m else None


def sql_string(text):
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name):
    return '"' + name.replace('"', '""') + '"'


def file_lines(path):
    """Every line of a file (gzip by its `.gz` extension), split at \\n only, one
    trailing \\r cut, decoded as UTF-8 with invalid bytes replaced; a last
    line without its newline kept, an empty file no line."""
    import gzip
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (OSError, EOFError) as e:
        fail(f"{path}: {getattr(e, 'strerror', None) or e}")
    if not data:
        return []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [(l[:-1] if l.endswith(b"\r") else l).decode("utf-8", "replace") for l in lines]


def athena_table(con, table, files, partition, scratch):
    """NAME(line, "$path" [, COL]) from the files, one row per line ('' for an empty one).
    The lines go through a JSON-lines file of our own, so no CSV rule of
    DuckDB's can cut, merge or drop one (its read_csv splits at a lone \\r and
    adds an empty row after each \\r\\n)."""
    staged = os.path.join(scratch, "lines.jsonl")
    with open(staged, "w", encoding="utf-8") as out:
        for path in files:
            day = date_partition(os.path.abspath(path)) if partition else None
            for line in file_lines(path):
                out.write(json.dumps({"line": line, "part": day, "path": path}, ensure_ascii=False))
                out.write("\n")
    if "." in table:
        # "db.logs" as in Athena's "db"."logs": a schema of that name.
        schema, table = table.split(".", 1)
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {sql_identifier(schema)}")
        table = f"{sql_identifier(schema)}.{sql_identifier(table)}"
    else:
        table = sql_identifier(table)
    # Athena's hidden column: the object each row came from.
    columns = 'line, path AS "$path"'
    if partition:
        columns += f", part AS {sql_identifier(partition)}"
    con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM read_json({sql_string(staged)}, "
                f"format = 'newline_delimited', columns = {{'line': 'VARCHAR', 'part': 'VARCHAR', 'path': 'VARCHAR'}}, "
                f"maximum_object_size = 1073741824)")


def transpile_trino(sql, path):
    import sqlglot
    from sqlglot.errors import SqlglotError
    try:
        statements = sqlglot.transpile(sql, read="trino", write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except SqlglotError as e:
        fail(f"{path}: sqlglot: {first_line(e)}")
    return ";\n".join(statements)


def first_line(error):
    java = getattr(error, "java_exception", None)  # a Py4JJavaError: the JVM's own message
    if java is not None:
        try:
            text = f"{java.getClass().getName()}: {java.getMessage()}"
        except Exception:
            text = str(error)
    else:
        text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=["duckdb", "spark", "athena"])
    parser.add_argument("jobs", nargs="+", metavar="QUERY.sql:OUT.jsonl")
    parser.add_argument("--table", help="athena: the table the query reads")
    parser.add_argument("--date-partition", metavar="COL", help="athena: the table's date partition column")
    parser.add_argument("--files", nargs="+", default=[], help="athena: the log files of the table")
    parser.add_argument("--print-sql", action="store_true", help="athena: print the transpiled query on stderr")
    args = parser.parse_args(argv)
    try:
        jobs = pairs(args.jobs)
        if args.engine == "duckdb":
            if args.table or args.files or args.date_partition:
                fail("--table, --files and --date-partition are for athena")
            run_duckdb(jobs)
        elif args.engine == "spark":
            if args.table or args.files or args.date_partition:
                fail("--table, --files and --date-partition are for athena")
            run_spark(jobs)
        else:
            if not args.table or not args.files:
                fail("athena needs --table NAME and --files F…")

            def transform(sql, path):
                out = transpile_trino(sql, path)
                if args.print_sql:
                    print(out, file=sys.stderr)
                return out
            scratch = tempfile.mkdtemp(prefix="tally-athena-")
            try:
                run_duckdb(jobs, prepare=lambda con: athena_table(con, args.table, args.files, args.date_partition,
                                                                  scratch),
                           transform=transform)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    except Failure as e:
        print(f"engines.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"engines.py: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except ImportError as e:
        print(f"engines.py: {e} (run with the engines venv's python: Scripts/lib/setup.sh tally_ensure_engines)",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
