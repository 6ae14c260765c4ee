"""Summarise one conformance-suite run (its `-o` results dir) against the expected-failures file.

    python conformance_summary.py RESULTS_DIR EXPECTED_FAILURES_YAML SPEC_VERSION

Re-checks what the suite's own `--expected-failures` verdict says, from the checks.json files:
a check fails when its status is FAILURE or WARNING (as the suite counts it); every failing check
must be listed as `scenario:check-id` for this version, and every entry for this version (untagged,
or tagged `# [SPEC_VERSION]`) must have run and still fail. The number of scenarios that ran must
be the one pinned below for the version. Prints the scenario and check counts and exits 1 on an
unexpected failure, a stale entry or a different number of scenarios. Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FAILING = {"FAILURE", "WARNING"}

# Scenarios `conformance server --suite all --spec-version V` runs against gong-mcp with the suite
# pinned in package.json. A different count means the suite changed what it tests: look at the
# run, then update the count (and the expected failures).
SCENARIOS = {"2025-11-25": 33, "2026-07-28": 40}


def baseline(path: Path, version: str) -> set[tuple[str, str]]:
    """The entries that apply to `version`: untagged ones, and those tagged `# [version]`."""
    entries = set()
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-/]+):([A-Za-z0-9_.\-/]+)\s*(#.*)?$", line)
        if m:
            tags = re.findall(r"\[(\d{4}-\d\d-\d\d)\]", m.group(3) or "")
            if any(t not in SCENARIOS for t in tags):
                sys.exit(f"{path}: unknown version tag in {line!r}")
            if not tags or version in tags:
                entries.add((m.group(1), m.group(2)))
        elif re.match(r"^\s*-\s*\S", line):
            sys.exit(f"{path}: only per-check entries (scenario:check-id) are expected here: {line!r}")
    return entries


def main() -> int:
    results, baseline_path, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    if version not in SCENARIOS:
        print(f"FAIL: no pinned scenario count for spec version {version}")
        return 1
    expected = baseline(baseline_path, version)
    scenarios: dict[str, list[dict]] = {}
    for checks_file in sorted(results.glob("server-*/checks.json")):
        name = re.sub(r"-\d{4}-\d\d-\d\dT[\d-]+Z$", "", checks_file.parent.name.removeprefix("server-"))
        scenarios[name] = json.loads(checks_file.read_text())
    if not scenarios:
        print(f"FAIL: no scenario results under {results}")
        return 1

    passed, baselined, unexpected = [], [], []
    n_ok = n_expected = 0
    failed_here = set()
    for name, checks in sorted(scenarios.items()):
        failing = {c["id"] for c in checks if c.get("status") in FAILING}
        failed_here |= {(name, i) for i in failing}
        n_ok += sum(1 for c in checks if c.get("status") == "SUCCESS")
        n_expected += sum(1 for c in checks if c.get("status") in FAILING and (name, c["id"]) in expected)
        unexpected += [f"{name}:{i}" for i in sorted(failing) if (name, i) not in expected]
        (baselined if failing else passed).append(name)
    # An entry for this version that passed, or did not run at all, is stale either way.
    stale = [f"{s}:{i}" for (s, i) in sorted(expected - failed_here)]

    print(
        f"conformance {version}: {len(scenarios)} scenarios: {len(passed)} pass, {len(baselined)} fail only on "
        f"expected checks; checks: {n_ok} pass, {n_expected} expected fail, {len(unexpected)} unexpected"
    )
    print(f"  passed: {', '.join(passed)}")
    for u in unexpected:
        print(f"  UNEXPECTED FAILURE: {u}")
    for s in stale:
        print(f"  STALE ENTRY (passed or did not run at {version}; remove it or fix its version tag in {baseline_path.name}): {s}")
    if len(scenarios) != SCENARIOS[version]:
        print(f"  SCENARIO COUNT: {len(scenarios)} ran at {version}, {SCENARIOS[version]} expected (conformance_summary.py)")
    return 1 if unexpected or stale or len(scenarios) != SCENARIOS[version] else 0


if __name__ == "__main__":
    sys.exit(main())
