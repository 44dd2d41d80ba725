"""Prices requests with genai-prices, for Tally's cross-check.

Reads {"refs": [model ref, ...], "requests": [{"ref", "input", "output",
"cache_read", "cache_write"}, ...]} from the file named by argv[1] and writes,
to argv[2]:

  {"version": the package's version,
   "models": the ids of every AWS model the package prices,
   "refs": {ref: the id of the model the package prices it as, or null},
   "prices": per request, the total price as an exact decimal string, or null}
"""
import json
import sys
import warnings

import genai_prices
from genai_prices import Usage, calc_price, data

VERSION = "0.2.3"


def price(r):
    usage = Usage(
        input_tokens=r["input"],
        output_tokens=r["output"],
        cache_read_tokens=r["cache_read"] or None,
        cache_write_tokens=r["cache_write"] or None,
    )
    try:
        return calc_price(usage, model_ref=r["ref"], provider_id="aws")
    except LookupError:
        return None
    except Exception as e:  # an unknown model raises a plain exception in 0.2.3
        if "Unable to find model" in str(e):
            return None
        raise


def main() -> None:
    if getattr(genai_prices, "__version__", None) != VERSION:
        sys.exit(f"genai-prices {VERSION} is required, found {getattr(genai_prices, '__version__', '?')}")
    warnings.simplefilter("ignore")
    with open(sys.argv[1]) as f:
        job = json.load(f)
    aws = next(p for p in data.providers if p.id == "aws")
    refs = {}
    for ref in job["refs"]:
        answer = price({"ref": ref, "input": 1000, "output": 0, "cache_read": 0, "cache_write": 0})
        refs[ref] = answer.model.id if answer else None
    prices = []
    for r in job["requests"]:
        answer = price(r) if refs.get(r["ref"], True) else None
        prices.append(format(answer.total_price, "f") if answer else None)
    with open(sys.argv[2], "w") as f:
        json.dump({"version": genai_prices.__version__, "models": [m.id for m in aws.models],
                   "refs": refs, "prices": prices}, f)


if __name__ == "__main__":
    main()
