// Interop check: gong_get_transcript's WebVTT pages read by an independent parser, the W3C's own
// WebVTT parser and validator (npm `webvtt-parser`, github.com/w3c/webvtt.js), not by gong-mcp's
// code. Run by scripts/interop.sh after python_client.py saved one call's pages:
//
//     NODE_PATH=<npm cache>/node_modules node webvtt_check.cjs DIR
//
// DIR holds page-NNN.vtt (every page of the call's transcript in format "vtt", in order) and
// manifest.json ({"callId", "segments": total segments, "speakers": [names], "words": the
// transcript's words without whitespace, from the format "json" pages}). Checks, with the parser
// given the full HTML entity table (spec-compliant decoding):
//   - every page parses with no error (signature, timings, cue text syntax) and has cues;
//   - every cue is one <v Speaker> span naming a speaker of the call, with end after start, and
//     cue start times never go back, across pages;
//   - the cues of all pages are the transcript's segments, exactly: as many, and the same words
//     in the same order as the JSON pages.
// Prints one summary line ending in "checks passed"; exits 1 on the first failure.
"use strict";

const fs = require("fs");
const path = require("path");
const { WebVTTParser } = require("webvtt-parser");
const entities = require("webvtt-parser/html-entities.json");

function fail(message) {
  console.error(`FAIL (webvtt-parser): ${message}`);
  process.exit(1);
}

function decode(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// The text of a cue-text tree, markup dropped.
function treeText(node) {
  if (node.type === "text") return node.value;
  return (node.children || []).map(treeText).join("");
}

const dir = process.argv[2] || fail("usage: node webvtt_check.cjs DIR");
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
const speakers = new Set(manifest.speakers);
const pages = fs.readdirSync(dir).filter((f) => /^page-\d+\.vtt$/.test(f)).sort();
if (pages.length === 0) fail(`no page-NNN.vtt in ${dir}`);

const parser = new WebVTTParser(entities);
let cues = 0;
let lastStart = -1;
let words = "";
for (const page of pages) {
  const text = fs.readFileSync(path.join(dir, page), "utf8");
  const tree = parser.parse(text, "metadata");
  if (tree.errors.length > 0) {
    const e = tree.errors[0];
    fail(`${page}: ${tree.errors.length} parse error(s), first at line ${e.line}: ${e.message}\n${text.split("\n").slice(Math.max(0, e.line - 3), e.line + 2).join("\n")}`);
  }
  if (tree.cues.length === 0) fail(`${page}: no cue`);
  for (const cue of tree.cues) {
    const where = `${page} cue at ${cue.startTime}s`;
    if (!(cue.endTime > cue.startTime)) fail(`${where}: ends at ${cue.endTime}s`);
    if (cue.startTime < lastStart) fail(`${where}: starts before the previous cue (${lastStart}s)`);
    lastStart = cue.startTime;
    const spans = cue.tree.children;
    if (spans.length !== 1 || spans[0].type !== "object" || spans[0].name !== "v") {
      fail(`${where}: not one <v Speaker> span: ${JSON.stringify(cue.text)}`);
    }
    const voice = decode(spans[0].value);
    if (!speakers.has(voice)) fail(`${where}: voice ${JSON.stringify(voice)} is not a speaker of the call`);
    words += treeText(spans[0]).replace(/\s+/g, "");
    cues += 1;
  }
}
if (cues !== manifest.segments) fail(`${cues} cues in ${pages.length} pages, but the transcript has ${manifest.segments} segments`);
if (words !== manifest.words) {
  let i = 0;
  while (i < words.length && words[i] === manifest.words[i]) i++;
  fail(`the cues' words differ from the JSON pages' at character ${i}: ${JSON.stringify(words.slice(i, i + 60))} vs ${JSON.stringify(manifest.words.slice(i, i + 60))}`);
}
console.log(`webvtt-parser: call ${manifest.callId}: ${pages.length} pages, ${cues} cues, ${words.length} characters of words: checks passed`);
