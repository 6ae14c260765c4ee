//! `--redis-url`: `redis://` or `rediss://` (TLS), with optional `user:password@`. The password
//! (and the user name) never leave this type unredacted except into the Redis client itself.

use std::fmt;

use url::Url;

use super::FleetError;

#[derive(Clone)]
pub struct RedisUrl(Url);

impl RedisUrl {
    pub fn parse(raw: &str) -> Result<Self, FleetError> {
        let url = Url::parse(raw.trim()).map_err(|_| FleetError::BadUrl {
            reason: "not a URL",
        })?;
        if !matches!(url.scheme(), "redis" | "rediss") {
            return Err(FleetError::BadUrl {
                reason: "the scheme must be redis:// or rediss:// (TLS)",
            });
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(FleetError::BadUrl {
                reason: "it names no host",
            });
        }
        Ok(Self(url))
    }

    pub fn is_tls(&self) -> bool {
        self.0.scheme() == "rediss"
    }

    pub fn has_password(&self) -> bool {
        self.0.password().is_some()
    }

    /// For the Redis client only: the URL as given, credentials included.
    pub(super) fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// Safe for logs and `--print-config`: user and password replaced by `[redacted]`.
    pub fn redacted(&self) -> String {
        let mut url = self.0.clone();
        let had_userinfo = !url.username().is_empty() || url.password().is_some();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let text = url.to_string();
        if !had_userinfo {
            return text;
        }
        let scheme = format!("{}://", url.scheme());
        text.replacen(&scheme, &format!("{scheme}[redacted]@"), 1)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({})", self.redacted())
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rediss_with_a_password_parses_and_is_redacted() {
        let url = RedisUrl::parse("rediss://app:s3cr3t-Pw@cache.internal:6380/2").unwrap();
        assert!(url.is_tls() && url.has_password());
        assert_eq!(url.redacted(), "rediss://[redacted]@cache.internal:6380/2");
        assert_eq!(format!("{url} {url:?}").matches("s3cr3t").count(), 0);
        assert!(url.expose().contains("s3cr3t-Pw"));
        let plain = RedisUrl::parse("redis://127.0.0.1:6379").unwrap();
        assert_eq!(plain.redacted(), "redis://127.0.0.1:6379");
        assert!(RedisUrl::parse("http://x").is_err());
        assert!(RedisUrl::parse("nonsense").is_err());
    }
}
