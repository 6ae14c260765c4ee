//! Small formatters shared by every tool's text: times, durations, clipped and one-line text.

/// "2026-11-03 14:03 UTC" from Gong's ISO timestamp (as given, clipped, if unreadable).
pub fn fmt_started(iso: &str) -> String {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::parse_from_rfc3339(iso) {
        // Written field by field: chrono's `format` re-parses its pattern on every call.
        Ok(d) => {
            let d = d.with_timezone(&chrono::Utc);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                d.year(),
                d.month(),
                d.day(),
                d.hour(),
                d.minute()
            )
        }
        Err(_) => clip(iso, 40),
    }
}

/// "1h 05m", "35m 10s", "42s".
pub fn fmt_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// "mm:ss", or "h:mm:ss" from an hour on.
pub fn fmt_clock(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// WebVTT's "hh:mm:ss.mmm" (hours always present, so every cue time has the same shape).
pub fn vtt_time(ms: u64) -> String {
    let (h, m, s, milli) = (
        ms / 3_600_000,
        ms % 3_600_000 / 60_000,
        ms % 60_000 / 1000,
        ms % 1000,
    );
    format!("{h:02}:{m:02}:{s:02}.{milli:03}")
}

/// The longest prefix of `s` of at most `max_bytes` bytes that ends on a char boundary.
pub fn prefix_within(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `s` cut to at most `max_bytes` bytes, at a word boundary when one is near, with "…" when cut.
pub fn clip(s: &str, max_bytes: usize) -> String {
    if s.len() <= max_bytes {
        return s.to_owned();
    }
    let room = max_bytes.saturating_sub('…'.len_utf8());
    let head = prefix_within(s, room);
    // Prefer to end on a space if that loses at most a fifth of the room.
    let head = match head.rfind(' ') {
        Some(i) if i >= room * 4 / 5 => &head[..i],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// One line of text: control characters (newlines, tabs) become spaces, runs of spaces collapse,
/// so every rendered record stays exactly one line.
pub fn one_line(s: &str) -> String {
    one_line_cow(s).into_owned()
}

/// `one_line` without copying text that is already one clean line (nearly all of Gong's).
pub fn one_line_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_one_clean_line(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_control() || c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `one_line` then `clip`, with one copy of the text instead of two.
pub fn one_line_clipped(s: &str, max_bytes: usize) -> String {
    clip(&one_line_cow(s), max_bytes)
}

/// True when `s` has no control characters, no whitespace but single inner spaces, and no
/// leading or trailing space: one pass over the bytes, `chars` only past ASCII.
fn is_one_clean_line(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if previous_space => return false,
            b' ' => previous_space = true,
            0x21..=0x7e => previous_space = false,
            0x80.. => {
                return s[i..]
                    .chars()
                    .all(|c| c == ' ' || !(c.is_control() || c.is_whitespace()))
                    && !s[i..].contains("  ");
            }
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_duration(3900), "1h 05m");
        assert_eq!(fmt_duration(2110), "35m 10s");
        assert_eq!(fmt_duration(42), "42s");
        assert_eq!(fmt_clock(65), "01:05");
        assert_eq!(fmt_clock(3700), "1:01:40");
        assert_eq!(vtt_time(3_723_004), "01:02:03.004");
        assert_eq!(
            fmt_started("2026-11-03T06:03:37.041977-08:00"),
            "2026-11-03 14:03 UTC"
        );
        assert_eq!(fmt_started("garbage"), "garbage");
    }

    #[test]
    fn clipping_is_char_safe_and_marked() {
        assert_eq!(clip("short", 10), "short");
        let cut = clip("héllo wörld and more words here", 20);
        assert!(cut.len() <= 20 && cut.ends_with('…'), "{cut}");
        assert_eq!(prefix_within("日本語", 4), "日");
        assert_eq!(one_line("  a\n\tb   c \r\n"), "a b c");
        assert_eq!(one_line("a\u{a0}b\u{2028}c"), "a b c");
        assert!(matches!(
            one_line_cow("clean text."),
            std::borrow::Cow::Borrowed(_)
        ));
        for dirty in [
            "a  b",
            " a",
            "a ",
            "a\tb",
            "é\u{a0}b",
            "é  b",
            "é\n",
            "\u{85}x",
        ] {
            assert!(!is_one_clean_line(dirty), "{dirty:?}");
            assert!(is_one_clean_line(&one_line(dirty)), "{dirty:?}");
        }
        for clean in ["", "a", "a b", "héllo wörld", "日本語 テキスト"] {
            assert!(is_one_clean_line(clean), "{clean:?}");
        }
        assert_eq!(one_line_clipped(" a\nb ", 10), "a b");
    }

    proptest::proptest! {
        /// The one-pass check agrees with the plain definition of a clean line.
        #[test]
        fn clean_line_check_matches_its_definition(s in "[ a\\t\\n\u{a0}é日\u{85}\u{2028}]{0,12}") {
            let by_definition = !s.starts_with(char::is_whitespace)
                && !s.ends_with(char::is_whitespace)
                && !s.contains("  ")
                && s.chars().all(|c| c == ' ' || !(c.is_control() || c.is_whitespace()));
            proptest::prop_assert_eq!(is_one_clean_line(&s), by_definition);
        }
    }
}
