use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    /// Storage backend in use: `sqlite` or `postgres`.
    database: &'static str,
    /// Number of the policy version in force.
    policy_version: i64,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Serving, database reachable", body = Health),
              (status = 500, description = "Database unreachable", body = crate::error::Problem)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let database = state.vault.health().await?;
    Ok(Json(Health {
        status: "ok",
        database,
        policy_version: state.publications.current().number,
    }))
}
