//! Resource URIs: `gong://calls/{callId}` (the call's details) and
//! `gong://calls/{callId}/transcript` (its transcript; `?offset=N` continues at segment N), and
//! the same shapes for the other recorders (`{source}://{collection}/{id}`; Fireflies has no
//! details, only `…/transcript`).

use rmcp::ErrorData;
use serde_json::json;

use crate::mcp::args::clip;
use crate::mcp::prompts::sources::{SOURCES, SourceTools};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Details,
    Transcript { offset: Option<u64> },
}

/// A parsed resource URI.
#[derive(Debug)]
pub struct ResourceUri {
    pub src: &'static SourceTools,
    pub id: String,
    pub kind: Kind,
}

pub fn details_uri(src: &SourceTools, id: &str) -> String {
    format!("{}://{}/{id}", src.source.key(), src.collection)
}

pub fn transcript_uri(src: &SourceTools, id: &str, offset: Option<usize>) -> String {
    let base = format!("{}/transcript", details_uri(src, id));
    match offset {
        Some(n) => format!("{base}?offset={n}"),
        None => base,
    }
}

pub fn not_found(uri: &str, message: impl Into<String>) -> ErrorData {
    ErrorData::resource_not_found(message.into(), Some(json!({ "uri": uri })))
}

fn malformed(uri: &str, message: impl std::fmt::Display) -> ErrorData {
    ErrorData::invalid_params(
        format!("Malformed resource URI '{}': {message}", clip(uri, 200)),
        Some(json!({ "uri": uri })),
    )
}

/// Which recorder's resource this is, and what of it. A URI of no recorder's scheme is
/// "not found"; one of a known scheme but the wrong shape is "malformed", with the shapes.
pub fn parse(uri: &str) -> Result<ResourceUri, ErrorData> {
    let Some(src) = SOURCES.iter().find(|s| {
        uri.strip_prefix(s.source.key())
            .is_some_and(|rest| rest.starts_with("://"))
    }) else {
        return Err(not_found(
            uri,
            format!(
                "Resource not found: '{}' is not a resource of this server (its URIs: {}).",
                clip(uri, 200),
                shapes()
            ),
        ));
    };
    let prefix = format!("{}://{}/", src.source.key(), src.collection);
    let rest = uri
        .strip_prefix(&prefix)
        .ok_or_else(|| malformed(uri, shape(src)))?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let mut parts = path.split('/');
    let id = parts.next().unwrap_or_default().to_owned();
    let kind = match (parts.next(), parts.next()) {
        (None, None) if src.details.is_none() => return Err(malformed(uri, shape(src))),
        (None, None) if query.is_none() => Kind::Details,
        (None, None) => {
            return Err(malformed(
                uri,
                format!("a {}'s details take no query", src.noun),
            ));
        }
        (Some("transcript"), None) => Kind::Transcript {
            offset: offset(uri, query)?,
        },
        _ => return Err(malformed(uri, shape(src))),
    };
    (src.check_id)(src.source.id_arg(), &id).map_err(|e| malformed(uri, e))?;
    Ok(ResourceUri { src, id, kind })
}

/// The URIs of one recorder, for errors.
fn shape(src: &SourceTools) -> String {
    let one = format!(
        "{}://{}/{{{}}}",
        src.source.key(),
        src.collection,
        src.source.id_arg()
    );
    match src.details {
        Some(_) => format!("expected {one} or {one}/transcript (with ?offset=N to continue)"),
        None => format!(
            "expected {one}/transcript (with ?offset=N to continue); {} has no details resource",
            src.source.name()
        ),
    }
}

fn offset(uri: &str, query: Option<&str>) -> Result<Option<u64>, ErrorData> {
    let Some(query) = query else {
        return Ok(None);
    };
    let mut offset = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("offset", n)) => {
                let n = n.parse::<u64>().map_err(|_| {
                    malformed(
                        uri,
                        "offset must be a whole number of segments, e.g. ?offset=120",
                    )
                })?;
                offset = Some(n);
            }
            _ => {
                return Err(malformed(
                    uri,
                    "a transcript takes only ?offset=N (the nextOffset of the previous page)",
                ));
            }
        }
    }
    Ok(offset)
}

fn shapes() -> String {
    SOURCES
        .iter()
        .map(|s| {
            let one = format!(
                "{}://{}/{{{}}}",
                s.source.key(),
                s.collection,
                s.source.id_arg()
            );
            match s.details {
                Some(_) => format!("{one} and {one}/transcript"),
                None => format!("{one}/transcript"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_and_transcript_uris_parse() {
        let u = parse("gong://calls/123").unwrap();
        assert_eq!((u.id.as_str(), u.kind), ("123", Kind::Details));
        let u = parse("gong://calls/123/transcript").unwrap();
        assert_eq!(u.kind, Kind::Transcript { offset: None });
        let u = parse("gong://calls/123/transcript?offset=40").unwrap();
        assert_eq!(u.kind, Kind::Transcript { offset: Some(40) });
        assert_eq!(
            transcript_uri(u.src, "123", Some(40)),
            "gong://calls/123/transcript?offset=40"
        );
        let u = parse("fathom://meetings/123").unwrap();
        assert_eq!((u.src.source.key(), u.kind), ("fathom", Kind::Details));
        let u = parse("fireflies://transcripts/01ABC/transcript?offset=3").unwrap();
        assert_eq!(u.id, "01ABC");
        assert_eq!(u.kind, Kind::Transcript { offset: Some(3) });
    }

    #[test]
    fn unknown_and_malformed_uris_are_clear_errors_with_the_uri() {
        for (uri, needle) in [
            ("test://nothing", "not a resource of this server"),
            ("gong://calls/abc", "callId must be a Gong call id"),
            ("gong://calls/", "callId must be"),
            ("gong://meetings/1", "expected gong://calls/{callId}"),
            ("gong://calls/1/words", "expected gong://calls/{callId}"),
            (
                "gong://calls/1/transcript?offset=x",
                "offset must be a whole number",
            ),
            ("gong://calls/1/transcript?page=2", "only ?offset=N"),
            ("gong://calls/1?offset=2", "take no query"),
            ("fathom://meetings/abc", "must be a Fathom meeting id"),
            ("fathom://calls/1", "expected fathom://meetings/{meetingId}"),
            (
                "fireflies://transcripts/01ABC",
                "expected fireflies://transcripts/{transcriptId}/transcript",
            ),
            (
                "fireflies://transcripts/a%20b/transcript",
                "must be a Fireflies transcript id",
            ),
        ] {
            let err = parse(uri).unwrap_err();
            assert!(err.message.contains(needle), "{uri}: {}", err.message);
            assert_eq!(err.data, Some(json!({ "uri": uri })), "{uri}");
        }
    }
}
