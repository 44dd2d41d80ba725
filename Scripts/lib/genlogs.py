#!/usr/bin/env python3
"""Writes a seeded, deterministic Bedrock model-invocation log set.

  genlogs.py --out DIR [--seed N] [--records N] [--body-bytes N] [--gzip|--plain] [--bare-cloudwatch]

DIR/logs holds what `tally usage` reads: an S3 tree
(s3/AWSLogs/ACCOUNT/BedrockModelInvocationLogs/REGION/YYYY/MM/DD/HH/*.json.gz,
or .json with --plain), `data/` body objects and the permission-check object in
it, a plain .jsonl file, a CloudWatch Logs export and a file that is no log.
DIR/profiles.tally declares the application inference profiles the records
name; DIR/manifest.json says exactly what was written: every record's class
(see CLASSES) counted, the malformed lines, the skipped objects.

Which records are priceable, and by which oracle (Scripts/lib/usage_oracle.py):
genai-prices 0.2.3 prices AWS's us-east-1 list and knows no service tier, so
on-demand records in us-east-1 are its ("genai"); records in another region,
or with a flex or priority tier, are priced by LiteLLM 1.110.2's keys for that
region and tier ("litellm"), and the generator only writes such records for
models LiteLLM has that key for. Records with an inference-profile prefix whose
geography neither oracle prices (`eu.` Claude in eu-west-1, say) are
"unpriced_region"; unknown model ids "unpriced_unknown"; calls with an
errorCode "failed". Prompts stay under 200k tokens but for some Sonnet 4.5
records, whose prompts pass it or not by their cache reads ("litellm" past it,
where genai-prices has no long-context tier), and tier records carry no cache
tokens (LiteLLM discounts a tier's cache reads; Tally does not).
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

CLASSES = ("genai", "litellm", "unpriced_unknown", "unpriced_region", "failed")
ACCOUNTS = ("123456789012", "210987654321")
TEAMS = ("search", "support", "analytics", "platform")
APPS = ("docs", "chat", "triage", "reports")
ROLES = ("ChatApp", "BatchJobs", "DataPipeline")
START = datetime(2026, 11, 1, tzinfo=timezone.utc)
LONG_CONTEXT = 200_000
DAYS = 7

SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS = "anthropic.claude-opus-4-5-v1:0"

# (weight, class, model ids to pick from, regions, cache: "rw"|"r"|"", tiers, kind)
MIX = [
    (14, "genai", ["global." + SONNET, "us." + SONNET, SONNET], ["us-east-1"], "rw", [None], "text"),
    (10, "genai", ["global." + HAIKU, "us." + HAIKU], ["us-east-1"], "rw", [None], "text"),
    (3, "genai", ["global." + OPUS, "us." + OPUS], ["us-east-1"], "rw", [None], "text"),
    (8, "genai", ["amazon.nova-pro-v1:0", "us.amazon.nova-pro-v1:0"], ["us-east-1"], "r", [None], "text"),
    (6, "genai", ["amazon.nova-lite-v1:0", "us.amazon.nova-lite-v1:0"], ["us-east-1"], "r", [None], "text"),
    (4, "genai", ["amazon.nova-micro-v1:0"], ["us-east-1"], "", [None], "text"),
    (5, "genai", ["meta.llama3-3-70b-instruct-v1:0", "us.meta.llama3-3-70b-instruct-v1:0"], ["us-east-1"], "", [None], "text"),
    (3, "genai", ["mistral.mistral-large-2402-v1:0"], ["us-east-1"], "", [None], "text"),
    (5, "genai", ["amazon.titan-embed-text-v2:0"], ["us-east-1"], "", [None], "embedding"),
    (6, "genai", ["profile"], ["us-east-1"], "rw", [None], "text"),
    (3, "litellm", ["mistral.mistral-large-2402-v1:0"], ["us-west-2", "eu-west-3"], "", [None], "text"),
    (3, "litellm", ["meta.llama3-70b-instruct-v1:0"], ["eu-west-1", "eu-west-2"], "", [None], "text"),
    (2, "litellm", ["meta.llama3-8b-instruct-v1:0"], ["ca-central-1"], "", [None], "text"),
    (3, "litellm", ["minimax.minimax-m2.5"], ["us-west-2", "eu-west-1"], "", [None, "flex", "priority"], "text"),
    (3, "litellm", ["amazon.nova-pro-v1:0"], ["us-east-1"], "", ["flex", "priority"], "text"),
    # Prompts near Sonnet 4.5's 200k long-context threshold, some past it only with their cache reads:
    # LiteLLM's above-200k rates price those past it, genai-prices (no tier) the rest.
    (2, "long", ["global." + SONNET, "us." + SONNET], ["us-east-1"], "r", [None], "text"),
    (3, "unpriced_region", ["eu." + SONNET, "eu." + HAIKU], ["eu-west-1", "eu-central-1"], "rw", [None], "text"),
    (2, "unpriced_region", ["apac.amazon.nova-pro-v1:0"], ["ap-southeast-2"], "r", [None], "text"),
    (2, "unpriced_unknown", ["acme.frontier-model-v1:0", "us.acme.frontier-model-v1:0",
                             "anthropic.claude-imaginary-9-v1:0"], ["us-east-1"], "", [None], "text"),
    (3, "failed", ["global." + SONNET, "amazon.nova-lite-v1:0"], ["us-east-1"], "", [None], "text"),
]

# Application inference profiles (us-east-1, the first account): ARN id, the system profile it copies, tags.
PROFILES = [
    ("srch01sonnet", "global." + SONNET, {"team": "search", "app": "docs"}),
    ("supp02haiku", "us." + HAIKU, {"team": "support", "app": "chat"}),
]

WORDS = ("the invoice cost model tokens region cache prompt answer question customer order refund policy "
         "search document summary table report analysis quarter revenue latency request service team deploy "
         "bedrock claude context window retrieval vector index chunk embed rerank score guard filter").split()


def profile_arn(profile_id):
    return f"arn:aws:bedrock:us-east-1:{ACCOUNTS[0]}:application-inference-profile/{profile_id}"


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        text = " ".join(self.rng.choice(WORDS) for _ in range(40_000))
        self.text = text
        self.counts = {c: 0 for c in CLASSES}
        self.malformed = []
        self.skipped = []
        self.bytes = 0
        self.weights = [m[0] for m in MIX]

    def filler(self, n):
        if n <= 0:
            return ""
        start = self.rng.randrange(0, len(self.text) - 1)
        out = self.text[start:start + n]
        while len(out) < n:
            out += " " + self.text[: n - len(out) - 1]
        return out[:n].replace('"', "'")

    def record(self, when):
        rng = self.rng
        _, cls, ids, regions, cache, tiers, kind = rng.choices(MIX, weights=self.weights)[0]
        model_id = rng.choice(ids)
        region = rng.choice(regions)
        tags = {"team": rng.choice(TEAMS), "app": rng.choice(APPS), "env": rng.choice(("prod", "staging"))}
        account = rng.choice(ACCOUNTS)
        if model_id == "profile":
            pid, _, ptags = rng.choice(PROFILES)
            model_id, account = profile_arn(pid), ACCOUNTS[0]
            tags.update(ptags)
        if rng.random() < 0.1:
            del tags["team"]
        tier = rng.choice(tiers)
        prompt_words = rng.randint(120_000, 190_000) if cls == "long" else rng.randint(50, 20_000)
        record = {
            "schemaType": "ModelInvocationLog", "schemaVersion": "1.0",
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "accountId": account,
            "identity": {"arn": f"arn:aws:sts::{account}:assumed-role/{rng.choice(ROLES)}/s{rng.randrange(1000)}"},
            "region": region,
            "requestId": "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 16, 16, 48)),
            "operation": "InvokeModel" if kind == "embedding" else rng.choice(("Converse", "ConverseStream", "InvokeModel")),
            "modelId": model_id,
        }
        if model_id.startswith(("us.", "eu.", "apac.", "global.")) and rng.random() < 0.5:
            record["inferenceRegion"] = rng.choice(("us-west-2", "us-east-2", "eu-west-3", "ap-northeast-1"))
        body_bytes = max(0, self.args.body_bytes + rng.randint(-self.args.body_bytes // 4, self.args.body_bytes // 4))
        body = {"messages": [{"role": "user", "content": [{"text": self.filler(body_bytes * 2 // 3)}]}],
                "inferenceConfig": {"maxTokens": 4096}}
        if tier:
            # Converse's object form, its plain-string form, and the record's own top-level field.
            form = rng.randrange(3)
            if form == 0:
                body["serviceTier"] = {"type": tier}
            elif form == 1:
                body["serviceTier"] = tier
            else:
                record["serviceTier"] = tier
        elif rng.random() < 0.05:
            body["serviceTier"] = {"type": "default"}
        read = write = 0
        if cls == "long":
            read = rng.randint(1024, 90_000)
            # A prompt of exactly 200,000 tokens is left out: whether it is past the threshold is not the question here.
            read += read + prompt_words == LONG_CONTEXT
            cls = "litellm" if prompt_words + read > LONG_CONTEXT else "genai"
        elif "r" in cache and rng.random() < 0.6:
            read = rng.randint(1024, 60_000)
        if "w" in cache and rng.random() < 0.3:
            write = rng.randint(1024, 20_000)
        inp = {"inputContentType": "application/json", "inputBodyJson": body, "inputTokenCount": prompt_words}
        if read or rng.random() < 0.5:
            inp["cacheReadInputTokenCount"] = read
        if write or rng.random() < 0.5:
            inp["cacheWriteInputTokenCount"] = write
        output = 0 if kind == "embedding" else rng.randint(1, 4000)
        record["input"] = inp
        if cls == "failed":
            record["errorCode"] = rng.choice(("ThrottlingException", "ValidationException", "ModelTimeoutException"))
        else:
            out_body = ({"embedding": [round(rng.uniform(-1, 1), 4) for _ in range(8)]} if kind == "embedding" else
                        {"output": {"message": {"role": "assistant", "content": [{"text": self.filler(body_bytes // 3)}]}},
                         "stopReason": "end_turn"})
            record["output"] = {"outputContentType": "application/json", "outputBodyJson": out_body,
                                "outputTokenCount": output}
        record["requestMetadata"] = tags
        self.counts[cls] += 1
        return record, region, account


class Sink:
    """One open log object per (account, region) for the current hour."""

    def __init__(self, gen, root, gzipped):
        self.gen, self.root, self.gzipped = gen, root, gzipped
        self.open = {}
        self.hour = None
        self.written = []

    def path_for(self, account, region, when):
        folder = os.path.join(self.root, "s3", "AWSLogs", account, "BedrockModelInvocationLogs", region,
                              when.strftime("%Y/%m/%d/%H"))
        os.makedirs(folder, exist_ok=True)
        name = hashlib.sha1(f"{account}{region}{when:%Y%m%d%H}".encode()).hexdigest()[:16]
        return os.path.join(folder, f"{when:%Y%m%dT%H%MZ}_{name}" + (".json.gz" if self.gzipped else ".json"))

    def write(self, line, account, region, when):
        hour = when.strftime("%Y%m%d%H")
        if hour != self.hour:
            self.close()
            self.hour = hour
        key = (account, region)
        if key not in self.open:
            path = self.path_for(account, region, when)
            self.open[key] = (gzip.open(path, "wb", compresslevel=6) if self.gzipped else open(path, "wb"), path)
            self.written.append(path)
            if self.gen.rng.random() < 0.05:
                data = os.path.join(os.path.dirname(path), "data")
                os.makedirs(data, exist_ok=True)
                body = os.path.join(data, f"{hour}-{account}-{region}-input.json")
                with open(body, "w") as f:
                    f.write(json.dumps({"messages": [{"role": "user", "content": self.gen.filler(2000)}]}) + "\n")
                self.gen.skipped.append((body, "body in data/"))
        f, path = self.open[key]
        f.write(line)
        return f, path

    def close(self):
        for f, _ in self.open.values():
            f.close()
        self.open = {}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--records", type=int, default=2000)
    p.add_argument("--body-bytes", type=int, default=600)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--gzip", dest="gzipped", action="store_true", default=True)
    mode.add_argument("--plain", dest="gzipped", action="store_false")
    p.add_argument("--bare-cloudwatch", action="store_true",
                   help="CloudWatch export lines without their event times (what DuckDB's read_json reads)")
    args = p.parse_args()
    if args.records < 100:
        sys.exit("genlogs: --records must be at least 100")
    gen = Generator(args)
    logs = os.path.join(args.out, "logs")
    if os.path.exists(logs) and os.listdir(logs):
        sys.exit(f"genlogs: {logs} is not empty")
    os.makedirs(logs, exist_ok=True)
    span = DAYS * 86400
    times = sorted(START + timedelta(seconds=gen.rng.randrange(span)) for _ in range(args.records))
    # One record in 40 goes to the .jsonl file, one in 40 to the CloudWatch export; the rest to S3.
    jsonl_path = os.path.join(logs, "exports", "extra.jsonl")
    cw_dir = os.path.join(logs, "cloudwatch", "exportedlogs", "task-1", "aws-bedrock-invocations")
    os.makedirs(os.path.dirname(jsonl_path), exist_ok=True)
    os.makedirs(cw_dir, exist_ok=True)
    cw_path = os.path.join(cw_dir, "000000.gz")
    jsonl, cw = open(jsonl_path, "wb"), gzip.open(cw_path, "wb")
    sink = Sink(gen, logs, args.gzipped)
    bad_every = max(args.records // 6, 1)
    bad_kinds = [b'{"schemaType":"ModelInvocationLog","timestamp":"2026-11-02T', b"not json at all",
                 b"[1, 2, 3]", b'{"modelId": "amazon.nova-lite-v1:0", "input": {"inputTokenCount": 12']
    lines_in = {}
    for i, when in enumerate(times):
        record, region, account = gen.record(when)
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        gen.bytes += len(line)
        pick = i % 40
        if pick == 7:
            f, path = jsonl, jsonl_path
        elif pick == 23:
            f, path = cw, cw_path
        else:
            f, path = sink.write(line, account, region, when)
        # A CloudWatch Logs export starts each event with its time, unless asked for bare JSON lines.
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.000Z ").encode() if pick == 23 and not args.bare_cloudwatch else b""
        if pick in (7, 23):
            f.write(stamp + line)
        lines_in[path] = lines_in.get(path, 0) + 1
        if i % bad_every == bad_every // 2:
            bad = stamp + bad_kinds[len(gen.malformed) % len(bad_kinds)] + b"\n"
            f.write(bad)
            lines_in[path] += 1
            gen.bytes += len(bad)
            gen.malformed.append((path, lines_in[path]))
    sink.close()
    jsonl.close()
    cw.close()
    check = os.path.join(logs, "s3", "AWSLogs", ACCOUNTS[0], "BedrockModelInvocationLogs",
                         "amazon-bedrock-logs-permission-check")
    with open(check, "w") as f:
        f.write("")
    gen.skipped.append((check, "permission-check object"))
    notes = os.path.join(logs, "s3", "README.txt")
    with open(notes, "w") as f:
        f.write("Bedrock invocation logs for the platform account.\n")
    gen.skipped.append((notes, "not a log file"))

    with open(os.path.join(args.out, "profiles.tally"), "w") as f:
        f.write("# Application inference profiles of the generated log set (Scripts/lib/genlogs.py).\n")
        for pid, model, tags in PROFILES:
            tag_text = " ".join(f"{k}={v}" for k, v in tags.items())
            f.write(f'profile "{profile_arn(pid)}" < model "{model}"; tag {tag_text} >\n')
    rel = lambda path: os.path.relpath(path, logs)
    manifest = {
        "seed": args.seed, "records": args.records, "body_bytes": args.body_bytes, "gzip": args.gzipped,
        "uncompressed_bytes": gen.bytes,
        "classes": gen.counts,
        "malformed": [{"file": rel(path), "line": line} for path, line in gen.malformed],
        "skipped": [{"path": rel(path), "reason": reason} for path, reason in gen.skipped],
        "profiles": {profile_arn(pid): {"model_id": model, "tags": tags} for pid, model, tags in PROFILES},
        "files": sorted(rel(path) for path in lines_in),
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps({"records": args.records, "classes": gen.counts, "malformed": len(gen.malformed),
                      "uncompressed_bytes": gen.bytes}))


if __name__ == "__main__":
    main()
