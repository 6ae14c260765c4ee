//! Paging cursors: opaque to clients (base64url of a small JSON, so they look
//! like Gong's `eyJ…` tokens), bound to the tenant and to the request's filter,
//! and expiring an hour after the first page like Gong's.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Gong's cursors expire about an hour after the first request of a sequence.
pub(crate) const LIFETIME_SECS: i64 = 3600;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// Tenant tag (hash of the access key).
    pub t: String,
    /// Hash of the endpoint and filter the sequence was started with.
    pub f: String,
    /// Offset of the next page's first record.
    pub o: usize,
    /// Next page's number (0-based).
    pub p: u32,
    /// Expiry, unix seconds.
    pub e: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CursorError {
    Invalid,
    Expired,
    /// Issued to another tenant or for other filter inputs.
    Mismatch,
}

pub(crate) fn short_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn encode(c: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(c).unwrap_or_default())
}

pub(crate) fn decode(
    raw: &str,
    tenant: &str,
    filter: &str,
    now_unix: i64,
) -> Result<Cursor, CursorError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.trim().trim_end_matches('='))
        .map_err(|_| CursorError::Invalid)?;
    let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| CursorError::Invalid)?;
    if c.t != tenant || c.f != filter {
        return Err(CursorError::Mismatch);
    }
    if now_unix > c.e {
        return Err(CursorError::Expired);
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let c = Cursor {
            t: "ten".into(),
            f: "fil".into(),
            o: 100,
            p: 1,
            e: 1000,
        };
        let raw = encode(&c);
        assert!(raw.starts_with("eyJ"));
        assert_eq!(decode(&raw, "ten", "fil", 999), Ok(c));
        assert_eq!(
            decode(&raw, "other", "fil", 999),
            Err(CursorError::Mismatch)
        );
        assert_eq!(
            decode(&raw, "ten", "other", 999),
            Err(CursorError::Mismatch)
        );
        assert_eq!(decode(&raw, "ten", "fil", 1001), Err(CursorError::Expired));
        assert_eq!(
            decode("not a cursor", "ten", "fil", 0),
            Err(CursorError::Invalid)
        );
    }
}
