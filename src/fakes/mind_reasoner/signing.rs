//! Signed upload URLs in the shape of Google Cloud Storage's V4 signing
//! (`X-Goog-Algorithm`, `-Credential`, `-Date`, `-Expires`, `-SignedHeaders`,
//! `-Signature`), with an HMAC-SHA256 key drawn at random for each fake.
//!
//! What is signed, as GCS does: the method (`PUT`), the path exactly as
//! sent (percent-encoded), every query parameter but the signature (sorted),
//! and the signed headers `content-type` and `host`. So a changed path, date,
//! expiry or extra parameter, another `Content-Type` (compared as an exact
//! string, as GCS compares header values), or another `Host` all make
//! `SignatureDoesNotMatch`.
//!
//! The signed content type follows the file name's extension (`.vtt`,
//! `.pdf`, `.docx`). A file name without one of those is signed with `*`,
//! which stands for any of the three accepted content types.

use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::fakes::mind_reasoner::artifacts::{ACCEPTED, Kind};
use crate::fakes::mind_reasoner::ids::hex;

pub(crate) const BUCKET: &str = "mind-reasoner-artifacts";
/// One hour, as Mind Reasoner documents.
pub(crate) const EXPIRES_SECS: i64 = 3600;
/// GCS refuses longer V4 expiries (seven days).
const MAX_EXPIRES_SECS: i64 = 604_800;
const ALGORITHM: &str = "GOOG4-HMAC-SHA256";
const SIGNED_HEADERS: &str = "content-type;host";
const SERVICE_ACCOUNT: &str = "mind-reasoner-uploads@mind-reasoner.iam.gserviceaccount.com";
const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Why a storage request is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No signature parameters at all: an anonymous request (403 `AccessDenied`).
    Anonymous,
    /// A parameter is missing or malformed (400 `InvalidArgument`).
    Malformed(String),
    /// `X-Goog-Date + X-Goog-Expires` has passed (400 `ExpiredToken`).
    Expired { at: DateTime<Utc> },
    /// 403 `SignatureDoesNotMatch`, with the string the fake signed.
    Mismatch { string_to_sign: String },
}

pub(crate) struct Signer {
    key: [u8; 32],
    /// `127.0.0.1:PORT` of the storage listener (the signed `host` header).
    host: String,
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The content type a path was signed for: from its last segment's extension, or `*`.
fn signed_content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    Kind::from_file_name(name).map_or("*", Kind::content_type)
}

impl Signer {
    pub(crate) fn new(host: String) -> Self {
        Signer {
            key: rand::random(),
            host,
        }
    }

