"""Prices requests with LiteLLM 1.110.2's cost function, for Tally's cross-check.

Reads {"refs": [ref, ...], "requests": [{"ref", "input", "output", "cache_read",
"cache_write"}, ...]} from the file named by argv[1] and writes, to argv[2]:

  {"version": the package's version,
   "models": every bedrock and bedrock_converse key of its price map,
   "refs": {ref: the key the ref is priced as, or null},
   "prices": per request, the total price as the decimal of LiteLLM's float, or null}

A ref lists the spellings of one Tally model and endpoint, best first, joined
by "|"; the first one LiteLLM's price map has is asked. The price map is the
one in the package (LITELLM_LOCAL_MODEL_COST_MAP), never fetched.
"""
import json
from decimal import Decimal
import os
import sys
import warnings

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
warnings.simplefilter("ignore")

from importlib.metadata import version  # noqa: E402

import litellm  # noqa: E402

VERSION = "1.110.2"


def bedrock_keys():
    return sorted(k for k, v in litellm.model_cost.items()
                  if isinstance(v, dict) and v.get("litellm_provider") in ("bedrock", "bedrock_converse"))


def resolve(ref, keys):
    return next((spelling for spelling in ref.split("|") if spelling in keys), None)


def price(key, r):
    prompt, completion = litellm.cost_per_token(
        model=key, custom_llm_provider="bedrock",
        prompt_tokens=r["input"], completion_tokens=r["output"],
        cache_read_input_tokens=r["cache_read"], cache_creation_input_tokens=r["cache_write"])
    return format(Decimal(repr(prompt + completion)), "f")


def main() -> None:
    if version("litellm") != VERSION:
        sys.exit(f"litellm {VERSION} is required, found {version('litellm')}")
    with open(sys.argv[1]) as f:
        job = json.load(f)
    keys = set(bedrock_keys())
    refs = {ref: resolve(ref, keys) for ref in job["refs"]}
    prices = []
    for r in job["requests"]:
        key = refs.get(r["ref"]) or resolve(r["ref"], keys)
        prices.append(price(key, r) if key else None)
    with open(sys.argv[2], "w") as f:
        json.dump({"version": VERSION, "models": bedrock_keys(), "refs": refs, "prices": prices}, f)


if __name__ == "__main__":
    main()
