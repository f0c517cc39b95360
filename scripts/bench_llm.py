#!/usr/bin/env python3
"""Language-model benchmark: lqls (Candle) against llama.cpp on the same GGUF and threads, in one run.

- Prompt processing (pp) and generation (tg) tokens/s: `lqls llm-bench` and `llama-bench` measure the
  same thing (pp: N prompt tokens from an empty cache; tg: N tokens one by one), medians of --runs.
  Both run the Q8_0 file lqls converts SmolLM2's Q4_1 to (the file lqls actually runs); llama.cpp also
  runs the original Q4_1, for reference.
- Review latency: time to first token with the model cold (a fresh `lqls review` process: load, convert
  check, knowledge base, prompt), warm, and warm with the system prompt's KV cache; a cached review.
- Peak memory (max RSS) of each process.
The two alternate --rounds times and each number is the median over rounds: this VM's speed drifts by
20-30% over minutes, and alternating keeps the drift out of the ratio.

usage: scripts/bench_llm.py [--lqls target/release/lqls] [--llama-bin DIR] [--threads 2] [--runs 3]
                            [--out target/bench-llm.json]
Needs scripts/setup-models.sh and scripts/setup-llamacpp.sh (LQLS_LLAMA_BIN or --llama-bin)."""
import argparse
import glob
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODELS = pathlib.Path(os.environ.get("LQLS_MODELS", pathlib.Path.home() / ".cache/lqls/models"))
Q4_1 = MODELS / "smollm2-135m-instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
CASE = ROOT / "tests/review/cases/02-customers-add-columns.yaml"

# Runs a command and prints its children's peak RSS (KiB) on stderr's last line.
RSS_WRAPPER = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:], stdout=sys.stdout, stderr=sys.stderr)\n"
               "print('maxrss', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
               "sys.exit(p.returncode)\n")


def run(cmd, **kw):
    """(stdout, peak RSS in MiB, seconds)."""
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *map(str, cmd)], capture_output=True, text=True, **kw)
    secs = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{p.stderr[-2000:]}")
    rss = next(int(l.split()[1]) for l in reversed(p.stderr.splitlines()) if l.startswith("maxrss"))
    return p.stdout, rss / 1024, secs


def llama_bench(bin_dir, model, threads, runs, pp, tg):
    out, rss, _ = run([pathlib.Path(bin_dir) / "llama-bench", "-m", model, "-t", threads, "-p", pp, "-n", tg,
                       "-r", runs, "-o", "json"])
    rows = json.loads(out)
    get = lambda kind: next(r["avg_ts"] for r in rows if (r["n_prompt"] > 0) == (kind == "pp"))
    return {"pp_tps": get("pp"), "tg_tps": get("tg"), "rss_mib": rss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lqls", default=str(ROOT / "target/release/lqls"))
    ap.add_argument("--llama-bin", default=os.environ.get("LQLS_LLAMA_BIN"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3,
                    help="lqls and llama.cpp alternate this many times; medians over rounds (the VM is noisy)")
    ap.add_argument("--pp", type=int, default=256)
    ap.add_argument("--tg", type=int, default=64)
    ap.add_argument("--out", default=str(ROOT / "target/bench-llm.json"))
    a = ap.parse_args()
    if not a.llama_bin:
        sys.exit("set LQLS_LLAMA_BIN or --llama-bin (scripts/setup-llamacpp.sh prints it)")

    lqs, q8s, q4s, lqls_rss = [], [], [], 0
    for _ in range(a.rounds):
        out, rss, _ = run([a.lqls, "llm-bench", "--threads", a.threads, "--runs", a.runs, "--prompt-tokens", a.pp,
                           "--gen-tokens", a.tg, "--changelog", CASE], cwd=ROOT)
        lqs.append(json.loads(out))
        lqls_rss = max(lqls_rss, rss)
        q8s.append(llama_bench(a.llama_bin, lqs[-1]["loaded"], a.threads, a.runs, a.pp, a.tg))
        q4s.append(llama_bench(a.llama_bin, Q4_1, a.threads, a.runs, a.pp, a.tg))
    med = lambda rows, k: sorted(r[k] for r in rows)[len(rows) // 2]
    lq = {k: (med(lqs, k) if isinstance(v, float) else v) for k, v in lqs[0].items()}
    peer_q8 = {k: med(q8s, k) for k in q8s[0]}
    peer_q4 = {k: med(q4s, k) for k in q4s[0]}
    q8 = lq["loaded"]

    # Cold: a fresh process reviews one changeset (1 token), cache off. Median of the runs.
    colds, cold_rss = [], 0
    for _ in range(a.runs):
        out, rss, secs = run([a.lqls, "review", CASE, "--changeset", "20240403-1", "--json", "--no-cache",
                              "--max-tokens", "1", "--model", Q4_1], cwd=ROOT)
        colds.append(secs * 1e3)
        cold_rss = max(cold_rss, rss)
    colds.sort()

    result = {
        "threads": a.threads,
        "model": str(Q4_1),
        "converted": q8,
        "lqls": lq,
        "lqls_rss_mib": lqls_rss,
        "llama_cpp_q8_0": peer_q8,
        "llama_cpp_q4_1": peer_q4,
        "ttft_cold_process_ms": colds[len(colds) // 2],
        "review_process_rss_mib": cold_rss,
        "rounds": {"lqls_tg": [r["tg_tps"] for r in lqs], "llama_tg": [r["tg_tps"] for r in q8s],
                   "lqls_pp": [r["pp_tps"] for r in lqs], "llama_pp": [r["pp_tps"] for r in q8s]},
        "ratios": {
            "tg_llama_over_lqls": peer_q8["tg_tps"] / lq["tg_tps"],
            "pp_llama_over_lqls": peer_q8["pp_tps"] / lq["pp_tps"],
        },
    }
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(result, indent=2))
    print(f"{'':34} {'lqls (Candle)':>14} {'llama.cpp':>12} {'ratio':>7}")
    print(f"{'prompt tokens/s (pp' + str(a.pp) + ', Q8_0)':34} {lq['pp_tps']:14.1f} {peer_q8['pp_tps']:12.1f} "
          f"{result['ratios']['pp_llama_over_lqls']:6.2f}x")
    print(f"{'generation tokens/s (tg' + str(a.tg) + ', Q8_0)':34} {lq['tg_tps']:14.1f} {peer_q8['tg_tps']:12.1f} "
          f"{result['ratios']['tg_llama_over_lqls']:6.2f}x")
    print(f"{'llama.cpp on the original Q4_1':34} {'':14} pp {peer_q4['pp_tps']:.1f}, tg {peer_q4['tg_tps']:.1f}")
    print(f"{'peak RSS, MiB':34} {lqls_rss:14.0f} {peer_q8['rss_mib']:12.0f}")
    print(f"review of {lq['review_prompt_tokens']} prompt tokens, time to first token:")
    print(f"  cold (fresh lqls review process)  {result['ttft_cold_process_ms']:8.0f} ms (peak RSS {cold_rss:.0f} MiB)")
    print(f"  warm, no prefix cache             {lq['ttft_warm_no_prefix_ms']:8.0f} ms")
    print(f"  warm, system prompt cached        {lq['ttft_warm_prefix_ms']:8.0f} ms ({lq['review_reused_tokens']} tokens reused)")
    print(f"  cached review                     {lq['cached_review_ms']:8.3f} ms")
    print(f"model load {lq['load_ms']:.0f} ms; tg per round: lqls {result['rounds']['lqls_tg']}, "
          f"llama.cpp {result['rounds']['llama_tg']}; wrote {a.out}")


if __name__ == "__main__":
    main()
