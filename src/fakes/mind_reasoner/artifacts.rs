//! What a training artifact is and what a mind learns from it.
//!
//! Mind Reasoner accepts WebVTT, PDF and DOCX. The fake reads the bytes just
//! enough to tell a usable artifact from an unusable one (the snapshot then
//! ends `failed`): WebVTT must be UTF-8, start with `WEBVTT` (after an
//! optional BOM) and hold at least one cue with text; PDF must start with
//! `%PDF-`; DOCX with the ZIP signature `PK\x03\x04`. From WebVTT it keeps the
//! cue texts (voice and other tags stripped) as the sentences a simulation
//! answers with; documents are not parsed further.

use std::collections::HashSet;

pub(crate) const VTT: &str = "text/vtt";
pub(crate) const PDF: &str = "application/pdf";
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The three content types Mind Reasoner documents.
pub(crate) const ACCEPTED: [&str; 3] = [VTT, PDF, DOCX];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Vtt,
    Pdf,
    Docx,
}

impl Kind {
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Kind::Vtt => VTT,
            Kind::Pdf => PDF,
            Kind::Docx => DOCX,
        }
    }

    /// From a `Content-Type` value (parameters and case ignored).
    pub(crate) fn from_content_type(ct: &str) -> Option<Kind> {
        let essence = ct.split(';').next().unwrap_or("").trim();
        [Kind::Vtt, Kind::Pdf, Kind::Docx]
            .into_iter()
            .find(|k| k.content_type().eq_ignore_ascii_case(essence))
    }

    /// From a file name's extension (`.vtt`, `.pdf`, `.docx`, any case).
    pub(crate) fn from_file_name(name: &str) -> Option<Kind> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "vtt" => Some(Kind::Vtt),
            "pdf" => Some(Kind::Pdf),
            "docx" => Some(Kind::Docx),
            _ => None,
        }
    }
}

/// What training on an artifact yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Learned {
    /// The artifact is empty or not readable as its type: the snapshot fails.
    Unreadable,
    /// Cue texts of a transcript, in order.
    Transcript(Vec<String>),
    /// A PDF or DOCX of that many bytes.
    Document { bytes: usize, content_type: String },
}

impl Learned {
    /// Words added to the mind's `tokenCount`: the words of a transcript's
    /// cues; for a document (not parsed) one word per six bytes.
    pub(crate) fn word_count(&self) -> u64 {
        match self {
            Learned::Unreadable => 0,
            Learned::Transcript(cues) => cues
                .iter()
                .map(|c| c.split_whitespace().count() as u64)
                .sum(),
            Learned::Document { bytes, .. } => (*bytes / 6) as u64,
        }
    }
}

/// Reads an artifact stored with `content_type`.
pub(crate) fn learn(bytes: &[u8], content_type: &str) -> Learned {
    if bytes.is_empty() {
        return Learned::Unreadable;
    }
    match Kind::from_content_type(content_type) {
        Some(Kind::Vtt) => match vtt_cues(bytes) {
            Some(cues) if !cues.is_empty() => Learned::Transcript(cues),
            _ => Learned::Unreadable,
        },
        Some(k @ (Kind::Pdf | Kind::Docx)) => {
            let magic: &[u8] = if k == Kind::Pdf {
                b"%PDF-"
            } else {
                b"PK\x03\x04"
            };
            if bytes.starts_with(magic) {
                Learned::Document {
                    bytes: bytes.len(),
                    content_type: k.content_type().to_string(),
                }
            } else {
                Learned::Unreadable
            }
        }
        None => Learned::Unreadable,
    }
}

/// The texts of a WebVTT file's cues, or `None` when it is not WebVTT.
pub(crate) fn vtt_cues(bytes: &[u8]) -> Option<Vec<String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("WEBVTT")?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r'])) {
        return None;
    }
    let normalized = rest.replace("\r\n", "\n").replace('\r', "\n");
    let mut cues = Vec::new();
    // Blocks are separated by blank lines; the first is the header's remainder.
    for block in normalized.split("\n\n").skip(1) {
        let lines: Vec<&str> = block.lines().collect();
        let Some(timing) = lines.iter().position(|l| l.contains("-->")) else {
            continue; // NOTE, STYLE, REGION or stray text
        };
        if timing > 1 || lines.first().is_some_and(|l| l.starts_with("NOTE")) {
            continue;
        }
        let cue = lines[timing + 1..]
            .iter()
            .map(|l| strip_tags(l))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !cue.is_empty() {
            cues.push(cue);
        }
    }
    Some(cues)
}

