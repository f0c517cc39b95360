#!/usr/bin/env python3
"""Knowledge-base benchmark: lqls against its peers, in one run on this machine.

- Embedding throughput (sentences/s at batch 16 and batch 1) of lqls's Candle MiniLM against
  sentence-transformers on PyTorch CPU (2 threads), over the same texts: changeset descriptions built from
  the shared corpus by the peers' build_texts.py.
- Vector search: lqls's usearch (HNSW) against ChromaDB over the same embeddings (the peers'
  bench_chroma.py): top-5 query latency and recall against exact search.
- lqls alone: cold index build of the bundled knowledge base, warm load, query latency p50/p99 with the
  query embedding, HNSW recall@5 at this size, the retrieval evaluation, peak memory.

The peers live under WORK (default target/peers; ../shared/peers/setup.sh installs them there, about
3 GB the first time). Results go to target/bench_kb.json and a Markdown table on stdout.

Usage: python3 scripts/bench_kb.py [--work DIR] [--n 512] [--runs 3] [--no-cold]
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = pathlib.Path(os.environ.get("LQLS_SHARED", ROOT.parent / "shared"))
PEERS = SHARED / "peers"
LQLS = pathlib.Path(os.environ.get("LQLS_BIN", ROOT / "target" / "release" / "lqls"))


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def timed(cmd, time_file, **kw):
    """Runs `cmd` under /usr/bin/time -v; returns (stdout, peak RSS in MiB)."""
    out = run(["/usr/bin/time", "-v", "-o", time_file, *cmd], stdout=subprocess.PIPE, text=True, **kw).stdout
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", pathlib.Path(time_file).read_text())
    return out, (int(peak.group(1)) / 1024 if peak else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=str(ROOT / "target" / "peers"))
    ap.add_argument("--n", type=int, default=512, help="texts embedded by both")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true", help="skip the cold index build (about a minute)")
    a = ap.parse_args()
    work = pathlib.Path(a.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    out.mkdir(exist_ok=True)

    run(["bash", PEERS / "setup.sh", work], stdout=sys.stderr)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    texts_all = work / "texts.jsonl"
    run([work / "venv-chroma/bin/python", PEERS / "build_texts.py", SHARED / "corpus", texts_all,
         "--n", "2000", "--seed", "0", "--max-chars", "400"])
    texts = work / f"texts{a.n}.jsonl"
    texts.write_text("".join(texts_all.read_text().splitlines(keepends=True)[: a.n]))

    # The peers first, then lqls: never at the same time on two cores.
    _, st_peak = timed([work / "venv/bin/python", PEERS / "bench_st.py", work / "model", texts, out,
                        "--threads", "2", "--runs", str(a.runs), "--bs", "16", "--bs1-n", "200"],
                       out / "st_time.txt", env=env)
    st = json.loads((out / "st_results.json").read_text())
    _, chroma_peak = timed([work / "venv-chroma/bin/python", PEERS / "bench_chroma.py", out / "embeddings.npy",
                            texts, work / "chroma_work", out / "chroma_results.json", "--queries", "200",
                            "--k", "5", "--seed", "0", "--add-runs", "3"], out / "chroma_time.txt", env=env)
    chroma = json.loads((out / "chroma_results.json").read_text())

    cmd = [LQLS, "kb", "bench", "--texts", texts, "--n", str(a.n), "--runs", str(a.runs),
           "--cases", ROOT / "tests/kb/eval.jsonl"]
    if not a.no_cold:
        cmd.append("--cold")
    text, lqls_peak = timed(cmd, out / "lqls_time.txt", cwd=ROOT)
    lq = json.loads(text)

    result = {"lqls": lq, "lqls_peak_rss_mib": lqls_peak, "sentence_transformers": st,
              "st_peak_rss_mib": st_peak, "chroma": chroma, "chroma_peak_rss_mib": chroma_peak}
    (ROOT / "target" / "bench_kb.json").write_text(json.dumps(result, indent=2))

    e, q = lq["embed"], lq["query"]
    st16, st1 = st["batch"]["sentences_per_s"], st["batch1"]["sentences_per_s"]
    cq = chroma["chroma_query"]
    print(f"| Measure ({a.n} corpus texts, 2 threads) | lqls | peer | ratio |")
    print("|---|---|---|---|")
    print(f"| Embedding, batch 16 (sentences/s) | {e['batch16_sentences_per_s']:.1f} | sentence-transformers "
          f"{st16:.1f} | {e['batch16_sentences_per_s'] / st16:.2f}x |")
    print(f"| Embedding, batch 1 (sentences/s) | {e['batch1_sentences_per_s']:.1f} | sentence-transformers "
          f"{st1:.1f} | {e['batch1_sentences_per_s'] / st1:.2f}x |")
    print(f"| Top-5 search without embedding, p50 (ms) | {q['search_only_p50_ms']:.3f} (usearch, per tier) | "
          f"ChromaDB {cq['p50_ms']:.3f} ({a.n} vectors) | {cq['p50_ms'] / q['search_only_p50_ms']:.0f}x faster |")
    print(f"| Peak memory (MiB) | {lqls_peak:.0f} | sentence-transformers {st_peak:.0f} | "
          f"{lqls_peak / st_peak:.2f}x |")
    print()
    cold = lq["index"]["cold_build_ms"]
    print(f"- Knowledge base: {lq['index']['chunks']} chunks; cold build "
          f"{'%.1f s' % (cold / 1000) if cold else 'not measured'}, warm load {lq['index']['warm_load_ms_median']:.0f} ms")
    print(f"- Query with its embedding: p50 {q['p50_ms']:.1f} ms, p99 {q['p99_ms']:.1f} ms over {q['n']}; "
          f"cached p50 {q['cached_p50_ms']:.4f} ms")
    print(f"- HNSW recall@5 against exact search: {lq['hnsw_recall_at_5']:.3f} "
          f"(ChromaDB: {chroma['recall_at_k']['strict']:.3f})")
    print(f"- Retrieval evaluation: {lq['eval']['cases']} cases, recall@5 {lq['eval']['recall_at_5']:.3f}, "
          f"MRR {lq['eval']['mrr']:.3f}")


if __name__ == "__main__":
    main()
