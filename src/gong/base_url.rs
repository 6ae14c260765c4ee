//! Which Gong hosts a request may send its credentials to.
//!
//! Gong tenants live on their own hosts (`https://us-12345.api.gong.io`), so a request may name its
//! base URL in `X-Gong-Base-Url`. Without an allow-list the server would forward credentials to, and
//! fetch from, any host a caller names: an open proxy. Patterns:
//! - `api.gong.io` — exactly that host, https on port 443;
//! - `*.api.gong.io` — any subdomain (not the bare domain), https on port 443;
//! - `http://127.0.0.1:8080`, `http://127.0.0.1:*` — an explicit origin (scheme, host, port or any
//!   port), for tests and private deployments.

use std::fmt;
use std::str::FromStr;

use url::Url;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GongHostAllowList(Vec<HostPattern>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum HostPattern {
    /// https on the default port, exact host.
    Host(String),
    /// https on the default port, any subdomain of the suffix (stored without the `*.`).
    Subdomains(String),
    /// Explicit scheme + host, and a port (`None` = any port).
    Origin {
        scheme: String,
        host: String,
        port: Option<u16>,
    },
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

impl GongHostAllowList {
    pub fn default_gong() -> Self {
        Self(vec![
            HostPattern::Host("api.gong.io".into()),
            HostPattern::Subdomains("api.gong.io".into()),
        ])
    }

    /// Parses and checks a base URL a caller asked for, and normalises it to `scheme://host[:port]`.
    pub fn check(&self, raw: &str) -> Result<Url, BaseUrlError> {
        let url = parse_base_url(raw)?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let port = url.port_or_known_default();
        let https_default = url.scheme() == "https" && port == Some(443);
        let allowed = self.0.iter().any(|pattern| match pattern {
            HostPattern::Host(h) => https_default && host == *h,
            HostPattern::Subdomains(suffix) => {
                https_default
                    && host.len() > suffix.len() + 1
                    && host.ends_with(suffix.as_str())
                    && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
            }
            HostPattern::Origin {
                scheme,
                host: h,
                port: p,
            } => url.scheme() == scheme && host == *h && (p.is_none() || *p == port),
        });
        if allowed {
            Ok(url)
        } else {
            Err(BaseUrlError::NotAllowed(host, self.to_string()))
        }
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

impl FromStr for GongHostAllowList {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut patterns = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let item = item.to_ascii_lowercase();
            let pattern = if let Some((scheme, rest)) = item.split_once("://") {
                let (host, port) = match rest.rsplit_once(':') {
                    Some((h, "*")) => (h.to_owned(), None),
                    Some((h, p)) => (
                        h.to_owned(),
                        Some(p.parse().map_err(|_| format!("bad port in '{item}'"))?),
                    ),
                    None => (
                        rest.to_owned(),
                        if scheme == "https" {
                            Some(443)
                        } else {
                            Some(80)
                        },
                    ),
                };
                if !matches!(scheme, "http" | "https") || host.is_empty() {
                    return Err(format!("'{item}' must be http(s)://host[:port|:*]"));
                }
                HostPattern::Origin {
                    scheme: scheme.to_owned(),
                    host,
                    port,
                }
            } else if let Some(suffix) = item.strip_prefix("*.") {
                HostPattern::Subdomains(suffix.to_owned())
            } else if item.contains(['*', '/', ':']) {
                return Err(format!(
                    "'{item}' is not a host, '*.domain' or 'scheme://host:port' pattern"
                ));
            } else {
                HostPattern::Host(item)
            };
            patterns.push(pattern);
        }
        Ok(Self(patterns))
    }
}

impl fmt::Display for GongHostAllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self
            .0
            .iter()
            .map(|p| match p {
                HostPattern::Host(h) => h.clone(),
                HostPattern::Subdomains(s) => format!("*.{s}"),
                HostPattern::Origin { scheme, host, port } => match port {
                    Some(p) => format!("{scheme}://{host}:{p}"),
                    None => format!("{scheme}://{host}:*"),
                },
            })
            .collect();
        if items.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&items.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_allows_gong_hosts_over_https_only() {
        let list = GongHostAllowList::default_gong();
        for ok in [
            "https://api.gong.io",
            "https://us-12345.api.gong.io",
            "https://us-12345.api.gong.io/",
            "https://eu-2086.api.gong.io/v2",
            "https://US-1.API.GONG.IO:443",
        ] {
            assert!(list.check(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            list.check("https://us-1.api.gong.io/v2/").unwrap().as_str(),
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
            assert!(list.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn explicit_origins_and_any_port() {
        let list: GongHostAllowList = "http://127.0.0.1:*, https://gong.internal:8443"
            .parse()
            .unwrap();
        assert!(list.check("http://127.0.0.1:3000").is_ok());
        assert!(list.check("https://gong.internal:8443").is_ok());
        assert!(list.check("https://gong.internal").is_err());
        assert!(list.check("http://localhost:3000").is_err());
        assert_eq!(
            list.to_string(),
            "http://127.0.0.1:*,https://gong.internal:8443"
        );
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!("ftp://x".parse::<GongHostAllowList>().is_err());
        assert!("a*b.com".parse::<GongHostAllowList>().is_err());
        assert!("http://h:notaport".parse::<GongHostAllowList>().is_err());
    }
}
