#!/usr/bin/env bash
# The whole test suite: unit tests, the synthetic Gong's own tests, and the integration tests
# (real server on a random port, real MCP clients over HTTP and stdio, the fault matrix, hostile
# input, secret hygiene, property tests, a 2,000-call isolation soak), all with trace-level logs
# captured into one file; then the full-size soak (10,000 calls, 50 tenants, 64 at a time); then
# the captured log is checked for secrets.
#
#   GONG_MCP_TEST_LOG=path   keep the captured trace log there (default: a temporary file,
#                            removed when everything passed)
#   GONG_MCP_SKIP_FULL_SOAK=1   skip the 10,000-call soak (e.g. while iterating)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

# run_exact N CARGO_TEST_ARGS...: `cargo test` that must run exactly N tests. With `--exact`, a
# renamed test matches nothing and cargo exits 0 having run 0 tests; this fails instead.
run_exact() {
    local want="$1" out ran
    shift
    out="$(mktemp -t gong-mcp-test-out.XXXXXX)"
    cargo test "$@" 2>&1 | tee "$out"
    ran="$(awk '/^test result: ok\. [0-9]+ passed/ { n += $4 } END { print n + 0 }' "$out")"
    rm -f "$out"
    if [[ "$ran" != "$want" ]]; then
        printf 'FAIL: cargo test %s ran %s tests, expected %s (renamed test?)\n' "$*" "$ran" "$want" >&2
        return 1
    fi
}

keep_log=${GONG_MCP_TEST_LOG:+yes}
export GONG_MCP_TEST_LOG="${GONG_MCP_TEST_LOG:-$(mktemp -t gong-mcp-trace.XXXXXX.log)}"
: >"$GONG_MCP_TEST_LOG"

step "cargo test --locked --all-targets (trace logs into $GONG_MCP_TEST_LOG)"
cargo test --locked --all-targets

step "secret hygiene: the captured trace log ($(du -h "$GONG_MCP_TEST_LOG" | cut -f1)) holds no secret, key or Basic token"
run_exact 1 --locked --test api secrets::the_captured_trace_log_holds_no_secret -- --ignored --exact

if [[ "${GONG_MCP_SKIP_FULL_SOAK:-}" != 1 ]]; then
    # Without trace capture: at this size the log would be gigabytes of tool results; the
    # 2,000-call soak above ran under capture.
    step "isolation soak, full size: 10,000 calls, 50 tenants, 64 concurrent"
    GONG_MCP_TEST_LOG= run_exact 1 --locked --test api soak::soak_10000_calls -- --ignored --exact --nocapture
fi

[[ -n "$keep_log" ]] || rm -f "$GONG_MCP_TEST_LOG"
step "test suite done"
