"""Interop check: the MCP Inspector CLI (npm `@modelcontextprotocol/inspector`) against gong-mcp.

    python inspector_check.py INSPECTOR_BIN URL

Runs the real CLI (`mcp-inspector --cli URL --transport http --header ... --format json`) once per
method (initialize first), in both protocol eras (`--protocol-era legacy` = 2025-11-25 initialize handshake, the CLI's
default for a URL; `modern` = 2026-07-28), and checks the JSON it prints:
  - tools/list (with --strict: exit 6 on any error-severity tool-schema portability problem) lists
    the three Gong tools;
  - tools/call gong_list_calls --tool-arg limit=3 returns 3 real calls;
  - gong_get_call_details and gong_get_transcript for those ids (--tool-args-json: the CLI's
    key=value coercion turns a 19-digit id into a JavaScript number and loses digits) return
    participants and named speakers;
  - prompts/list (the four workflows, for Gong, Fathom and Fireflies), prompts/get recent_calls with --prompt-args (the exact tool
    and arguments in the text), resources/templates/list, resources/list (the newest calls, all pages) and
    resources/read of a transcript resource (named speakers' turns);
  - search_minds on the demo's synthetic Mind Reasoner finds a mind by a partial name;
  - wrong credentials: exit 5 (tool returned isError) with "Authentication failed".
The node running the CLI must be first on PATH (Node >= 22.19). Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

KEY, SECRET = "demo-access-key", "demo-access-secret"
TOOLS = {"gong_list_calls", "gong_get_transcript", "gong_get_call_details", "gong_list_speakers"}
# The demo's default tenant also carries a Mind Reasoner key, so its eight tools are listed too.
MR_TOOLS = {
    "get_all_minds", "search_minds", "create_mind", "get_signed_upload_url",
    "upload_file_to_signed_url", "create_snapshot", "get_snapshot_status", "simulate",
    "create_mind_from_calls",  # needs both Gong credentials and a Mind Reasoner key
    # The demo's default tenant also holds a Fireflies key.
    "fireflies_list_transcripts", "fireflies_get_transcript", "fireflies_search_transcripts",
    "fireflies_list_speakers",
}  # fmt: skip
# ... and a Fathom key (the demo's synthetic Fathom).
FATHOM_TOOLS = {"fathom_list_meetings", "fathom_get_transcript", "fathom_get_meeting_details",
                "fathom_list_speakers"}
ERAS = {"legacy": "2025-11-25", "modern": "2026-07-28"}
PROMPTS = {"recent_calls", "analyze_call_patterns", "create_mind_from_call", "bulk_mind_creation"}
# ... and the same four for its Fathom and Fireflies meetings.
PROMPTS |= {
    f"{p}_{f}"
    for p in ("fathom", "fireflies")
    for f in ("recent_meetings", "analyze_meeting_patterns", "create_mind_from_meeting", "bulk_mind_creation")
}
TEMPLATES = {
    "gong://calls/{callId}", "gong://calls/{callId}/transcript",
    "fathom://meetings/{meetingId}", "fathom://meetings/{meetingId}/transcript",
    "fireflies://transcripts/{transcriptId}/transcript",
}  # fmt: skip
# resources/list: Gong's newest calls (at most 100), then Fathom's (30), then Fireflies' (50).
LISTED = ("gong://calls/", "fathom://meetings/", "fireflies://transcripts/")

checks = 0


def fail(msg: str) -> None:
    print(f"FAIL (inspector): {msg}"[:3000], file=sys.stderr)
    sys.exit(1)


def ok(cond: bool, what: str, detail: object = "") -> None:
    global checks
    if not cond:
        fail(f"{what}: {str(detail)[:1500]}")
    checks += 1
    print(f"ok: {what}", flush=True)


def inspector(bin_: str, url: str, era: str, secret: str, *args: str, expect_rc: int = 0) -> dict:
    cmd = [
        bin_, "--cli", url, "--transport", "http", "--protocol-era", era,
        "--header", f"X-Gong-Access-Key: {KEY}", "--header", f"X-Gong-Access-Secret: {secret}",
        "--format", "json", "--stored-auth-only", *args,
    ]  # fmt: skip
    shown = " ".join(a if a != secret else "***" for a in cmd[1:])
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    print(f"run: mcp-inspector {shown}  -> exit {p.returncode} ({time.monotonic() - t0:.1f}s)", flush=True)
    if p.returncode != expect_rc:
        fail(f"exit {p.returncode}, expected {expect_rc}\nstdout: {p.stdout[-1500:]}\nstderr: {p.stderr[-1500:]}")
    try:
        return json.loads(p.stdout)
    except ValueError:
        fail(f"stdout is not one JSON object: {p.stdout[:1500]!r}")
        raise


def text_of(result: dict) -> str:
    return "\n".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")


def tool_result(out: dict, what: str) -> tuple[dict, str]:
    result = out.get("result") or {}
    ok(not result.get("isError"), f"{what}: not an error", text_of(result))
    sc = result.get("structuredContent")
    ok(isinstance(sc, dict) and bool(text_of(result)), f"{what}: structuredContent and text", result)
    return sc, text_of(result)


def listing(out: dict, key: str) -> list:
    return out.get(key) or (out.get("result") or {}).get(key) or []


def prompts_and_resources(bin_: str, url: str, era: str, call_id: str, speakers: list[str]) -> None:
    prompts = listing(inspector(bin_, url, era, SECRET, "--method", "prompts/list"), "prompts")
    ok({p.get("name") for p in prompts} == PROMPTS and all(p.get("description") for p in prompts),
       f"[{era}] prompts/list: the four workflows for each recorder, described", [p.get("name") for p in prompts])  # fmt: skip
    out = inspector(bin_, url, era, SECRET, "--method", "prompts/get", "--prompt-name", "recent_calls",
                    "--prompt-args", "days=14", "scope=External")  # fmt: skip
    messages = listing(out, "messages")
    text = ((messages or [{}])[0].get("content") or {}).get("text", "")
    ok("gong_list_calls" in text and '"scope":"External"' in text and "14 days" in text,
       f"[{era}] prompts/get recent_calls: the exact tool and arguments", text[:600])  # fmt: skip
    templates = listing(inspector(bin_, url, era, SECRET, "--method", "resources/templates/list"), "resourceTemplates")
    ok({t.get("uriTemplate") for t in templates} == TEMPLATES, f"[{era}] resources/templates/list: each recorder's",
       templates)  # fmt: skip
    resources = listing(inspector(bin_, url, era, SECRET, "--method", "resources/list"), "resources")
    uris = [r.get("uri", "") for r in resources]
    # The CLI follows nextCursor: every page of each recorder's newest meetings, each once, recorder by recorder.
    order = [next(i for i, p in enumerate(LISTED) if u.startswith(p)) for u in uris if u.startswith(LISTED)]
    ok(25 < len(uris) <= 180 and len(set(uris)) == len(uris) and len(order) == len(uris)
       and order == sorted(order) and set(order) == {0, 1, 2} and all(r.get("name") for r in resources),
       f"[{era}] resources/list: the newest meetings of each recorder over several pages ({len(uris)})", resources[:2])  # fmt: skip
    out = inspector(bin_, url, era, SECRET, "--method", "resources/read", "--uri", f"gong://calls/{call_id}/transcript")
    contents = listing(out, "contents")
    text = (contents or [{}])[0].get("text", "")
    ok(all(f"] {n}: " in text for n in speakers[:2]) or any(f"] {n}: " in text for n in speakers),
       f"[{era}] resources/read gong://calls/{call_id}/transcript: named speakers' turns", text[:500])  # fmt: skip


def run_era(bin_: str, url: str, era: str) -> None:
    init = (inspector(bin_, url, era, SECRET, "--method", "initialize").get("result") or {})
    ok(init.get("protocolVersion") == ERAS[era] and (init.get("serverInfo") or {}).get("name") == "gong-mcp",
       f"[{era}] negotiated {ERAS[era]} with gong-mcp", init.get("protocolVersion"))  # fmt: skip

    listed = inspector(bin_, url, era, SECRET, "--method", "tools/list", "--strict")
    tools = listed.get("tools") or (listed.get("result") or {}).get("tools") or []
    ok({t.get("name") for t in tools} == TOOLS | MR_TOOLS | FATHOM_TOOLS, f"[{era}] tools/list: the Gong, Mind Reasoner, pipeline and Fathom tools, no schema portability errors",
       [t.get("name") for t in tools])  # fmt: skip

    out = inspector(bin_, url, era, SECRET, "--method", "tools/call", "--tool-name", "gong_list_calls",
                    "--tool-arg", "limit=3")  # fmt: skip
    sc, text = tool_result(out, f"[{era}] gong_list_calls limit=3")
    ids = [c.get("id") for c in sc.get("calls") or []]
    ok(len(ids) == 3 and all(isinstance(i, str) and i.isdigit() for i in ids), f"[{era}] 3 calls with Gong ids", ids)
    ok(all(i in text for i in ids) and sc.get("nextCursor"), f"[{era}] text names the ids; nextCursor given", text)

    out = inspector(bin_, url, era, SECRET, "--method", "tools/call", "--tool-name", "gong_get_call_details",
                    "--tool-args-json", json.dumps({"callIds": ids}))  # fmt: skip
    sc, _ = tool_result(out, f"[{era}] gong_get_call_details callIds")
    calls = sc.get("calls") or []
    ok([c.get("id") for c in calls] == ids and all(c.get("participants") for c in calls),
       f"[{era}] details: the 3 calls, each with participants", calls)  # fmt: skip

    longest = max(calls, key=lambda c: c.get("durationSeconds") or 0)["id"]
    out = inspector(bin_, url, era, SECRET, "--method", "tools/call", "--tool-name", "gong_get_transcript",
                    "--tool-args-json", json.dumps({"callId": longest}))  # fmt: skip
    sc, text = tool_result(out, f"[{era}] gong_get_transcript")
    named = [s["name"] for s in sc.get("speakers") or [] if s.get("identified")]
    ok(sc.get("callId") == longest and len(named) >= 2 and all(n in text for n in named)
       and any(f"] {n}: " in text for n in named),
       f"[{era}] transcript of {longest}: named speakers {named}", sc.get("speakers"))  # fmt: skip
    prompts_and_resources(bin_, url, era, longest, named)

    out = inspector(bin_, url, era, SECRET, "--method", "tools/call", "--tool-name", "search_minds",
                    "--tool-arg", "query=dana")  # fmt: skip
    sc, text = tool_result(out, f"[{era}] search_minds query=dana")
    minds = sc.get("minds") or []
    ok(len(minds) >= 1 and all("dana" in (m.get("name") or "").lower() for m in minds) and minds[0]["id"] in text,
       f"[{era}] search_minds: the demo's Dana, by a partial name", minds)  # fmt: skip

    out = inspector(bin_, url, era, "wrong-secret", "--method", "tools/call", "--tool-name", "gong_list_calls",
                    "--tool-arg", "limit=3", expect_rc=5)  # fmt: skip
    result = out.get("result") or {}
    ok(result.get("isError") is True and "Authentication failed" in text_of(result),
       f"[{era}] wrong credentials: exit 5, isError naming authentication", result)  # fmt: skip


def main() -> None:
    bin_, url = sys.argv[1], sys.argv[2]
    for era in ERAS:
        run_era(bin_, url, era)
    print(f"inspector cli: {checks} checks passed")


if __name__ == "__main__":
    main()
