//! The audit log, for the DPO and auditors.

use crate::auth::Caller;
use crate::json::Query;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use custodia_core::audit::AuditAction;
use custodia_core::vault::AuditFilter;
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Subject id.
    subject: Option<String>,
    /// `user:<id>`, `apikey:<id>`, `system` or `anonymous`.
    principal: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    from: Option<OffsetDateTime>,
    /// Until this instant (RFC 3339), exclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    to: Option<OffsetDateTime>,
    /// Entries after this sequence number (paging).
    after: Option<i64>,
    /// Only this chain's entries (one per instance writing at once): a reader that
    /// tails each chain by `after` misses nothing, since a chain's entries commit in
    /// `seq` order, while across chains an entry may commit behind a later number.
    chain: Option<i32>,
    /// At most this many (default and maximum 1000).
    limit: Option<u32>,
}

/// Audit entries, oldest first, each with the hash that chains it to the previous.
#[utoipa::path(get, operation_id = "list_audit", path = "/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [crate::wire::AuditEntry]), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<crate::wire::AuditEntry>>, ApiError> {
    for (field, value) in [("subject", &q.subject), ("principal", &q.principal)] {
        if let Some(value) = value {
            crate::subjects::check_id(&state, &who, AuditAction::AuditRead, field, value).await?;
        }
    }
    let filter = AuditFilter {
        subject_ref: q.subject.clone(),
        principal: q.principal,
        from: q.from,
        to: q.to,
        action: None,
        after_seq: q.after,
        chain: q.chain,
        limit: q.limit.unwrap_or(1000).clamp(1, 1000),
        newest_first: false,
    };
    let entries = state.vault.audit_entries(&who, &filter).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}
