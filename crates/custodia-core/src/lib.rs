//! Domain logic, generic over a [`Store`](custodia_store::Store) and a [`Clock`].
//! Nothing here knows HTTP, SQL or key material.

pub mod clock;
pub mod publishing;

pub use clock::{Clock, ManualClock, SystemClock};
