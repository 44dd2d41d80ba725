#!/usr/bin/env python3
"""The table of Scripts/bench: rows gathered in a TSV file as the stages run, printed at the end.

  bench_report.py plan ROWS WORKLOADS TALLY-TIME.json PEER.json...      rows of the whole plan against the peers
  bench_report.py actuals ROWS FORM DUCKDB.json TALLY-TIME.json AGREE   rows of the actuals stage
  bench_report.py engines ROWS WORK SIZE...                              rows of the engines stage
  bench_report.py table ROWS TITLE MACHINE OUT.md                        the table: aligned text on
                                                                         standard output, Markdown to OUT.md
  bench_report.py readme TABLE.md README.md                              TABLE.md between README's bench markers

A row is `figure, measured, baseline / peer, ratio, target, verdict`, tab
separated; a line with a figure alone heads a section.
"""
import glob
import gzip
import json
import os
import sys

COLUMNS = ("figure", "measured", "baseline / peer", "ratio", "target", "verdict")


def add(rows, *cells):
    with open(rows, "a") as out:
        out.write("\t".join(str(c) for c in cells) + "\n")


def verdict(met):
    return "met" if met else "MISSED"


def hyperfine_mean(path):
    return json.load(open(path))["results"][0]["mean"]


PEER_CALLS = {"genai-prices": ("calc_price", 10, "≥ 10×"), "tokencost": ("calculate_cost_by_tokens", 1, "≥ 1× (ahead)"),
              "litellm": ("cost_per_token", None, "")}


def plan(rows, workloads, tally_time, *peer_paths):
    """Tally's whole plan, a process, against each peer's loop over the plan's requests in process."""
    tally_s = hyperfine_mean(tally_time)
    rate = int(workloads) / tally_s
    add(rows, f"`tally eval -f plan.tally total` on a plan of {int(workloads):,} workloads (lets, workloads, asserts), "
              "whole process: workloads per second",
        f"{rate:,.0f}/s ({tally_s:.3f} s)", "", "", "≥ 200,000/s", verdict(rate >= 200_000))
    for path in peer_paths:
        p = json.load(open(path))
        call, goal, target = PEER_CALLS[p["peer"]]
        missing = {}
        for label, cell in p["unpriced"].items():
            model = label.split(" with ")[0]
            missing[model] = missing.get(model, 0) + cell["requests"]
        unpriced = ", ".join(f"{m} {n:,}" for m, n in sorted(missing.items(), key=lambda kv: -kv[1]))
        ratio = rate / p["per_second"] if p["per_second"] else 0
        add(rows, f"the same plan against {p['peer']} {p['version']} `{call}` in a loop, in process, over the plan's "
                  f"requests: {p['priced']:,} of {p['requests']:,} priced" + (f" (not priced: {unpriced})" if unpriced else ""),
            f"tally {rate:,.0f} workloads/s", f"{p['per_second']:,.0f} requests/s", f"{ratio:.2f}× (tally / peer)",
            target, verdict(ratio >= goal) if goal else "")


def actuals(rows, form, duck_path, time_path, agree):
    duck = json.load(open(duck_path))
    timed = json.load(open(time_path))["results"][0]
    tally_s, tally_cpu = timed["mean"], timed["user"] + timed["system"]
    lines, raw, mb, duck_s = duck["lines"], duck["uncompressed_bytes"] / 1e6, duck["file_bytes"] / 1e6, duck["seconds"]
    ratio = duck_s / tally_s
    add(rows, f"{form}: `tally usage` (whole process) and DuckDB {duck['duckdb']} read_json (its query alone, in process), "
              f"tokens by model and region of {lines:,} records, {raw:.0f} MB of JSON in {mb:.0f} MB of files",
        f"{tally_s:.2f} s ({lines / tally_s:,.0f} records/s, {raw / tally_s:.0f} MB/s)",
        f"DuckDB {duck_s:.2f} s", f"{ratio:.2f}× (DuckDB / tally)", "≥ 1×", verdict(ratio >= 1))
    if form == "plain":
        add(rows, "plain: tally's MB of JSON per CPU second (user + system)", f"{raw / tally_cpu:.0f} MB", "", "",
            "≥ 300 on one core", verdict(raw / tally_cpu >= 300))
    add(rows, f"{form}: token sums and records by region, tally against DuckDB", "the same" if agree == "yes" else "DIFFERENT",
        "", "", "the same", verdict(agree == "yes"))


