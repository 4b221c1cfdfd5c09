# Shared by .ci/serve, .ci/test and .ci/bench: install what is missing, build
# the site. Sourced, not run. Everything comes from crates.io, npm or Debian;
# nothing downloads from GitHub (it is unreachable on our machines).

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Honour a build folder kept outside the clone (.ci/run uses one).
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SITE="$TARGET/site"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
elapsed() { printf '    (%ss)\n' "$(( SECONDS - ${1:-0} ))"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
}

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
ensure_wasm_bindgen() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    step "Installing wasm-bindgen-cli $want (found: ${have:-none}; takes ~6 min once)"
    # Not --locked: its lockfile pins a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# Tailwind CSS, wasm-opt (npm binaryen: Debian's 108 breaks hydration), Playwright.
ensure_npm_packages() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing npm packages (Tailwind CSS, binaryen, Playwright)"
    # `npm install --no-save`, not `npm ci`: whether the registry serves
    # Tailwind's native packages for other platforms has changed over time,
    # and `npm ci` rejects a lockfile that lacks them. `--no-save` follows the
    # lockfile and never rewrites it, so a test run leaves the tree clean.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund
  fi
}

ensure_chromium() {
  if ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1; then
    step "Installing Debian's chromium for the browser tests"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
}

# PyPI's openapi-spec-validator (the black-box tests validate /api/openapi.json
# with it) and schemathesis (.ci/schemathesis), in a venv next to the build.
# Exports OPENAPI_SPEC_VALIDATOR, which makes that test run rather than skip.
PYTHON_TOOLS="${PYTHON_TOOLS:-$TARGET/python-tools}"
PYTHON_REQUIREMENTS="openapi-spec-validator==0.9.0 schemathesis==4.32.5"
ensure_python_tools() {
  local python="${PYTHON:-python3}"
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "python3 is needed for the API document checks: apt-get install -y python3 python3-venv" >&2
    exit 1
  fi
  if [ "$(cat "$PYTHON_TOOLS/requirements" 2>/dev/null)" != "$PYTHON_REQUIREMENTS" ]; then
    step "Installing $PYTHON_REQUIREMENTS (PyPI) into $PYTHON_TOOLS"
    "$python" -m venv "$PYTHON_TOOLS"
    # shellcheck disable=SC2086 # one word per requirement
    "$PYTHON_TOOLS/bin/pip" install -q $PYTHON_REQUIREMENTS
    echo "$PYTHON_REQUIREMENTS" >"$PYTHON_TOOLS/requirements"
  fi
  export OPENAPI_SPEC_VALIDATOR="$PYTHON_TOOLS/bin/openapi-spec-validator"
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_packages
}

# Builds the hydration bundle and stylesheet into target/site.
# $1 = release | debug
build_site() {
  local mode="$1" profile=dev dir=debug start=$SECONDS
  if [ "$mode" = release ]; then profile=wasm-release; dir=wasm-release; fi
  step "Building the browser bundle ($mode)"
  cargo build -p frontend --target wasm32-unknown-unknown --profile "$profile"
  mkdir -p "$SITE/pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name ferrobase \
    "$TARGET/wasm32-unknown-unknown/$dir/frontend.wasm"
  if [ "$mode" = release ]; then
    # The features rustc enables by default for wasm32-unknown-unknown.
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$SITE/pkg/ferrobase_bg.wasm" -o "$SITE/pkg/ferrobase_bg.wasm"
  fi
  step "Building the stylesheet (Tailwind CSS)"
  tailwindcss -i style/main.css -o "$SITE/pkg/ferrobase.css" --minify
  cp -R public/. "$SITE/"
  # The server prefers these over the files themselves, so a debug build
  # must not leave a release build's behind.
  rm -f "$SITE"/pkg/*.br "$SITE"/pkg/*.gz
  if [ "$mode" = release ]; then
    step "Precompressing the bundle (brotli 11, gzip 9)"
    node .ci/precompress.mjs "$SITE/pkg"
  fi
  elapsed "$start"
}
