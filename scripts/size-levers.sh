#!/usr/bin/env bash
# How small tuning alone makes the wasm core: the package built as shipped,
# then with each size lever stacked on the last, each printed as raw and
# gzipped bytes. Every variant is a full package (target/size-levers/NAME/www/dist)
# that `cd www && node bench/ab.mjs DIST_A DIST_B` can time against another.
#   shipped     the build as configured (opt-level 3, inline threshold from wasm-pack.toml)
#   z           opt-level "z", LLVM's inline threshold 25
#   z-soft-sha  and SHA-512's rolled compression (sha2's `force-soft-compact`)
#   z-abort     and std rebuilt with panics as immediate aborts (nightly with
#               rust-src only: skipped when missing)
# Builds in a copy of the working tree, never touching www/dist; a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=target/size-levers

# A copy of the tracked and new files, sharing the npm dependencies.
copy_tree() {
  local tree=$work/$1
  rm -rf "$tree" && mkdir -p "$tree"
  git ls-files -z --cached --others --exclude-standard | grep -zv '^www/node_modules/' |
    xargs -0 tar -cf - | tar -xf - -C "$tree"
  ln -s "$root/www/node_modules" "$tree/www/node_modules"
  echo "$tree"
}

# Edits a copy's manifest and checks that the edit took, so a changed manifest
# fails the script instead of measuring the unchanged build.
edit() {
  local file=$1 expression=$2 expected=$3
  sed -i "$expression" "$file"
  grep -qF -- "$expected" "$file" || { echo "size-levers: could not set '$expected' in $file" >&2; exit 1; }
}

# Applies the levers that live in the copy's manifests (`abort` is the build's environment).
apply_levers() {
  local tree=$1; shift
  for lever in "$@"; do
    case $lever in
      z)
        edit "$tree/Cargo.toml" '/^\[profile.wasm\]/,/^$/s/^opt-level = 3$/opt-level = "z"/' 'opt-level = "z"'
        edit "$tree/wasm-pack.toml" 's/^inline-threshold = .*/inline-threshold = 25/' 'inline-threshold = 25' ;;
      soft-sha)
        edit "$tree/Cargo.toml" '/^ed25519-dalek = /a sha2 = { version = "0.10", default-features = false, features = ["force-soft-compact"] }' \
          'force-soft-compact' ;;
    esac
  done
}

# One line: the variant's module, raw and gzipped.
report() {
  local name=$1 wasm=$2
  # Measured as www/scripts/budgets.mjs measures it: zlib at level 9.
  local gzipped; gzipped=$(node -e 'const { gzipSync } = require("node:zlib");
    console.log(gzipSync(require("node:fs").readFileSync(process.argv[1]), { level: 9 }).length)' "$wasm")
  printf '%-11s %7d bytes raw  %7d bytes gzipped (%s KB)\n' "$name" "$(wc -c < "$wasm")" "$gzipped" \
    "$(awk "BEGIN { printf \"%.1f\", $gzipped / 1024 }")"
}

# Builds the package in a copy with the levers given, and reports its module.
build_variant() {
  local name=$1; shift
  local tree; tree=$(copy_tree "$name")
  apply_levers "$tree" "$@"
  local environment=(CARGO_TARGET_DIR="$root/$work/$name-target")
  if [[ " $* " == *" abort "* ]]; then
    environment+=(RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort")
  fi
  (cd "$tree" && env "${environment[@]}" scripts/build-wasm.sh > "$root/$work/$name.log" 2>&1) || { echo "$name: build failed, see $work/$name.log"; return 1; }
  report "$name" "$tree/www/dist/edgeflag_bg.wasm"
}

mkdir -p "$work"
build_variant shipped
build_variant z z
build_variant z-soft-sha z soft-sha
if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  build_variant z-abort z soft-sha abort
else
  echo "z-abort     skipped: needs the nightly toolchain with rust-src"
fi
