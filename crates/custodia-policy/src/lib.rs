//! Policy documents rendered from the register.
