#!/usr/bin/env bash
# Builds llama.cpp's llama-server (with llama-tokenize, llama-bench and llama-completion), the real
# OpenAI-compatible server the `openai` backend's tests talk to (server/tests/openai_backend.rs).
#
# The build is ../shared/peers/build-llamacpp.sh beside this repository (llama.cpp as vendored in PyPI's
# llama-cpp-python sdist, so it needs only PyPI, a C++ compiler and cmake; about 4 minutes on 2 cores).
#
# Usage: scripts/setup-llamacpp.sh [DIR]
#   DIR: where to build; default ${LQLS_LLAMACPP_DIR:-$HOME/.cache/lqls/llamacpp}.
# The shared build script turns on a fixed list of x86 extensions (AVX2, AVX512, AVX512-VBMI/VNNI,
# AVX-VNNI, FMA, F16C, BMI2) for speed without GGML_NATIVE; a CPU without one of them (an AMD EPYC
# Zen 4 has AVX512-VNNI but not AVX-VNNI) dies with SIGILL in the first matrix product. So after the
# build, each of those the CPU lacks (per /proc/cpuinfo) is turned off and the CPU backend rebuilt.
#
# Idempotent: nothing is built when the binaries are already in DIR, built for this CPU. cmake (and a C++ compiler) are
# installed with apt-get when missing and running as root. Progress goes to stderr; the last line on
# stdout is the bin folder, for LQLS_LLAMA_BIN:
#   export LQLS_LLAMA_BIN=$(scripts/setup-llamacpp.sh | tail -n 1)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${LQLS_SHARED:-$root/../shared}"
dir="${1:-${LQLS_LLAMACPP_DIR:-$HOME/.cache/lqls/llamacpp}}"
builder="$shared/peers/build-llamacpp.sh"
needed=(llama-server llama-tokenize llama-bench)

say() { echo "setup-llamacpp: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# Prints the bin folder under $dir holding every needed binary, if there is one.
built_bin() {
    local bin tool
    for bin in "$dir"/llama_cpp_python-*/vendor/llama.cpp/build/bin; do
        [ -d "$bin" ] || continue
        for tool in "${needed[@]}"; do
            [ -x "$bin/$tool" ] || continue 2
        done
        echo "$bin"
        return 0
    done
    return 1
}

# The -DGGML_X=OFF options a build needs for this CPU: each extension the build script turns on that
# /proc/cpuinfo does not list. Nothing off on a machine without /proc/cpuinfo (not Linux).
cpu_fixes() {
    [ -r /proc/cpuinfo ] || return 0
    local flags pair
    flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    for pair in AVX2:avx2 AVX512:avx512f AVX512_VBMI:avx512vbmi AVX512_VNNI:avx512_vnni \
        AVX_VNNI:avx_vnni FMA:fma F16C:f16c BMI2:bmi2; do
        case "$flags" in
        *" ${pair#*:} "*) ;;
        *) echo "-DGGML_${pair%%:*}=OFF" ;;
        esac
    done
}

# The fixes the build in bin folder $1 still needs: those whose option its CMakeCache has on.
pending_fixes() {
    local cache="$1/../CMakeCache.txt" fix option
    for fix in $(cpu_fixes); do
        option="${fix#-D}"
        option="${option%=OFF}"
        grep -q "^$option:BOOL=ON\$" "$cache" 2>/dev/null && echo "$fix"
    done
    return 0
}

# Rebuilds the bin folder $1 with the pending fixes (the CPU backend and the links only).
fix_for_cpu() {
    local bin="$1" build src fixes
    mapfile -t fixes < <(pending_fixes "$bin")
    [ "${#fixes[@]}" -eq 0 ] && return 0
    build="$(cd "$bin/.." && pwd)"
    src="$(cd "$build/.." && pwd)"
    say "this CPU lacks extensions the build turned on; rebuilding with ${fixes[*]}"
    cmake -S "$src" -B "$build" "${fixes[@]}" >>"$dir/cmake.log" 2>&1 || die "cmake failed (see $dir/cmake.log)"
    cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" \
        --target llama-bench llama-completion llama-tokenize llama-server >>"$dir/build.log" 2>&1 ||
        die "the rebuild failed (see $dir/build.log)"
    [ -z "$(pending_fixes "$bin")" ] || die "the rebuild did not turn off ${fixes[*]}"
}

if bin="$(built_bin)" && [ -z "$(pending_fixes "$bin")" ]; then
    say "llama.cpp already built in $dir"
    echo "$bin"
    exit 0
fi

# apt-get installs: only as root, so a developer's machine is never changed behind their back.
apt_install() {
    [ "$(id -u)" -eq 0 ] || die "$1 is missing: install it (apt-get install $2), then run this again"
    command -v apt-get >/dev/null || die "$1 is missing and there is no apt-get to install it with"
    say "installing $2 with apt-get"
    if [ -z "${apt_updated:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
}
command -v cmake >/dev/null || apt_install cmake cmake
command -v c++ >/dev/null || command -v g++ >/dev/null || apt_install "a C++ compiler" g++

mkdir -p "$dir"
# One build at a time per folder: a second caller waits for the first one's build, then finds it.
if command -v flock >/dev/null; then
    exec 9>"$dir/.setup.lock"
    flock 9
fi

start=$SECONDS
if bin="$(built_bin)"; then
    # Built already (by an earlier run, or by another caller while this one waited for the lock).
    fix_for_cpu "$bin"
else
    [ -f "$builder" ] || die "the build script $builder is missing (is ../shared beside the repository? set LQLS_SHARED)"
    say "building llama.cpp in $dir (a few minutes; logs: $dir/cmake.log, $dir/build.log)"
    # The builder prints the bin folder as its last line; its other output is progress.
    out="$(bash "$builder" "$dir")" || die "the llama.cpp build failed: $out"
    bin="$(printf '%s\n' "$out" | tail -n 1)"
    fix_for_cpu "$bin"
fi
for tool in "${needed[@]}"; do
    [ -x "$bin/$tool" ] || die "the build finished but $bin/$tool is missing"
done
say "ready in $((SECONDS - start)) s"
echo "$bin"
