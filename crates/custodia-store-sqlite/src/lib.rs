//! custodia-store-sqlite
