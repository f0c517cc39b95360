#!/usr/bin/env python3
"""Runs the criterion parse benchmark and prints medians, throughput and the ratio to the bare
tokenizer each parser is built on (quick-xml for XML, saphyr-parser's event stream for YAML), all
measured in the same run.

usage: bench_parse.py [--no-run]   (--no-run: only summarise target/criterion from the last run)"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
GROUP = ROOT / "target" / "criterion" / "parse+validate"
RULES = ROOT / "target" / "criterion" / "rules"


def median_ns(bench_dir):
    est = json.loads((bench_dir / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"]


def read_group(group):
    rows = {}
    for d in sorted(group.iterdir()):
        if (d / "new" / "benchmark.json").exists():
            meta = json.loads((d / "new" / "benchmark.json").read_text())
            size = meta.get("throughput", {}).get("Bytes")
            rows[meta["function_id"]] = (median_ns(d), size)
    return rows


def rules_summary():
    """Per syntax: time with no rules, default rules and every rule, as ms, MB/s and ratio."""
    if not RULES.exists():
        return
    rows = read_group(RULES)
    for ext in ("xml", "yaml", "sql"):
        base = rows.get(f"{ext} no rules")
        if not base:
            continue
        parts = []
        for label in ("no rules", "default rules", "all rules"):
            ns, size = rows[f"{ext} {label}"]
            parts.append(f"{label} {ns / 1e6:.3f} ms ({size / (ns / 1e9) / 1e6:.0f} MB/s, "
                         f"{ns / base[0]:.2f}x)")
        print(f"rules on the largest .{ext}: " + "; ".join(parts))


def main():
    if "--no-run" not in sys.argv:
        subprocess.run(["cargo", "bench", "-p", "lqls", "--bench", "parse"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    rows = {}
    for d in sorted(GROUP.iterdir()):
        if (d / "new" / "benchmark.json").exists():
            meta = json.loads((d / "new" / "benchmark.json").read_text())
            size = meta.get("throughput", {}).get("Bytes")
            rows[meta["function_id"]] = (median_ns(d), size)
    floors = {"xml": "quick-xml tokens only: ", "yaml": "saphyr-parser events only: "}
    for name, (ns, size) in rows.items():
        if any(name.startswith(f) for f in floors.values()):
            continue
        mbps = size / (ns / 1e9) / 1e6 if size else float("nan")
        line = f"{name}: median {ns / 1e6:.3f} ms, {mbps:.0f} MB/s"
        floor = floors.get(name.split(" ")[0])
        if floor and floor + name in rows:
            fns = rows[floor + name][0]
            line += f"; bare {floor.split(' ')[0]} {size / (fns / 1e9) / 1e6:.0f} MB/s, lqls takes {ns / fns:.1f}x its time"
        print(line)
    rules_summary()


if __name__ == "__main__":
    main()
