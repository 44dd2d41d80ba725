#!/usr/bin/env python3
"""The other price sources of Scripts/bench, run from their own venv (.build/bench-peers).

  bench_peers.py loop PEER REQUESTS.json [N]   price every request it can (of the first N), in process; one
                                               JSON line, and what it cannot price on standard error
  bench_peers.py one PEER                  import PEER and price one request (a whole process's work)
  bench_peers.py versions                  each peer's version, one line

PEER is genai-prices (`calc_price`), tokencost (`calculate_cost_by_tokens` for
each kind of token) or litellm (`cost_per_token`). REQUESTS.json is what
`tally-bench plan N FILE REQUESTS.json` (or `tally-bench engine N
REQUESTS.json`) writes: each request's model (Tally's name), Bedrock reference (`ref`: the global
profile's id for a model priced by endpoint), model id, input tokens (cache
reads and writes included), output, cache-read and cache-write tokens.

Every peer reads only the price data in its own package: LiteLLM is told to
(LITELLM_LOCAL_MODEL_COST_MAP), genai-prices and tokencost do by default. A
request is priced only when the peer knows the model by the catalog's
reference or id and has a rate for every kind of token it carries; the others
are counted, by reference and reason, never priced at a substitute's rates.
"""
import json
import os
import sys
import time

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

# The request of Scripts/bench's one.tally: Claude Sonnet 4.5, global endpoint,
# 1,000 input tokens (60% read from the cache), 300 output.
ONE = {"model": "sonnet-4.5", "ref": "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "id": "anthropic.claude-sonnet-4-5-20250929-v1:0",
       "input": 1000, "output": 300, "cache_read": 600, "cache_write": 0}
# tokencost 0.1.26 knows no Claude 4.5: its one-shot prices the same tokens on Claude Sonnet 4.
TOKENCOST_ONE = dict(ONE, model="sonnet-4", ref="anthropic.claude-sonnet-4-20250514-v1:0", id="anthropic.claude-sonnet-4-20250514-v1:0")


def genai_prices():
    from genai_prices import Usage, calc_price

    def price(r, model):
        usage = Usage(input_tokens=r["input"], output_tokens=r["output"], cache_read_tokens=r["cache_read"] or None,
                      cache_write_tokens=r["cache_write"] or None)
        return float(calc_price(usage, model_ref=model, provider_id="aws").total_price)
    return price


def tokencost():
    from tokencost import calculate_cost_by_tokens as cost

    def price(r, model):
        if r["cache_write"]:
            raise KeyError("tokencost has no cache-write rates")
        total = cost(r["input"] - r["cache_read"], model, "input") + cost(r["output"], model, "output")
        if r["cache_read"]:
            total += cost(r["cache_read"], model, "cached")
        return float(total)
    return price


def litellm():
    import litellm as peer

    def price(r, model):
        prompt, completion = peer.cost_per_token(model="bedrock/" + model, prompt_tokens=r["input"],
                                                 completion_tokens=r["output"], cache_read_input_tokens=r["cache_read"],
                                                 cache_creation_input_tokens=r["cache_write"])
        return prompt + completion
    return price


PEERS = {"genai-prices": genai_prices, "tokencost": tokencost, "litellm": litellm}


def version(peer):
    from importlib.metadata import version as of
    return of(peer)


def kind(r):
    return r["ref"], r["cache_read"] > 0, r["cache_write"] > 0


def resolve(price, requests):
    """For each (ref, whether it reads and writes the cache): (the name the peer prices it by, None) or (None, why not)."""
    names = {}
    for r in requests:
        key = kind(r)
        if key in names:
            continue
        reasons = []
        for model in dict.fromkeys((r["ref"], r["id"])):
            try:
                if price(r, model) > 0:
                    names[key] = (model, None)
                    break
                reasons.append(f"{model}: priced at zero")
            except Exception as error:  # each peer has its own errors for a model it does not know
                reasons.append(f"{model}: {' '.join(str(error).split())[:90]}")
        names.setdefault(key, (None, "; ".join(reasons)))
    return names


def loop(peer, path, limit=None):
    price = PEERS[peer]()
    requests = json.load(open(path))[:limit]
    names = resolve(price, requests)
    priced, unpriced = [], {}
    for r in requests:
        key = kind(r)
        model, why = names[key]
        if model:
            priced.append((r, model))
        else:
            label = r.get("model", r["ref"]) + (" with cache reads" if key[1] else "") + (" with cache writes" if key[2] else "")
            cell = unpriced.setdefault(label, {"requests": 0, "why": why})
            cell["requests"] += 1
    for label, cell in unpriced.items():
        print(f"bench: {peer} does not price {cell['requests']:,} requests of {label}: {cell['why']}", file=sys.stderr)
    for r, model in priced[:100]:  # warm up
        price(r, model)
    # Whole passes over the requests until half a second has gone by: a short one is too noisy to time.
    rounds, usd, start = 0, 0.0, time.perf_counter()
    while priced and (rounds == 0 or time.perf_counter() - start < 0.5):
        usd = 0.0
        for r, model in priced:
            usd += price(r, model)
        rounds += 1
    seconds = (time.perf_counter() - start) / max(rounds, 1)
    json.dump({"peer": peer, "version": version(peer), "requests": len(requests), "priced": len(priced),
               "rounds": rounds, "seconds": seconds, "per_second": len(priced) / seconds if priced else 0.0,
               "usd": usd, "unpriced": unpriced}, sys.stdout)
    print()


def one(peer):
    r = TOKENCOST_ONE if peer == "tokencost" else ONE
    print(f"{PEERS[peer]()(r, r['ref']):.6f}")


def main():
    args = sys.argv[1:]
    if args[:1] == ["loop"] and len(args) in (3, 4) and args[1] in PEERS:
        loop(args[1], args[2], int(args[3]) if len(args) == 4 else None)
    elif args[:1] == ["one"] and len(args) == 2 and args[1] in PEERS:
        one(args[1])
    elif args == ["versions"]:
        print(" ".join(f"{p} {version(p)}" for p in PEERS))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
