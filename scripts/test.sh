#!/usr/bin/env bash
# The whole test suite: unit tests, the synthetic Gong's own tests, and the integration tests
# (real server on a random port, real MCP clients over HTTP and stdio).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo test --locked --all-targets
