//! What the OpenAPI document says about every operation alike, applied once after
//! the handlers' own annotations: problem responses (`application/problem+json`)
//! for the statuses every route of the JSON API can answer, a description on every
//! response, a one-sentence summary, and an explicit (empty) security requirement on
//! public routes.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

const PROBLEM: &str = "application/problem+json";

pub(crate) fn finish(api: &mut OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        for (op, is_post) in [
            (&mut item.get, false),
            (&mut item.put, false),
            (&mut item.post, true),
            (&mut item.delete, false),
            (&mut item.patch, false),
        ] {
            if let Some(op) = op {
                finish_operation(path, is_post, op);
            }
        }
    }
}

fn finish_operation(path: &str, is_post: bool, op: &mut Operation) {
    let public = op.security.as_ref().is_none_or(Vec::is_empty);
    if public {
        op.security = Some(vec![SecurityRequirement::default()]);
    }
    summarise(op);
    let inputs = op.request_body.is_some() || path.contains('{') || op.parameters.is_some();
    let mut common = Vec::new();
    if path.starts_with("/v1/") {
        // What the extractors, the limiters and validation answer on any route.
        common.extend([500, 429]);
        if !public {
            common.extend([401, 403]);
        }
        if inputs {
            // Unreadable, wrong, naming nothing known, or naming an erased subject.
            common.extend([400, 422, 404, 410]);
        }
        if op.request_body.is_some() {
            common.push(413);
        }
        if path.starts_with("/v1/requests/{id}") && op.request_body.is_some() {
            // A request not in a state that allows this.
            common.push(409);
        }
    } else if inputs && !is_form(op) {
        // Pages whose parameters are parsed (a version number, a language).
        common.push(400);
    }
    if !crate::health::needs_no_state(&axum::http::Method::GET, path) {
        // Until the consent state is loaded (`/readyz`).
        common.push(503);
    }
    for status in common {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem_response(status));
    }
    // The portal and download pages answer every error as a page, the per-address
    // limiter included; other forms' unreadable bodies get axum's plain text.
    let portal = path.starts_with("/portal") || path.starts_with("/download");
    let media = if portal { "text/html" } else { "text/plain" };
    let mut statuses = Vec::new();
    if is_form(op) || (portal && op.request_body.is_some()) {
        statuses.extend([400, 415, 422]);
    }
    if portal && is_post {
        statuses.push(429);
    }
    for status in statuses {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(describe(&status.to_string()))
                        .content(media, ContentBuilder::new().build())
                        .build(),
                )
            });
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if response.description.is_empty() {
            response.description = describe(status).to_owned();
        }
        if (status.starts_with('4') || status.starts_with('5'))
            && let Some(content) = response.content.shift_remove("application/json")
        {
            response.content.insert(PROBLEM.to_owned(), content);
        }
    }
}

/// utoipa takes a doc comment's first paragraph as the summary: keep its first
/// sentence on one line, and the whole text as the description.
fn summarise(op: &mut Operation) {
    let text = op.summary.clone().unwrap_or_default().replace('\n', " ");
    let first = first_sentence(&text).to_owned();
    if first.is_empty() {
        let id = op.operation_id.clone().unwrap_or_default();
        op.summary = Some(id.replace('_', " "));
        return;
    }
    if first != text || op.description.is_some() {
        let rest = op.description.take().unwrap_or_default();
        op.description = Some(format!("{text}\n\n{rest}").trim().to_owned());
    }
    op.summary = Some(first);
}

/// An HTML form's post (sign-in, portal, subject pages).
fn is_form(op: &Operation) -> bool {
    match &op.request_body {
        Some(RefOr::T(body)) => body.content.keys().any(|media| {
            media.starts_with("application/x-www-form-urlencoded")
                || media.starts_with("multipart/")
        }),
        _ => false,
    }
}

/// Up to the first full stop that ends a sentence (not `Art. 19`, `e.g. this`).
fn first_sentence(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find(". ").map(|i| from + i) {
        let word = text[..at].rsplit(' ').next().unwrap_or_default();
        if !matches!(word, "Art" | "e.g" | "i.e" | "cf" | "No") {
            return &text[..=at];
        }
        from = at + 2;
    }
    text
}

fn problem_response(status: u16) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(describe(&status.to_string()))
            .content(
                PROBLEM,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn describe(status: &str) -> &'static str {
    match status {
        "200" => "Success",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "Done; no content",
        "303" => "Done; see the page in `Location`",
        "400" => "The request could not be read (`/problems/bad-request`)",
        "401" => "Credentials missing or not valid (`/problems/unauthorized`)",
        "403" => "The caller's role may not do this (`/problems/forbidden`)",
        "404" => "No such resource (`/problems/not-found`)",
        "409" => "Not in a state that allows this (`/problems/conflict`)",
        "410" => "The subject was erased (`/problems/gone`)",
        "413" => "Body too large (`/problems/content-too-large`)",
        "415" => "The body is not of a media type the route reads",
        "422" => "A value is wrong; `field` names it (`/problems/unprocessable`)",
        "429" => "Too many requests from this client (`/problems/too-many-requests`)",
        "500" => "The server failed; details are in its log (`/problems/internal`)",
        "503" => {
            "Starting: the consent state is loading; retry after `Retry-After` seconds (`/problems/unavailable`)"
        }
        _ => "See the operation's description",
    }
}
