//! The pages the `type` URI of every problem document points at: one per kind of
//! error, and an index.

use crate::ApiError;
use crate::error::KINDS;
use crate::pages::render;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "problems.html")]
struct IndexPage {
    lang: &'static str,
    title: &'static str,
    kinds: &'static [(u16, &'static str, &'static str, &'static str)],
}

#[derive(Template)]
#[template(path = "problem.html")]
struct KindPage {
    lang: &'static str,
    title: &'static str,
    status: u16,
    slug: &'static str,
    meaning: &'static str,
}

/// Every kind of error the API answers with.
#[utoipa::path(get, path = "/problems", tag = "operations", operation_id = "list_problem_kinds",
    responses((status = 200, description = "The kinds of error, each linked to its page", content_type = "text/html", body = String)))]
pub async fn index() -> Response {
    render(
        StatusCode::OK,
        &IndexPage {
            lang: "en",
            title: "Kinds of error",
            kinds: KINDS,
        },
    )
}

/// What one kind of error means and what to do about it.
#[utoipa::path(get, path = "/problems/{kind}", tag = "operations", operation_id = "get_problem_kind",
    params(("kind" = String, Path, description = "The kind's slug, the last segment of a problem's `type`", example = "not-found")),
    responses((status = 200, description = "The kind's page", content_type = "text/html", body = String),
              (status = 404, description = "No such kind of error", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn kind(Path(kind): Path<String>) -> Result<Response, ApiError> {
    let &(status, slug, title, meaning) = KINDS
        .iter()
        .find(|(_, slug, ..)| *slug == kind)
        .ok_or_else(|| ApiError::NotFound("kind: no such kind of error".to_owned()))?;
    Ok(render(
        StatusCode::OK,
        &KindPage {
            lang: "en",
            title,
            status,
            slug,
            meaning,
        },
    ))
}
