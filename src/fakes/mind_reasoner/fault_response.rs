//! The answers scripted faults produce, on the API (JSON errors) and on the
//! storage listener (GCS's XML errors). `Delay` and `AfterEffect500` are
//! handled by the callers, around the normal answer.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::demo::conn::ConnHandle;
use crate::fakes::mind_reasoner::faults::MrFault;
use crate::fakes::mind_reasoner::storage_errors::{self, GcsError};
use crate::fakes::mind_reasoner::wire;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Api,
    Storage,
}

/// What a request "answered" by `AfterEffect500` gets once its work is done.
pub(crate) fn after_effect(side: Side) -> Response {
    server_error(side)
}

fn server_error(side: Side) -> Response {
    match side {
        Side::Api => wire::server_error(),
        Side::Storage => storage_errors::respond(
            GcsError::InternalError,
            "We encountered an internal error. Please try again.",
            None,
        ),
    }
}

/// The response for every fault but `Delay` and `AfterEffect500`.
pub(crate) fn fault_response(fault: MrFault, side: Side, conn: &ConnHandle) -> Response {
    let status_of = |s: u16| StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match fault {
        MrFault::Status {
            status,
            body,
            content_type,
        } => wire::respond(status_of(status), content_type, body),
        MrFault::TooManyRequests { retry_after_secs } => match side {
            Side::Api => wire::too_many_requests(retry_after_secs),
            Side::Storage => {
                let mut res = storage_errors::respond(
                    GcsError::SlowDown,
                    "Please reduce your request rate.",
                    None,
                );
                res.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs.max(1)),
                );
                res
            }
        },
        MrFault::ServerError | MrFault::AfterEffect500 | MrFault::Delay(_) => server_error(side),
        MrFault::ResetConnection => {
            conn.kill();
            server_error(side)
        }
        MrFault::InvalidJson => wire::respond(
            StatusCode::OK,
            wire::JSON,
            "{\"minds\":[{\"id\":\"3f0c9a52-, \"name\": undefined",
        ),
        MrFault::HtmlError { status } => wire::html_error(status_of(status)),
    }
}
