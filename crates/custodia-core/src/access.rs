//! Who may do what. Roles are the register's internal recipients plus Custodia's
//! own `admin`, `dpo` and `auditor`; a role sees only the categories that the
//! purposes it serves use (and any the register says it receives).

use custodia_register::{RecipientKind, ValidRegister};
use std::collections::BTreeSet;
use std::fmt;

pub const ADMIN: &str = "admin";
pub const DPO: &str = "dpo";
pub const AUDITOR: &str = "auditor";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages staff accounts and API keys; reads no personal data.
    Admin,
    /// Reads and handles every stored category; reads the audit log.
    Dpo,
    /// Reads the audit log only.
    Auditor,
    /// An internal recipient of the register (`support`, `marketing`...).
    Internal(String),
}

impl Role {
    /// Parses a role name against the register.
    pub fn parse(name: &str, register: &ValidRegister) -> Option<Role> {
        match name {
            ADMIN => Some(Role::Admin),
            DPO => Some(Role::Dpo),
            AUDITOR => Some(Role::Auditor),
            other => register
                .recipients
                .iter()
                .any(|r| r.kind == RecipientKind::Internal && r.id == other)
                .then(|| Role::Internal(other.to_owned())),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Role::Admin => ADMIN,
            Role::Dpo => DPO,
            Role::Auditor => AUDITOR,
            Role::Internal(id) => id,
        }
    }

    /// Every role the register allows, for messages.
    pub fn all_names(register: &ValidRegister) -> Vec<String> {
        let mut names: Vec<String> = [ADMIN, DPO, AUDITOR].map(str::to_owned).to_vec();
        names.extend(
            register
                .recipients
                .iter()
                .filter(|r| r.kind == RecipientKind::Internal)
                .map(|r| r.id.clone()),
        );
        names
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who is acting: a staff member or a service's API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `user:<id>` or `apikey:<id>`: what the audit log records.
    pub id: String,
    pub role: Role,
}

/// Actions guarded by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read, look up, create and change subjects, within the role's categories.
    HandleSubjects,
    /// Erase a subject (crypto-shredding).
    EraseSubjects,
    ReadAudit,
    ManageStaff,
    /// Handle data-subject rights requests: the DPO and the register's handlers.
    HandleRequests,
    /// See the retention plan, run a sweep, place and release legal holds: the DPO.
    ManageRetention,
    /// Record breaches, update them, record the authority and people decisions
    /// (Art. 33/34): admin and DPO.
    ManageBreaches,
    /// Read the breach register and export timelines: admin, DPO and auditor.
    ReadBreaches,
    /// See every account and key with its last use, record access reviews: admin, DPO.
    ReviewAccess,
    /// Read aggregate statistics (consents, requests, retention): the DPO.
    ReadStatistics,
    /// Export the Art. 30 record of processing activities: the DPO.
    ExportRecord,
}

/// The register's access rules, computed once.
#[derive(Debug, Clone)]
pub struct AccessPolicy {
    stored: BTreeSet<String>,
    request_handlers: BTreeSet<String>,
    by_role: std::collections::HashMap<String, BTreeSet<String>>,
}

impl AccessPolicy {
    pub fn new(register: &ValidRegister) -> Self {
        let stored: BTreeSet<String> = register
            .categories
            .iter()
            .filter(|c| !c.never_stored)
            .map(|c| c.id.clone())
            .collect();
        // A role reads what the purposes it serves use, plus what the register says
        // it receives.
        let by_role = register
            .recipients
            .iter()
            .filter(|r| r.kind == RecipientKind::Internal)
            .map(|r| {
                let from_purposes = register
                    .purposes
                    .iter()
                    .filter(|p| p.recipients.contains(&r.id))
                    .flat_map(|p| p.categories.iter());
                let cats = r
                    .categories
                    .iter()
                    .chain(from_purposes)
                    .filter(|c| stored.contains(*c))
                    .cloned()
                    .collect();
                (r.id.clone(), cats)
            })
            .collect();
        AccessPolicy {
            stored,
            by_role,
            request_handlers: register.rights.handlers.iter().cloned().collect(),
        }
    }

    /// Categories `role` may read and write.
    pub fn categories(&self, role: &Role) -> &BTreeSet<String> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        match role {
            Role::Dpo => &self.stored,
            Role::Admin | Role::Auditor => &NONE,
            Role::Internal(id) => self.by_role.get(id).unwrap_or(&NONE),
        }
    }

    pub fn allows(&self, role: &Role, permission: Permission) -> bool {
        match permission {
            Permission::HandleSubjects => !self.categories(role).is_empty(),
            Permission::EraseSubjects => *role == Role::Dpo,
            Permission::ReadAudit => matches!(role, Role::Dpo | Role::Auditor),
            Permission::ManageStaff => *role == Role::Admin,
            Permission::ManageRetention => *role == Role::Dpo,
            Permission::ManageBreaches => matches!(role, Role::Admin | Role::Dpo),
            Permission::ReadBreaches => matches!(role, Role::Admin | Role::Dpo | Role::Auditor),
            Permission::ReviewAccess => matches!(role, Role::Admin | Role::Dpo),
            Permission::ReadStatistics | Permission::ExportRecord => *role == Role::Dpo,
            Permission::HandleRequests => match role {
                Role::Dpo => true,
                Role::Internal(id) => self.request_handlers.contains(id),
                Role::Admin | Role::Auditor => false,
            },
        }
    }
}
