#!/usr/bin/env bash
# Browser test for the sample calendar page (samples/web).
#
#   tests/web/run.sh [DATA_DIR]
#
# DATA_DIR holds events.json and events.ics (default: out/). It is taken
# relative to the current directory, else to the project root, and must lie
# inside the project, because the page fetches it from the same server.
# Installs what is missing (Debian's chromium, the sample's npm packages),
# serves the project root on 127.0.0.1 at a free port, and runs test.mjs,
# which saves out/web-calendar.png. Exit status 0 only if every check passed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WEB="$ROOT/samples/web"
CHROMIUM=/usr/bin/chromium
DATA_ARG="${1:-out/}"

say() { echo "run.sh: $*" >&2; }
# Setup problems are reported in the same PASS/FAIL format as the checks.
setup_fail() { echo "FAIL: setup: $*"; echo "0 passed, 1 failed"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else setup_fail "need root to run: $*"
  fi
}

# --- data directory -> URL path under the served root ----------------------
if [ -d "$DATA_ARG" ]; then DATA_DIR="$(cd "$DATA_ARG" && pwd -P)"
elif [ -d "$ROOT/$DATA_ARG" ]; then DATA_DIR="$(cd "$ROOT/$DATA_ARG" && pwd -P)"
else setup_fail "data directory not found: $DATA_ARG"
fi
ROOT_REAL="$(cd "$ROOT" && pwd -P)"
case "$DATA_DIR/" in
  "$ROOT_REAL"/*) DATA_PATH="${DATA_DIR#"$ROOT_REAL"}/" ;;
  *) setup_fail "data directory must be inside the project: $DATA_DIR" ;;
esac
for f in events.json events.ics; do
  [ -f "$DATA_DIR/$f" ] || setup_fail "missing $DATA_DIR/$f"
done

# --- installs (only what is missing) ----------------------------------------
LOG="$(mktemp /tmp/eventcal-web-run.XXXXXX)"
SERVER_PID=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -f "$LOG" "${PORT_FILE:-}"
}
trap cleanup EXIT
# Make INT/TERM exit through the EXIT trap so the server is always stopped.
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -x "$CHROMIUM" ]; then
  say "installing Debian's chromium"
  # Refresh the package lists only when apt does not know chromium yet.
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    as_root apt-get update -qq >"$LOG" 2>&1 || { cat "$LOG" >&2; setup_fail "apt-get update failed"; }
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >"$LOG" 2>&1 \
    || { tail -20 "$LOG" >&2; setup_fail "apt-get install chromium failed"; }
fi

# npm ci when node_modules is absent or older than the lock file.
if [ ! -f "$WEB/node_modules/.package-lock.json" ] || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
  say "npm ci in samples/web"
  # playwright-core never downloads a browser; the variable keeps it that way.
  (cd "$WEB" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >"$LOG" 2>&1 \
    || { tail -20 "$LOG" >&2; setup_fail "npm ci failed"; }
fi

# --- server ------------------------------------------------------------------
PORT_FILE="$(mktemp /tmp/eventcal-web-port.XXXXXX)"
node "$HERE/serve.mjs" "$ROOT" >"$PORT_FILE" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do   # up to 10 s
  PORT="$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$PORT_FILE")"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$PORT_FILE" >&2; setup_fail "server exited"; }
  sleep 0.1
done
[ -n "$PORT" ] || setup_fail "server did not report its port"

# --- test --------------------------------------------------------------------
rc=0
timeout 90 node "$HERE/test.mjs" \
  --base "http://127.0.0.1:$PORT" \
  --data "$DATA_PATH" \
  --screenshot "$ROOT/out/web-calendar.png" || rc=$?
if [ "$rc" -eq 124 ]; then
  echo "FAIL: test.mjs timed out after 90 s"
  echo "0 passed, 1 failed"
fi
exit "$rc"
