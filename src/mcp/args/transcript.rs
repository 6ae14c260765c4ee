//! Transcript tools' arguments: which meeting, whose turns, which minutes, how much, what shape.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::{choice, id_string, named_u64_arg, opt_seconds, opt_strings};

/// How to show a transcript, whoever recorded the meeting: whose turns, which minutes, how
/// much, what shape. Each provider's transcript tool takes these beside its meeting id.
#[derive(Debug, Clone, Default)]
pub struct TranscriptView {
    pub speaker: Option<Vec<String>>,
    pub from_seconds: Option<f64>,
    pub to_seconds: Option<f64>,
    pub max_chars: Option<u64>,
    pub offset: Option<u64>,
    pub format: Option<TranscriptFormat>,
}

/// A transcript tool's arguments: the provider's meeting id (`$id`, camelCase in JSON), then
/// the `TranscriptView` arguments, documented and checked alike for every provider.
macro_rules! transcript_args {
    ($(#[$meta:meta])* $name:ident { $(#[$id_meta:meta])* $id:ident }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Deserialize, JsonSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[schemars(transform = super::optional_not_nullable)]
        pub struct $name {
            $(#[$id_meta])*
            #[serde(deserialize_with = "id_string")]
            pub $id: String,
            /// Keep only these speakers' turns: a name or email, or an array of them (case-insensitive;
            /// a unique first name works too). An unknown speaker is an error that lists the call's
            /// speakers.
            #[serde(default, deserialize_with = "speaker_arg")]
            #[schemars(with = "Option<SpeakerSchema>", example = &"wei.larsen@monarchinsure.com", example = &["Ethan White", "Wei Larsen"])]
            pub speaker: Option<Vec<String>>,
            /// Start of a time window, in seconds from the start of the call (sentences starting at or
            /// after it are kept), e.g. 300 for [05:00].
            #[serde(default, deserialize_with = "from_seconds_arg")]
            #[schemars(example = 300)]
            pub from_seconds: Option<f64>,
            /// End of the time window in seconds (sentences starting before it are kept), e.g. 900 for
            /// [15:00].
            #[serde(default, deserialize_with = "to_seconds_arg")]
            #[schemars(example = 900)]
            pub to_seconds: Option<f64>,
            /// Size of this answer's text, in characters (UTF-8 bytes): default 40000, at most 60000
            /// (json: 38000), at least 2000. A longer transcript comes in pages: see `offset`.
            #[serde(default, deserialize_with = "max_chars_arg")]
            #[schemars(range(min = 2000, max = 60000), example = 20000)]
            pub max_chars: Option<u64>,
            /// Where to start: the `nextOffset` of the previous answer (0 or omitted = the beginning).
            /// Counts transcript segments, so it stays valid whatever `format` or `maxChars` you use,
            /// as long as `speaker`, `fromSeconds` and `toSeconds` are the same.
            #[serde(default, deserialize_with = "offset_arg")]
            #[schemars(example = 120)]
            pub offset: Option<u64>,
            /// "text" (default: a header with speakers and topics, then "[mm:ss] Name: words" lines),
            /// "vtt" (WebVTT with <v Name> voice tags, one cue per segment, for caption and training
            /// tools) or "json" (turns with speaker name, start/end seconds and text, as JSON).
            #[serde(default, deserialize_with = "format_arg")]
            #[schemars(with = "Option<TranscriptFormat>", example = &"vtt")]
            pub format: Option<TranscriptFormat>,
        }

        impl $name {
            /// The meeting id and how to show its transcript.
            pub fn into_parts(self) -> (String, TranscriptView) {
                let view = TranscriptView {
                    speaker: self.speaker,
                    from_seconds: self.from_seconds,
                    to_seconds: self.to_seconds,
                    max_chars: self.max_chars,
                    offset: self.offset,
                    format: self.format,
                };
                (self.$id, view)
            }
        }
    };
}

transcript_args!(
    /// `gong_get_transcript` arguments.
    TranscriptArgs {
        /// The Gong call id (digits, as `gong_list_calls` returns it).
        #[schemars(with = "String", example = &"7782342274025937895")]
        call_id
    }
);

transcript_args!(
    /// `fathom_get_transcript` arguments.
    FathomTranscriptArgs {
        /// The Fathom meeting id (its recording id, as `fathom_list_meetings` returns it).
        #[schemars(with = "String", example = &"123456789")]
        meeting_id
    }
);

transcript_args!(
    /// `fireflies_get_transcript` arguments.
    FirefliesTranscriptArgs {
        /// The Fireflies transcript id (as `fireflies_list_transcripts` returns it).
        #[schemars(with = "String", example = &"01JD8Y3Q2V5K7M9N1P3R5T7W9X")]
        transcript_id
    }
);

/// A speaker's name or email, or several.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Schema only: `speaker_arg` parses the value.
enum SpeakerSchema {
    One(String),
    Several(Vec<String>),
}

/// How the transcript is written out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptFormat {
    #[default]
    Text,
    Vtt,
    Json,
}

impl TranscriptFormat {
    const CHOICES: [(&str, TranscriptFormat); 3] = [
        ("text", TranscriptFormat::Text),
        ("vtt", TranscriptFormat::Vtt),
        ("json", TranscriptFormat::Json),
    ];
}

named_u64_arg!(
    max_chars_arg => "maxChars",
    offset_arg => "offset",
);

fn speaker_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Ok(opt_strings("speaker", d)?
        .map(|names| {
            names
                .into_iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|names| !names.is_empty()))
}

fn from_seconds_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    opt_seconds("fromSeconds", d)
}

