#!/usr/bin/env python3
"""Review evaluation: runs `lqls review` on each changeset of tests/review/eval.jsonl and scores the reviews.

For each case it runs
    LQLS_BIN review tests/review/FILE --changeset ID --json [--model PATH]
from the repository root and reads the review from its JSON output. A problem of the case counts as mentioned
when the lowercased review text contains any of the problem's phrases. Reported:

- problems mentioned / total, overall and per problem type (the problem's name), and the cases with at least
  one problem mentioned;
- citations made; valid ones (naming a guideline id that exists: the `## GL-...:` headings of
  knowledge-base/guidelines/*.md); those among the case's expected guidelines; invalid citations the server
  removed itself (`removed_citations`);
- mean generation time and tokens (over the reviews that were generated, not served from the cache).

A case whose command fails, times out or prints unusable JSON is reported as an error and the run goes on.

--dry-run scores a baseline instead of running the review: `source` (the default) scores the source text of
each changeset as if it were the review, the score a review that merely echoes the changeset would get;
`rules` scores the messages of the `lqls check` findings inside the changeset (citing the guidelines their
rules link), what a review that only restates the rules would get; `generic` scores one fixed boilerplate
review for every case, to show how far loose phrases carry. Only `rules` needs LQLS_BIN. --self-check only verifies the evaluation set
(every case's file and changeset exist, guideline ids exist, 1-3 problems with lowercase phrases) and lists
the phrases that already occur in a changeset's own text. Both self-check and the run exit 1 when the set is
broken; the run also exits 1 when no case could be scored at all.

Standard library only (Python 3.8+). YAML changelogs are read with a minimal line-based reader, so the
script runs without PyYAML; where PyYAML is installed, the self-check also compares with it.

usage: review_eval.py [LQLS_BIN] [--model PATH] [--out FILE] [--dry-run [source|rules|generic]] [--self-check]
                      [--eval FILE] [--only TEXT] [--timeout S] [--verbose]
"""
import argparse
import json
import pathlib
import re
import statistics
import subprocess
import sys
import time
import xml.parsers.expat
from collections import OrderedDict, namedtuple

ROOT = pathlib.Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "review"
GUIDELINES = ROOT / "knowledge-base" / "guidelines"
GL_HEADING = re.compile(r"^##\s+(GL-[A-Z0-9]+-\d+)\s*:", re.M)
GL_IN_TEXT = re.compile(r"\bGL-[A-Z0-9]+-\d+\b")


# ---------------------------------------------------------------- the evaluation set

