#!/usr/bin/env python3
"""Reference token ids for lqls's GGUF tokenizer test (server/tests/llm_tokenizer.rs).

Tokenizes fixed strings with llama.cpp's llama-tokenize, the implementation GGUF files are made for,
and writes them with their ids to server/tests/fixtures/llm/tokenizer_smollm2.json. The Rust tokenizer
built from the GGUF's metadata (server/src/llm/gguf_tokenizer.rs) must give the same ids.

The ids are without BOS (--no-bos; SmolLM2's GGUF says add_bos_token = false anyway) and with special
tokens parsed (llama-tokenize's default), so "<|im_start|>" written in a string is one id. Each string
is passed byte for byte on standard input with escape processing off.

Needs: a llama.cpp build (its bin folder holds llama-tokenize) and the model scripts/setup-models.sh
installs.
Usage: scripts/tokenizer_reference.py [--llama-bin DIR] [--model GGUF] [--out FILE]
  DIR: default $LQLS_LLAMA_BIN, else llama-tokenize from PATH.
  GGUF: default $LQLS_MODELS (or ~/.cache/lqls/models)/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf
"""

import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "server/tests/fixtures/llm/tokenizer_smollm2.json"
MODEL = "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf"

CHANGESET_XML = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="20240131-1" author="alice" runOnChange="true">
        <addColumn tableName="customer">
            <column name="email" type="VARCHAR(255)">
                <constraints nullable="false"/>
            </column>
        </addColumn>
        <rollback><dropColumn tableName="customer" columnName="email"/></rollback>
    </changeSet>
</databaseChangeLog>
"""

CHANGESET_YAML = """databaseChangeLog:
  - changeSet:
      id: 2
      author: bob
      changes:
        - createIndex:
            indexName: idx_orders_customer_id
            tableName: orders
            columns:
              - column:
                  name: customer_id
"""

CHATML = (
    "<|im_start|>system\nYou review Liquibase changesets. Answer in at most three bullet points."
    "<|im_end|>\n<|im_start|>user\nIs it safe to add a NOT NULL column without a default value to a "
    "table with 12345 rows?<|im_end|>\n<|im_start|>assistant\n"
)

# Prose, SQL with numbers, changelog formats, a chat prompt with special tokens, unicode of several
# scripts and emoji, whitespace at the ends, runs of newlines, tabs, CRLF, contractions, empty input.
STRINGS = [
    "",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog. It's a test; isn't it?",
    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(255) NOT NULL, "
    "balance DECIMAL(12,2) DEFAULT 0);",
    "INSERT INTO orders VALUES (12345, 'pending', 3.14159, '2024-01-31 23:59:59');",
    "-- comment\nALTER TABLE t ADD COLUMN c INT DEFAULT 0;\n",
    CHANGESET_XML,
    CHANGESET_YAML,
    '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "bob", "changes": []}}]}',
    CHATML,
    "café – naïve 日本語 🚀",
    "Ünïcödé ñ ß ø Ελληνικά русский العربية हिन्दी",
    "emoji 👍🏽 and a family 👨\u200d👩\u200d👧",
    "   three leading spaces",
    "trailing spaces   ",
    "   ",
    "\n\nnewlines\n\n\nbetween\n",
    "tabs\tand\t\tmore\ttabs\t",
    "CRLF line\r\nendings\r\n",
    "don't won't I'm we'll they've she'd it's DON'T",
    "x = 1000000 + 2_000 - 3.5e10 * 0x1F",
    "camelCaseIdentifiers like addNotNullConstraint and snake_case_names",
    "Special tokens <|im_end|> inside text and <|endoftext|> too",
]


def llama_tokenize(binary, model, text):
    out = subprocess.run(
        [binary, "-m", str(model), "--stdin", "--no-escape", "--no-bos", "--ids", "--log-disable"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout.decode("utf-8").strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--llama-bin", default=os.environ.get("LQLS_LLAMA_BIN"))
    models = os.environ.get("LQLS_MODELS") or os.path.expanduser("~/.cache/lqls/models")
    ap.add_argument("--model", default=os.path.join(models, MODEL))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args()

    if args.llama_bin:
        binary = os.path.join(args.llama_bin, "llama-tokenize")
    else:
        binary = shutil.which("llama-tokenize")
    if not binary or not os.path.exists(binary):
        sys.exit("llama-tokenize not found: pass --llama-bin or set LQLS_LLAMA_BIN")
    model = pathlib.Path(args.model)
    if not model.exists():
        sys.exit(f"{model} not found: run scripts/setup-models.sh")

    version = subprocess.run([binary, "--version"], capture_output=True, text=True)
    version = (version.stdout + version.stderr).strip().splitlines()[0]
    sha = hashlib.sha256(model.read_bytes()).hexdigest()
    cases = [{"text": s, "ids": llama_tokenize(binary, model, s)} for s in STRINGS]
    doc = {
        "about": "Token ids llama.cpp's llama-tokenize gives for each text with the model "
        "(no BOS, special tokens parsed); written by scripts/tokenizer_reference.py.",
        "model": model.name,
        "model_sha256": sha,
        "llama_cpp": version,
        "cases": cases,
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # One case a line: a diff shows which strings changed.
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, ensure_ascii=False, indent=1)
    lines = ",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases)
    out.write_text(head[:-2] + ',\n "cases": [\n' + lines + "\n ]\n}\n", encoding="utf-8")
    print(f"{len(cases)} strings written to {out}")


if __name__ == "__main__":
    main()
