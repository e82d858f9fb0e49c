//! custodia-core
