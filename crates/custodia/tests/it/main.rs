//! One integration-test binary for the whole workspace (fast to link on small machines).
// Helpers outside #[test] functions count as non-test code for clippy; failing loudly
// is what a test helper should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod access_review;
mod audit_tamper;
mod backup;
mod breach;
mod cli;
mod consent;
mod console;
mod console_audit;
mod console_breaches;
mod console_dashboard;
mod console_outbox;
mod console_staff;
mod console_subject;
mod contract;
mod csv_export;
mod datasets;
mod deploy;
mod install;
mod instances;
mod lang_cookie;
mod languages;
mod mariadb;
mod notify;
mod operations;
mod pages;
mod pg;
mod record;
mod request_queue;
mod retention;
mod rights;
mod second_factor;
mod security_edge;
mod security_input;
mod security_rights;
mod server;
mod shred;
mod startup;
mod statistics;
mod store;
mod support;
mod vault;
