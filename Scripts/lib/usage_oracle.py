#!/usr/bin/env python3
"""Prices a model-invocation log set record by record, independently of Tally.

  usage_oracle.py LOGDIR [--profiles FILE.tally] [--by KEY]... [--cache-ttl 5m|1h]

Reads every log file under LOGDIR itself (gzip by its magic bytes; `data/`
bodies, the permission-check object and files that are not logs skipped) and
prints one JSON object: the records counted by class, the groups of priced
records (keys `region`, `day`, `month`, `account`, `operation`, `model_id`,
`tag:NAME`) with their records, tokens and dollars, the total, money as exact
decimal strings, and `served`: the tokens of every call that did not fail, by
model id and region, priced or not. Run it with the price-source venv's python (.build/oracles).

Which oracle prices a record (Scripts/lib/genlogs.py writes records to match):
  - genai-prices 0.2.3 `calc_price`, with the record's timestamp, for an
    on-demand record in us-east-1 (the AWS price list it holds is us-east-1's,
    and it models no service tier) whose prompt is within the model's long
    context threshold in LiteLLM's map, if it has one;
  - LiteLLM 1.110.2 `cost_per_token` for a record past that threshold (its
    `…_above_200k_tokens` rates), in another region (its key
    `bedrock/REGION/ID`) or with a flex or priority tier (`service_tier`, only
    where its map has that tier's rate for the key: it would otherwise fall
    back to the on-demand rate without a word);
  - neither: "unpriced_region" when either knows the model elsewhere,
    "unpriced_unknown" otherwise.
Both take the prompt as input + cache read + cache write (Bedrock's
inputTokenCount excludes cached tokens); cache writes at the rate of the
stated TTL (5 minutes unless --cache-ttl 1h).
"""
import argparse
import gzip
import json
import os
import re
import sys
import warnings
from datetime import datetime
from decimal import Decimal, getcontext

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
warnings.simplefilter("ignore")
getcontext().prec = 60

import genai_prices  # noqa: E402
from genai_prices import Usage, calc_price  # noqa: E402

GEO_PREFIXES = ("global.", "us.", "eu.", "apac.", "jp.", "au.", "us-gov.")
TOKEN_KEYS = ("input", "cache_read", "cache_write", "output")
CLOUDWATCH_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")


def litellm_module():
    import litellm  # slow to import: only when a record needs it
    return litellm