/// Drops `<v Name>`, `<c.x>`, `</v>`, `<00:01.000>` and the like, and decodes
/// the few character references WebVTT defines.
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_tag = false;
    for ch in line.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase words of three letters or more (a cheap stop-word filter).
pub(crate) fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

/// The cue sharing the most words with `message`; the earliest wins a tie.
pub(crate) fn best_cue<'a>(cues: &[&'a str], message: &str) -> Option<&'a str> {
    let wanted = words(message);
    let mut best: Option<(&str, usize)> = None;
    for &cue in cues {
        let score = words(cue).intersection(&wanted).count();
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((cue, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\u{feff}WEBVTT - call\n\nNOTE a comment\n-- still the note\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Dana Whitfield>Pricing is per seat.</v>\n\n00:00:05.000 --> 00:00:08.000 align:start\n<v.loud Sam>We need SSO &amp; audit logs\nbefore we sign.\n";

    #[test]
    fn parses_cues_and_strips_tags() {
        let cues = vtt_cues(SAMPLE.as_bytes()).unwrap();
        assert_eq!(
            cues,
            vec![
                "Pricing is per seat.".to_string(),
                "We need SSO & audit logs before we sign.".to_string()
            ]
        );
        let crlf = SAMPLE.replace('\n', "\r\n");
        assert_eq!(vtt_cues(crlf.as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn tells_usable_from_unusable() {
        assert!(matches!(
            learn(SAMPLE.as_bytes(), "text/vtt"),
            Learned::Transcript(_)
        ));
        assert_eq!(learn(b"", VTT), Learned::Unreadable);
        assert_eq!(learn(b"WEBVTT\n\nno cues here\n", VTT), Learned::Unreadable);
        assert_eq!(
            learn(b"WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n", VTT),
            Learned::Unreadable
        );
        assert_eq!(learn(b"hello", VTT), Learned::Unreadable);
        assert_eq!(learn(&[0xff, 0xfe, 0x00], VTT), Learned::Unreadable);
        assert!(matches!(
            learn(b"%PDF-1.7 ...", PDF),
            Learned::Document { bytes: 12, .. }
        ));
        assert_eq!(learn(b"PK\x03\x04", PDF), Learned::Unreadable);
        assert!(matches!(
            learn(b"PK\x03\x04rest", DOCX),
            Learned::Document { .. }
        ));
        assert_eq!(learn(SAMPLE.as_bytes(), "text/plain"), Learned::Unreadable);
    }

    #[test]
    fn kinds_from_names_and_types() {
        assert_eq!(Kind::from_file_name("a.b.VTT"), Some(Kind::Vtt));
        assert_eq!(Kind::from_file_name("report.docx"), Some(Kind::Docx));
        assert_eq!(Kind::from_file_name("notes.txt"), None);
        assert_eq!(Kind::from_file_name("noext"), None);
        assert_eq!(
            Kind::from_content_type("Text/VTT; charset=utf-8"),
            Some(Kind::Vtt)
        );
        assert_eq!(Kind::from_content_type("text/plain"), None);
    }

    #[test]
    fn best_cue_by_shared_words() {
        let cues = ["Pricing is per seat.", "We need SSO and audit logs."];
        assert_eq!(best_cue(&cues, "what about audit logs?"), Some(cues[1]));
        assert_eq!(best_cue(&cues, "xyz"), Some(cues[0]));
        assert_eq!(best_cue(&[], "xyz"), None);
        let t = Learned::Transcript(cues.iter().map(|c| c.to_string()).collect());
        assert_eq!(t.word_count(), 10);
    }
}
