"""Interop check: the official MCP Python SDK client (PyPI `mcp`, 2.x) against gong-mcp.

Run by scripts/interop.sh; needs the server on the synthetic Gong (`gong-mcp serve --demo`).

    python python_client.py http  URL [--era auto|legacy]
    python python_client.py stdio --bin PATH --gong-base-url URL

http:  connects over streamable HTTP with the X-Gong-Access-Key/-Secret headers of the demo
       tenant. `--era auto` lets the SDK negotiate (it picks 2026-07-28 via server/discover),
       `--era legacy` forces the 2025-11-25 initialize handshake.
stdio: spawns `gong-mcp stdio` with the credentials in GONG_ACCESS_KEY/GONG_ACCESS_SECRET and
       GONG_BASE_URL pointing at the demo server's synthetic Gong.

Both: lists the tools (over HTTP the demo's default tenant adds the 8 Mind Reasoner tools), calls
the three Gong tools and checks real content (call ids, a second page that
does not repeat the first, named transcript speakers who are also the call's participants,
details with participants for every call, unknown ids reported), then checks that wrong
credentials give an isError result naming authentication. With `--vtt-dir DIR` (http), also
saves every format "vtt" page of one call's transcript there, with a manifest from the format
"json" pages, for webvtt_check.cjs to read with an independent WebVTT parser. The SDK itself validates each
structuredContent against the tool's outputSchema and each message against the protocol schema.
Both also exercise the prompts (listed by credentials, Fathom's and Fireflies' too over HTTP, each naming only listed tools, arguments
checked) and the resources (templates, the newest calls paged by cursor, reads equal to the tools'
answers, unknown URIs an error carrying the uri), and completions from the tenant (recent call
titles and ids; over HTTP, a call's participants for create_mind_from_call's speaker).
Over HTTP it also trains a mind on the demo's synthetic Mind Reasoner (create_mind, signed URL,
upload, snapshot, status with waitSeconds) and asks a trained mind a question (simulate).
Prints one `ok:` line per check; exits 1 on the first failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import re

import anyio
import httpx2
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference

DEMO_KEY = "demo-access-key"
DEMO_SECRET = "demo-access-secret"
TOOLS = {"gong_list_calls", "gong_get_transcript", "gong_get_call_details", "gong_list_speakers"}
MR_TOOLS = {
    "get_all_minds", "search_minds", "create_mind", "get_signed_upload_url",
    "upload_file_to_signed_url", "create_snapshot", "get_snapshot_status", "simulate",
    "create_mind_from_calls",  # needs both Gong credentials and a Mind Reasoner key
    # The demo's default tenant also holds a Fireflies key.
    "fireflies_list_transcripts", "fireflies_get_transcript", "fireflies_search_transcripts",
    "fireflies_list_speakers",
}  # fmt: skip
# The demo's default tenant also carries a Fathom key (its synthetic Fathom meets the same people).
FATHOM_TOOLS = {"fathom_list_meetings", "fathom_get_transcript", "fathom_get_meeting_details",
                "fathom_list_speakers"}
ERA_VERSIONS = {"auto": "2026-07-28", "legacy": "2025-11-25"}
# Prompts: Gong's two, and the two that train minds (they need a Mind Reasoner key too).
PROMPTS = {"recent_calls", "analyze_call_patterns"}
MIND_PROMPTS = {"create_mind_from_call", "bulk_mind_creation"}
TEMPLATES = {"gong://calls/{callId}", "gong://calls/{callId}/transcript"}
# The same prompts for the demo's Fathom and Fireflies meetings, and their resources.
OTHER_PROMPTS = {
    f"{p}_{f}"
    for p in ("fathom", "fireflies")
    for f in ("recent_meetings", "analyze_meeting_patterns", "create_mind_from_meeting", "bulk_mind_creation")
}
OTHER_TEMPLATES = {
    "fathom://meetings/{meetingId}", "fathom://meetings/{meetingId}/transcript",
    "fireflies://transcripts/{transcriptId}/transcript",
}  # fmt: skip


class CheckFailed(Exception):
    pass


checks_passed = 0


def check(cond: bool, what: str, detail: Any = "") -> None:
    global checks_passed
    if not cond:
        raise CheckFailed(f"{what}: {str(detail)[:1500]}")
    checks_passed += 1
    print(f"ok: {what}", flush=True)


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def call(client: Client, name: str, args: dict[str, Any]) -> Any:
    return await client.call_tool(name, args)


async def call_ok(client: Client, name: str, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    result = await call(client, name, args)
    text = text_of(result)
    check(not result.is_error, f"{name} {args} is not an error", text)
    check(isinstance(result.structured_content, dict), f"{name} returns structuredContent", result)
    check(bool(text.strip()), f"{name} returns text content", result)
    return result.structured_content, text


async def all_pages(client: Client, args: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Every page of a gong_get_transcript request, following nextOffset."""
    pages = []
    while True:
        out, text = await call_ok(client, "gong_get_transcript", args)
        pages.append((out, text))
        next_offset = (out.get("page") or {}).get("nextOffset")
        if next_offset is None:
            return pages
        check(len(pages) < 200, "transcript paging ends", args)
        args = {**args, "offset": next_offset}


