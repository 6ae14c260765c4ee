//! The query a `gong_list_calls` cursor carries (dates and filters), where the scan stands, and
//! which calls the filters keep.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::super::super::args::{DateRange, Direction, ListCallsArgs, Scope};
use super::super::super::error::ToolError;
use crate::gong::meeting::company;
use crate::gong::types::{CallMeta, ExtensiveCall};

/// Everything that defines the result set. Field names are short: the cursor carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    #[serde(rename = "f")]
    pub from: DateTime<Utc>,
    #[serde(rename = "t")]
    pub to: DateTime<Utc>,
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(rename = "q", default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub primary_user_email: Option<String>,
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub min_duration: Option<u64>,
    #[serde(rename = "i", default, skip_serializing_if = "std::ops::Not::not")]
    pub include_participants: bool,
}

/// Our cursor: the query, Gong's cursor for the page, and how far into that page we are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(flatten)]
    pub query: Query,
    #[serde(rename = "g", default, skip_serializing_if = "Option::is_none")]
    pub gong_cursor: Option<String>,
    #[serde(rename = "o")]
    pub offset: usize,
    /// The Gong user id of `primaryUserEmail`, once found in some call's participants: later
    /// pages then filter on the call's metadata alone.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub primary_user_id: Option<String>,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(raw: &str) -> Result<Self, ToolError> {
        URL_SAFE_NO_PAD
            .decode(raw.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| {
                ToolError::invalid(
                    "cursor",
                    "cursor is not one this tool returned; pass the nextCursor of a previous gong_list_calls answer unchanged, or omit it to start over",
                )
            })
    }
}

impl Query {
    /// The query of a first request (no cursor).
    pub fn from_args(args: &ListCallsArgs, range: &DateRange) -> Self {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Self {
            from: range.from,
            to: range.to,
            workspace_id: clean(&args.workspace_id),
            query: clean(&args.query),
            direction: args.direction,
            scope: args.scope,
            primary_user_email: clean(&args.primary_user_email),
            min_duration: args.min_duration.filter(|m| *m > 0),
            include_participants: args.include_participants.unwrap_or(false),
        }
    }

    /// True when any filter beyond the date range and workspace applies.
    pub fn filtered(&self) -> bool {
        self.query.is_some()
            || self.direction.is_some()
            || self.scope.is_some()
            || self.primary_user_email.is_some()
            || self.min_duration.is_some()
    }

    /// Whether answering needs each call's extensive data (participants).
    pub fn needs_participants(&self, resolved_user: Option<&str>) -> bool {
        self.include_participants || (self.primary_user_email.is_some() && resolved_user.is_none())
    }

    /// The filters a call's metadata alone decides.
    pub fn metadata_matches(&self, c: &CallMeta, resolved_user: Option<&str>) -> bool {
        let same = |v: &Option<String>, want: &str| {
            v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(want))
        };
        self.direction
            .is_none_or(|d| same(&c.direction, d.as_str()))
            && self.scope.is_none_or(|s| same(&c.scope, s.as_str()))
            && self
                .min_duration
                .is_none_or(|m| c.duration.is_some_and(|d| d >= m as f64))
            && resolved_user.is_none_or(|u| c.primary_user_id.as_deref() == Some(u))
            && (self.include_participants || self.query_matches(c, None))
    }

    /// The filters that need participants: `query` over them, and the host's email.
    pub fn participants_match(
        &self,
        c: &CallMeta,
        ext: Option<&ExtensiveCall>,
        resolved_user: Option<&str>,
    ) -> bool {
        let host_ok = match (&self.primary_user_email, resolved_user) {
            (None, _) | (Some(_), Some(_)) => true,
            (Some(email), None) => ext.is_some_and(|e| {
                e.parties.iter().any(|p| {
                    p.user_id.is_some()
                        && p.user_id == c.primary_user_id
                        && p.email_address
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case(email))
                })
            }),
        };
        host_ok && (!self.include_participants || self.query_matches(c, ext))
    }

    /// Every word of `query` appears in the title (or, given extensive data, in the participants'
    /// names, emails, titles, or the company).
    fn query_matches(&self, c: &CallMeta, ext: Option<&ExtensiveCall>) -> bool {
        let Some(q) = &self.query else {
            return true;
        };
        let mut haystack = c.title.as_deref().unwrap_or_default().to_lowercase();
        if let Some(e) = ext {
            for p in &e.parties {
                for v in [&p.name, &p.email_address, &p.title].into_iter().flatten() {
                    haystack.push('\n');
                    haystack.push_str(&v.to_lowercase());
                }
            }
            if let Some(company) = company(e) {
                haystack.push('\n');
                haystack.push_str(&company.to_lowercase());
            }
        }
        q.to_lowercase()
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }

    /// The Gong user id behind `primaryUserEmail`, if these participants include that user.
    pub fn find_primary_user(&self, ext: &ExtensiveCall) -> Option<String> {
        let email = self.primary_user_email.as_deref()?;
        ext.parties
            .iter()
            .find(|p| {
                p.email_address
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(email))
            })
            .and_then(|p| p.user_id.clone())
    }

    /// "query \"acme\", External, Conference, at least 10m 00s, hosted by …" for the heading.
    pub fn describe(&self) -> Option<String> {
        if !self.filtered() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(q) = &self.query {
            let within = if self.include_participants {
                "title or participants"
            } else {
                "title"
            };
            parts.push(format!("\"{q}\" in {within}"));
        }
        if let Some(s) = self.scope {
            parts.push(s.as_str().to_owned());
        }
        if let Some(d) = self.direction {
            parts.push(d.as_str().to_owned());
        }
        if let Some(m) = self.min_duration {
            parts.push(format!(
                "at least {}",
                crate::mcp::render::fmt::fmt_duration(m)
            ));
        }
        if let Some(e) = &self.primary_user_email {
            parts.push(format!("hosted by {e}"));
        }
        Some(parts.join(", "))
    }

    /// Arguments given beside a cursor must be the cursor's own.
    pub fn check_args(&self, args: &ListCallsArgs, now: DateTime<Utc>) -> Result<(), ToolError> {
        if args.from_date.is_some() || args.to_date.is_some() {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            if range.from != self.from || (args.to_date.is_some() && range.to != self.to) {
                return Err(mismatch("fromDate/toDate"));
            }
        }
        let given = Query::from_args(
            args,
            &DateRange {
                from: self.from,
                to: self.to,
                defaulted: false,
            },
        );
        let differs = |given: bool, same: bool| given && !same;
        let checks = [
            (
                "workspaceId",
                differs(
                    given.workspace_id.is_some(),
                    given.workspace_id == self.workspace_id,
                ),
            ),
            (
                "query",
                differs(given.query.is_some(), given.query == self.query),
            ),
            (
                "direction",
                differs(given.direction.is_some(), given.direction == self.direction),
            ),
            (
                "scope",
                differs(given.scope.is_some(), given.scope == self.scope),
            ),
            (
                "primaryUserEmail",
                differs(
                    given.primary_user_email.is_some(),
                    given.primary_user_email == self.primary_user_email,
                ),
            ),
            (
                "minDuration",
                differs(
                    given.min_duration.is_some(),
                    given.min_duration == self.min_duration,
                ),
            ),
            (
                "includeParticipants",
                differs(
                    args.include_participants.is_some(),
                    given.include_participants == self.include_participants,
                ),
            ),
        ];
        match checks.iter().find(|(_, bad)| *bad) {
            Some((name, _)) => Err(mismatch(name)),
            None => Ok(()),
        }
    }
}

