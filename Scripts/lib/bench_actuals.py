#!/usr/bin/env python3
"""The actuals section of Scripts/bench: DuckDB over the same log files as `tally usage`.

  bench_actuals.py duckdb SETDIR [--runs N]       best-of-N seconds and token sums, as JSON
  bench_actuals.py sums-of-tally TALLY.json       the same sums from `tally usage --format json`
  bench_actuals.py sums-of-oracle ORACLE.json     the same sums from Scripts/lib/usage_oracle.py
  bench_actuals.py compare A.json B.json          exit 1, naming each difference, unless equal

The sums are the tokens (input, cache read, cache write, output) and records of
every call that did not fail, by region; DuckDB also groups by model id first,
as the query a team would write, and they are folded to regions here because
Tally's groups name catalog models, not ids. SETDIR is a genlogs.py output:
its manifest lists the log files, and DuckDB reads exactly those.
"""
import json
import os
import sys
import time

TOKEN_KEYS = ("input", "cache_read", "cache_write", "output")

QUERY = """
SELECT modelId, region, count(*) AS records,
       sum(coalesce(input.inputTokenCount, 0)) AS input,
       sum(coalesce(input.cacheReadInputTokenCount, 0)) AS cache_read,
       sum(coalesce(input.cacheWriteInputTokenCount, 0)) AS cache_write,
       sum(coalesce(output.outputTokenCount, 0)) AS output
FROM read_json($files, format = 'newline_delimited', ignore_errors = true, compression = 'auto_detect',
               columns = {modelId: 'VARCHAR', region: 'VARCHAR', errorCode: 'VARCHAR',
                          input: 'STRUCT(inputTokenCount BIGINT, cacheReadInputTokenCount BIGINT, cacheWriteInputTokenCount BIGINT)',
                          output: 'STRUCT(outputTokenCount BIGINT)'})
WHERE errorCode IS NULL AND modelId IS NOT NULL
GROUP BY modelId, region
"""


def fold(rows):
    """[(region, records, {tokens})] → {region: {"records": N, tokens…}}."""
    out = {}
    for region, records, tokens in rows:
        cell = out.setdefault(region or "(none)", dict.fromkeys(("records",) + TOKEN_KEYS, 0))
        cell["records"] += records
        for k in TOKEN_KEYS:
            cell[k] += tokens[k]
    return out


def duckdb_run(setdir, runs):
    import duckdb
    manifest = json.load(open(os.path.join(setdir, "manifest.json")))
    files = [os.path.join(setdir, "logs", f) for f in manifest["files"]]
    size = sum(os.path.getsize(f) for f in files)
    best, rows = None, None
    for _ in range(runs):
        con = duckdb.connect()
        start = time.perf_counter()
        rows = con.execute(QUERY, {"files": files}).fetchall()
        elapsed = time.perf_counter() - start
        con.close()
        best = elapsed if best is None else min(best, elapsed)
    sums = fold((r[1], r[2], dict(zip(TOKEN_KEYS, r[3:]))) for r in rows)
    json.dump({"duckdb": duckdb.__version__, "seconds": best, "file_bytes": size,
               "uncompressed_bytes": manifest["uncompressed_bytes"], "lines": manifest["records"] + len(manifest["malformed"]),
               "model_ids": len(rows), "sums": sums}, sys.stdout)
    print()


def tally_sums(path):
    usage = json.load(open(path))
    rows = [(g["key"].get("region"), g["records"], g["tokens"]) for g in usage["groups"]]
    rows += [(u.get("region"), u["records"], u["tokens"]) for u in usage.get("unpriced", [])]
    json.dump({"sums": fold(rows)}, sys.stdout)
    print()


def oracle_sums(path):
    oracle = json.load(open(path))
    # `served` has no record counts: those come from the groups and classes, so only tokens are compared here.
    rows = [(s["region"], 0, s["tokens"]) for s in oracle["served"]]
    json.dump({"sums": fold(rows), "tokens_only": True}, sys.stdout)
    print()


def compare(a_path, b_path):
    a, b = json.load(open(a_path)), json.load(open(b_path))
    keys = TOKEN_KEYS if a.get("tokens_only") or b.get("tokens_only") else ("records",) + TOKEN_KEYS
    problems = []
    for region in sorted(set(a["sums"]) | set(b["sums"])):
        x, y = a["sums"].get(region), b["sums"].get(region)
        if x is None or y is None:
            problems.append(f"{region}: only in {'the second' if x is None else 'the first'}")
            continue
        problems += [f"{region} {k}: {x[k]} against {y[k]}" for k in keys if x[k] != y[k]]
    for p in problems:
        print("MISMATCH " + p)
    sys.exit(1 if problems else 0)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "duckdb":
        runs = int(args[2]) if len(args) == 3 and args[1] == "--runs" else 1
        duckdb_run(args[0], runs)
    elif command == "sums-of-tally":
        tally_sums(args[0])
    elif command == "sums-of-oracle":
        oracle_sums(args[0])
    elif command == "compare" and len(args) == 2:
        compare(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
