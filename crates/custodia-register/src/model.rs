//! The register of processing as written in TOML. Field names are the file's keys;
//! every struct refuses unknown keys so that a typo is an error with a line number.

use crate::duration::IsoDuration;
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// Format version of the file; only 1 exists.
    pub format: u32,
    /// Languages the policies are published in; every text must exist in each.
    pub languages: Vec<Lang>,
    pub controller: Controller,
    #[serde(default)]
    pub consent: ConsentSettings,
    #[serde(default)]
    pub children: ChildrenSettings,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub subject_kinds: Vec<SubjectKind>,
    /// Lifecycle events beyond the built-in ones, usable as retention triggers.
    #[serde(default)]
    pub custom_events: Vec<CustomEvent>,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    #[serde(default)]
    pub retention: Vec<RetentionRule>,
    #[serde(default)]
    pub cookies: Vec<Cookie>,
    pub security: Security,
    pub rights: Rights,
    #[serde(default)]
    pub policy: PolicyExtras,
    /// The company's own databases that rights requests reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<crate::datasets::Dataset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub legal_name: String,
    /// Trading name used in the policy text when it differs from the legal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_capital: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Text>,
    pub address: String,
    /// ISO 3166-1 alpha-2 country of establishment.
    pub country: String,
    /// ISO 3166-2 subdivision of establishment ("DE-BY"): in Germany it chooses
    /// the Land authority when `supervisory_authority` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Where requests go when there is no e-mail (a form, "the dedicated module").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_url: Option<String>,
    /// Name of the service or application the policy covers ("the Website").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Contact>,
    /// When absent, the authority of `country` (and `region`) if Custodia knows
    /// it (`authorities::default_authority`), filled in by `parse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisory_authority: Option<Authority>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub name: Text,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_url: Option<String>,
}

/// Consent defaults; each consent purpose may override them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentSettings {
    /// Ask again after this long (CNIL: keep a choice 6 months).
    #[serde(default = "six_months")]
    pub reask_after: IsoDuration,
    /// Longest lifetime a consent-requiring tracker may have (CNIL: 13 months).
    #[serde(default = "thirteen_months")]
    pub tracker_max_lifetime: IsoDuration,
}

fn six_months() -> IsoDuration {
    IsoDuration {
        months: 6,
        ..IsoDuration::default()
    }
}

fn thirteen_months() -> IsoDuration {
    IsoDuration {
        months: 13,
        ..IsoDuration::default()
    }
}

impl Default for ConsentSettings {
    fn default() -> Self {
        ConsentSettings {
            reask_after: six_months(),
            tracker_max_lifetime: thirteen_months(),
        }
    }
}

/// Age of digital consent (GDPR Art. 8; COPPA): below it, consent-based processing
/// needs a parent's consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildrenSettings {
    /// Where no country-specific age applies (GDPR default: 16).
    #[serde(default = "sixteen")]
    pub default_age: u8,
    /// Per ISO country code: France 15, United States 13 by default.
    #[serde(default = "national_ages")]
    pub ages: std::collections::BTreeMap<String, u8>,
    /// Who the service is meant for; the policy says so.
    #[serde(default, skip_serializing_if = "Audience::is_everyone")]
    pub audience: Audience,
    /// A subject below the age of digital consent whose parent has not consented
    /// within this delay is erased by the retention sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parental_consent_within: Option<IsoDuration>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone, children included (with a parent's consent below the age).
    #[default]
    Everyone,
    /// Adults only: children's data is not knowingly collected.
    Adults,
}

impl Audience {
    fn is_everyone(&self) -> bool {
        *self == Audience::Everyone
    }
}

/// The events the consent service records for a purpose a `while_consent` rule
/// names: when the person's consent to it was last given, and last ended.
pub fn consent_events(purpose: &str) -> (String, String) {
    (
        format!("consent:{purpose}:given"),
        format!("consent:{purpose}:ended"),
    )
}

/// Lifecycle events the vault records itself, never through the API nor as a
/// register's custom event: a subject found below the age of digital consent, and a
/// parent's consent for it.
pub const UNDER_AGE_EVENT: &str = "under_age";
pub const PARENTAL_CONSENT_EVENT: &str = "parental_consent";

fn sixteen() -> u8 {
    16
}

fn national_ages() -> std::collections::BTreeMap<String, u8> {
    [("FR".to_owned(), 15), ("US".to_owned(), 13)].into()
}

