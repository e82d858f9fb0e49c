//! The API's bodies: every JSON request and response body of `/v1` is a type of this
//! module (or of the handler's own module), converted from what custodia-core hands
//! out. The store can change its rows without changing the contract; a change to
//! these types is a change to the API and shows in `custodia openapi`.
//!
//! Closed sets of values are enums here. Request fields whose values core checks
//! (so that the error names the field) stay strings on the way in and point to
//! the enum as their schema; responses carry the enums themselves.

mod audit;
mod breach;
mod consent;
mod retention;
mod rights;
mod staff;
pub mod staff_auth;
mod statistics;
mod subjects;

pub use audit::AuditEntry;
pub use breach::{
    AuthorityDecisionRequest, Breach, BreachChange, BreachEvent, NewBreach, PeopleDecisionRequest,
};
pub use consent::{ChoiceState, ConsentMethod, ConsentRecord, CurrentChoice, DecisionReason};
pub use retention::{LegalHold, PlannedStep, SweepReport};
pub use rights::{
    DeliveryList, DocumentForm, NewRequest, PartialCompletion, Request, RequestList, RequestStatus,
    RightKind, StepAction,
};
pub use staff::{AccessReview, AccessReviewReport, ApiKey, NewApiKey, NewStaffUser, StaffUser};
pub use statistics::Statistics;
pub use subjects::Subject;

use crate::ApiError;
use serde::de::DeserializeOwned;

/// A value core keeps as text, read into the enum the API promises. A value outside
/// it is a server fault (a stored value no version wrote), never the caller's.
fn closed<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| ApiError::Internal(format!("{field}: `{text}` is outside the API's values")))
}

/// Converts every item, failing on the first that does not fit.
pub fn all<C, W: TryFrom<C, Error = ApiError>>(items: Vec<C>) -> Result<Vec<W>, ApiError> {
    items.into_iter().map(W::try_from).collect()
}

#[cfg(test)]
mod tests {
    //! Request fields stay strings that core checks; the enums their schemas point to
    //! must list exactly what core accepts.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn names<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn consent_methods_are_cores() {
        use ConsentMethod::*;
        let all = [Banner, Form, Api, Unsubscribe, Portal];
        assert_eq!(names(&all), custodia_core::consent::METHODS);
    }

    #[test]
    fn choice_states_are_what_a_person_can_choose() {
        use custodia_core::consent::ChoiceState as Core;
        let all = [
            ChoiceState::Given,
            ChoiceState::Refused,
            ChoiceState::Withdrawn,
        ];
        let parsed: Vec<_> = names(&all).iter().map(|s| Core::parse(s)).collect();
        assert_eq!(
            parsed,
            [
                Some(Core::Given),
                Some(Core::Refused),
                Some(Core::Withdrawn)
            ]
        );
    }

    #[test]
    fn breach_vocabularies_are_cores() {
        use super::breach::{BreachNature, InformChannel, NotInformedReason};
        use custodia_core::breach as core;
        let natures = [
            BreachNature::Confidentiality,
            BreachNature::Integrity,
            BreachNature::Availability,
        ];
        assert_eq!(names(&natures), core::NATURES);
        use InformChannel::*;
        assert_eq!(
            names(&[Email, Post, Phone, PublicNotice, Other]),
            core::CHANNELS
        );
        use NotInformedReason::*;
        assert_eq!(
            names(&[
                NoHighRisk,
                Unintelligible,
                RiskNeutralised,
                DisproportionateEffort
            ]),
            core::NOT_INFORMED_REASONS
        );
    }

    #[test]
    fn a_stored_value_outside_the_vocabulary_is_a_server_fault() {
        let err = closed::<ConsentMethod>("method", "telepathy").unwrap_err();
        assert!(matches!(err, ApiError::Internal(_)));
        assert_eq!(
            closed::<ConsentMethod>("method", "portal").unwrap(),
            ConsentMethod::Portal
        );
    }
}
