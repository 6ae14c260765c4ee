#!/usr/bin/env bash
# Short, bounded fuzzing of argument parsing and of decoding + rendering Gong responses
# (cargo-fuzz / libFuzzer on the stable toolchain; no sanitizer, RUSTC_BOOTSTRAP for the -Z flags
# cargo-fuzz passes). Usage: bash scripts/fuzz.sh [seconds per target, default 30]
#
# A long run of one target, e.g. overnight:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz --sanitizer none gong_decode fuzz/corpus/gong_decode -- -max_total_time=28800
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-30}
CARGO_FUZZ_VERSION=0.13.2
export RUSTC_BOOTSTRAP=1
started=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

if [[ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    step "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# Unoptimized, no debug info (--dev): the whole dependency tree is rebuilt with coverage
# instrumentation, and on 2 cores compile time dominates a short run. A long run can pass
# --release instead (see above) for more executions per second.
profile=(--dev)
export CARGO_PROFILE_DEV_DEBUG=0
step "building the fuzz targets"
cargo fuzz build --fuzz-dir fuzz --sanitizer none "${profile[@]}"

# Every target fuzz/Cargo.toml declares must be listed and fuzzed: a failing `cargo fuzz list` (or
# one that lists fewer targets) fails the run instead of fuzzing nothing.
targets="$(cargo fuzz list --fuzz-dir fuzz)"
declared="$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^gong-mcp-fuzz$' | sort)"
if [[ -z "$declared" || "$(sort <<<"$targets")" != "$declared" ]]; then
    printf 'FAIL: cargo fuzz list gave [%s], fuzz/Cargo.toml declares [%s]\n' "$(echo $targets)" "$(echo $declared)" >&2
    exit 1
fi
for target in $targets; do
    step "fuzzing $target for ${seconds}s"
    mkdir -p "fuzz/corpus/$target"
    # Seeds: small valid inputs, so the fuzzer starts from real shapes.
    case "$target" in
        args)
            printf '{"fromDate":"2026-10-01","toDate":"2026-10-31T09:00:00-07:00","limit":20}' >"fuzz/corpus/$target/seed-list"
            printf '{"callIds":["7782342274025937895",7782342274025937896]}' >"fuzz/corpus/$target/seed-ids"
            printf '2026-10-01T09:00\xff2026-10-02' >"fuzz/corpus/$target/seed-dates"
            ;;
        gong_decode)
            printf '{"records":{"totalRecords":"2","cursor":null},"calls":[{"id":7782342274025937895,"duration":"460.5","title":null,"x":{}}]}' >"fuzz/corpus/$target/seed-calls"
            printf '{"calls":[{"metaData":{"id":"1"},"parties":[{"speakerId":9}],"interaction":{"speakers":[{"id":1,"talkTime":1e308}]}}]}' >"fuzz/corpus/$target/seed-extensive"
            ;;
        transcript_build)
            printf '{"callTranscripts":[{"callId":"1","transcript":[{"speakerId":"9","topic":null,"sentences":[{"start":0,"end":1500,"text":"Hi"}]},{"speakerId":null,"sentences":[{"start":"2000","end":1,"text":"?"}]}]}]}\0{"calls":[{"metaData":{"id":"1","title":"T"},"parties":[{"speakerId":"9","name":"Ann","affiliation":"Internal"}]}]}' >"fuzz/corpus/$target/seed-pair"
            ;;
    esac
    cargo fuzz run --fuzz-dir fuzz --sanitizer none "${profile[@]}" "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1
done
step "fuzzing done: no crash (a crash would have failed the run and saved its input under fuzz/artifacts/)"
