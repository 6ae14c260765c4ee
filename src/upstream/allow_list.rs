//! Which hosts a client-supplied URL may point at.
//!
//! A caller may name a URL this server then talks to: a Gong tenant's API host
//! (`X-Gong-Base-Url`), a signed upload URL (`upload_file_to_signed_url`). Without an allow-list
//! the server would forward credentials to, or write to, any host a caller names: an open proxy
//! into the network it runs in. Patterns:
//! - `api.gong.io` — exactly that host, https on port 443;
//! - `*.api.gong.io` — any subdomain (not the bare domain), https on port 443;
//! - `http://127.0.0.1:8080`, `http://127.0.0.1:*` — an explicit origin (scheme, host, port or any
//!   port), for tests and private deployments.

use std::fmt;
use std::str::FromStr;

use url::Url;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostAllowList(Vec<HostPattern>);

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

impl HostAllowList {
    /// This list and `other`'s patterns.
    pub fn extended(&self, other: &HostAllowList) -> HostAllowList {
        let mut patterns = self.0.clone();
        patterns.extend(other.0.iter().cloned());
        HostAllowList(patterns)
    }

    /// Whether `url`'s scheme, host and port match a pattern. Path and query are the caller's
    /// concern; user info is never allowed (it would be credentials sent to the host).
    pub fn allows(&self, url: &Url) -> bool {
        if !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let port = url.port_or_known_default();
        let https_default = url.scheme() == "https" && port == Some(443);
        self.0.iter().any(|pattern| match pattern {
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
        })
    }
}

impl FromStr for HostAllowList {
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

impl fmt::Display for HostAllowList {
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

    fn allows(list: &HostAllowList, url: &str) -> bool {
        list.allows(&Url::parse(url).unwrap())
    }

    #[test]
    fn host_and_subdomain_patterns_mean_https_on_443_only() {
        let list: HostAllowList = "storage.googleapis.com,*.api.gong.io".parse().unwrap();
        assert!(allows(
            &list,
            "https://storage.googleapis.com/bucket/o?X-Goog-Signature=1"
        ));
        assert!(allows(&list, "https://us-1.api.gong.io"));
        for bad in [
            "http://storage.googleapis.com/b",
            "https://storage.googleapis.com:8443/b",
            "https://user:pw@storage.googleapis.com/b",
            "https://storage.googleapis.com.evil.com/b",
            "https://api.gong.io",
            "https://evilapi.gong.io",
            "http://169.254.169.254/latest",
            "file:///etc/passwd",
        ] {
            assert!(!allows(&list, bad), "{bad}");
        }
    }

    #[test]
    fn explicit_origins_and_any_port() {
        let list: HostAllowList = "http://127.0.0.1:*, https://gong.internal:8443"
            .parse()
            .unwrap();
        assert!(allows(&list, "http://127.0.0.1:3000/x"));
        assert!(allows(&list, "https://gong.internal:8443"));
        assert!(!allows(&list, "https://gong.internal"));
        assert!(!allows(&list, "http://localhost:3000"));
        assert_eq!(
            list.to_string(),
            "http://127.0.0.1:*,https://gong.internal:8443"
        );
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!("ftp://x".parse::<HostAllowList>().is_err());
        assert!("a*b.com".parse::<HostAllowList>().is_err());
        assert!("http://h:notaport".parse::<HostAllowList>().is_err());
    }
}
