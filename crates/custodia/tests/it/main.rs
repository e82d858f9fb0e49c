//! One integration-test binary for the whole workspace (fast to link on small machines).

mod cli;
mod pg;
mod server;
mod store;
mod support;