def load_cases(path):
    """The cases of a JSONL file; blank lines and lines starting with // are skipped."""
    cases = []
    for n, line in enumerate(pathlib.Path(path).read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        try:
            c = json.loads(s)
        except json.JSONDecodeError as e:
            raise SystemExit(f"{path}:{n}: not JSON: {e}")
        c["_where"] = f"{pathlib.Path(path).name}:{n}"
        cases.append(c)
    return cases


def guideline_ids(folder=GUIDELINES):
    ids = set()
    for md in sorted(pathlib.Path(folder).glob("*.md")):
        ids.update(GL_HEADING.findall(md.read_text(encoding="utf-8")))
    return ids


# ---------------------------------------------------------------- changesets of a changelog
# Each reader returns (OrderedDict id -> Src, duplicate ids): the changeset's source text and its first and
# last line (0-based, as in LSP and `lqls check --format json`). The first one wins on duplicate ids, which
# the self-check reports.

Src = namedtuple("Src", "text first last")

def xml_changesets(data: bytes):
    """changeSet elements by id, with their exact source (expat, the parser under ElementTree)."""
    found, stack, dups = OrderedDict(), [], []
    parser = xml.parsers.expat.ParserCreate()

    def start(name, attrs):
        if name.split(":")[-1] == "changeSet":
            stack.append((attrs.get("id", ""), parser.CurrentByteIndex))
        else:
            stack.append(None)

    def end(name):
        top = stack.pop()
        if top is None:
            return
        cid, begin = top
        close = data.find(b">", parser.CurrentByteIndex)
        text = data[begin:close + 1].decode("utf-8", "replace")
        first = data.count(b"\n", 0, begin)
        if cid in found:
            dups.append(cid)
        else:
            found[cid] = Src(text, first, first + text.count("\n"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return found, dups


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _scalar(v):
    v = v.strip()
    if v[:1] in "\"'" and v[-1:] == v[:1] and len(v) >= 2:
        return v[1:-1]
    return re.sub(r"\s+#.*$", "", v).strip()


def _add_block(found, dups, cid, block, start):
    """Records changeset `cid`'s lines (trailing blank lines dropped), or `cid` as a duplicate."""
    while block and not block[-1].strip():
        block.pop()
    if cid in found:
        dups.append(cid)
    else:
        found[cid] = Src("\n".join(block), start, start + len(block) - 1)


def yaml_changesets(text: str):
    """`- changeSet:` items by id, read line by line (block style, as Liquibase YAML changelogs are written)."""
    lines = text.splitlines()
    starts = [i for i, l in enumerate(lines) if re.match(r"^\s*-\s+changeSet:\s*(#.*)?$", l)]
    found, dups = OrderedDict(), []
    for k, i in enumerate(starts):
        dash = _indent(lines[i])
        end = len(lines)
        for j in range(i + 1, len(lines)):
            l = lines[j]
            if l.strip() and not l.lstrip().startswith("#") and _indent(l) <= dash:
                end = j
                break
        block = lines[i:end]
        body = [l for l in block[1:] if l.strip() and not l.lstrip().startswith("#")]
        key_indent = min((_indent(l) for l in body), default=dash + 2)
        cid = None
        for l in body:
            m = re.match(r"^(\s*)id:\s*(.*)$", l)
            if m and len(m.group(1)) == key_indent:
                cid = _scalar(m.group(2))
                break
        if cid is None:
            continue
        _add_block(found, dups, cid, block, i)
    return found, dups


SQL_CHANGESET = re.compile(r"^--\s*changeset\s+(\S+)", re.I)


def sql_changesets(text: str):
    """`--changeset author:id` blocks of a formatted SQL changelog."""
    lines = text.splitlines()
    heads = [(i, SQL_CHANGESET.match(l)) for i, l in enumerate(lines)]
    heads = [(i, m.group(1)) for i, m in heads if m]
    found, dups = OrderedDict(), []
    for k, (i, author_id) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        cid = author_id.split(":", 1)[1] if ":" in author_id else author_id
        block = lines[i:end]
        _add_block(found, dups, cid, block, i)
    return found, dups


def json_changesets(text: str):
    found, dups = OrderedDict(), []
    for item in json.loads(text).get("databaseChangeLog", []):
        cs = item.get("changeSet") if isinstance(item, dict) else None
        if isinstance(cs, dict):
            cid = str(cs.get("id", ""))
            if cid in found:
                dups.append(cid)
            else:
                found[cid] = Src(json.dumps({"changeSet": cs}, indent=2), 0, text.count("\n"))
    return found, dups


def changesets_of(path: pathlib.Path):
    """(OrderedDict id -> source text, duplicate ids) of a changelog, by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return xml_changesets(path.read_bytes())
    text = path.read_text(encoding="utf-8")
    if suffix in (".yaml", ".yml"):
        return yaml_changesets(text)
    if suffix == ".sql":
        return sql_changesets(text)
    if suffix == ".json":
        return json_changesets(text)
    raise ValueError(f"unknown changelog format: {path.name}")


def pyyaml_ids(path: pathlib.Path):
    """Changeset ids per PyYAML, or None where PyYAML is not installed."""
    try:
        import yaml  # noqa: PLC0415
    except ImportError:
        return None
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(item["changeSet"].get("id")) for item in doc.get("databaseChangeLog", [])
            if isinstance(item, dict) and isinstance(item.get("changeSet"), dict)]


# ---------------------------------------------------------------- self-check

def self_check(cases, gl_ids, base=EVAL_DIR):
    """Problems with the evaluation set (list of strings), and echo leaks: phrases found in the changeset's
    own source, per case key."""
    errors, leaks, seen = [], {}, set()
    cache = {}
    for c in cases:
        where = c["_where"]
        for key in ("file", "changeset", "problems", "guidelines"):
            if key not in c:
                errors.append(f"{where}: no `{key}`")
        if any(key not in c for key in ("file", "changeset", "problems", "guidelines")):
            continue
        key = f"{c['file']}#{c['changeset']}"
        if key in seen:
            errors.append(f"{where}: {key} appears twice")
        seen.add(key)
        path = base / c["file"]
        if path not in cache:
            try:
                cache[path] = changesets_of(path) if path.is_file() else None
            except Exception as e:  # parse errors of any reader
                cache[path] = e
        got = cache[path]
        if got is None:
            errors.append(f"{where}: file {c['file']} does not exist")
            continue
        if isinstance(got, Exception):
            errors.append(f"{where}: {c['file']} does not parse: {got}")
            continue
        sets, dups = got
        if c["changeset"] not in sets:
            errors.append(f"{where}: no changeset {c['changeset']!r} in {c['file']} (has {', '.join(sets)})")
            continue
        if c["changeset"] in dups:
            errors.append(f"{where}: changeset id {c['changeset']!r} occurs more than once in {c['file']}")
        probs = c["problems"]
        if not 1 <= len(probs) <= 3:
            errors.append(f"{where}: {len(probs)} problems (1-3 expected)")
        for p in probs:
            if not p.get("name") or not p.get("any"):
                errors.append(f"{where}: a problem without name or phrases")
                continue
            for ph in p["any"]:
                if not ph or ph != ph.lower():
                    errors.append(f"{where}: phrase {ph!r} of {p['name']!r} is empty or not lowercase")
        for g in c["guidelines"]:
            if g not in gl_ids:
                errors.append(f"{where}: guideline {g} does not exist")
        source = sets[c["changeset"]].text.lower()
        hits = {p["name"]: [ph for ph in p["any"] if ph in source] for p in probs if p.get("any")}
        hits = {k: v for k, v in hits.items() if v}
        if hits:
            leaks[key] = hits
    for path, got in cache.items():
        if path.suffix.lower() in (".yaml", ".yml") and isinstance(got, tuple):
            ids = pyyaml_ids(path)
            if ids is not None and ids != list(got[0]) + got[1]:
                errors.append(f"{path.name}: the minimal YAML reader found {list(got[0])}, PyYAML {ids}")
    return errors, leaks


# ---------------------------------------------------------------- scoring

def mentioned(text, problem):
    low = text.lower()
    return [ph for ph in problem["any"] if ph in low]


def score_case(case, text, citations, removed, gl_ids):
    problems = []
    for p in case["problems"]:
        hits = mentioned(text, p)
        problems.append({"name": p["name"], "mentioned": bool(hits), "matched": hits[:3]})
    expected = set(case["guidelines"])
    return {
        "problems": problems,
        "citations": citations,
        "citations_valid": [g for g in citations if g in gl_ids],
        "citations_expected": [g for g in citations if g in expected],
        "removed_citations": removed,
        "expected_guidelines_cited": sorted(expected & set(citations)),
    }


def run_review(lqls, case, model, timeout):
    """(review dict, error string or None)."""
    cmd = [lqls, "review", str(pathlib.Path("tests") / "review" / case["file"]),
           "--changeset", case["changeset"], "--json"]
    if model:
        cmd += ["--model", model]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:g} s"
    except OSError as e:
        return None, f"cannot run {lqls}: {e}"
    wall_ms = (time.monotonic() - t0) * 1000
    if proc.returncode != 0:
        lines = [l.strip() for l in (proc.stderr.strip() or proc.stdout.strip()).splitlines() if l.strip()]
        msg = next((l for l in lines if "error" in l.lower()), lines[-1] if lines else "(no output)")
        return None, f"exit {proc.returncode}: {msg[:200]}"
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return None, f"output is not JSON: {e}"
    reviews = out.get("reviews") if isinstance(out, dict) else None
    if not isinstance(reviews, list) or not reviews:
        return None, "no `reviews` in the output"
    review = next((r for r in reviews if str(r.get("changeset")) == case["changeset"]), None)
    if review is None:
        return None, f"no review of changeset {case['changeset']} (got {[r.get('changeset') for r in reviews]})"
    if not isinstance(review.get("text"), str):
        return None, "the review has no `text`"
    review["_wall_ms"] = wall_ms
    return review, None


# ---------------------------------------------------------------- baselines (--dry-run)

GENERIC_REVIEW = (
    "This changeset looks reasonable. Make sure it has a rollback, follows the naming conventions, has a "
    "comment that explains why, and has been tested before it is deployed to production.")


def rule_guideline_map(folder=ROOT / "docs" / "rules"):
    """Rule code -> the guideline ids its documentation links (`- Guideline: `GL-...``)."""
    out = {}
    for md in pathlib.Path(folder).glob("*.md"):
        for line in md.read_text(encoding="utf-8").splitlines():
            if line.lstrip("- ").startswith("Guideline"):
                out[md.stem] = GL_IN_TEXT.findall(line)
    return out


def check_findings(lqls, path, cache):
    """`lqls check --format json` diagnostics of one file (cached per file)."""
    if path not in cache:
        proc = subprocess.run([lqls, "check", "--no-git", "--format", "json", str(path)],
                              capture_output=True, text=True)
        if proc.returncode == 2:
            raise RuntimeError(f"lqls check exit 2: {proc.stderr.strip()[-300:]}")
        cache[path] = json.loads(proc.stdout or "[]")
    return cache[path]


def baseline_text(mode, case, src, lqls, cache, rule_gls):
    """(review text, citations) that the baseline `mode` offers for one case."""
    if mode == "source":
        return src.text, sorted(set(GL_IN_TEXT.findall(src.text)))
    if mode == "generic":
        return GENERIC_REVIEW, []
    # rules: the messages of the findings inside the changeset, citing the guidelines their rules link
    diags = [d for d in check_findings(lqls, EVAL_DIR / case["file"], cache)
             if src.first <= d["range"]["start"]["line"] <= src.last]
    text = "\n".join(f"{d['code']}: {d['message']}" for d in diags)
    cites = []
    for d in diags:
        for g in rule_gls.get(d["code"], []):
            if g not in cites:
                cites.append(g)
    return text, cites


def mean(xs):
    xs = [x for x in xs if isinstance(x, (int, float))]
    return statistics.fmean(xs) if xs else None


def summarize(results, mode):
    scored = [r for r in results if "error" not in r]
    total = sum(len(r["problems"]) for r in scored)
    hit = sum(p["mentioned"] for r in scored for p in r["problems"])
    by_type = OrderedDict()
    for r in scored:
        for p in r["problems"]:
            t = by_type.setdefault(p["name"], [0, 0])
            t[0] += p["mentioned"]
            t[1] += 1
    cits = [g for r in scored for g in r["citations"]]
    gens = [r["generation"] for r in scored if r.get("generation") and not r.get("cached")]
    return {
        "mode": mode,
        "cases": len(results),
        "cases_scored": len(scored),
        "errors": len(results) - len(scored),
        "problems_total": total,
        "problems_mentioned": hit,
        "problem_recall": hit / total if total else None,
        "cases_with_a_problem_mentioned": sum(any(p["mentioned"] for p in r["problems"]) for r in scored),
        "cases_with_all_problems_mentioned": sum(all(p["mentioned"] for p in r["problems"]) for r in scored),
        "by_problem_type": {k: {"mentioned": v[0], "total": v[1]} for k, v in by_type.items()},
        "citations_made": len(cits),
        "citations_valid": sum(len(r["citations_valid"]) for r in scored),
        "citations_expected": sum(len(r["citations_expected"]) for r in scored),
        "expected_guidelines": sum(len(r["guidelines"]) for r in scored),
        "expected_guidelines_cited": sum(len(r["expected_guidelines_cited"]) for r in scored),
        "removed_citations": sum(len(r["removed_citations"]) for r in scored),
        "cases_cached": sum(bool(r.get("cached")) for r in scored),
        "generation": {
            "reviews": len(gens),
            "mean_total_ms": mean(g.get("total_ms") for g in gens),
            "mean_first_token_ms": mean(g.get("first_token_ms") for g in gens),
            "mean_prompt_tokens": mean(g.get("prompt_tokens") for g in gens),
            "mean_generated_tokens": mean(g.get("generated_tokens") for g in gens),
        },
        "mean_wall_ms": mean(r.get("wall_ms") for r in scored),
    }


def pct(a, b):
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else f"{a}/{b}"


def fmt(x, unit=""):
    return "-" if x is None else f"{x:.0f}{unit}"


def print_report(results, s, out=sys.stdout):
    w = lambda *a: print(*a, file=out)  # noqa: E731
    title = {"dry-run:source": "Dry run: each changeset's own source text scored as its review",
             "dry-run:rules": "Dry run: the messages of lqls check's findings in each changeset scored as its review",
             "dry-run:generic": "Dry run: one fixed generic review text scored for every changeset",
             }.get(s["mode"], "Review evaluation")
    w(f"## {title}\n")
    w(f"{'case':<46} {'problems':>8} {'cites':>7} {'valid':>5} {'expect':>6} {'removed':>7} {'ms':>7}  missed")
    for r in results:
        name = f"{pathlib.Path(r['file']).name}#{r['changeset']}"
        if "error" in r:
            w(f"{name:<46} ERROR: {r['error']}")
            continue
        n_hit = sum(p["mentioned"] for p in r["problems"])
        missed = ", ".join(p["name"] for p in r["problems"] if not p["mentioned"])
        ms = (r.get("generation") or {}).get("total_ms")
        w(f"{name:<46} {n_hit:>4}/{len(r['problems']):<3} {len(r['citations']):>7} {len(r['citations_valid']):>5} "
          f"{len(r['citations_expected']):>6} {len(r['removed_citations']):>7} {fmt(ms):>7}  {missed}")
    w("\n| measure | value |\n| --- | --- |")
    w(f"| cases scored | {s['cases_scored']}/{s['cases']} ({s['errors']} errors) |")
    w(f"| problems mentioned | {pct(s['problems_mentioned'], s['problems_total'])} |")
    w(f"| cases with >= 1 problem mentioned | {pct(s['cases_with_a_problem_mentioned'], s['cases_scored'])} |")
    w(f"| cases with every problem mentioned | {pct(s['cases_with_all_problems_mentioned'], s['cases_scored'])} |")
    w(f"| citations made | {s['citations_made']} |")
    w(f"| citations valid (existing guideline) | {pct(s['citations_valid'], s['citations_made'])} |")
    w(f"| citations among the expected guidelines | {pct(s['citations_expected'], s['citations_made'])} |")
    w(f"| expected guidelines cited | {pct(s['expected_guidelines_cited'], s['expected_guidelines'])} |")
    w(f"| invalid citations removed by the server | {s['removed_citations']} |")
    if s["mode"] == "review":
        g = s["generation"]
        w(f"| reviews generated / served from cache | {g['reviews']} / {s['cases_cached']} |")
        w(f"| mean generation time | {fmt(g['mean_total_ms'], ' ms')} (first token {fmt(g['mean_first_token_ms'], ' ms')}) |")
        w(f"| mean prompt / generated tokens | {fmt(g['mean_prompt_tokens'])} / {fmt(g['mean_generated_tokens'])} |")
        w(f"| mean wall time per case (process) | {fmt(s['mean_wall_ms'], ' ms')} |")
    w("\n| problem type | mentioned |\n| --- | --- |")
    for name, t in sorted(s["by_problem_type"].items(), key=lambda kv: (-kv[1]["total"], kv[0])):
        w(f"| {name} | {pct(t['mentioned'], t['total'])} |")


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lqls", nargs="?", metavar="LQLS_BIN", help="the lqls binary (not needed with --dry-run or --self-check)")
    ap.add_argument("--model", help="passed on as `lqls review --model PATH`")
    ap.add_argument("--out", help="write the summary and per-case results as JSON to this file")
    ap.add_argument("--dry-run", nargs="?", const="source", choices=["source", "rules", "generic"],
                    help="score a baseline instead of `lqls review`: the changeset's own source (default), "
                         "the messages of `lqls check` findings inside it (needs LQLS_BIN), or one fixed "
                         "generic review text")
    ap.add_argument("--self-check", action="store_true", help="only verify the evaluation set")
    ap.add_argument("--eval", default=str(EVAL_DIR / "eval.jsonl"), help="the evaluation set (JSONL)")
    ap.add_argument("--only", help="run only cases whose `file#changeset` contains this text")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per review (default 600)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each review text")
    a = ap.parse_args(argv)

    cases = load_cases(a.eval)
    base = pathlib.Path(a.eval).resolve().parent
    gl_ids = guideline_ids()
    errors, leaks = self_check(cases, gl_ids, base)
    if errors or a.self_check:
        n_probs = sum(len(c.get("problems", [])) for c in cases)
        files = {c.get("file") for c in cases}
        print(f"self-check: {len(cases)} cases in {len(files)} files, {n_probs} problems, "
              f"{len(gl_ids)} guideline ids in the knowledge base", file=sys.stderr)
        for e in errors:
            print(f"  error: {e}", file=sys.stderr)
        if a.self_check:
            for key, hits in leaks.items():
                note = next((c.get("note") for c in cases if f"{c['file']}#{c['changeset']}" == key), None)
                shown = "; ".join(f"{k}: {', '.join(map(repr, v))}" for k, v in hits.items())
                print(f"  echo: {key}: {shown}" + (" (noted)" if note else ""), file=sys.stderr)
        if errors:
            return 1
        print("self-check: ok", file=sys.stderr)
        return 0
    if (not a.dry_run or a.dry_run == "rules") and not a.lqls:
        ap.error("LQLS_BIN is required unless --dry-run (source or generic) or --self-check")
    if a.only:
        cases = [c for c in cases if a.only in f"{c['file']}#{c['changeset']}"]

    results, check_cache, rule_gls = [], {}, rule_guideline_map()
    for i, c in enumerate(cases, 1):
        r = {"file": c["file"], "changeset": c["changeset"], "guidelines": c["guidelines"]}
        if a.dry_run:
            src = changesets_of(base / c["file"])[0][c["changeset"]]
            try:
                text, citations = baseline_text(a.dry_run, c, src, a.lqls, check_cache, rule_gls)
            except (RuntimeError, OSError, json.JSONDecodeError) as e:
                r["error"] = str(e)
                results.append(r)
                continue
            r.update(score_case(c, text, citations, [], gl_ids), text=text)
        else:
            print(f"[{i}/{len(cases)}] {c['file']} {c['changeset']}", file=sys.stderr, flush=True)
            review, err = run_review(a.lqls, c, a.model, a.timeout)
            if err:
                print(f"  error: {err}", file=sys.stderr)
                r["error"] = err
                results.append(r)
                continue
            citations = [str(g) for g in review.get("citations") or []]
            removed = [str(g) for g in review.get("removed_citations") or []]
            r.update(score_case(c, review["text"], citations, removed, gl_ids))
            r.update(text=review["text"], cached=bool(review.get("cached")),
                     generation=review.get("generation"), wall_ms=review["_wall_ms"])
            if a.verbose:
                print(review["text"], file=sys.stderr)
        results.append(r)

    summary = summarize(results, f"dry-run:{a.dry_run}" if a.dry_run else "review")
    print_report(results, summary)
    if a.out:
        pathlib.Path(a.out).write_text(json.dumps({"summary": summary, "cases": results}, indent=2) + "\n",
                                       encoding="utf-8")
        print(f"wrote {a.out}", file=sys.stderr)
    return 1 if results and summary["cases_scored"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