async def save_vtt_pages(client: Client, cid: str, vtt_dir: str) -> None:
    """Saves every format "vtt" page of the call for webvtt_check.cjs (an independent WebVTT
    parser), with a manifest of what the pages must hold, taken from the format "json" pages."""
    vtt = await all_pages(client, {"callId": cid, "format": "vtt", "maxChars": 6000})
    json_pages = await all_pages(client, {"callId": cid, "format": "json"})
    turns = [t for out, _ in json_pages for t in out.get("turns") or []]
    total = json_pages[0][0]["page"]["totalSegments"]
    check(len(turns) == total, f"format json pages hold all {total} segments", len(turns))
    check(
        sum(out["page"]["segments"] for out, _ in vtt) == total,
        f"format vtt pages hold all {total} segments, in {len(vtt)} pages",
        [out["page"] for out, _ in vtt],
    )
    path = Path(vtt_dir)
    path.mkdir(parents=True, exist_ok=True)
    for i, (_, text) in enumerate(vtt):
        (path / f"page-{i:03}.vtt").write_text(text)
    manifest = {
        "callId": cid,
        "segments": total,
        "speakers": [s["name"] for s in vtt[0][0].get("speakers") or []],
        "words": "".join("".join(t["text"].split()) for t in turns),
    }
    (path / "manifest.json").write_text(json.dumps(manifest))
    print(f"saved {len(vtt)} WebVTT pages of call {cid} to {path}", flush=True)


