//! Gong's API host of a request: `X-Gong-Base-Url` (or `GONG_BASE_URL`), normalised to an origin
//! and checked against `--allowed-gong-hosts` (see [`HostAllowList`]): Gong tenants live on their
//! own hosts (`https://us-12345.api.gong.io`).

use url::Url;

use crate::upstream::HostAllowList;

/// `--allowed-gong-hosts`' default: Gong's own API hosts, https only.
pub const DEFAULT_ALLOWED_GONG_HOSTS: &str = "api.gong.io,*.api.gong.io";

pub fn gong_default() -> HostAllowList {
    DEFAULT_ALLOWED_GONG_HOSTS
        .parse()
        .expect("the default allow-list parses")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("'{0}' is not a valid URL; expected e.g. https://us-12345.api.gong.io")]
    Invalid(String),
    #[error(
        "the Gong base URL must be just a scheme and host (e.g. https://us-12345.api.gong.io), without user info, query or fragment"
    )]
    NotAnOrigin,
    #[error(
        "the Gong host '{0}' is not allowed by this server (allowed: {1}); use your company's Gong API host, e.g. https://us-12345.api.gong.io"
    )]
    NotAllowed(String, String),
}

/// Parses and checks a base URL a caller asked for, and normalises it to `scheme://host[:port]`.
pub fn check(list: &HostAllowList, raw: &str) -> Result<Url, BaseUrlError> {
    let url = parse_base_url(raw)?;
    if list.allows(&url) {
        Ok(url)
    } else {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        Err(BaseUrlError::NotAllowed(host, list.to_string()))
    }
}

/// Parses a base URL: http(s), a host, no credentials/query/fragment; a trailing `/` or `/v2` (as
/// Gong's UI shows it) is dropped.
pub fn parse_base_url(raw: &str) -> Result<Url, BaseUrlError> {
    let raw = raw.trim();
    let url = Url::parse(raw).map_err(|_| BaseUrlError::Invalid(printable(raw)))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(BaseUrlError::Invalid(printable(raw)));
    }
    let path = url.path().trim_end_matches('/');
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !(path.is_empty() || path == "/v2")
    {
        return Err(BaseUrlError::NotAnOrigin);
    }
    let mut origin = url;
    origin.set_path("");
    Ok(origin)
}

/// Echo at most a short, printable prefix of caller input in messages.
fn printable(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_allows_gong_hosts_over_https_only() {
        let list = gong_default();
        for ok in [
            "https://api.gong.io",
            "https://us-12345.api.gong.io",
            "https://us-12345.api.gong.io/",
            "https://eu-2086.api.gong.io/v2",
            "https://US-1.API.GONG.IO:443",
        ] {
            assert!(check(&list, ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check(&list, "https://us-1.api.gong.io/v2/")
                .unwrap()
                .as_str(),
            "https://us-1.api.gong.io/"
        );
        for bad in [
            "http://api.gong.io",
            "https://api.gong.io:8443",
            "https://evilapi.gong.io",
            "https://api.gong.io.evil.com",
            "https://evil.com/.api.gong.io",
            "https://user:pw@us-1.api.gong.io",
            "https://us-1.api.gong.io/other",
            "https://us-1.api.gong.io?x=1",
            "https://169.254.169.254",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(check(&list, bad).is_err(), "{bad}");
        }
    }
}