class Pricer:
    def __init__(self, one_hour=False):
        self.one_hour = one_hour
        self._litellm = None
        self._genai_known = {}
        self._thresholds = {}

    @property
    def litellm(self):
        if self._litellm is None:
            self._litellm = litellm_module()
        return self._litellm

    def genai(self, model_id, tokens, when):
        usage = Usage(input_tokens=tokens["input"] + tokens["cache_read"] + tokens["cache_write"],
                      output_tokens=tokens["output"],
                      cache_read_tokens=tokens["cache_read"] or None,
                      cache_write_tokens=tokens["cache_write"] or None,
                      cache_write_1h_tokens=(tokens["cache_write"] or None) if self.one_hour else None)
        try:
            return calc_price(usage, model_ref=model_id, provider_id="aws", genai_request_timestamp=when).total_price
        except LookupError:
            return None
        except Exception as e:  # 0.2.3 raises a plain exception for an unknown model
            if "Unable to find model" in str(e):
                return None
            raise

    def genai_knows(self, model_id):
        if model_id not in self._genai_known:
            zero = {k: 0 for k in TOKEN_KEYS}
            self._genai_known[model_id] = self.genai(model_id, dict(zero, input=1), datetime(2026, 11, 1)) is not None
        return self._genai_known[model_id]

    def litellm_key(self, key, tier):
        entry = self.litellm.model_cost.get(key)
        if not isinstance(entry, dict) or "input_cost_per_token" not in entry:
            return False
        return tier is None or f"input_cost_per_token_{tier}" in entry

    def long_context(self, key):
        """The prompt past which LiteLLM bills `key` at other rates (`…_above_200k_tokens`); genai-prices 0.2.3 has
        no such tier for these models. Infinite when there is none."""
        if key not in self._thresholds:
            entry = self.litellm.model_cost.get(key)
            found = [int(m.group(1)) * 1000 for k in (entry or {})
                     for m in [re.fullmatch(r"input_cost_per_token_above_(\d+)k_tokens", k)] if m]
            self._thresholds[key] = min(found) if found else float("inf")
        return self._thresholds[key]

    def litellm_price(self, key, tokens, tier):
        if self.one_hour and tokens["cache_write"]:
            raise SystemExit(f"usage_oracle: LiteLLM's cost_per_token takes no cache TTL ({key}); genlogs.py writes none there")
        prompt, completion = self.litellm.cost_per_token(
            model=key, custom_llm_provider="bedrock",
            prompt_tokens=tokens["input"] + tokens["cache_read"] + tokens["cache_write"],
            completion_tokens=tokens["output"],
            cache_read_input_tokens=tokens["cache_read"], cache_creation_input_tokens=tokens["cache_write"],
            service_tier=tier)
        # Its floats hold each rate to 16 digits; every true price here is a whole number of picodollars.
        return (Decimal(repr(prompt)) + Decimal(repr(completion))).quantize(Decimal("1e-12"))

    def price(self, model_id, region, tier, tokens, when):
        """(class, dollars or None)."""
        base = model_id
        for prefix in GEO_PREFIXES:
            if model_id.startswith(prefix):
                base = model_id[len(prefix):]
                break
        prompt = tokens["input"] + tokens["cache_read"] + tokens["cache_write"]
        if region == "us-east-1" and tier is None and prompt > self.long_context(model_id):
            return "litellm", self.litellm_price(model_id, tokens, None)
        if region == "us-east-1" and tier is None:
            price = self.genai(model_id, tokens, when)
            if price is not None:
                return "genai", price
            if self.litellm_key(model_id, None):
                return "litellm", self.litellm_price(model_id, tokens, None)
            return "unpriced_unknown", None
        key = model_id if region == "us-east-1" else f"bedrock/{region}/{base}"
        if self.litellm_key(key, tier):
            return "litellm", self.litellm_price(key, tokens, tier)
        known = self.genai_knows(model_id) or self.litellm_key(base, None) or self.litellm_key(model_id, None)
        return ("unpriced_region" if known else "unpriced_unknown"), None


def read_profiles(path):
    """ARN → (the model id, the tags) of each `profile "ARN" < model "ID"; tag K=V … >` line."""
    profiles = {}
    if path:
        with open(path) as f:
            for m in re.finditer(r'profile\s+"([^"]+)"\s*<\s*model\s+"([^"]+)"([^>]*)>', f.read()):
                tags = {}
                t = re.search(r'\btag\s+([^;>]*)', m.group(3))
                if t:
                    tags = dict(pair.split("=", 1) for pair in t.group(1).split() if "=" in pair)
                profiles[m.group(1)] = (m.group(2), tags)
    return profiles


