#!/usr/bin/env bash
# Builds and checks the VS Code extension (editors/vscode): clean install from package-lock.json, strict type check,
# ESLint with no warnings, the unit tests (node:test, no VS Code needed), then packages the vsix into
# target/lqls-vscode.vsix and checks what it ships. Needs Node 20+ and npm (packages come from the npm registry,
# cached in ~/.npm). Run from anywhere; CI runs it from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
vsix="$root/target/lqls-vscode.vsix"
start=$SECONDS

section() { printf '\n== %s\n' "$1"; }

section "node $(node --version), npm $(npm --version)"
cd editors/vscode

section "npm ci (editors/vscode, from package-lock.json)"
# --ignore-scripts: no dependency needs its install script (esbuild finds its platform binary package itself).
npm ci --no-audit --no-fund --ignore-scripts

section "typecheck (tsc --noEmit, strict)"
npm run typecheck

section "lint (eslint --max-warnings 0)"
npm run lint

section "unit tests (node:test on the compiled modules)"
npm test

section "package (vsce package --no-dependencies -> target/lqls-vscode.vsix)"
mkdir -p "$root/target"
rm -f "$vsix"
npx --no-install vsce package --no-dependencies -o "$vsix"

section "verify the vsix"
# python3 reads the zip (unzip is not on every CI image).
listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$vsix")
fail=0
for required in extension/package.json extension/out/extension.js extension/readme.md; do
  if ! grep -qx "$required" <<<"$listing"; then
    echo "missing from the vsix: $required"; fail=1
  fi
done
if grep -q 'node_modules/' <<<"$listing"; then
  echo "the vsix ships node_modules:"; grep 'node_modules/' <<<"$listing" | head; fail=1
fi
if grep -Eq '^extension/(src|test|out-test)/|\.map$|\.ts$' <<<"$listing"; then
  echo "the vsix ships sources, tests or source maps:"; grep -E '^extension/(src|test|out-test)/|\.map$|\.ts$' <<<"$listing" | head; fail=1
fi
# The bundle must be the extension's entry point and load vscode only from the editor.
python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("extension/package.json"))' "$vsix" | node -e '
  const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (m.main !== "./out/extension.js" || m.name !== "lqls" || m.publisher !== "lqls") {
    console.error("unexpected manifest:", m.name, m.publisher, m.main); process.exit(1);
  }'
[ "$fail" = 0 ] || exit 1
echo "$listing" | sed 's/^/  /'
echo "ok: $vsix ($(wc -c <"$vsix") bytes) in $((SECONDS - start)) s"
