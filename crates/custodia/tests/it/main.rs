//! One integration-test binary for the whole workspace (fast to link on small machines).