def engines(rows, work, sizes):
    def report(engine, n):
        r = json.load(open(f"{work}/engine-{engine}-{n}.json"))
        r.pop("malformed", None)
        r.pop("skipped", None)
        return r

    def seconds(engine, n):
        return hyperfine_mean(f"{work}/engine-{engine}-{n}-time.json")

    def sizes_of(n):
        """The log files' bytes, and the JSON they hold (gzip read through)."""
        files = [f for f in glob.glob(f"{work}/../.build/bench-logs/engines-seed*-{n}-*/logs/s3/**/*.json.gz", recursive=True)
                 if "/data/" not in f]
        raw = 0
        for f in files:
            with gzip.open(f, "rb") as g:
                while chunk := g.read(1 << 20):
                    raw += len(chunk)
        return len(files), sum(os.path.getsize(f) for f in files), raw

    reads = {n: report("native", n)["records"]["read"] for n in sizes}
    for n in sizes:
        read = reads[n]
        count, stored, raw = sizes_of(n)
        rows_priced = int(open(f"{work}/engine-{n}-rows.txt").read())
        native = seconds("native", n)
        add(rows, f"{read:,} records in {count:,} gzip files ({raw / 1e6:,.0f} MB of JSON, {stored / 1e6:,.0f} MB of files): "
                  "`tally usage --by tag:team` natively, whole command",
            f"{native:.2f} s ({read / native:,.0f} records/s)", "", "", "", "")
        for engine, what in (("duckdb", "the DuckDB CLI"), ("spark", "spark-sql, its JVM's start included")):
            s = seconds(engine, n)
            add(rows, f"{read:,} records: `--engine {engine}` ({what}; {rows_priced:,} rows for Tally to price)",
                f"{s:.2f} s", f"native {native:.2f} s", f"{s / native:.1f}× ({engine} / native)", "", "")
        same = all(report(e, n) == report("native", n) for e in ("duckdb", "spark"))
        add(rows, f"{read:,} records: the three reports", "identical" if same else "DIFFERENT", "", "", "identical",
            verdict(same))
    small, large = sizes[0], sizes[-1]
    growth = ", ".join(f"{e} {seconds(e, large) / seconds(e, small):.1f}×" for e in ("native", "duckdb", "spark"))
    add(rows, f"cost growth from {reads[small]:,} to {reads[large]:,} records ({reads[large] / reads[small]:.0f}× the records)",
        growth, "", "",
        "each one's growth shown", "")


def cell(text, markdown):
    return text.replace("|", "\\|") if markdown else text.replace("`", "")


def table(rows_path, title, machine, out_path):
    rows = [line.rstrip("\n").split("\t") for line in open(rows_path) if line.strip()]
    rows = [r + [""] * (len(COLUMNS) - len(r)) for r in rows]
    body = [r for r in rows if any(r[1:])]
    widths = [max(len(cell(r[i], False)) for r in body + [list(COLUMNS)]) for i in range(len(COLUMNS))]
    widths[0] = min(widths[0], 72)
    text = [title, machine, ""]
    line = "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)).rstrip()
    text += [line, "-" * len(line)]
    md = [f"{title}  ", f"{machine}", "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        if not any(r[1:]):
            text += ["", r[0]]
            md.append(f"| **{cell(r[0], True)}** |" + " |" * (len(COLUMNS) - 1))
            continue
        first = cell(r[0], False)
        wrapped = []
        while len(first) > widths[0]:
            cut = first.rfind(" ", 0, widths[0])
            cut = cut if cut > 0 else widths[0]
            wrapped.append(first[:cut])
            first = first[cut:].lstrip()
        wrapped.append(first)
        for k, piece in enumerate(wrapped):
            cells = [piece] + ([cell(c, False) for c in r[1:]] if k == len(wrapped) - 1 else [""] * (len(COLUMNS) - 1))
            text.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        md.append("| " + " | ".join(cell(c, True) for c in r) + " |")
    print("\n".join(text))
    with open(out_path, "w") as out:
        out.write("\n".join(md) + "\n")


def readme(table_path, readme_path):
    begin, end = "<!-- bench:begin -->\n", "<!-- bench:end -->\n"
    text = open(readme_path).read()
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        sys.exit(f"{readme_path}: one {begin.strip()} before one {end.strip()} wanted")
    head, rest = text.split(begin)
    with open(readme_path, "w") as out:
        out.write(head + begin + open(table_path).read() + end + rest.split(end, 1)[1])


def main():
    args = sys.argv[1:]
    if args[:1] == ["plan"] and len(args) >= 4:
        plan(*args[1:])
    elif args[:1] == ["actuals"] and len(args) == 6:
        actuals(*args[1:])
    elif args[:1] == ["engines"] and len(args) >= 4:
        engines(args[1], args[2], [int(s) for s in args[3:]])
    elif args[:1] == ["table"] and len(args) == 5:
        table(*args[1:])
    elif args[:1] == ["readme"] and len(args) == 3:
        readme(*args[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
