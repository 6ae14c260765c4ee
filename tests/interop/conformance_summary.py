"""Summarise one conformance-suite run (its `-o` results dir) against the expected-failures file.

    python conformance_summary.py RESULTS_DIR EXPECTED_FAILURES_YAML SPEC_VERSION

Re-checks what the suite's own `--expected-failures` verdict says, from the checks.json files:
a check fails when its status is FAILURE or WARNING (as the suite counts it); every failing check
must be listed as `scenario:check-id`, and every listed check that ran must still fail. Prints the
scenario and check counts and exits 1 on an unexpected failure, a stale entry or an empty run.
Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FAILING = {"FAILURE", "WARNING"}


def baseline(path: Path) -> set[tuple[str, str]]:
    entries = set()
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-/]+):([A-Za-z0-9_.\-/]+)\s*(#.*)?$", line)
        if m:
            entries.add((m.group(1), m.group(2)))
        elif re.match(r"^\s*-\s*\S", line):
            sys.exit(f"{path}: only per-check entries (scenario:check-id) are expected here: {line!r}")
    return entries


def main() -> int:
    results, baseline_path, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    expected = baseline(baseline_path)
    scenarios: dict[str, list[dict]] = {}
    for checks_file in sorted(results.glob("server-*/checks.json")):
        name = re.sub(r"-\d{4}-\d\d-\d\dT[\d-]+Z$", "", checks_file.parent.name.removeprefix("server-"))
        scenarios[name] = json.loads(checks_file.read_text())
    if not scenarios:
        print(f"FAIL: no scenario results under {results}")
        return 1

    passed, baselined, unexpected, stale = [], [], [], []
    n_ok = n_expected = 0
    for name, checks in sorted(scenarios.items()):
        failing = {c["id"] for c in checks if c.get("status") in FAILING}
        succeeded = {c["id"] for c in checks if c.get("status") == "SUCCESS"}
        n_ok += sum(1 for c in checks if c.get("status") == "SUCCESS")
        n_expected += sum(1 for c in checks if c.get("status") in FAILING and (name, c["id"]) in expected)
        unexpected += [f"{name}:{i}" for i in sorted(failing) if (name, i) not in expected]
        stale += [f"{name}:{i}" for (s, i) in sorted(expected) if s == name and i in succeeded - failing]
        (baselined if failing else passed).append(name)

    print(
        f"conformance {version}: {len(scenarios)} scenarios: {len(passed)} pass, {len(baselined)} fail only on "
        f"expected checks; checks: {n_ok} pass, {n_expected} expected fail, {len(unexpected)} unexpected"
    )
    print(f"  passed: {', '.join(passed)}")
    for u in unexpected:
        print(f"  UNEXPECTED FAILURE: {u}")
    for s in stale:
        print(f"  STALE ENTRY (now passes, remove it from {baseline_path.name}): {s}")
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