async def exercise(
    client: Client, expected_version: str | None, expected_tools: set[str], vtt_dir: str | None = None
) -> None:
    if expected_version:
        check(
            client.protocol_version == expected_version,
            f"negotiated protocol {expected_version}",
            client.protocol_version,
        )
    info = client.server_info
    print(f"info: protocol {client.protocol_version}, server {info.name if info else '?'} {info.version if info else ''}")

    # tools/list: the Gong tools (read-only) and any others expected, with input and output schemas.
    tools = (await client.list_tools()).tools
    names = {t.name for t in tools}
    check(names == expected_tools, f"tools/list returns the {len(expected_tools)} expected tools", sorted(names))
    for t in tools:
        if t.name not in TOOLS:
            check(isinstance(t.output_schema, dict), f"{t.name} has an outputSchema", t)
            continue
        check(
            t.input_schema.get("type") == "object" and isinstance(t.output_schema, dict),
            f"{t.name} has an object inputSchema and an outputSchema",
            t,
        )
        check(
            t.annotations is not None and t.annotations.read_only_hint is True,
            f"{t.name} is annotated read-only",
            t.annotations,
        )

    # gong_list_calls: a page of 5 real calls, then the next page via nextCursor.
    page1, text1 = await call_ok(client, "gong_list_calls", {"limit": 5})
    calls = page1.get("calls") or []
    ids = [c.get("id") for c in calls]
    check(len(calls) == 5, "gong_list_calls limit=5 returns 5 calls", page1)
    check(all(isinstance(i, str) and i.isdigit() and len(i) > 10 for i in ids), "call ids are Gong id strings", ids)
    check(all(i in text1 for i in ids), "the text form names every call id", text1)
    check(page1.get("totalRecords", 0) > 5 and page1.get("nextCursor"), "more calls remain: totalRecords and nextCursor", page1)
    check(all(c.get("title") and c.get("started") for c in calls), "every call has a title and a start time", calls)
    page2, _ = await call_ok(client, "gong_list_calls", {"limit": 5, "cursor": page1["nextCursor"]})
    ids2 = [c.get("id") for c in page2.get("calls") or []]
    check(len(ids2) == 5 and not set(ids) & set(ids2), "the nextCursor page has 5 other calls", (ids, ids2))

    # gong_get_call_details for the whole first page in one request: participants for each call.
    details, dtext = await call_ok(client, "gong_get_call_details", {"callIds": ids})
    dcalls = details.get("calls") or []
    check([c.get("id") for c in dcalls] == ids, "gong_get_call_details returns each asked call, in order", details)
    check(not details.get("notFound"), "no asked call is reported not found", details.get("notFound"))
    for c in dcalls:
        parts = c.get("participants") or []
        check(
            len(parts) >= 1 and all(p.get("name") or p.get("email") for p in parts),
            f"call {c['id']} has named participants ({len(parts)})",
            c,
        )
    first_names = [p["name"] for p in (dcalls[0].get("participants") or []) if p.get("name")]
    check(first_names and all(n in dtext for n in first_names), "the details text names the participants", dtext[:500])

    # gong_get_transcript of the longest call on the page: speakers named from the participants.
    longest = max(calls, key=lambda c: c.get("durationSeconds") or 0)
    cid = longest["id"]
    tr, ttext = await call_ok(client, "gong_get_transcript", {"callId": cid})
    speakers = tr.get("speakers") or []
    check(tr.get("callId") == cid, "the transcript is of the asked call", tr.get("callId"))
    named = [s for s in speakers if s.get("identified") and s.get("name") and not s["name"].startswith("Unknown speaker")]
    check(len(named) >= 2, f"transcript of {cid} has named speakers ({[s['name'] for s in named]})", speakers)
    speaker_names = {s["name"] for s in speakers}
    check(
        any(f"] {s['name']}: " in ttext for s in named),
        "the transcript text has turns as [mm:ss] Name: words",
        ttext[:500],
    )
    # format json: the turns themselves, in structuredContent.
    trj, _ = await call_ok(client, "gong_get_transcript", {"callId": cid, "format": "json"})
    turns = trj.get("turns") or []
    check(
        len(turns) > 0 and all(t.get("speaker") in speaker_names and t.get("text") for t in turns),
        f"format json has {len(turns)} turns, each with a known speaker and text",
        turns[:3],
    )
    check(all(s["name"] in ttext for s in named), "the transcript text names the speakers", ttext[:500])
    if vtt_dir:
        await save_vtt_pages(client, cid, vtt_dir)
    call_parts = next(c for c in dcalls if c["id"] == cid).get("participants") or []
    part_names = {p.get("name") for p in call_parts}
    check(
        all(s["name"] in part_names for s in named),
        "the transcript's speakers are the call's participants",
        (sorted(s["name"] for s in named), sorted(n for n in part_names if n)),
    )

    # single-id form and an id Gong does not know.
    one, _ = await call_ok(client, "gong_get_call_details", {"callId": cid})
    check([c.get("id") for c in one.get("calls") or []] == [cid], "gong_get_call_details callId returns that call", one)
    unknown = "1234567890123456789"
    res = await call(client, "gong_get_call_details", {"callIds": [cid, unknown]})
    sc = res.structured_content or {}
    check(
        not res.is_error and unknown in (sc.get("notFound") or []) and len(sc.get("calls") or []) == 1,
        "an unknown call id is listed in notFound",
        (res.is_error, text_of(res)[:300], sc.get("notFound")),
    )


async def exercise_fathom(client: Client) -> None:
    listed, text = await call_ok(client, "fathom_list_meetings", {"limit": 3})
    ids = [m.get("meetingId") for m in listed.get("meetings") or []]
    check(len(ids) == 3 and all(isinstance(i, str) and i.isdigit() for i in ids), "fathom_list_meetings: 3 meetings with ids", listed)
    check(all(i in text for i in ids) and "Scanned" in text, "fathom_list_meetings: the text names the ids and what was scanned", text)
    page, text = await call_ok(client, "fathom_get_transcript", {"meetingId": ids[0], "maxChars": 2000})
    check(bool(page.get("speakers")) and "]" in text, "fathom_get_transcript: named speakers and timed turns", text[:500])
    details, text = await call_ok(client, "fathom_get_meeting_details", {"meetingId": ids[0]})
    check(bool(details.get("summary")) and "Action items" in text, "fathom_get_meeting_details: summary and action items", text[:500])
    speakers, text = await call_ok(client, "fathom_list_speakers", {"callIds": ids})
    check(bool(speakers.get("speakers")), "fathom_list_speakers: who spoke in the listed meetings", text[:500])
    read = await client.read_resource(f"fathom://meetings/{ids[0]}/transcript")
    tool = await call(client, "fathom_get_transcript", {"meetingId": ids[0]})
    check(read.contents[0].text.startswith(text_of(tool)), "reading fathom://meetings/{id}/transcript gives fathom_get_transcript's text", read.contents[0].text[:300])


