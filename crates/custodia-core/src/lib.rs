//! Domain logic, generic over a [`Store`](custodia_store::Store) and a [`Clock`].
//! Nothing here knows HTTP or SQL; key material is handled through custodia-crypto.

pub mod access;
pub mod access_review;
pub mod audit;
pub mod breach;
pub mod checkpoints;
pub mod clock;
pub mod consent;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod consent_tests;
pub mod deadline;
pub mod erasure_journal;
pub mod follow;
pub mod keyring;
pub mod publishing;
pub mod retention;
pub mod rights;
pub mod rotation;
pub mod second_factor;
pub mod staff;
pub mod statistics;
pub mod telemetry;
pub mod vault;
pub mod writer;

pub use clock::{Clock, ManualClock, SystemClock};
