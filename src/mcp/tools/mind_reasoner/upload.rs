//! `get_signed_upload_url` and `upload_file_to_signed_url`.
//!
//! A hosted server cannot read the caller's disk, so over HTTP the file comes in the arguments
//! (`content` for text, `contentBase64` for PDF and DOCX); `filePath` is read only over stdio,
//! where server and caller share a machine. Everything is checked before a byte is sent: the
//! URL's host against `--allowed-upload-hosts`, the content type, the size, the WebVTT header.

use std::path::Path;

use base64::Engine;
use bytes::Bytes;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;
use crate::mind_reasoner::{CONTENT_TYPES, MindReasonerClient};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct SignedUrlArgs {
    /// The mind the file will train (from create_mind, get_all_minds or search_minds).
    pub mind_id: String,
    /// The stored file's name; its extension (.vtt, .pdf, .docx) must match the contentType of
    /// the upload, e.g. "call-2026-11-02.vtt".
    #[serde(default)]
    #[schemars(example = &"call-2026-11-02.vtt")]
    pub file_name: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct UploadArgs {
    /// The signedUrl from get_signed_upload_url, unchanged.
    pub signed_url: String,
    /// "text/vtt", "application/pdf" or
    /// "application/vnd.openxmlformats-officedocument.wordprocessingml.document".
    #[schemars(example = &"text/vtt")]
    pub content_type: String,
    /// The file as text (WebVTT: starts with the line "WEBVTT").
    #[serde(default)]
    pub content: Option<String>,
    /// The file as base64 (PDF, DOCX, or any type).
    #[serde(default)]
    pub content_base64: Option<String>,
    /// An absolute path to the file on this machine: only when this server runs over stdio.
    #[serde(default)]
    pub file_path: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedUrlOutput {
    pub mind_id: String,
    pub signed_url: String,
    /// create_snapshot takes it once the file is uploaded.
    pub artifact_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Signed URLs are valid for one hour.
    pub expires_in_seconds: u32,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadOutput {
    pub success: bool,
    pub uploaded_bytes: usize,
    pub content_type: String,
    /// The object's name in the signed URL's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

pub async fn signed_url(
    client: &MindReasonerClient,
    args: SignedUrlArgs,
) -> Result<ToolOutput, ToolError> {
    let mind_id = super::snapshots::required_id("mindId", &args.mind_id)?;
    let file_name = args
        .file_name
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    if let Some(name) = file_name
        && (name.chars().count() > 200
            || name.contains(['/', '\\'])
            || name.chars().any(char::is_control))
    {
        return Err(ToolError::invalid(
            "fileName",
            "fileName must be a plain file name of at most 200 characters, without '/' or '\\', e.g. \"call-2026-11-02.vtt\"",
        ));
    }
    let signed = client.signed_url(mind_id, file_name).await?;
    let file_name = signed.file_name.clone().or(file_name.map(str::to_owned));
    let text = format!(
        "Signed upload URL for mind {mind_id} (valid for 1 hour), artifact id {}:\n{}\nNext: upload_file_to_signed_url with this signedUrl and the file (content for WebVTT text, contentBase64 for PDF/DOCX){}, then create_snapshot {{\"mindId\": \"{mind_id}\", \"digitalTwinId\": …, \"artifactId\": \"{}\"}}.",
        signed.artifact_id,
        signed.signed_url,
        match &signed.content_type {
            Some(ct) => format!(" with contentType {ct}"),
            None => String::new(),
        },
        signed.artifact_id
    );
    let output = SignedUrlOutput {
        mind_id: mind_id.to_owned(),
        signed_url: signed.signed_url,
        artifact_id: signed.artifact_id,
        file_name,
        expires_in_seconds: 3600,
    };
    Ok(ToolOutput::new(text, &output))
}

pub async fn upload(
    client: &MindReasonerClient,
    args: UploadArgs,
    local: bool,
    max_bytes: usize,
) -> Result<ToolOutput, ToolError> {
    let content_type = args.content_type.trim().to_ascii_lowercase();
    if !CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(ToolError::invalid(
            "contentType",
            format!(
                "contentType must be one of {} (Mind Reasoner trains on WebVTT, PDF and DOCX); got '{}'",
                CONTENT_TYPES.join(", "),
                crate::mcp::args::clip(&args.content_type, 80)
            ),
        ));
    }
    // The host is checked before the file is read or decoded: nothing happens for a URL this
    // server will not write to.
    let url = client.allowed_upload_url(&args.signed_url)?;
    let bytes = file_bytes(&args, &content_type, local, max_bytes).await?;
    let size = bytes.len();
    client.upload(url.as_str(), &content_type, bytes).await?;
    let file_name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let text = format!(
        "Uploaded {size} bytes ({content_type}){}. Next: create_snapshot with the mind id, its digital twin id and the artifactId from get_signed_upload_url.",
        file_name
            .as_deref()
            .map(|f| format!(" as {f}"))
            .unwrap_or_default()
    );
    let output = UploadOutput {
        success: true,
        uploaded_bytes: size,
        content_type,
        file_name,
    };
    Ok(ToolOutput::new(text, &output))
}

/// The file's bytes from exactly one of `content`, `contentBase64` and `filePath`, checked.
async fn file_bytes(
    args: &UploadArgs,
    content_type: &str,
    local: bool,
    max_bytes: usize,
) -> Result<Bytes, ToolError> {
    let given = [
        args.content.is_some(),
        args.content_base64.is_some(),
        args.file_path.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ToolError::invalid(
            "content",
            "send the file as exactly one of content (text, e.g. WebVTT), contentBase64 (PDF, DOCX) or filePath (stdio only)",
        ));
    }
    let too_big = |size: usize| {
        ToolError::invalid(
            "content",
            format!(
                "the file is {size} bytes; at most {max_bytes} bytes are uploaded through this server. Split a long transcript into several files (one snapshot each)."
            ),
        )
    };
    let bytes = if let Some(text) = &args.content {
        if content_type != "text/vtt" {
            return Err(ToolError::invalid(
                "content",
                format!(
                    "content is text, but {content_type} is a binary type: send it as contentBase64"
                ),
            ));
        }
        if text.len() > max_bytes {
            return Err(too_big(text.len()));
        }
        Bytes::from(text.clone().into_bytes())
    } else if let Some(b64) = &args.content_base64 {
        if b64.len() / 4 * 3 > max_bytes + 3 {
            return Err(too_big(b64.len() / 4 * 3));
        }
        let cleaned: String = b64.split_whitespace().collect();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(cleaned.as_bytes())
            .map_err(|e| {
                ToolError::invalid(
                    "contentBase64",
                    format!("contentBase64 is not valid base64 ({e})"),
                )
            })?;
        if decoded.len() > max_bytes {
            return Err(too_big(decoded.len()));
        }
        Bytes::from(decoded)
    } else {
        let path = args.file_path.as_deref().unwrap_or_default();
        if !local {
            return Err(ToolError::invalid(
                "filePath",
                "filePath works only when gong-mcp runs on your machine over stdio: this server cannot read your disk. Send the file's text as content (WebVTT) or its bytes as contentBase64 (PDF, DOCX).",
            ));
        }
        read_local(path, max_bytes).await?
    };
    if bytes.is_empty() {
        return Err(ToolError::invalid(
            "content",
            "the file is empty: Mind Reasoner cannot train on it",
        ));
    }
    if content_type == "text/vtt" && !looks_like_webvtt(&bytes) {
        return Err(ToolError::invalid(
            "content",
            "a WebVTT file starts with the line \"WEBVTT\" followed by cues (\"00:00:01.000 --> 00:00:04.000\" and text); gong_get_transcript with format \"vtt\" writes one",
        ));
    }
    Ok(bytes)
}

async fn read_local(path: &str, max_bytes: usize) -> Result<Bytes, ToolError> {
    let path = Path::new(path);
    if !path.is_absolute() {
        return Err(ToolError::invalid(
            "filePath",
            "filePath must be an absolute path, e.g. /home/me/transcripts/call.vtt",
        ));
    }
    let meta = tokio::fs::metadata(path).await.map_err(|e| {
        ToolError::invalid("filePath", format!("cannot read {}: {e}", path.display()))
    })?;
    if !meta.is_file() {
        return Err(ToolError::invalid(
            "filePath",
            format!("{} is not a file", path.display()),
        ));
    }
    if meta.len() > max_bytes as u64 {
        return Err(ToolError::invalid(
            "filePath",
            format!(
                "{} is {} bytes; at most {max_bytes} bytes are uploaded",
                path.display(),
                meta.len()
            ),
        ));
    }
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        ToolError::invalid("filePath", format!("cannot read {}: {e}", path.display()))
    })?;
    Ok(Bytes::from(bytes))
}

/// "WEBVTT" (after an optional byte-order mark) at the start, then a line break or space/tab.
pub fn looks_like_webvtt(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.strip_prefix(b"WEBVTT")
        .is_some_and(|rest| rest.is_empty() || matches!(rest[0], b'\n' | b'\r' | b' ' | b'\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webvtt_header_is_recognised_strictly() {
        assert!(looks_like_webvtt(b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi"));
        assert!(looks_like_webvtt(b"\xEF\xBB\xBFWEBVTT - title\n"));
        assert!(!looks_like_webvtt(b"WEBVTTX\n"));
        assert!(!looks_like_webvtt(b"1\n00:00:01,000 --> 00:00:02,000\nSRT"));
    }
}
