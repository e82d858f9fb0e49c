//! custodia-store-postgres
