//! custodia-crypto
