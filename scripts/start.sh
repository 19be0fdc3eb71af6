#!/usr/bin/env bash
# "Try it": a real VS Code (code-server 4.100.3, installed on first use into .vscode-test/) on 127.0.0.1 with the
# packaged extension and a copy of example/ (a valid chain and one file with typical mistakes). Prints the URL;
# Ctrl-C stops it. Env: PORT (default 8080, or a free port if taken), WORKSPACE (folder to open instead of example/).
# Needs a built extension (npm run build).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source "$ROOT/test/e2e/setup.sh"

ensure_apt
ensure_code_server
ensure_tools
[ -f dist/client.js ] || npm run build

RUN="$CACHE/start"                     # profile kept between starts (settings, open editors); workspace refreshed
mkdir -p "$RUN"
package_vsix "$RUN/b2c-policy-tools.vsix"
prepare_profile "$RUN"
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" TMPDIR="$RUN/tmp"
"$CS" "${CSARGS[@]}" --force --install-extension "$RUN/b2c-policy-tools.vsix" >"$RUN/install.log" 2>&1 ||
  { cat "$RUN/install.log"; exit 1; }
if [ -n "${WORKSPACE:-}" ]; then WS=$(cd "$WORKSPACE" && pwd)
else WS="$RUN/example"; rm -rf "$WS"; cp -r "$ROOT/example" "$WS"; fi

PORT=${PORT:-8080}
if ! node -e 'require("net").createServer().once("error",()=>process.exit(1)).listen(+process.argv[1],"127.0.0.1",function(){this.close()})' "$PORT"; then
  PORT=$(free_port)
fi
start_code_server "$RUN/code-server.log" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override "$WS"
stop() { trap - INT TERM EXIT; stop_code_server; echo; log "stopped"; }
trap 'stop; exit 0' INT TERM
trap stop EXIT
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { echo "code-server did not start:"; cat "$RUN/code-server.log"; exit 1; }
echo
echo "  B2C Policy Tools in VS Code: http://127.0.0.1:$PORT/?folder=$WS"
echo "  workspace: $WS (a copy of example/; log: $RUN/code-server.log). Ctrl-C to stop."
echo
wait "$CS_PID"