def tools_named(text: str, names: set[str]) -> set[str]:
    return {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)}


async def exercise_prompts_and_resources(
    client: Client, prompts: set[str], tools: set[str], templates: set[str] = TEMPLATES
) -> None:
    """Prompts listed by credentials, rendered naming only listed tools; completions from the
    tenant; resources listed and read exactly as the tools answer; unknown URIs are errors."""
    listed = (await client.list_prompts()).prompts
    check({p.name for p in listed} == prompts, f"prompts/list returns the {len(prompts)} expected prompts", [p.name for p in listed])
    check(
        all(p.description and all(a.description for a in p.arguments or []) for p in listed),
        "every prompt and prompt argument has a description",
        listed,
    )
    every_tool = TOOLS | MR_TOOLS | FATHOM_TOOLS
    for p in listed:
        mind = p.name.endswith(("create_mind_from_call", "create_mind_from_meeting"))
        args = {"query": "renewal", "speaker": "pat@example.com"} if mind else {}
        res = await client.get_prompt(p.name, args)
        text = res.messages[0].content.text
        named = tools_named(text, every_tool)
        check(bool(named) and named <= tools, f"prompt {p.name} names only listed tools ({sorted(named)})", text[:800])
    res = await client.get_prompt("recent_calls", {"days": "14", "scope": "external"})
    text = res.messages[0].content.text
    check('"scope":"External"' in text and "last 14 days" in text, "recent_calls puts its arguments into the tool arguments", text[:600])
    try:
        await client.get_prompt("recent_calls", {"days": "0"})
        check(False, "days=0 is refused", "the prompt rendered")
    except MCPError as e:
        check(e.code == -32602 and "`days`" in e.message, "a bad prompt argument is -32602 naming it", (e.code, e.message))

    listed_templates = (await client.list_resource_templates()).resource_templates
    check({t.uri_template for t in listed_templates} == templates, "resources/templates/list: each recorder's templates", listed_templates)
    page = await client.list_resources()
    check(len(page.resources) == 25 and bool(page.next_cursor), "resources/list: 25 newest calls and a nextCursor", page)
    page2 = await client.list_resources(cursor=page.next_cursor)
    uris = [r.uri for r in page.resources] + [r.uri for r in page2.resources]
    check(len(set(uris)) == len(uris) and len(page2.resources) > 0, "the next resources/list page lists other calls", uris)
    first = page.resources[0]
    cid = first.uri.removeprefix("gong://calls/")
    check(cid.isdigit() and first.name, "a listed resource is gong://calls/{callId} with the call's title as name", first)
    read = await client.read_resource(first.uri)
    tool = await call(client, "gong_get_call_details", {"callId": cid})
    check(read.contents[0].text == text_of(tool), "reading gong://calls/{id} gives gong_get_call_details' text", read.contents[0].text[:300])
    read = await client.read_resource(f"gong://calls/{cid}/transcript")
    tool = await call(client, "gong_get_transcript", {"callId": cid})
    check(read.contents[0].text.startswith(text_of(tool)), "reading …/transcript gives gong_get_transcript's text", read.contents[0].text[:300])
    for uri in ["gong://calls/1234567890123456789", "test://nothing-here"]:
        try:
            await client.read_resource(uri)
            check(False, f"reading {uri} is an error", "it was read")
        except MCPError as e:
            check(e.code in (-32002, -32602) and (e.data or {}).get("uri") == uri, f"reading {uri}: not found, with the uri in data", (e.code, e.message, e.data))

    titles = await client.complete(PromptReference(name="analyze_call_patterns"), {"name": "query", "value": ""})
    check(bool(titles.completion.values) and first.name in titles.completion.values, "completion of query: the tenant's recent call titles", titles.completion.values[:5])
    ids = await client.complete(ResourceTemplateReference(uri="gong://calls/{callId}"), {"name": "callId", "value": cid[:4]})
    check(cid in ids.completion.values and all(i.startswith(cid[:4]) for i in ids.completion.values), "completion of {callId}: recent ids with that prefix", ids.completion.values[:5])
    if "create_mind_from_call" in prompts:
        people = await client.complete(
            PromptReference(name="create_mind_from_call"), {"name": "speaker", "value": ""}, {"callId": cid}
        )
        details = await call(client, "gong_get_call_details", {"callId": cid, "include": ["participants"]})
        parts = [p for c in (details.structured_content or {}).get("calls", []) for p in c.get("participants", [])]
        known = {p.get("email") or p.get("name") for p in parts}
        values = set(people.completion.values)
        check(bool(values) and values <= known, "completion of speaker: the call's participants", (sorted(values), sorted(known)))


