#!/usr/bin/env python3
"""LSP benchmarks over stdio, from a real client (pygls), against the release binary:

1. edit latency: a one-character edit in the middle of a ~500 KB changelog, from sending `didChange` to
   receiving `publishDiagnostics` for that version (p50, p99 over N edits, each awaited), with no rules,
   the default rules and every rule (an `lqls.toml` beside a copy of the file), in the same run;
2. peak memory: the server's VmHWM with the 20 largest corpus changelogs open.

usage: bench_lsp.py [--edits N] [--corpus DIR]   (LQLS_BIN overrides the binary)"""
import argparse
import asyncio
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "lsp"))
from session import LQLS, Session  # noqa: E402

EXT = (".xml", ".yaml", ".yml", ".json", ".sql")


def changelogs(corpus: pathlib.Path):
    for p in corpus.rglob("*"):
        if p.suffix in EXT and p.is_file():
            head = p.read_text(encoding="utf-8", errors="replace")[:8192]
            if "databaseChangeLog" in head or "liquibase formatted sql" in head.lower():
                yield p


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def with_rules(path: pathlib.Path, state, tmp: pathlib.Path) -> pathlib.Path:
    """A copy of `path` in its own folder with an lqls.toml switching every rule family to `state`
    ("on", "off"), or with no lqls.toml (state None: the defaults)."""
    d = tmp / (state or "default")
    d.mkdir()
    if state:
        (d / "lqls.toml").write_text(
            f'[rules]\npolicy = "{state}"\nsafety = "{state}"\nconvention = "{state}"\n')
    copy = d / path.name
    shutil.copy(path, copy)
    return copy


async def edit_latency(path: pathlib.Path, edits: int):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    mid = len(lines) // 2
    line_no = next(i for i in range(mid, len(lines)) if 'name="' in lines[i])
    col = lines[line_no].index('name="') + len('name="')  # ASCII line: utf-16 == characters
    s = Session()
    await s.start()
    uri = path.as_uri()
    s.open(uri, text)
    await s.diagnostics_for(uri, 1, timeout=60)
    samples = []
    for v in range(2, edits + 2):
        t0 = time.perf_counter()
        if v % 2 == 0:
            s.change(uri, v, (line_no, col), (line_no, col), "x")
        else:
            s.change(uri, v, (line_no, col), (line_no, col + 1), "")
        await s.diagnostics_for(uri, v, timeout=30)
        samples.append((time.perf_counter() - t0) * 1000)
    await s.stop()
    return samples


async def peak_memory(files):
    s = Session()
    await s.start()
    for p in files:
        s.open(p.as_uri(), p.read_text(encoding="utf-8", errors="replace"))
    for p in files:
        await s.diagnostics_for(p.as_uri(), 1, timeout=60)
    status = pathlib.Path(f"/proc/{s.client._server.pid}/status").read_text()
    fields = dict(l.split(":", 1) for l in status.splitlines() if ":" in l)
    hwm, rss = (int(fields[k].split()[0]) // 1024 for k in ("VmHWM", "VmRSS"))
    await s.stop()
    return hwm, rss


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=400)
    ap.add_argument("--corpus", default=str(pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    files = sorted(changelogs(corpus), key=lambda p: p.stat().st_size, reverse=True)
    target = min(files, key=lambda p: abs(p.stat().st_size - 500_000))
    print(f"binary: {LQLS}")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for label, state in (("no rules", "off"), ("default rules", None), ("all rules", "on")):
            samples = await edit_latency(with_rules(target, state, pathlib.Path(tmp)), args.edits)
            p50 = statistics.median(samples)
            base = base or p50
            print(f"edit latency on {target.name} ({target.stat().st_size // 1024} KB), {label}, "
                  f"{len(samples)} edits: p50 {p50:.2f} ms, p99 {percentile(samples, 99):.2f} ms, "
                  f"min {min(samples):.2f} ms; p50 {p50 / base:.2f}x no rules")
    top = files[:20]
    hwm, rss = await peak_memory(top)
    total = sum(p.stat().st_size for p in top) / 1e6
    print(f"peak memory with the 20 largest changelogs open ({total:.1f} MB of text): VmHWM {hwm} MiB, VmRSS {rss} MiB")


if __name__ == "__main__":
    asyncio.run(main())
