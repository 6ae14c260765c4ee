//! Google Cloud Storage's XML error documents, as its XML API sends them
//! (`application/xml; charset=UTF-8`).

use axum::http::StatusCode;
use axum::response::Response;

use crate::fakes::mind_reasoner::wire;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GcsError {
    /// 400: the signed URL has expired.
    ExpiredToken,
    /// 400: a malformed parameter, or an `Authorization` header next to a signature.
    InvalidArgument,
    /// 403: no signature at all.
    AccessDenied,
    /// 403: the request differs from what was signed.
    SignatureDoesNotMatch,
    /// 404: not a bucket the fake serves.
    NoSuchBucket,
    /// 405: anything but `PUT`.
    MethodNotAllowed,
    /// 413: more than `max_signed_upload_bytes`.
    EntityTooLarge,
    /// 429 (scripted fault).
    SlowDown,
    /// 500 (scripted fault).
    InternalError,
}

impl GcsError {
    fn status(self) -> StatusCode {
        match self {
            GcsError::ExpiredToken | GcsError::InvalidArgument => StatusCode::BAD_REQUEST,
            GcsError::AccessDenied | GcsError::SignatureDoesNotMatch => StatusCode::FORBIDDEN,
            GcsError::NoSuchBucket => StatusCode::NOT_FOUND,
            GcsError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            GcsError::EntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            GcsError::SlowDown => StatusCode::TOO_MANY_REQUESTS,
            GcsError::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(self) -> &'static str {
        match self {
            GcsError::ExpiredToken => "ExpiredToken",
            GcsError::InvalidArgument => "InvalidArgument",
            GcsError::AccessDenied => "AccessDenied",
            GcsError::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            GcsError::NoSuchBucket => "NoSuchBucket",
            GcsError::MethodNotAllowed => "MethodNotAllowed",
            GcsError::EntityTooLarge => "EntityTooLarge",
            GcsError::SlowDown => "SlowDown",
            GcsError::InternalError => "InternalError",
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `<?xml …?><Error><Code>…</Code><Message>…</Message>[<Details>…</Details>]</Error>`
pub(crate) fn xml(error: GcsError, message: &str, details: Option<&str>) -> String {
    let details = details
        .map(|d| format!("<Details>{}</Details>", escape(d)))
        .unwrap_or_default();
    format!(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>{}</Code><Message>{}</Message>{details}</Error>",
        error.code(),
        escape(message)
    )
}

pub(crate) fn respond(error: GcsError, message: &str, details: Option<&str>) -> Response {
    wire::respond(
        error.status(),
        "application/xml; charset=UTF-8",
        xml(error, message, details),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_shape() {
        assert_eq!(
            xml(GcsError::SignatureDoesNotMatch, "a <b>", Some("x&y")),
            "<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code><Message>a &lt;b&gt;</Message><Details>x&amp;y</Details></Error>"
        );
        assert_eq!(GcsError::ExpiredToken.status(), StatusCode::BAD_REQUEST);
    }
}