async def exercise_mind_reasoner(client: Client) -> None:
    minds, _ = await call_ok(client, "get_all_minds", {})
    trained = [m for m in minds.get("minds") or [] if m.get("trained")]
    check(bool(trained), "get_all_minds lists a trained mind of the demo", minds)
    sim, text = await call_ok(client, "simulate", {"mindId": trained[0]["id"], "message": "What worries you about pricing?"})
    check(bool(sim.get("response")) and sim["response"] in text, "simulate answers, in text and structuredContent", sim)
    created, _ = await call_ok(client, "create_mind", {"name": "Interop Python"})
    mind, twin = created["mindId"], created["digitalTwinId"]
    signed, _ = await call_ok(client, "get_signed_upload_url", {"mindId": mind, "fileName": "interop.vtt"})
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Pat>We need SSO before we can roll this out.\n"
    up, _ = await call_ok(
        client, "upload_file_to_signed_url", {"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "content": vtt}
    )
    check(up.get("uploadedBytes") == len(vtt.encode()), "upload_file_to_signed_url uploads every byte", up)
    snap, _ = await call_ok(
        client, "create_snapshot", {"mindId": mind, "digitalTwinId": twin, "artifactId": signed["artifactId"]}
    )
    status, _ = await call_ok(
        client, "get_snapshot_status", {"mindId": mind, "snapshotId": snap["snapshotId"], "waitSeconds": 5}
    )
    check(status.get("status") in {"pending", "processing", "completed"}, "get_snapshot_status reports training", status)


async def exercise_fireflies(client: Client) -> None:
    listed, text = await call_ok(client, "fireflies_list_transcripts", {"limit": 3})
    ids = [t["transcriptId"] for t in listed.get("transcripts") or []]
    check(len(ids) == 3 and all(i in text for i in ids), "fireflies_list_transcripts lists 3 meetings by id", listed)
    page, text = await call_ok(client, "fireflies_get_transcript", {"transcriptId": ids[0], "format": "vtt"})
    check(text.startswith("WEBVTT") and "<v " in text, "fireflies_get_transcript reads one as WebVTT with voices", text[:300])
    speakers, text = await call_ok(client, "fireflies_list_speakers", {"callIds": ids})
    check(bool(speakers.get("speakers")), "fireflies_list_speakers: who spoke in the listed meetings", text[:500])
    read = await client.read_resource(f"fireflies://transcripts/{ids[0]}/transcript")
    tool = await call(client, "fireflies_get_transcript", {"transcriptId": ids[0]})
    check(read.contents[0].text.startswith(text_of(tool)), "reading fireflies://transcripts/{id}/transcript gives fireflies_get_transcript's text", read.contents[0].text[:300])


async def expect_auth_failure(client: Client, expected_tools: set[str]) -> None:
    tools = (await client.list_tools()).tools
    check({t.name for t in tools} == expected_tools, "with wrong credentials the tools are still listed", [t.name for t in tools])
    res = await call(client, "gong_list_calls", {"limit": 3})
    text = text_of(res)
    check(res.is_error is True, "wrong credentials: gong_list_calls is an isError result", text)
    check("Authentication failed" in text, "wrong credentials: the error names authentication", text)
    check(DEMO_SECRET not in text and "wrong-secret" not in text, "the error does not echo a secret", text)


@asynccontextmanager
async def http_client(url: str, headers: dict[str, str], era: str) -> AsyncIterator[Client]:
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=60)) as h:
        async with Client(streamable_http_client(url, http_client=h), mode=era) as c:
            yield c


