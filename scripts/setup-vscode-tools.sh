#!/usr/bin/env bash
# Sets up the tools the real-VS-Code tests need, outside the package's dependencies:
#   - Debian packages: chromium (the browser playwright-core drives), ripgrep (code-server's search,
#     which would otherwise be downloaded), libkrb5-dev + pkg-config (headers a native module builds with);
#   - code-server 4.100.3 (VS Code 1.100.3, the last line on Node 20) in a cache folder keyed by version.
# Idempotent: what is already there is kept. A marker file is written last, so an interrupted setup is
# redone on the next run. Prints the folder at the end. Works offline apart from apt and the npm registry.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
TOOLS_DIR="${SNIP_TOOLS_DIR:-$HOME/.cache/snipstudio-tools}"
DEST="$TOOLS_DIR/code-server-$CODE_SERVER_VERSION"
MARKER="$DEST/.setup-complete"

log() { printf 'setup-vscode-tools: %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/krb5.h ] || need_apt+=(libkrb5-dev)
# Native modules are built from source when no prebuilt binary fits.
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need_apt[*]} (run as root, or install them with apt-get first)"
    exit 1
  fi
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# --- code-server into the tools cache ------------------------------------------------------------
if [ -f "$MARKER" ]; then
  log "code-server $CODE_SERVER_VERSION already set up"
  echo "$DEST"
  exit 0
fi

mkdir -p "$TOOLS_DIR"
# One setup at a time per cache folder (parallel test runs or helpers may call this together).
exec 9>"$TOOLS_DIR/.code-server-$CODE_SERVER_VERSION.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -f "$MARKER" ]; then
  log "code-server $CODE_SERVER_VERSION was set up by a parallel run"
  echo "$DEST"
  exit 0
fi

# An interrupted earlier attempt leaves a half-made folder: start it over.
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
log "installing code-server $CODE_SERVER_VERSION into $DEST (a few minutes)"
printf '{ "name": "snipstudio-tools", "private": true }\n' > package.json
# Install scripts would download ripgrep and need network beyond the registry: run them selectively below.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" >&2
# argon2 (password hashing; unused with auth none, but loaded at start): prebuilt or built from source.
npm rebuild argon2 --dangerously-allow-all-scripts >&2

VSCODE="$DEST/node_modules/code-server/lib/vscode"
cd "$VSCODE"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
# VS Code's search uses @vscode/ripgrep, whose install script downloads a binary: use Debian's rg.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild --dangerously-allow-all-scripts >&2
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm_config_yes=true npm install --no-audit --no-fund --omit=dev --dangerously-allow-all-scripts >&2)

# Smoke check before the marker: the binary must at least report its version.
"$DEST/node_modules/.bin/code-server" --version >&2

date -u +%Y-%m-%dT%H:%M:%SZ > "$MARKER"
log "code-server $CODE_SERVER_VERSION is ready"
echo "$DEST"
