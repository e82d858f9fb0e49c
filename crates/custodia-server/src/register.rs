use crate::AppState;
use axum::Json;
use axum::extract::State;

/// The validated register of processing, as JSON (same structure as the TOML file).
#[utoipa::path(get, path = "/v1/register", tag = "register",
    responses((status = 200, description = "The register in force", body = Object)))]
pub async fn get_register(State(state): State<AppState>) -> Json<custodia_register::Register> {
    Json(state.register.register().clone())
}