async def run_http(url: str, era: str, vtt_dir: str | None) -> None:
    good = {"X-Gong-Access-Key": DEMO_KEY, "X-Gong-Access-Secret": DEMO_SECRET}
    # The demo's default tenant also holds a Mind Reasoner key: its tools are listed too.
    async with http_client(url, good, era) as c:
        await exercise(c, ERA_VERSIONS[era], TOOLS | MR_TOOLS | FATHOM_TOOLS, vtt_dir)
        await exercise_mind_reasoner(c)
        await exercise_fathom(c)
        await exercise_fireflies(c)
        await exercise_prompts_and_resources(
            c, PROMPTS | MIND_PROMPTS | OTHER_PROMPTS, TOOLS | MR_TOOLS | FATHOM_TOOLS, TEMPLATES | OTHER_TEMPLATES
        )
    bad = {"X-Gong-Access-Key": DEMO_KEY, "X-Gong-Access-Secret": "wrong-secret"}
    async with http_client(url, bad, era) as c:
        await expect_auth_failure(c, TOOLS | MR_TOOLS | FATHOM_TOOLS)
    # Half a credential pair is refused at the HTTP layer (400), never a fall-back to the default tenant.
    try:
        async with http_client(url, {"X-Gong-Access-Key": DEMO_KEY}, era) as c:
            await c.list_tools()
        check(False, "half credentials are refused", "the session worked")
    except CheckFailed:
        raise
    except BaseException as e:  # the SDK raises (possibly wrapped in an ExceptionGroup)
        check(
            "sent without X-Gong-Access-Secret" in repr(e),
            "half credentials are refused with an error naming the missing header",
            repr(e),
        )


def stdio_params(binary: str, base_url: str, key: str | None, secret: str | None) -> StdioServerParameters:
    env = {"GONG_BASE_URL": base_url, "RUST_LOG": "warn", "NO_COLOR": "1"}
    if key is not None and secret is not None:
        env |= {"GONG_ACCESS_KEY": key, "GONG_ACCESS_SECRET": secret}
    return StdioServerParameters(command=binary, args=["stdio"], env=env)


async def run_stdio(binary: str, base_url: str) -> None:
    async with Client(stdio_params(binary, base_url, DEMO_KEY, DEMO_SECRET)) as c:
        await exercise(c, None, TOOLS)
        await exercise_prompts_and_resources(c, PROMPTS, TOOLS)
    async with Client(stdio_params(binary, base_url, DEMO_KEY, "wrong-secret")) as c:
        await expect_auth_failure(c, TOOLS)
    async with Client(stdio_params(binary, base_url, None, None)) as c:
        tools = (await c.list_tools()).tools
        check(tools == [], "stdio without credentials lists no tools", [t.name for t in tools])
        res = await call(c, "gong_list_calls", {})
        check(
            res.is_error is True and "GONG_ACCESS_KEY" in text_of(res),
            "stdio without credentials: calling a tool names the env vars",
            text_of(res),
        )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="transport", required=True)
    h = sub.add_parser("http")
    h.add_argument("url")
    h.add_argument("--era", choices=sorted(ERA_VERSIONS), default="auto")
    h.add_argument("--vtt-dir", help="save the longest call's format vtt pages here (for webvtt_check.cjs)")
    s = sub.add_parser("stdio")
    s.add_argument("--bin", required=True)
    s.add_argument("--gong-base-url", required=True)
    a = p.parse_args()
    label = f"http, {ERA_VERSIONS[a.era]} ({a.era})" if a.transport == "http" else "stdio"
    try:
        if a.transport == "http":
            anyio.run(run_http, a.url, a.era, a.vtt_dir)
        else:
            anyio.run(run_stdio, a.bin, a.gong_base_url)
    except CheckFailed as e:
        print(f"FAIL ({label}): {e}", file=sys.stderr)
        return 1
    except BaseException as e:  # noqa: BLE001 - any client crash is a failure of this check
        print(f"FAIL ({label}): {type(e).__name__}: {e!r}"[:3000], file=sys.stderr)
        return 1
    print(f"python client ({label}): {checks_passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
