//! `gong_list_calls` arguments: a date range, paging, and the filters applied over Gong's pages.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::{choice, named_string_arg, named_u64_arg, opt_bool};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = super::optional_not_nullable)]
pub struct ListCallsArgs {
    /// Start of the range, inclusive. An ISO-8601 date ("2026-10-01", meaning that whole day
    /// in UTC) or date-time ("2026-10-01T09:00:00Z", "2026-10-01T09:00:00-07:00"). Omit both
    /// dates for the last 30 days.
    #[serde(default, deserialize_with = "from_date_arg")]
    #[schemars(example = &"2026-10-01")]
    pub from_date: Option<String>,
    /// End of the range. A date includes that whole day ("2026-10-31" = up to the end of Oct 31,
    /// UTC); a date-time is exclusive. Defaults to now.
    #[serde(default, deserialize_with = "to_date_arg")]
    #[schemars(example = &"2026-10-31")]
    pub to_date: Option<String>,
    /// How many calls to return, 1-100 (default 20). With filters, this many matching calls.
    #[serde(default, deserialize_with = "limit_arg")]
    #[schemars(range(min = 1, max = 100), example = 50)]
    pub limit: Option<u64>,
    /// The `nextCursor` of a previous answer, to continue the same query. The cursor carries the
    /// dates and filters: pass it alone (or with the same arguments).
    #[serde(default, deserialize_with = "cursor_arg")]
    #[schemars(example = &"eyJmIjoiMjAyNi0xMC0wMVQwMDowMDowMFoiLCJ0IjoiMjAyNi0xMS0wMVQwMDowMDowMFoiLCJvIjoyMH0")]
    pub cursor: Option<String>,
    /// Only calls of this Gong workspace (its numeric id).
    #[serde(default, deserialize_with = "workspace_id_arg")]
    #[schemars(example = &"623457276584334")]
    pub workspace_id: Option<String>,
    /// Words to look for, case-insensitive; a call matches when every word appears in its title
    /// (and, with `includeParticipants: true`, in its participants' names, emails, or the
    /// company/CRM account). "acme" finds "Acme Corp <> Northwind QBR".
    #[serde(default, deserialize_with = "query_arg")]
    #[schemars(example = &"acme renewal")]
    pub query: Option<String>,
    /// Only calls of this direction: "Inbound", "Outbound", "Conference" or "Unknown".
    #[serde(default, deserialize_with = "direction_arg")]
    #[schemars(with = "Option<Direction>", example = &"Conference")]
    pub direction: Option<Direction>,
    /// Only "External" calls (with people outside the company), "Internal" ones, or "Unknown".
    #[serde(default, deserialize_with = "scope_arg")]
    #[schemars(with = "Option<Scope>", example = &"External")]
    pub scope: Option<Scope>,
    /// Only calls hosted by this Gong user (the call's primary user), by email. Resolved from
    /// the calls' participants, so it costs one extra Gong request per 100 calls scanned until
    /// the user is found.
    #[serde(default, deserialize_with = "primary_user_email_arg")]
    #[schemars(example = &"ethan.white@northwind-analytics.com")]
    pub primary_user_email: Option<String>,
    /// Only calls at least this many seconds long (e.g. 600 = 10 minutes; skips voicemails and
    /// no-shows).
    #[serde(default, deserialize_with = "min_duration_arg")]
    #[schemars(example = 600)]
    pub min_duration: Option<u64>,
    /// Also show each call's participants (names, affiliation) and company, and let `query`
    /// match them. Costs one extra Gong request per 100 calls listed (cached afterwards, and
    /// shared with gong_get_call_details).
    #[serde(default, deserialize_with = "include_participants_arg")]
    #[schemars(example = true)]
    pub include_participants: Option<bool>,
}

/// Gong's call direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Direction {
    Inbound,
    Outbound,
    Conference,
    Unknown,
}

impl Direction {
    const CHOICES: [(&str, Direction); 4] = [
        ("Inbound", Direction::Inbound),
        ("Outbound", Direction::Outbound),
        ("Conference", Direction::Conference),
        ("Unknown", Direction::Unknown),
    ];

    pub fn as_str(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(_, d)| *d == self)
            .map_or("Unknown", |(label, _)| label)
    }
}

/// Gong's call scope: whether people from outside the company took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Scope {
    External,
    Internal,
    Unknown,
}

impl Scope {
    const CHOICES: [(&str, Scope); 3] = [
        ("External", Scope::External),
        ("Internal", Scope::Internal),
        ("Unknown", Scope::Unknown),
    ];

    pub fn as_str(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("Unknown", |(label, _)| label)
    }
}

named_string_arg!(
    from_date_arg => "fromDate",
    to_date_arg => "toDate",
    cursor_arg => "cursor",
    workspace_id_arg => "workspaceId",
    query_arg => "query",
    primary_user_email_arg => "primaryUserEmail",
);

named_u64_arg!(
    limit_arg => "limit",
    min_duration_arg => "minDuration",
);

fn include_participants_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    opt_bool("includeParticipants", d)
}

fn direction_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Direction>, D::Error> {
    super::opt_string("direction", d)?
        .map(|s| choice("direction", &s, &Direction::CHOICES))
        .transpose()
        .map_err(serde::de::Error::custom)
}

fn scope_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Scope>, D::Error> {
    super::opt_string("scope", d)?
        .map(|s| choice("scope", &s, &Scope::CHOICES))
        .transpose()
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_leniently_and_name_themselves_when_wrong() {
        let a: ListCallsArgs = serde_json::from_str(
            r#"{"direction": "conference", "scope": "EXTERNAL", "minDuration": "600",
                "includeParticipants": "true", "query": "Acme"}"#,
        )
        .unwrap();
        assert_eq!(a.direction, Some(Direction::Conference));
        assert_eq!(a.scope, Some(Scope::External));
        assert_eq!(a.min_duration, Some(600));
        assert_eq!(a.include_participants, Some(true));
        for (bad, needle) in [
            (r#"{"direction": "sideways"}"#, "direction must be one of"),
            (r#"{"scope": 3}"#, "scope must be a string"),
            (r#"{"minDuration": -5}"#, "minDuration"),
            (r#"{"includeParticipants": 1}"#, "includeParticipants"),
        ] {
            let err = serde_json::from_str::<ListCallsArgs>(bad).unwrap_err();
            assert!(err.to_string().contains(needle), "{bad}: {err}");
        }
    }
}
