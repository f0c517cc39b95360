#!/usr/bin/env python3
"""Runs `lqls check --format json` over the corpus and counts findings per rule: the review list for
false positives (README, "Rules on the corpus"). Exits 1 if lqls crashed on any file.

usage: rule_stats.py [LQLS_BIN] [CORPUS] [-- extra lqls check args, e.g. --config all-rules.toml]"""
import collections
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1:]
    lqls = args[0] if args else str(ROOT / "target" / "release" / "lqls")
    corpus = args[1] if len(args) > 1 else str(ROOT.parent / "shared" / "corpus")
    proc = subprocess.run([lqls, "check", "--format", "json", *extra, corpus],
                          capture_output=True, text=True)
    if proc.returncode == 2:
        print(proc.stderr, file=sys.stderr)
        sys.exit(1)
    items = json.loads(proc.stdout)
    by_code = collections.Counter(d["code"] for d in items)
    files = collections.defaultdict(set)
    for d in items:
        files[d["code"]].add(d["file"])
    sev = {d["code"]: d["severity"] for d in items}
    print(f"{len(items)} findings in {len({d['file'] for d in items})} files")
    print(f"{'code':<28} {'severity':<12} {'findings':>8} {'files':>6}")
    for code, n in by_code.most_common():
        print(f"{code:<28} {sev[code]:<12} {n:>8} {len(files[code]):>6}")


if __name__ == "__main__":
    main()
