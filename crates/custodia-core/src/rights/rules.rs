//! The rules of each right, in one exhaustive table: [`rules`] matches every
//! [`Right`] with no wildcard arm, so a new right does not compile until someone
//! decides its deadline, verification, completion, fields and letters (it cannot
//! silently inherit the GDPR defaults).

use crate::deadline::Period;
use custodia_register::Right;

/// The register category whose retention rule keeps a closed request.
pub const REQUEST_CATEGORY: &str = "user.privacy_request";
/// The category keeping post-mortem directives (kept until carried out and beyond).
pub const POST_MORTEM_CATEGORY: &str = "user.post_mortem_directives";

/// How the answer's deadline is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// The register's `rights.response_time`, extended by `rights.extension` when
    /// that is not zero (GDPR Art. 12(3)).
    Register,
    /// A period fixed by law, with the extended period if the law allows one.
    Fixed {
        period: Period,
        extended: Option<Period>,
    },
}

/// What a request of this kind must carry besides the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Nothing,
    /// `changes`: category id -> new value, each a category of the register.
    Changes,
    /// `directive`: the post-mortem directive's action (and its fields).
    Directive,
}

/// The letter the requester gets once the request is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSubmit {
    /// The verification code ([`super::letters::Letter::Code`]).
    Code,
    /// The acknowledgement with the due date ([`super::letters::Letter::Received`]).
    Received,
}

/// What completing the request does, and so which letter closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A package of the subject's data (`PackageReady`); `portable` adds the
    /// machine-readable Art. 20 format.
    Package { portable: bool },
    /// Corrects the named categories, with Art. 19 notices (`Completed`).
    Rectify,
    /// Erases the subjects, with Art. 19 notices (`Erased`).
    Erase,
    /// Restricts processing until lifted (`Completed`, later `RestrictionLifted`).
    Restrict,
    /// Records objections on the named purposes (`Completed`).
    Object,
    /// Withdraws consent on the named purposes (`Completed`).
    Withdraw,
    /// Records a CCPA opt-out of sale and sharing (`Completed`).
    OptOut,
    /// The disclosures for direct marketing of last year (`ShineTheLight`).
    ShineTheLight,
    /// Records, revokes or executes a directive (`Completed`).
    PostMortem,
    /// Not a request handled here (a complaint goes to the supervisory authority).
    NotARequest,
}

/// The rules of one right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RightRules {
    /// Whether requesters can submit it here ([`Effect::NotARequest`] cannot).
    pub is_request: bool,
    pub deadline: Deadline,
    /// Whether the requester proves control of the address with an e-mailed code
    /// first (CCPA §7026: opt-outs need no verification).
    pub needs_code: bool,
    /// Whether it completes itself once verified, with no staff weighing it
    /// (LEGAL-NOTES #13: withdrawal and marketing objection within 24 hours).
    pub completes_itself: bool,
    pub required: Required,
    pub on_submit: OnSubmit,
    pub effect: Effect,
    /// The register category whose retention rule keeps the closed request.
    pub kept_as: &'static str,
}

/// GDPR-style right: register deadline, code, staff completes it.
const fn gdpr(required: Required, effect: Effect) -> RightRules {
    RightRules {
        is_request: true,
        deadline: Deadline::Register,
        needs_code: true,
        completes_itself: false,
        required,
        on_submit: OnSubmit::Code,
        effect,
        kept_as: REQUEST_CATEGORY,
    }
}

const CCPA: Deadline = Deadline::Fixed {
    period: Period::CCPA_RESPONSE,
    extended: Some(Period::CCPA_EXTENDED_RESPONSE),
};

/// The rules of `right`. No wildcard arm: add a right, decide its rules here.
pub const fn rules(right: Right) -> RightRules {
    use Effect as E;
    use Required as R;
    match right {
        Right::Access => gdpr(R::Nothing, E::Package { portable: false }),
        Right::Rectification => gdpr(R::Changes, E::Rectify),
        Right::Erasure => gdpr(R::Nothing, E::Erase),
        Right::Restriction => gdpr(R::Nothing, E::Restrict),
        Right::Portability => gdpr(R::Nothing, E::Package { portable: true }),
        Right::Objection => RightRules {
            completes_itself: true,
            ..gdpr(R::Nothing, E::Object)
        },
        Right::WithdrawConsent => RightRules {
            completes_itself: true,
            ..gdpr(R::Nothing, E::Withdraw)
        },
        Right::Complaint => RightRules {
            is_request: false,
            ..gdpr(R::Nothing, E::NotARequest)
        },
        Right::PostMortem => RightRules {
            kept_as: POST_MORTEM_CATEGORY,
            ..gdpr(R::Directive, E::PostMortem)
        },
        Right::CaliforniaKnow => RightRules {
            deadline: CCPA,
            ..gdpr(R::Nothing, E::Package { portable: false })
        },
        Right::CaliforniaDelete => RightRules {
            deadline: CCPA,
            ..gdpr(R::Nothing, E::Erase)
        },
        Right::CaliforniaCorrect => RightRules {
            deadline: CCPA,
            ..gdpr(R::Changes, E::Rectify)
        },
        Right::CaliforniaOptOut => RightRules {
            is_request: true,
            deadline: Deadline::Fixed {
                period: Period::CCPA_OPT_OUT,
                extended: None,
            },
            needs_code: false,
            completes_itself: true,
            required: R::Nothing,
            on_submit: OnSubmit::Received,
            effect: E::OptOut,
            kept_as: REQUEST_CATEGORY,
        },
        Right::ShineTheLight => RightRules {
            deadline: Deadline::Fixed {
                period: Period::SHINE_THE_LIGHT_RESPONSE,
                extended: None,
            },
            ..gdpr(R::Nothing, E::ShineTheLight)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_opt_out_skips_the_code_and_its_letter_says_received() {
        for right in [
            Right::Access,
            Right::Rectification,
            Right::Erasure,
            Right::Restriction,
            Right::Portability,
            Right::Objection,
            Right::WithdrawConsent,
            Right::Complaint,
            Right::PostMortem,
            Right::CaliforniaKnow,
            Right::CaliforniaDelete,
            Right::CaliforniaCorrect,
            Right::CaliforniaOptOut,
            Right::ShineTheLight,
        ] {
            let r = rules(right);
            assert_eq!(r.needs_code, right != Right::CaliforniaOptOut, "{right:?}");
            assert_eq!(
                r.on_submit == OnSubmit::Code,
                r.needs_code,
                "{right:?}: the first letter carries the code exactly when one is needed"
            );
            assert_eq!(r.is_request, right != Right::Complaint, "{right:?}");
            // The id stored in request rows is the one serde gives the register.
            assert_eq!(
                serde_json::to_value(right).unwrap(),
                right.id(),
                "{right:?}"
            );
        }
    }
}