fn to_seconds_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    opt_seconds("toSeconds", d)
}

fn format_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TranscriptFormat>, D::Error> {
    super::opt_string("format", d)?
        .map(|s| choice("format", &s, &TranscriptFormat::CHOICES))
        .transpose()
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_is_one_name_or_several() {
        let a: TranscriptArgs =
            serde_json::from_str(r#"{"callId": "1", "speaker": "Ann Lee"}"#).unwrap();
        assert_eq!(a.speaker.unwrap(), vec!["Ann Lee"]);
        let a: TranscriptArgs =
            serde_json::from_str(r#"{"callId": "1", "speaker": ["a@x.com", " ", "Bo"]}"#).unwrap();
        assert_eq!(a.speaker.unwrap(), vec!["a@x.com", "Bo"]);
        let a: TranscriptArgs = serde_json::from_str(r#"{"callId": "1", "speaker": ""}"#).unwrap();
        assert!(a.speaker.is_none());
        let err =
            serde_json::from_str::<TranscriptArgs>(r#"{"callId": "1", "speaker": 5}"#).unwrap_err();
        assert!(err.to_string().contains("speaker must be"), "{err}");
    }

    #[test]
    fn numbers_and_format_name_the_argument_when_wrong() {
        let a: TranscriptArgs = serde_json::from_str(
            r#"{"callId": "1", "fromSeconds": 12.5, "toSeconds": "90", "format": "VTT", "maxChars": 5000.0}"#,
        )
        .unwrap();
        assert_eq!(a.from_seconds, Some(12.5));
        assert_eq!(a.to_seconds, Some(90.0));
        assert_eq!(a.format, Some(TranscriptFormat::Vtt));
        assert_eq!(a.max_chars, Some(5000));
        for (bad, needle) in [
            (r#"{"callId": "1", "fromSeconds": -1}"#, "fromSeconds"),
            (r#"{"callId": "1", "toSeconds": "soon"}"#, "toSeconds"),
            (r#"{"callId": "1", "offset": 1.5}"#, "offset"),
            (r#"{"callId": "1", "maxChars": true}"#, "maxChars"),
            (
                r#"{"callId": "1", "format": "srt"}"#,
                "format must be one of",
            ),
        ] {
            let err = serde_json::from_str::<TranscriptArgs>(bad).unwrap_err();
            assert!(err.to_string().contains(needle), "{bad}: {err}");
        }
    }
}
