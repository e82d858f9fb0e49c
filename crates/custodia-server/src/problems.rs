//! The pages the `type` URI of every problem document points at: one per kind of
//! error, and an index.

use crate::ApiError;
use crate::error::KINDS;
use crate::pages::{escape, page};
use axum::extract::Path;
use axum::response::Html;

/// Every kind of error the API answers with.
#[utoipa::path(get, path = "/problems", tag = "operations", operation_id = "list_problem_kinds",
    responses((status = 200, description = "The kinds of error, each linked to its page", content_type = "text/html", body = String)))]
pub async fn index() -> Html<String> {
    let items: String = KINDS
        .iter()
        .map(|(status, slug, title, _)| {
            format!(
                "<li><a href=\"/problems/{slug}\">{status} {}</a></li>\n",
                escape(title)
            )
        })
        .collect();
    Html(page(
        "Kinds of error",
        &format!(
            "<h1>Kinds of error</h1>\n<p>Errors are RFC 9457 problem documents \
             (<code>application/problem+json</code>) whose <code>type</code> is one of:</p>\n\
             <ul>\n{items}</ul>"
        ),
    ))
}

/// What one kind of error means and what to do about it.
#[utoipa::path(get, path = "/problems/{kind}", tag = "operations", operation_id = "get_problem_kind",
    params(("kind" = String, Path, description = "The kind's slug, the last segment of a problem's `type`", example = "not-found")),
    responses((status = 200, description = "The kind's page", content_type = "text/html", body = String),
              (status = 404, description = "No such kind of error", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn kind(Path(kind): Path<String>) -> Result<Html<String>, ApiError> {
    let (status, slug, title, meaning) = KINDS
        .iter()
        .find(|(_, slug, ..)| *slug == kind)
        .ok_or_else(|| ApiError::NotFound("kind: no such kind of error".to_owned()))?;
    Ok(Html(page(
        title,
        &format!(
            "<h1>{}</h1>\n<p>HTTP status {status}. Type <code>/problems/{slug}</code>.</p>\n\
             <p>{}</p>\n<p>The problem's <code>detail</code> says what was wrong and where; \
             <code>field</code>, when present, names the member at fault. \
             Neither ever carries personal data.</p>\n<p><a href=\"/problems\">Every kind of error</a></p>",
            escape(title),
            escape(meaning)
        ),
    )))
}