def log_files(root):
    """(path, None) for each log file; (path, reason) for each skipped one."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        if os.path.basename(folder) == "data":
            for name in sorted(files):
                yield os.path.join(folder, name), "body in data/"
            continue
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name == "amazon-bedrock-logs-permission-check":
                yield path, "permission-check object"
            elif name.endswith((".json", ".jsonl", ".json.gz", ".jsonl.gz")) or re.fullmatch(r"\d+\.gz", name):
                yield path, None
            else:
                yield path, "not a log file"


def lines(path):
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as f:
        yield from f


def tier_of(record):
    tier = record.get("serviceTier")
    body = (record.get("input") or {}).get("inputBodyJson")
    if tier is None and isinstance(body, dict):
        tier = body.get("serviceTier")
    if isinstance(tier, dict):
        tier = tier.get("type")
    return None if tier in (None, "default", "standard") else tier


def group_value(key, record, profiles):
    if key == "region":
        return record.get("region")
    if key == "day":
        return record.get("timestamp", "")[:10] or None
    if key == "month":
        return record.get("timestamp", "")[:7] or None
    if key == "account":
        return record.get("accountId")
    if key == "operation":
        return record.get("operation")
    if key == "model_id":
        return record.get("modelId")
    if key.startswith("tag:"):
        # The record's own value; else the tag of the application profile it names.
        own = (record.get("requestMetadata") or {}).get(key[4:])
        return own if own is not None else profiles.get(record.get("modelId"), (None, {}))[1].get(key[4:])
    raise SystemExit(f"usage_oracle: unknown --by key {key}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("logs")
    p.add_argument("--profiles")
    p.add_argument("--by", action="append", default=[])
    p.add_argument("--cache-ttl", choices=("5m", "1h"), default="5m")
    args = p.parse_args()
    if genai_prices.__version__ != "0.2.3":
        sys.exit(f"usage_oracle: genai-prices 0.2.3 is required, found {genai_prices.__version__}")
    by = args.by or ["model_id"]
    profiles = read_profiles(args.profiles)
    pricer = Pricer(one_hour=args.cache_ttl == "1h")
    counts = {k: 0 for k in ("read", "genai", "litellm", "unpriced_unknown", "unpriced_region", "failed", "malformed")}
    groups, served, skipped, malformed = {}, {}, [], []
    total = Decimal(0)
    for path, reason in log_files(args.logs):
        rel = os.path.relpath(path, args.logs)
        if reason:
            skipped.append({"path": rel, "reason": reason})
            continue
        for number, raw in enumerate(lines(path), 1):
            try:
                # A CloudWatch Logs export line starts with the event's time.
                stamp = CLOUDWATCH_TIME.match(raw)
                record = json.loads(raw[stamp.end():] if stamp else raw)
                if not isinstance(record, dict) or not isinstance(record.get("modelId"), str):
                    raise ValueError("not a record")
            except ValueError:
                counts["malformed"] += 1
                malformed.append({"file": rel, "line": number})
                continue
            counts["read"] += 1
            if record.get("errorCode"):
                counts["failed"] += 1
                continue
            inp, out = record.get("input") or {}, record.get("output") or {}
            tokens = {"input": inp.get("inputTokenCount") or 0, "cache_read": inp.get("cacheReadInputTokenCount") or 0,
                      "cache_write": inp.get("cacheWriteInputTokenCount") or 0, "output": out.get("outputTokenCount") or 0}
            cell = served.setdefault((record["modelId"], record.get("region") or "(none)"), dict.fromkeys(TOKEN_KEYS, 0))
            for k in TOKEN_KEYS:
                cell[k] += tokens[k]
            model_id = profiles.get(record["modelId"], (record["modelId"], {}))[0]
            when = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))
            cls, price = pricer.price(model_id, record.get("region"), tier_of(record), tokens, when)
            counts[cls] += 1
            if price is None:
                continue
            total += price
            key = tuple(group_value(k, record, profiles) or "(none)" for k in by)
            g = groups.setdefault(key, {"records": 0, "tokens": {k: 0 for k in TOKEN_KEYS}, "usd": Decimal(0)})
            g["records"] += 1
            g["usd"] += price
            for k in TOKEN_KEYS:
                g["tokens"][k] += tokens[k]
    counts["priced"] = counts["genai"] + counts["litellm"]
    counts["unpriced"] = counts["unpriced_unknown"] + counts["unpriced_region"]
    json.dump({
        "oracles": {"genai-prices": genai_prices.__version__, "litellm": "1.110.2"},
        "records": counts, "by": by,
        "groups": [{"key": dict(zip(by, key)), "records": g["records"], "tokens": g["tokens"],
                    "usd": format(g["usd"], "f")} for key, g in sorted(groups.items())],
        "malformed": malformed, "skipped": skipped, "total_usd": format(total, "f"),
        "served": [{"model_id": m, "region": r, "tokens": t} for (m, r), t in sorted(served.items())],
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
