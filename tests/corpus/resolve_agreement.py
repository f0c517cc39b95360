#!/usr/bin/env python3
"""Include-graph agreement between `lqls inspect ROOT --resolve` and Liquibase's own parser.

For every changelog the oracle (../shared/corpus/liquibase-oracle.jsonl, Liquibase 4.29) parsed, runs
`LQLS inspect FILE --resolve --search-path ROOT --format json` with the oracle's search root and compares
the ordered list of (path, id, author, change types). Prints each mismatch and a summary; exit status 0
only when every root agrees.

usage: resolve_agreement.py LQLS CORPUS_DIR ORACLE_JSONL [--verbose]"""
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

lqls, corpus, oracle = sys.argv[1:4]
verbose = "--verbose" in sys.argv


def key(cs):
    return (os.path.normpath(cs["path"]), cs["id"], cs["author"], tuple(cs.get("changes") or []))


def check(rec):
    root = os.path.join(corpus, rec["root"])
    path = os.path.join(corpus, rec["corpus_path"])
    try:
        p = subprocess.run([lqls, "inspect", path, "--resolve", "--search-path", root, "--format", "json"],
                           capture_output=True, text=True, timeout=20)
        out = json.loads(p.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as e:
        return rec, None, f"crash: {e}"
    want = [key(cs) for cs in rec["changesets"]]
    got = [key(cs) for cs in out["changesets"]]
    if want == got:
        return rec, True, None
    first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return rec, False, (f"liquibase {len(want)} changesets, lqls {len(got)}; first difference at #{first}: "
                        f"liquibase {want[first] if first < len(want) else None} "
                        f"lqls {got[first] if first < len(got) else None}")


recs = [json.loads(l) for l in open(oracle)]
recs = [r for r in recs if r["ok"]]
agree = 0
with ThreadPoolExecutor(max_workers=4) as pool:
    for rec, ok, why in pool.map(check, recs):
        if ok:
            agree += 1
        elif verbose or ok is None:
            print(f"DIFF  {rec['corpus_path']}: {why}")
print(f"resolved roots agreeing with Liquibase: {agree}/{len(recs)}")
sys.exit(0 if agree == len(recs) else 1)
