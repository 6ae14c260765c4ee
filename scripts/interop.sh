#!/usr/bin/env bash
# Interop tests: MCP clients written by others, against the real gong-mcp binary on the synthetic Gong.
#
#   bash scripts/interop.sh                      # builds the release binary with cargo
#   GONG_MCP_BIN=/path/to/gong-mcp bash scripts/interop.sh
#
# Starts `gong-mcp serve --demo` on a free loopback port (the demo's default tenant needs no headers;
# the clients also send the demo tenant's keys as X-Gong-Access-Key/-Secret headers), then runs:
#   1. the official MCP conformance suite (npm @modelcontextprotocol/conformance): every server scenario
#      tagged for spec 2025-11-25, then for 2026-07-28 (`--suite all --spec-version V`), against
#      tests/interop/conformance-expected-failures.yaml (each entry justified there);
#   2. the official MCP Python SDK client (PyPI mcp) in tests/interop/python_client.py, over streamable
#      HTTP with credential headers in both protocol eras, then over `gong-mcp stdio` with env credentials
#      and GONG_BASE_URL pointing at the demo server's synthetic Gong;
#   3. the W3C's WebVTT parser and validator (npm webvtt-parser) in tests/interop/webvtt_check.cjs, on
#      every format "vtt" page of one call's transcript that the Python client saved;
#   4. the MCP Inspector CLI (npm @modelcontextprotocol/inspector) in tests/interop/inspector_check.py.
# Each client asserts real results (call ids, named transcript speakers, participants, auth errors).
# Finally the server must still be healthy, with no panic and no secret in its log. Prints a summary
# and exits non-zero if anything failed.
#
# Everything is pinned and installed under ${INTEROP_CACHE:-${TMPDIR:-/tmp}/gong-mcp-interop} (re-runs
# reuse it; delete it for a cold run): Node 22 from the npm package `node` (the machine's Node 20 is too
# old for both npm tools) plus the npm tools, from tests/interop/package.json + package-lock.json via
# `npm ci`; a venv with tests/interop/requirements.txt. Needs npm and python3 >= 3.10 (apt-installed if
# missing), and cargo unless GONG_MCP_BIN is given. Network: the npm registry and PyPI only; the tests
# themselves use loopback only. One run at a time per cache dir.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
here="$repo_root/tests/interop"
cache="${INTEROP_CACHE:-${TMPDIR:-/tmp}/gong-mcp-interop}"
logs="$cache/logs"
spec_versions=(2025-11-25 2026-07-28)
started=$(date +%s)

