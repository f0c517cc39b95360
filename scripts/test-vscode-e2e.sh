#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server (from npm) in headless Chromium (Debian's
# chromium package), driven by playwright-core (editors/vscode-e2e/e2e.mjs). Installs what is missing, then runs it:
#   - chromium, from apt, when /usr/bin/chromium is missing (needs root);
#   - code-server $CODE_SERVER_VERSION, with npm into ~/.cache/lqls/code-server-$CODE_SERVER_VERSION (once; it builds
#     native modules, so g++, make, python3 and libkrb5-dev come from apt when missing, and ripgrep: see below);
#   - editors/vscode-e2e's packages (npm ci, from package-lock.json).
# Inputs: LQLS_BIN (default target/release/lqls) and LQLS_VSIX (default target/lqls-vscode.vsix, which
# scripts/test-vscode.sh builds). LQLS_E2E_REVIEW=1 also runs an AI review (needs the review model from
# scripts/setup-models.sh). Screenshots and logs of a failure go to target/vscode-e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$SECONDS

# The newest code-server whose engines accept Node 20 (4.103 and later want Node 22).
CODE_SERVER_VERSION=4.100.3
code_server_dir=${LQLS_CODE_SERVER_DIR:-$HOME/.cache/lqls/code-server-$CODE_SERVER_VERSION}
code_server=$code_server_dir/node_modules/.bin/code-server
# code-server's npm-shrinkwrap.json pins @vscode/ripgrep, whose install script downloads this ripgrep release from
# GitHub (unreachable here): the archive for this machine is made from Debian's rg instead (see below).
RIPGREP_PACKAGE_VERSION=1.15.11

section() { printf '\n== %s\n' "$1"; }

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  section "apt-get install ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or install them)"; exit 1
  fi
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

section "node $(node --version), npm $(npm --version)"

if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
chromium_version=$(/usr/bin/chromium --version 2>/dev/null || true)
echo "chromium: ${chromium_version:-?}"

if [ ! -x "$code_server" ]; then
  section "install code-server $CODE_SERVER_VERSION into $code_server_dir"
  t0=$SECONDS
  # kerberos, node-pty, spdlog and native-watchdog are built from source; ripgrep's binary comes from Debian.
  apt_install g++ make python3 pkg-config libkrb5-dev ripgrep
  case "$(uname -m)" in
    x86_64) ripgrep_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ;;
    aarch64) ripgrep_asset=ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz ;;
    *) echo "no ripgrep stand-in for $(uname -m)"; exit 1 ;;
  esac
  mkdir -p "$(dirname "$code_server_dir")"
  staging=$(mktemp -d "${code_server_dir}.staging.XXXXXX")
  install_tmp=$(mktemp -d)
  trap 'rm -rf "$staging" "$install_tmp"' EXIT
  # @vscode/ripgrep's install script takes a cached download from $TMPDIR/vscode-ripgrep-cache-VERSION when there
  # is one: give it Debian's rg in the archive it would have downloaded.
  mkdir -p "$install_tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  tar czf "$install_tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION/$ripgrep_asset" -C /usr/bin rg
  echo '{ "name": "lqls-code-server", "private": true }' >"$staging/package.json"
  # code-server's postinstall insists on unsafe-perm as root (npm 9+ no longer knows the option, it still reaches the
  # script's environment); node-pty's runs `npx node-gyp`, which must not stop to ask.
  (cd "$staging" && TMPDIR=$install_tmp npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  rm -rf "$code_server_dir"
  mv "$staging" "$code_server_dir"
  rm -rf "$install_tmp"
  trap - EXIT
  echo "installed code-server $CODE_SERVER_VERSION in $((SECONDS - t0)) s"
fi
echo "code-server: $("$code_server" --version | head -1)"

section "npm ci (editors/vscode-e2e, from package-lock.json)"
(cd editors/vscode-e2e && npm ci --no-audit --no-fund --loglevel=error)

export LQLS_BIN=${LQLS_BIN:-$root/target/release/lqls}
export LQLS_VSIX=${LQLS_VSIX:-$root/target/lqls-vscode.vsix}
if [ ! -x "$LQLS_BIN" ]; then
  echo "no server binary at $LQLS_BIN: cargo build --release (or set LQLS_BIN)"; exit 1
fi
if [ ! -f "$LQLS_VSIX" ]; then
  echo "no extension at $LQLS_VSIX: bash scripts/test-vscode.sh builds it (or set LQLS_VSIX)"; exit 1
fi
export CODE_SERVER=$code_server CHROMIUM=/usr/bin/chromium

section "e2e (code-server + headless chromium + playwright-core)"
status=0
node editors/vscode-e2e/e2e.mjs || status=$?
echo "test-vscode-e2e: $((SECONDS - start)) s in all"
exit "$status"