impl Default for ChildrenSettings {
    fn default() -> Self {
        ChildrenSettings {
            default_age: sixteen(),
            ages: national_ages(),
            audience: Audience::default(),
            parental_consent_within: None,
        }
    }
}

impl ChildrenSettings {
    /// The age of digital consent in `country` (ISO alpha-2).
    pub fn age_of_consent(&self, country: &str) -> u8 {
        self.ages.get(country).copied().unwrap_or(self.default_age)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// A fideslang id (`user.contact.email`) where one fits, else a custom id.
    pub id: String,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Special category under GDPR Art. 9.
    #[serde(default)]
    pub sensitive: bool,
    /// Processed in passing but never stored (a card security code): needs no
    /// retention rule and the vault refuses it.
    #[serde(default)]
    pub never_stored: bool,
    /// Where the data comes from (GDPR Art. 14(2)(f)).
    #[serde(default)]
    pub source: DataSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<Text>,
    /// How the vault validates values and whether it keeps a blind index for
    /// lookups; inferred from well-known fideslang ids when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueKind>,
    /// The gender and number of the name, per language whose words agree with it
    /// ("Mot de passe — Fourni par vous"): `gender = { fr = "masculine" }`; French,
    /// Spanish and Italian (`Gender::AGREEING`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub gender: std::collections::BTreeMap<Lang, Gender>,
}

/// Grammatical gender and number of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Masculine,
    Feminine,
    MasculinePlural,
    FemininePlural,
}

impl Gender {
    /// Languages whose policy text agrees with a category's gender (participles:
    /// "Fournie", "Facilitada", "Fornita"): each category must give its gender in
    /// those it is published in.
    pub const AGREEING: [Lang; 3] = [Lang::FR, Lang::ES, Lang::IT];

    /// The value the message catalogues select on.
    pub fn id(self) -> &'static str {
        match self {
            Gender::Masculine => "masculine",
            Gender::Feminine => "feminine",
            Gender::MasculinePlural => "masculine-plural",
            Gender::FemininePlural => "feminine-plural",
        }
    }
}

/// The shape of a category's values, as the vault checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// An e-mail address; indexed for lookup by e-mail.
    Email,
    /// A phone number in international form; indexed for lookup by phone.
    Phone,
    /// A login or username; indexed for lookup by login.
    Login,
    /// A calendar date `YYYY-MM-DD`; a birth date drives the age check.
    BirthDate,
    /// Free text.
    Text,
    /// Any JSON value.
    Json,
}

