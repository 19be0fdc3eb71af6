#!/usr/bin/env bash
# Shared by test/e2e/run.sh and scripts/start.sh: installs (once, cached in .vscode-test/) everything needed
# to run the extension in a real VS Code offline: Debian packages, code-server 4.100.3 (VS Code 1.100.3) and
# the test tools (mocha, playwright-core, @vscode/vsce). Nothing is installed into the project's node_modules.
# Source it with ROOT set to the repository root.
: "${ROOT:?ROOT must be set}"
CACHE=${VSCODE_E2E_CACHE:-$ROOT/.vscode-test}
CS_VERSION=4.100.3            # last code-server whose engines say node 20
VSCE_BASE_URL=https://example.invalid/b2c-policy-tools/raw/main   # README links in the .vsix (placeholder repository)
TOOLS_SPEC=(mocha@10.8.2 playwright-core@1.65.1 @vscode/vsce@3.9.2)   # vsce 4.x needs Node 22
CS="$CACHE/cs/node_modules/.bin/code-server"
TOOLS="$CACHE/tools"
log() { echo "[e2e $(date +%T)] $*"; }

ensure_apt() {
  local need=()
  command -v chromium >/dev/null || need+=(chromium)
  [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
  command -v rg >/dev/null || need+=(ripgrep)
  { command -v g++ >/dev/null && command -v make >/dev/null; } || need+=(build-essential)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  if [ ${#need[@]} -gt 0 ]; then
    log "apt-get install ${need[*]}"
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

ensure_code_server() {
  # (don't probe with `code-server --version`: any code-server call writes ~/.config/code-server/config.yaml)
  if [ "$(node -p "require('$CACHE/cs/node_modules/code-server/package.json').version" 2>/dev/null)" != "$CS_VERSION" ] ||
     [ ! -e "$CACHE/cs/node_modules/code-server/lib/vscode/node_modules.asar" ]; then
    log "installing code-server $CS_VERSION into $CACHE/cs (first run only, about a minute)"
    rm -rf "$CACHE/cs" "$CACHE/rgstage"
    mkdir -p "$CACHE/cs" "$CACHE/tmp/vscode-ripgrep-cache-1.15.11" "$CACHE/rgstage"
    # @vscode/ripgrep's postinstall downloads rg from GitHub; hand it Debian's rg through its download cache
    cp "$(command -v rg)" "$CACHE/rgstage/rg"
    tar czf "$CACHE/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$CACHE/rgstage" rg
    ( cd "$CACHE/cs" && echo '{"private":true}' > package.json &&
      TMPDIR="$CACHE/tmp" npm_config_yes=true npm_config_nodedir=/usr \
        npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" )
  fi
}

ensure_tools() {
  local want; want=$(printf '%s\n' "${TOOLS_SPEC[@]}")
  if [ "$(cat "$TOOLS/.spec" 2>/dev/null)" != "$want" ] || [ ! -d "$TOOLS/node_modules/mocha" ]; then
    log "installing ${TOOLS_SPEC[*]} into $TOOLS"
    rm -rf "$TOOLS"; mkdir -p "$TOOLS"
    ( cd "$TOOLS" && echo '{"private":true}' > package.json &&
      npm install --no-audit --no-fund --loglevel=error "${TOOLS_SPEC[@]}" )
    echo "$want" > "$TOOLS/.spec"
  fi
  export NODE_PATH="$TOOLS/node_modules${NODE_PATH:+:$NODE_PATH}"
}

# package_vsix OUT: the extension as users get it (dist/ must be built: npm run build)
package_vsix() {
  [ -f "$ROOT/dist/client.js" ] && [ -f "$ROOT/dist/server.js" ] || { echo "dist/ missing: run npm run build first" >&2; return 1; }
  ( cd "$ROOT" && "$TOOLS/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository --baseContentUrl "$VSCE_BASE_URL" --baseImagesUrl "$VSCE_BASE_URL" \
      --skip-license --out "$1" >/dev/null )
}

# prepare_profile DIR: isolated HOME / user data / extensions for one code-server
prepare_profile() {
  local RUN=$1
  mkdir -p "$RUN/tmp" "$RUN/data/User" "$RUN/ext" "$RUN/home/.config" "$RUN/home/.local/share"
  cat > "$RUN/data/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false, "telemetry.telemetryLevel": "off",
  "update.mode": "none", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "workbench.enableExperiments": false, "workbench.tips.enabled": false, "files.autoSave": "off",
  "window.commandCenter": false, "editor.stickyScroll.enabled": false, "git.openRepositoryInParentFolders": "never",
  "chat.commandCenter.enabled": false, "workbench.colorTheme": "Default Dark Modern" }
JSON
  CSARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/data" --extensions-dir "$RUN/ext")
}

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# start_code_server LOGFILE ARGS...: code-server in its own session/process group (setsid), so that stopping it
# also stops its helper processes (file watcher, pty host, extension hosts). Sets CS_PID (= the group id).
start_code_server() {
  local logfile=$1; shift
  setsid "$CS" "${CSARGS[@]}" "$@" >"$logfile" 2>&1 &
  CS_PID=$!
}
# stop_code_server: TERM to the group we started, wait up to 5 s, then KILL what is left of it.
stop_code_server() {
  [ -n "${CS_PID:-}" ] || return 0
  kill -TERM -- "-$CS_PID" 2>/dev/null || kill -TERM "$CS_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$CS_PID" 2>/dev/null || true
  wait "$CS_PID" 2>/dev/null || true
  CS_PID=
}
