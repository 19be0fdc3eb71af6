#!/usr/bin/env bash
# End-to-end tests of B2C Policy Tools in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) + Debian chromium
# + playwright-core, offline except for the npm registry and Debian apt. Installs what it needs on first use into
# .vscode-test/ (ignored). Assumes the extension is built (npm run build -> dist/).
#   (a) mocha suite (test/e2e/suite) inside the extension host, extension loaded from the source tree;
#   (b) UI pass (test/e2e/ui.js) over the packaged .vsix installed into a fresh profile.
# Usage (from anywhere): bash test/e2e/run.sh      Env: SHOTS (screenshot dir), PORT, KEEP_RUN=1 (keep run dir)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
source "$ROOT/test/e2e/setup.sh"
T0=$(date +%s)

ensure_apt
ensure_code_server
ensure_tools
log "tools ready after $(( $(date +%s) - T0 )) s"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/b2c-e2e.XXXXXX")    # per-run HOME, profile, extensions, workspace copy
CS_PID=
cleanup() {
  local rc=$?
  stop_code_server
  if [ "${KEEP_RUN:-}" = 1 ] || [ $rc -ne 0 ]; then echo "[e2e] run dir kept: $RUN (code-server.log)"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT

# 1. package the extension as users get it, install it into an isolated profile
package_vsix "$RUN/b2c-policy-tools.vsix"
log "packaged $(du -k "$RUN/b2c-policy-tools.vsix" | cut -f1) KB .vsix"
prepare_profile "$RUN"
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" TMPDIR="$RUN/tmp"
"$CS" "${CSARGS[@]}" --install-extension "$RUN/b2c-policy-tools.vsix" >"$RUN/install.log" 2>&1 ||
  { cat "$RUN/install.log"; exit 1; }
# the e2e workspace: the project's fixture, plus (at test time, never into the project) one starter pack
make_ws() {
  cp -r "$ROOT/test/fixtures/e2e-ws" "$RUN/ws"
  local shared=${B2C_SHARED:-$ROOT/../shared}
  if [ -d "$shared/corpus/starterpack/SocialAndLocalAccounts" ]; then
    mkdir -p "$RUN/ws/starterpack" && cp -r "$shared/corpus/starterpack/SocialAndLocalAccounts" "$RUN/ws/starterpack/" && chmod -R u+w "$RUN/ws/starterpack"
  fi
}
make_ws

# 2. code-server on loopback, stopped by PID on exit
PORT=${PORT:-$(free_port)}
start_code_server "$RUN/code-server.log" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override "$RUN/ws"
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { echo "code-server did not start"; cat "$RUN/code-server.log"; exit 1; }
export CS_URL="http://127.0.0.1:$PORT" WS="$RUN/ws" SHOTS="${SHOTS:-$ROOT/test-results/screenshots}"
log "code-server pid $CS_PID on $CS_URL"

# 3. run both parts; each prints "N passed, N failed" last
rc=0
SHOTS="$RUN" node test/e2e/run-exthost-tests.js "$ROOT" "$ROOT/test/e2e/suite/index.js" "$RUN/ws" 2>&1 | tee "$RUN/exthost.out" || rc=1
# the workspace copy is reset between the parts (the suite reverts its edits, this makes sure)
rm -rf "$RUN/ws" && make_ws
node test/e2e/ui.js 2>&1 | tee "$RUN/ui.out" || rc=1

count() { grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1 | sed -E "s/^([0-9]+) passed, ([0-9]+) failed$/\\$2/"; }
P=0; F=0
for out in "$RUN/exthost.out" "$RUN/ui.out"; do
  p=$(count "$out" 1); f=$(count "$out" 2)
  if [ -z "$p" ]; then f=1; p=0; fi          # no summary: the part crashed
  P=$((P + p)); F=$((F + f))
done
[ "$F" -eq 0 ] || rc=1
log "screenshots in $SHOTS; total $(( $(date +%s) - T0 )) s"
echo "$P passed, $F failed"
exit $rc
