#!/usr/bin/env python3
"""`lqls check` over the whole shared corpus against Liquibase 4.29's own parser on the same files
(`../shared/oracle/oracle.py`, which parses every changelog with Liquibase, no database), in one run.
Reports the median wall time of each and the ratio.

usage: bench_check.py [--runs N]   (LQLS_BIN overrides the binary)"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))


def timed(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    dt = time.perf_counter() - t0
    return dt, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    corpus = SHARED / "corpus"
    out = pathlib.Path(tempfile.mkdtemp()) / "oracle.jsonl"
    oracle = [sys.executable, str(SHARED / "oracle" / "oracle.py"), str(corpus), str(out)]
    timed(oracle)  # warm-up: installs Liquibase if needed, compiles the dumper and customChange stand-ins
    lb = []
    for _ in range(args.runs):
        dt, p = timed(oracle)
        if p.returncode != 0:
            sys.exit(f"oracle failed: {p.stderr[-500:]}")
        lb.append(dt)
    files = sum(1 for _ in open(out))
    lq = []
    for _ in range(max(args.runs, 5)):
        dt, p = timed([LQLS, "check", str(corpus), "--format", "json"])
        if p.returncode not in (0, 1):
            sys.exit(f"lqls check failed ({p.returncode}): {p.stderr[-500:]}")
        lq.append(dt)
    a, b = statistics.median(lq), statistics.median(lb)
    print(f"corpus: {files} changelogs; lqls check median {a * 1000:.0f} ms over {len(lq)} runs; "
          f"Liquibase 4.29 parser (oracle.py) median {b * 1000:.0f} ms over {len(lb)} runs; "
          f"lqls is {b / a:.1f}x faster")


if __name__ == "__main__":
    main()
