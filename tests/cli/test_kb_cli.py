"""`lqls kb index | search | stats` from the command line: the documented JSON, cascade order and tier
labels, a project knowledge base, a corrupt index rebuilt, a file that is not UTF-8 skipped with a warning,
and a missing model named with the setup command.

Needs the embedding model (scripts/setup-models.sh) except for the missing-model test: without it the others
are skipped, unless LQLS_REQUIRE_MODELS=1 (as in CI)."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))
needs_model = pytest.mark.needs_model
TIERS = ["guidelines", "examples", "docs"]


def kb(*args, cwd=None, env=None):
    return subprocess.run([LQLS, "kb", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


@needs_model
def test_search_json_is_in_cascade_order_with_citations(tmp_path):
    out = kb("search", "adding a NOT NULL column to a large live table", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert 1 <= len(hits) <= 5
    for h in hits:
        assert set(h) >= {"tier", "score", "path", "heading", "guideline_id", "lines", "text"}
        assert h["tier"] in TIERS and isinstance(h["score"], float)
        start, end = h["lines"]
        lines = pathlib.Path(h["path"]).read_text().splitlines()
        assert 1 <= start <= end <= len(lines)
    # Tiers never go back up: guidelines, then examples, then docs.
    order = [TIERS.index(h["tier"]) for h in hits]
    assert order == sorted(order)
    assert hits[0]["guideline_id"] == "GL-LIVE-001"
    # The cited lines are the section itself.
    first = hits[0]
    assert pathlib.Path(first["path"]).read_text().splitlines()[first["lines"][0] - 1].startswith("## GL-LIVE-001")


@needs_model
def test_one_tier_and_k(tmp_path):
    out = kb("search", "what does validCheckSum do", "--tier", "docs", "-k", "2", "--json", cwd=tmp_path)
    hits = json.loads(out.stdout)
    assert len(hits) == 2 and all(h["tier"] == "docs" for h in hits)
    assert all(h["guideline_id"] is None for h in hits)


@needs_model
def test_project_knowledge_base_index_corruption_and_bad_files(tmp_path):
    kbdir = tmp_path / "kb"
    (kbdir / "guidelines").mkdir(parents=True)
    (kbdir / "guidelines" / "ours.md").write_text(
        "# Ours\n\n## GL-OURS-001: Every table has an owner column\n\nEvery table has an owner_team column naming "
        "the team that owns its data.\n")
    (kbdir / "guidelines" / "broken.md").write_bytes(b"# Broken\n\n## S\n\n\xff\xfe not text\n")
    cache = tmp_path / "cache"
    env = {"LQLS_CACHE": str(cache)}
    out = kb("index", "--kb", str(kbdir), "--no-bundled", cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "broken.md: not UTF-8 text, skipped" in out.stderr
    assert "guidelines    1 chunks, index built" in out.stdout
    out = kb("index", "--kb", str(kbdir), "--no-bundled", cwd=tmp_path, env=env)
    assert "1 embedded" not in out.stdout and "index loaded" in out.stdout
    # Corrupt the persisted index: it is rebuilt, not loaded.
    index = next(cache.glob("kb/index/*/guidelines.usearch"))
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 0xFF
    index.write_bytes(bytes(data))
    out = kb("index", "--kb", str(kbdir), "--no-bundled", cwd=tmp_path, env=env)
    assert "index rebuilt (the index file does not match its manifest" in out.stdout, out.stdout
    out = kb("search", "who owns a table", "--kb", str(kbdir), "--no-bundled", "--json", cwd=tmp_path, env=env)
    hits = json.loads(out.stdout)
    assert hits[0]["guideline_id"] == "GL-OURS-001"
    # With the bundled knowledge base too (its vectors are in the default cache, warm after the other tests).
    out = kb("stats", "--kb", str(kbdir), "--json", cwd=tmp_path)
    stats = json.loads(out.stdout)
    g = next(t for t in stats["tiers"] if t["tier"] == "guidelines")
    assert g["project"] == 1 and g["bundled"] >= 40


def test_a_missing_model_names_the_setup_command(tmp_path):
    out = kb("search", "anything", "--model", str(tmp_path / "nope"), cwd=tmp_path)
    assert out.returncode == 2
    assert "setup-models.sh" in out.stderr and str(tmp_path / "nope") in out.stderr


def test_a_knowledge_base_that_is_not_a_folder(tmp_path):
    out = kb("index", "--kb", str(tmp_path / "missing"), cwd=tmp_path)
    assert out.returncode == 2 and "is not a folder" in out.stderr