impl Category {
    /// The declared value kind, or the one implied by a well-known fideslang id.
    pub fn value_kind(&self) -> ValueKind {
        self.value.unwrap_or(match self.id.as_str() {
            "user.contact.email" => ValueKind::Email,
            "user.contact.phone_number" => ValueKind::Phone,
            "user.account.username" => ValueKind::Login,
            "user.demographic.date_of_birth" | "user.date_of_birth" => ValueKind::BirthDate,
            _ => ValueKind::Text,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// Given by the person.
    #[default]
    Subject,
    /// Observed while the person uses the service (logs, cookies).
    Observed,
    /// Received from someone else (partner, public source).
    ThirdParty,
    /// Derived by the controller.
    Inferred,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectKind {
    pub id: String,
    pub name: Text,
    /// People who bought from us: e-mail offers for similar products may reach
    /// them without prior consent (e-Privacy Art. 13(2), French CPCE L34-5).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomEvent {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    LegitimateInterest,
    VitalInterest,
    PublicTask,
}

impl LegalBasis {
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::LegitimateInterest,
        LegalBasis::VitalInterest,
        LegalBasis::PublicTask,
    ];

    pub fn id(self) -> &'static str {
        match self {
            LegalBasis::Consent => "consent",
            LegalBasis::Contract => "contract",
            LegalBasis::LegalObligation => "legal_obligation",
            LegalBasis::LegitimateInterest => "legitimate_interest",
            LegalBasis::VitalInterest => "vital_interest",
            LegalBasis::PublicTask => "public_task",
        }
    }
}

/// Art. 13(2)(e): whether giving the data is required, and by what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Statutory,
    Contractual,
    /// Needed to enter into a contract.
    ContractPrerequisite,
    /// Needed to provide what the person asked for (answer a message).
    ServicePrerequisite,
    /// Nothing obliges the person to give it.
    Voluntary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub id: String,
    pub title: Text,
    pub description: Text,
    /// Optional in the file so that a missing basis gets its own clear error.
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// The interest pursued, required with `legitimate_interest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<Text>,
    /// The law that imposes the processing, for `legal_obligation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<Text>,
    pub subjects: Vec<String>,
    pub categories: Vec<String>,
    /// Categories the person must provide; the others are optional.
    #[serde(default)]
    pub mandatory: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<Requirement>,
    /// What happens when mandatory data is not provided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequence_if_not_provided: Option<Text>,
    /// Recipients (internal roles, processors, third parties) that take part.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Third-party services used for this purpose.
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<PurposeConsent>,
    /// Sending marketing to the person: objection is absolute (Art. 21(2)).
    #[serde(default)]
    pub direct_marketing: bool,
    /// Marketing to professionals about their work, which e-mail may carry
    /// without prior consent (CNIL's reading of CPCE L34-5). Left out of the
    /// serialised form when false: consent fingerprints must not change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub professional_audience: bool,
    /// Advertising, sale or sharing: refused on a Global Privacy Control signal.
    #[serde(default)]
    pub advertising: bool,
    /// Messages the service needs (security alerts, receipts, changes to the terms):
    /// they cannot be refused while the account exists and carry no marketing, so
    /// no unsubscribe link is minted for them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub service_messages: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated_decision: Option<AutomatedDecision>,
}

impl Purpose {
    /// Whether each marketing message of this purpose carries an unsubscribe link:
    /// the policy promises it, and the API mints the link
    /// (`POST /v1/subjects/{id}/unsubscribe-link`) for this purpose.
    pub fn unsubscribe_link_in_messages(&self) -> bool {
        self.direct_marketing
            && matches!(
                self.legal_basis,
                Some(LegalBasis::Consent | LegalBasis::LegitimateInterest)
            )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeConsent {
    /// How consent is collected; at least one.
    pub collected_by: Vec<ConsentMethod>,
    /// How long a consent lasts before it must be asked again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<IsoDuration>,
    /// Ask again after a refusal after this long (default: `[consent] reask_after`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reask_after: Option<IsoDuration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Banner,
    Form,
    Api,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomatedDecision {
    pub logic: Text,
    pub significance: Text,
    /// How to obtain human intervention and contest the decision (Art. 22(3)).
    pub human_review: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// Staff of the controller in a role; becomes a Custodia role.
    Internal,
    /// Processes on the controller's behalf (Art. 28).
    Processor,
    /// Receives data as a controller of its own.
    ThirdParty,
    JointController,
    /// Authorities, courts, bailiffs entitled to receive data.
    Authority,
    /// Anyone: what a person chooses to publish (a review, a public profile).
    Public,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub name: Text,
    pub kind: RecipientKind,
    /// What it does with the data.
    pub role: Text,
    /// ISO 3166-1 alpha-2 countries where it is established or processes data, or
    /// `EU` / `EEA` when it is there without a named member state; not needed for
    /// internal roles or the public.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Receives data only if this happens ("in a merger, acquisition or
    /// insolvency"): a possible recipient, not a current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_when: Option<Text>,
    /// Receives only aggregated, anonymous statistics: no personal data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous_aggregates: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_policy_url: Option<String>,
    /// An Art. 28 data processing agreement is signed.
    #[serde(default)]
    pub dpa_signed: bool,
    /// Receives data for its own direct marketing (California "Shine the Light").
    #[serde(default)]
    pub direct_marketing_use: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// The recipient that provides it.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    pub categories: Vec<String>,
    /// The provider's own policy, when it also collects data "as specified in the
    /// privacy policy of the service".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_policy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_out_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// Adequacy decision for the country (Art. 45).
    Adequacy,
    /// EU-US Data Privacy Framework: adequacy for certified US organisations.
    Dpf,
    /// Standard contractual clauses 2021/914.
    Scc,
    /// Binding corporate rules.
    Bcr,
    /// Art. 49 derogation, for occasional transfers only.
    Derogation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub recipient: String,
    pub country: String,
    pub mechanism: TransferMechanism,
    /// SCC module 1 to 4, required with `scc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scc_module: Option<u8>,
    /// The Art. 49(1) ground, required with `derogation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derogation: Option<Text>,
    /// Date the DPF certification was last checked (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpf_checked_on: Option<String>,
    /// A transfer impact assessment is on file.
    #[serde(default)]
    pub tia_done: bool,
    /// How to obtain a copy of the safeguards (Art. 13(1)(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguards_copy: Option<Text>,
}

/// Events that start a retention clock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Collected,
    /// Last contact initiated by the person (not an e-mail open).
    LastContact,
    AccountOpened,
    AccountClosed,
    LastConnection,
    Transaction,
    Debit,
    DeferredDebit,
    Invoice,
    ConsentGiven,
    IdentityVerified,
    RequestClosed,
    OppositionRecorded,
    ContractEnd,
    /// An event declared in `[[custom_events]]`.
    #[serde(untagged)]
    Custom(String),
}

/// The names of the built-in triggers, as lifecycle events are recorded.
pub const BUILTIN_EVENTS: [&str; 14] = [
    "collected",
    "last_contact",
    "account_opened",
    "account_closed",
    "last_connection",
    "transaction",
    "debit",
    "deferred_debit",
    "invoice",
    "consent_given",
    "identity_verified",
    "request_closed",
    "opposition_recorded",
    "contract_end",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Active base: used for the purposes.
    Active,
    /// Intermediate archive: segregated, restricted access, legal purposes only.
    Archive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalAction {
    Delete,
    Anonymise,
    /// Ask the person (an e-mail with a link through the outbox) whether to keep the
    /// data; delete it if no answer comes within the rule's `answer_within`. The
    /// answer is a contact the person initiates, so it restarts a rule that counts
    /// from `last_contact`.
    AskAgain,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub id: String,
    /// Heading in the policy; without it the categories and people are the heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub categories: Vec<String>,
    /// Subject kinds the rule covers; empty means every kind.
    #[serde(default)]
    pub subjects: Vec<String>,
    pub trigger: Trigger,
    /// Other events that also start the count: the rule counts from whichever of
    /// them and `trigger` comes first ("last transaction or card expiry").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub or_earlier: Vec<Trigger>,
    /// Other events the count waits for: the rule counts from whichever of them and
    /// `trigger` is later ("collection or last contact, whichever is later").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub or_later: Vec<Trigger>,
    /// A consent-based purpose: the data is kept only while the person's consent to
    /// it is in force; the phases count from its withdrawal (or from the trigger
    /// when it was never given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub while_consent: Option<String>,
    /// With `then = "ask_again"`: how long the person has to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_within: Option<IsoDuration>,
    /// What keeps the data before the trigger ("while the account is open").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_trigger: Option<Text>,
    /// Phases after the trigger, in order.
    pub phases: Vec<RetentionPhase>,
    /// What happens when the last phase ends.
    pub then: FinalAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPhase {
    pub duration: IsoDuration,
    pub stage: Stage,
    /// Why the data is kept during this phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// Roles allowed to read archived data.
    #[serde(default)]
    pub access: Vec<String>,
    /// The duration is a minimum the data is kept for ("at least three years"):
    /// it is deleted at its end only when no other rule keeps it longer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_least: bool,
    /// The law that sets this duration: the policy says "as long as <law>
    /// requires" only with the law named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_by: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieCategory {
    Necessary,
    /// Remembers what the person chose (language, layout): no consent needed.
    Functional,
    /// Adapts content to what the person did (recommendations): needs consent.
    Personalisation,
    Analytics,
    Marketing,
    Social,
}

impl CookieCategory {
    pub const ALL: [CookieCategory; 6] = [
        CookieCategory::Necessary,
        CookieCategory::Functional,
        CookieCategory::Personalisation,
        CookieCategory::Analytics,
        CookieCategory::Marketing,
        CookieCategory::Social,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CookieCategory::Necessary => "necessary",
            CookieCategory::Functional => "functional",
            CookieCategory::Personalisation => "personalisation",
            CookieCategory::Analytics => "analytics",
            CookieCategory::Marketing => "marketing",
            CookieCategory::Social => "social",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackerKind {
    Cookie,
    LocalStorage,
    Pixel,
    /// A pixel in the e-mails we send: consent is asked where the person gives
    /// their address (a form), not in the banner.
    EmailPixel,
    Fingerprint,
}

impl TrackerKind {
    /// Whether it keeps something on the person's device (then it has a lifetime).
    pub fn stores(self) -> bool {
        matches!(self, TrackerKind::Cookie | TrackerKind::LocalStorage)
    }
}

/// `session`, an ISO 8601 duration, or `none` for a tracker that keeps nothing
/// on the device (a pixel, fingerprinting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    Session,
    For(IsoDuration),
    NotStored,
}

impl Serialize for Lifetime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Lifetime::Session => s.serialize_str("session"),
            Lifetime::NotStored => s.serialize_str("none"),
            Lifetime::For(d) => d.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Lifetime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "session" => return Ok(Lifetime::Session),
            "none" => return Ok(Lifetime::NotStored),
            _ => {}
        }
        s.parse()
            .map(Lifetime::For)
            .map_err(|e| serde::de::Error::custom(format!("{e}, or `session`, or `none`")))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cookie {
    pub name: String,
    #[serde(default = "cookie_kind")]
    pub kind: TrackerKind,
    /// A recipient id, or `self` for the controller's own cookies.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub category: CookieCategory,
    pub purpose: Text,
    /// Optional in the file so that a missing lifetime gets its own clear error.
    #[serde(default)]
    pub lifetime: Option<Lifetime>,
    /// Exempt from consent (strictly necessary, CNIL-exempt audience measurement).
    #[serde(default)]
    pub exempt: bool,
    /// The consent purpose that governs it, required unless exempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_purpose: Option<String>,
}

fn cookie_kind() -> TrackerKind {
    TrackerKind::Cookie
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    #[serde(default)]
    pub organisational: Vec<Text>,
    #[serde(default)]
    pub technical: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
    WithdrawConsent,
    Complaint,
    /// French law (Loi Informatique et Libertés art. 85).
    PostMortem,
    CaliforniaKnow,
    CaliforniaDelete,
    CaliforniaCorrect,
    CaliforniaOptOut,
    ShineTheLight,
}

impl Right {
    /// Rights every GDPR notice must state (Art. 13(2)(b)-(d)).
    pub const GDPR: [Right; 8] = [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Objection,
        Right::WithdrawConsent,
        Right::Complaint,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Right::Access => "access",
            Right::Rectification => "rectification",
            Right::Erasure => "erasure",
            Right::Restriction => "restriction",
            Right::Portability => "portability",
            Right::Objection => "objection",
            Right::WithdrawConsent => "withdraw_consent",
            Right::Complaint => "complaint",
            Right::PostMortem => "post_mortem",
            Right::CaliforniaKnow => "california_know",
            Right::CaliforniaDelete => "california_delete",
            Right::CaliforniaCorrect => "california_correct",
            Right::CaliforniaOptOut => "california_opt_out",
            Right::ShineTheLight => "shine_the_light",
        }
    }

    /// Rights the California Consumer Privacy Act gives (Cal. Civ. Code 1798.100
    /// and following); "Shine the Light" (1798.83) is a different law.
    pub fn is_ccpa(self) -> bool {
        matches!(
            self,
            Right::CaliforniaKnow
                | Right::CaliforniaDelete
                | Right::CaliforniaCorrect
                | Right::CaliforniaOptOut
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rights {
    pub offered: Vec<Right>,
    /// The CCPA applies to the controller (it meets one of Cal. Civ. Code
    /// 1798.140(d)'s thresholds): only then may the policy claim its rights.
    #[serde(default)]
    pub ccpa_applies: bool,
    /// Where and how requests are made (portal URL, e-mail, postal address).
    pub how_to_exercise: Text,
    /// Answer deadline stated in the policy (GDPR: one month).
    #[serde(default = "one_month")]
    pub response_time: IsoDuration,
    /// Extension allowed for complex or numerous requests (GDPR: two months).
    #[serde(default = "two_months")]
    pub extension: IsoDuration,
    /// An identity document is asked only when there is reasonable doubt.
    #[serde(default = "yes")]
    pub id_document_only_on_doubt: bool,
    /// Extra words about a right ("no comfort changes for rectification").
    #[serde(default)]
    pub notes: Vec<RightNote>,
    /// Internal roles (besides the DPO) that handle requests: list, assign, complete.
    #[serde(default)]
    pub handlers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightNote {
    pub right: Right,
    pub text: Text,
}

fn one_month() -> IsoDuration {
    IsoDuration {
        months: 1,
        ..IsoDuration::default()
    }
}

fn two_months() -> IsoDuration {
    IsoDuration {
        months: 2,
        ..IsoDuration::default()
    }
}

fn yes() -> bool {
    true
}

/// Text a policy carries beyond what is derived from the register.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyExtras {
    /// Opening paragraph of the privacy policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduction: Option<Text>,
    /// How subjects are told about changes to the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Text>,
    /// When the policy's content last changed (`YYYY-MM-DD`), shown at the top of
    /// both policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    #[serde(default)]
    pub sections: Vec<ExtraSection>,
}

/// A `YYYY-MM-DD` date as the register writes dates.
pub fn parse_date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    Privacy,
    Cookies,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraSection {
    pub document: Document,
    pub title: Text,
    pub body: Vec<Text>,
}
