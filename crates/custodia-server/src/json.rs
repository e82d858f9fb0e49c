//! JSON bodies whose errors are problem documents naming what is wrong.

use crate::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                Err(ApiError::Unprocessable(format!("body: {}", e.body_text())))
            }
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Err(
                ApiError::PayloadTooLarge("body: larger than the 1 MiB limit".to_owned()),
            ),
            Err(e) => Err(ApiError::BadRequest(format!("body: {}", e.body_text()))),
        }
    }
}