fn mismatch(what: &str) -> ToolError {
    ToolError::invalid(
        "cursor",
        format!(
            "this cursor belongs to a query with another {what}; pass the cursor alone (it carries the dates and filters), or start over without it"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(json: serde_json::Value) -> CallMeta {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn old_cursors_still_decode_and_new_ones_round_trip() {
        let old = URL_SAFE_NO_PAD
            .encode(br#"{"f":"2026-10-01T00:00:00Z","t":"2026-11-01T00:00:00Z","o":20}"#);
        let c = Cursor::decode(&old).unwrap();
        assert_eq!(c.offset, 20);
        assert!(!c.query.filtered());
        let mut c2 = c.clone();
        c2.query.query = Some("acme".into());
        c2.query.scope = Some(Scope::External);
        c2.primary_user_id = Some("42".into());
        assert_eq!(Cursor::decode(&c2.encode()).unwrap(), c2);
    }

    #[test]
    fn metadata_filters() {
        let q = Query {
            query: Some("ACME qbr".into()),
            scope: Some(Scope::External),
            min_duration: Some(600),
            ..Query::default()
        };
        let call = meta(
            serde_json::json!({"id": "1", "title": "Acme <> Northwind QBR", "scope": "External", "duration": 900}),
        );
        assert!(q.metadata_matches(&call, None));
        let short = meta(
            serde_json::json!({"id": "1", "title": "Acme QBR", "scope": "External", "duration": 30}),
        );
        assert!(!q.metadata_matches(&short, None));
        let other = meta(
            serde_json::json!({"id": "1", "title": "Acme sync", "scope": "External", "duration": 900}),
        );
        assert!(!q.metadata_matches(&other, None));
    }

    #[test]
    fn participants_filters() {
        let q = Query {
            query: Some("monarch".into()),
            primary_user_email: Some("Ethan@Northwind.com".into()),
            include_participants: true,
            ..Query::default()
        };
        let call =
            meta(serde_json::json!({"id": "1", "title": "Security review", "primaryUserId": "u1"}));
        let ext: ExtensiveCall = serde_json::from_value(serde_json::json!({
            "metaData": {"id": "1"},
            "parties": [{"name": "Ethan", "emailAddress": "ethan@northwind.com", "userId": "u1", "affiliation": "Internal"},
                        {"name": "Wei", "emailAddress": "wei@monarchinsure.com", "affiliation": "External"}]
        }))
        .unwrap();
        assert!(
            q.metadata_matches(&call, None),
            "the query waits for participants"
        );
        assert!(q.participants_match(&call, Some(&ext), None));
        assert_eq!(q.find_primary_user(&ext).as_deref(), Some("u1"));
        assert!(!q.participants_match(&call, None, None));
    }
}
