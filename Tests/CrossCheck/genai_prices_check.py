"""Prices requests with genai-prices, for Tally's cross-check test.

Reads a JSON list of requests ({"ref", "input", "output", "cache_read",
"cache_write"}) from the file named by argv[1] and writes, to argv[2], a list
of the same length: the total price as an exact decimal string, or null when
genai-prices does not know the model.
"""
import json
import sys
import warnings

import genai_prices
from genai_prices import Usage, calc_price

VERSION = "0.2.3"


def main() -> None:
    if getattr(genai_prices, "__version__", None) != VERSION:
        sys.exit(f"genai-prices {VERSION} is required, found {getattr(genai_prices, '__version__', '?')}")
    warnings.simplefilter("ignore")
    with open(sys.argv[1]) as f:
        requests = json.load(f)
    known = {}
    out = []
    for r in requests:
        ref = r["ref"]
        if known.get(ref) is False:
            out.append(None)
            continue
        usage = Usage(
            input_tokens=r["input"],
            output_tokens=r["output"],
            cache_read_tokens=r["cache_read"] or None,
            cache_write_tokens=r["cache_write"] or None,
        )
        try:
            price = calc_price(usage, model_ref=ref, provider_id="aws")
        except LookupError:
            known[ref] = False
            out.append(None)
            continue
        except Exception as e:  # an unknown model raises a plain exception in 0.2.3
            if "Unable to find model" in str(e):
                known[ref] = False
                out.append(None)
                continue
            raise
        known[ref] = True
        out.append(format(price.total_price, "f"))
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