    fn string_to_sign(
        &self,
        path: &str,
        params: &[(String, String)],
        content_type: &str,
    ) -> String {
        let mut query: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "X-Goog-Signature")
            .map(|(k, v)| (encode(k), encode(v)))
            .collect();
        query.sort();
        let query = query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let canonical = format!(
            "PUT\n{path}\n{query}\ncontent-type:{content_type}\nhost:{}\n\n{SIGNED_HEADERS}\nUNSIGNED-PAYLOAD",
            self.host
        );
        let date = params
            .iter()
            .find(|(k, _)| k == "X-Goog-Date")
            .map_or("", |(_, v)| v.as_str());
        format!(
            "{ALGORITHM}\n{date}\n{}/auto/storage/goog4_request\n{}",
            date.get(..8).unwrap_or(""),
            hex(&Sha256::digest(canonical.as_bytes()))
        )
    }

    fn mac(&self, string_to_sign: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC accepts keys of any size");
        mac.update(string_to_sign.as_bytes());
        mac
    }

    /// `{origin}/{BUCKET}/{tag}/{artifact_id}/{file_name}?X-Goog-…`, valid for an hour from `date`.
    pub(crate) fn sign(
        &self,
        tag: &str,
        artifact_id: &str,
        file_name: &str,
        date: DateTime<Utc>,
    ) -> String {
        let path = format!(
            "/{BUCKET}/{}/{}/{}",
            encode(tag),
            encode(artifact_id),
            encode(file_name)
        );
        let date = date.format(DATE_FORMAT).to_string();
        let credential = format!(
            "{SERVICE_ACCOUNT}/{}/auto/storage/goog4_request",
            &date[..8]
        );
        let mut params: Vec<(String, String)> = [
            ("X-Goog-Algorithm", ALGORITHM.to_string()),
            ("X-Goog-Credential", credential),
            ("X-Goog-Date", date),
            ("X-Goog-Expires", EXPIRES_SECS.to_string()),
            ("X-Goog-SignedHeaders", SIGNED_HEADERS.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let to_sign = self.string_to_sign(&path, &params, signed_content_type(&path));
        let signature = hex(&self.mac(&to_sign).finalize().into_bytes());
        params.push(("X-Goog-Signature".into(), signature));
        let query = params
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("http://{}{path}?{query}", self.host)
    }

    /// Checks a `PUT` to `path` (raw, as received) with `query` (raw), the
    /// request's `Content-Type` and `Host`, at wall time `now`.
    pub(crate) fn verify(
        &self,
        path: &str,
        query: &str,
        content_type: Option<&str>,
        host: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(signature) = get("X-Goog-Signature") else {
            return Err(Refusal::Anonymous);
        };
        let malformed = |m: &str| Err(Refusal::Malformed(m.to_string()));
        if get("X-Goog-Algorithm") != Some(ALGORITHM) {
            return malformed("Unsupported or missing X-Goog-Algorithm.");
        }
        let Some(date) = get("X-Goog-Date")
            .and_then(|d| NaiveDateTime::parse_from_str(d, DATE_FORMAT).ok())
            .map(|d| d.and_utc())
        else {
            return malformed("Missing or malformed X-Goog-Date.");
        };
        let Some(expires) = get("X-Goog-Expires")
            .and_then(|e| e.parse::<i64>().ok())
            .filter(|e| (1..=MAX_EXPIRES_SECS).contains(e))
        else {
            return malformed("X-Goog-Expires must be between 1 and 604800 seconds.");
        };
        if get("X-Goog-Credential").is_none() || get("X-Goog-SignedHeaders").is_none() {
            return malformed("Missing X-Goog-Credential or X-Goog-SignedHeaders.");
        }
        let expiry = date + chrono::Duration::seconds(expires);
        if now > expiry {
            return Err(Refusal::Expired { at: expiry });
        }
        let sent_type = content_type.map(str::trim).unwrap_or("");
        let signed_type = signed_content_type(path);
        let compared_type = if signed_type == "*" && ACCEPTED.contains(&sent_type) {
            "*"
        } else {
            sent_type
        };
        let string_to_sign = if host == Some(self.host.as_str()) {
            self.string_to_sign(path, &params, compared_type)
        } else {
            // Signed for another host: no string can match.
            return Err(Refusal::Mismatch {
                string_to_sign: String::new(),
            });
        };
        let matches = decode_hex(signature)
            .is_some_and(|sig| self.mac(&string_to_sign).verify_slice(&sig).is_ok());
        if matches {
            Ok(())
        } else {
            Err(Refusal::Mismatch { string_to_sign })
        }
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> (String, String) {
        let u = url::Url::parse(url).unwrap();
        (u.path().to_string(), u.query().unwrap_or("").to_string())
    }

    const HOST: &str = "127.0.0.1:9";

    #[test]
    fn verifies_its_own_urls_and_nothing_else() {
        let s = Signer::new(HOST.into());
        let now = Utc::now();
        let url = s.sign("tag", "art-1", "call notes.vtt", now);
        assert!(url.starts_with("http://127.0.0.1:9/mind-reasoner-artifacts/tag/art-1/call%20notes.vtt?X-Goog-Algorithm=GOOG4-HMAC-SHA256&"));
        let (path, query) = split(&url);
        let ok = |p: &str, q: &str, ct: &str, host: &str| s.verify(p, q, Some(ct), Some(host), now);
        assert_eq!(ok(&path, &query, "text/vtt", HOST), Ok(()));
        assert!(matches!(
            ok(&path, &query, "application/pdf", HOST),
            Err(Refusal::Mismatch { .. })
        ));
        assert!(matches!(
            ok(&path, &query, "text/vtt; charset=utf-8", HOST),
            Err(Refusal::Mismatch { .. })
        ));
        assert!(matches!(
            ok(&path, &query, "text/vtt", "localhost:9"),
            Err(Refusal::Mismatch { .. })
        ));
        let other_path = path.replace("art-1", "art-2");
        assert!(matches!(
            ok(&other_path, &query, "text/vtt", HOST),
            Err(Refusal::Mismatch { .. })
        ));
        let extra = format!("{query}&x=1");
        assert!(matches!(
            ok(&path, &extra, "text/vtt", HOST),
            Err(Refusal::Mismatch { .. })
        ));
        let longer = query.replace("X-Goog-Expires=3600", "X-Goog-Expires=7200");
        assert!(matches!(
            ok(&path, &longer, "text/vtt", HOST),
            Err(Refusal::Mismatch { .. })
        ));
        assert_eq!(
            s.verify(&path, "", Some("text/vtt"), Some(HOST), now),
            Err(Refusal::Anonymous)
        );
        // Another fake (another key) does not accept it.
        let other = Signer::new(HOST.into());
        assert!(matches!(
            other.verify(&path, &query, Some("text/vtt"), Some(HOST), now),
            Err(Refusal::Mismatch { .. })
        ));
    }

    #[test]
    fn expires_after_an_hour() {
        let s = Signer::new(HOST.into());
        // X-Goog-Date has whole seconds.
        let issued = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let (path, query) = split(&s.sign("tag", "a", "a.pdf", issued));
        let check = |secs| {
            s.verify(
                &path,
                &query,
                Some("application/pdf"),
                Some(HOST),
                issued + chrono::Duration::seconds(secs),
            )
        };
        assert_eq!(check(3600), Ok(()));
        assert!(matches!(check(3601), Err(Refusal::Expired { .. })));
    }

    #[test]
    fn no_extension_accepts_any_of_the_three_types() {
        let s = Signer::new(HOST.into());
        let now = Utc::now();
        let (path, query) = split(&s.sign("tag", "a", "a", now));
        for ct in ACCEPTED {
            assert_eq!(s.verify(&path, &query, Some(ct), Some(HOST), now), Ok(()));
        }
        assert!(matches!(
            s.verify(&path, &query, Some("text/plain"), Some(HOST), now),
            Err(Refusal::Mismatch { .. })
        ));
        assert!(matches!(
            s.verify(&path, &query, None, Some(HOST), now),
            Err(Refusal::Mismatch { .. })
        ));
    }
}