elapsed() { echo "$(( $(date +%s) - started ))"; }
step() { printf '\n==> %s (%ss)\n' "$*" "$(elapsed)"; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ------------------------------------------------------------------ tools
ensure_system_tools() {
  local need=()
  if ! { command -v python3 >/dev/null 2>&1 && python3 -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 10)' 2>/dev/null; }; then
    need+=(python3 python3-venv)
  fi
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  ((${#need[@]} == 0)) && return
  command -v apt-get >/dev/null 2>&1 || die "needs ${need[*]}"
  step "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# Node 22 and the npm tools, exactly as package-lock.json pins them.
ensure_npm_tools() {
  local dir="$cache/npm" want
  want="$(sha "$here/package.json" "$here/package-lock.json")"
  if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$want" && -x "$dir/node_modules/node/bin/node" ]]; then
    echo "reusing $dir"
  else
    step "npm ci: node, conformance suite, inspector, webvtt-parser (into $dir)"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$here/package.json" "$here/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --cache "$cache/npm-cache" --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" >"$dir/.stamp"
  fi
  export PATH="$dir/node_modules/node/bin:$dir/node_modules/.bin:$PATH"
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a == 22 && b >= 19) ? 0 : 1)' \
    || die "node $(node --version) from $dir is older than 22.19"
}

ensure_python_client() {
  local venv="$cache/venv" want
  want="$(sha "$here/requirements.txt"; python3 --version)"
  if [[ -f "$venv/.stamp" && "$(cat "$venv/.stamp")" == "$want" ]]; then
    echo "reusing $venv"
  else
    step "pip install -r tests/interop/requirements.txt (into $venv)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    PIP_CACHE_DIR="$cache/pip-cache" "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      --no-input -r "$here/requirements.txt"
    printf '%s\n' "$want" >"$venv/.stamp"
  fi
  python="$venv/bin/python"
}

ensure_binary() {
  if [[ -n "${GONG_MCP_BIN:-}" ]]; then
    bin="$GONG_MCP_BIN"
  else
    step "cargo build --release --locked"
    cargo build --release --locked
    local target_dir
    target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    bin="$target_dir/release/gong-mcp"
  fi
  [[ -x "$bin" ]] || die "no gong-mcp binary at $bin"
}

# ------------------------------------------------------------------ server
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# Reads a field of the first JSON log line whose message starts with $2.
log_field() {
  python3 - "$logs/server.log" "$1" "$2" <<'EOF'
import json, sys
path, field, message = sys.argv[1:]
for line in open(path, errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if str(entry.get("message", "")).startswith(message) and entry.get(field):
        print(entry[field])
        break
EOF
}

start_server() {
  step "gong-mcp serve --demo on a free loopback port"
  # A developer's GONG_* settings must not change what is tested.
  local unset_args=() v
  for v in $(compgen -e | grep -E '^(GONG_|RUST_LOG$)' || true); do unset_args+=(-u "$v"); done
  env "${unset_args[@]}" "$bin" serve --demo --listen 127.0.0.1:0 --log-format json >"$logs/server.log" 2>&1 &
  server_pid=$!
  address="" gong_base_url=""
  for _ in $(seq 300); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$logs/server.log"; die "gong-mcp exited at start"; }
    address="$(log_field address "serving MCP at")"
    [[ -n "$address" ]] && break
    sleep 0.1
  done
  [[ -n "$address" ]] || { cat "$logs/server.log"; die "gong-mcp did not log its address within 30 s"; }
  for _ in $(seq 100); do
    "$bin" healthcheck --url "http://$address/healthz" 2>/dev/null && break
    sleep 0.1
  done
  "$bin" healthcheck --url "http://$address/healthz" || die "GET /healthz did not answer 200"
  gong_base_url="$(log_field gong "demo mode:")"
  [[ -n "$gong_base_url" ]] || die "no demo Gong base_url in the server log"
  url="http://$address/mcp"
  echo "MCP endpoint $url (pid $server_pid); synthetic Gong at $gong_base_url; log $logs/server.log"
}

# ------------------------------------------------------------------ checks
names=() results=() seconds=() details=()

# run_check NAME SUMMARY_PATTERN COMMAND...: full output to $logs/NAME.log; on success the lines
# matching SUMMARY_PATTERN are shown, on failure the log's tail.
run_check() {
  local name="$1" pattern="$2" t0 rc=0 log="$logs/$1.log"
  shift 2
  step "$name"
  t0=$(date +%s)
  "$@" >"$log" 2>&1 || rc=$?
  names+=("$name")
  seconds+=("$(( $(date +%s) - t0 ))")
  if ((rc == 0)); then
    grep -E "$pattern" "$log" || true
    results+=(passed)
    details+=("$(grep -E "$pattern" "$log" | head -1 | cut -c1-160)")
  else
    tail -n 60 "$log"
    echo "FAILED (exit $rc); full output: $log"
    results+=(FAILED)
    details+=("exit $rc, see $log")
  fi
}

run_conformance() {
  local version="$1" rc=0
  local out="$logs/conformance-$version"
  rm -rf "$out"
  conformance server --url "$url" --spec-version "$version" --suite all \
    --expected-failures "$here/conformance-expected-failures.yaml" -o "$out" || rc=$?
  "$python" "$here/conformance_summary.py" "$out" "$here/conformance-expected-failures.yaml" "$version" || rc=1
  return "$rc"
}

server_still_healthy() {
  kill -0 "$server_pid" 2>/dev/null || { echo "gong-mcp died"; return 1; }
  "$bin" healthcheck --url "http://$address/healthz" || { echo "GET /healthz failed"; return 1; }
  if grep -n -i 'panicked' "$logs/server.log"; then echo "a panic in the server log"; return 1; fi
  if grep -n -E 'demo-access-secret|demo-mind-reasoner-key|wrong-secret|ZGVtby1hY2Nlc3Mta2V5OmRlbW8tYWNjZXNzLXNlY3JldA|ZGVtby1hY2Nlc3Mta2V5Ondyb25nLXNlY3JldA' "$logs/server.log"; then
    echo "a secret (or its Basic form) in the server log"; return 1
  fi
  echo "server: still serving after all clients ($(grep -c . "$logs/server.log") log lines, no panic, no secret)"
}

# ------------------------------------------------------------------ main
step "tools (cache: $cache)"
mkdir -p "$cache"
ensure_system_tools
ensure_npm_tools
ensure_python_client
ensure_binary
rm -rf "$logs"
mkdir -p "$logs"
printf 'node %s; conformance %s; inspector %s; python %s, mcp %s; %s\n' "$(node --version)" \
  "$(conformance --version)" "$(node -p 'require(process.argv[1]).version' "$cache/npm/node_modules/@modelcontextprotocol/inspector/package.json")" \
  "$("$python" -c 'import platform; print(platform.python_version())')" \
  "$("$python" -c 'import importlib.metadata as m; print(m.version("mcp"))')" "$("$bin" --version)"
start_server

for version in "${spec_versions[@]}"; do
  run_check "conformance-$version" '^conformance ' run_conformance "$version"
done
run_check python-http-2026 'checks passed$' "$python" "$here/python_client.py" http "$url" --era auto --vtt-dir "$logs/vtt"
run_check webvtt-parser 'checks passed$' env NODE_PATH="$cache/npm/node_modules" node "$here/webvtt_check.cjs" "$logs/vtt"
run_check python-http-2025 'checks passed$' "$python" "$here/python_client.py" http "$url" --era legacy
run_check python-stdio 'checks passed$' \
  "$python" "$here/python_client.py" stdio --bin "$bin" --gong-base-url "$gong_base_url"
run_check inspector-cli 'checks passed$' \
  env HOME="$cache/home" "$python" "$here/inspector_check.py" "$(command -v mcp-inspector)" "$url"
run_check server-health '^server: ' server_still_healthy
stop_server

# ------------------------------------------------------------------ summary
step "summary"
failed=0
for i in "${!names[@]}"; do
  printf '%-22s %-7s %4ss  %s\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}" "${details[$i]}"
  [[ "${results[$i]}" == passed ]] || failed=$((failed + 1))
done
echo "logs: $logs; total $(elapsed)s"
echo "interop: $(( ${#names[@]} - failed )) passed, $failed failed"
((failed == 0))
