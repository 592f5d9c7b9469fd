//! Who may do what at the counter: accounts, their roles, and the rules of
//! signing in. Roles are cumulative — a leader may do what a clerk does, an
//! admin what a leader does — and one person may hold several.
//!
//! | capability            | clerk | leader | admin |
//! |-----------------------|-------|--------|-------|
//! | receive, act, print, read dossiers, sync, verify the trail | ✓ | ✓ | ✓ |
//! | reports, tracking book |      | ✓      | ✓     |
//! | users, office, calendar, catalog, enrollment, backups, rebuild, demo data | | | ✓ |

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text::{self, Charset};

/// Wrong passwords in a row that lock an account.
pub const MAX_FAILED_SIGN_INS: u32 = 5;

/// How long a locked account stays locked (unless an admin unlocks it).
pub const LOCK_MINUTES: i64 = 15;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Role {
    Clerk,
    Leader,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Clerk, Role::Leader, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == s.trim())
            .ok_or_else(|| Error::invalid("role_unknown", field, msg::role_unknown(s)))
    }

    pub fn label(self) -> &'static str {
        msg::role_label(self)
    }
}

/// What an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Receive, record lifecycle steps, print, read dossiers and lists, sync, verify the trail.
    Counter,
    /// The period's figures and the tracking book.
    Reports,
    /// Users, office settings, calendar, catalog, enrollment, backups, rebuilding rows, demo data.
    Admin,
}

impl Capability {
    /// The least role that has it.
    pub fn least(self) -> Role {
        match self {
            Capability::Counter => Role::Clerk,
            Capability::Reports => Role::Leader,
            Capability::Admin => Role::Admin,
        }
    }
}

/// Whether someone holding `roles` may do what `needs` names.
pub fn may(roles: &[Role], needs: Capability) -> bool {
    roles.iter().any(|r| *r >= needs.least())
}

/// A login as typed: trimmed, lower case, 2–32 of a–z, 0–9, `.`, `_`, `-`.
pub fn clean_login(field: &str, raw: &str) -> Result<String> {
    let login = raw.trim().to_lowercase();
    let ok = (2..=32).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(login)
    } else {
        Err(Error::invalid("login_invalid", field, msg::login_invalid(raw)))
    }
}

/// A person's full name as accounts keep it (NFC, a name's characters).
pub fn clean_full_name(field: &str, raw: &str) -> Result<String> {
    text::clean_required(field, msg::LABEL_ACCOUNT_NAME, raw, Charset::Name, 100)
}

/// A new password: at least [`MIN_PASSWORD_CHARS`] characters, and not
/// only white space. It is never trimmed or changed.
pub fn check_new_password(field: &str, password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.trim().is_empty() {
        return Err(Error::invalid("password_too_short", field, msg::PASSWORD_TOO_SHORT));
    }
    Ok(())
}

/// The roles as given (`clerk,leader`), without repeats, in order.
pub fn parse_roles(field: &str, raw: &[String]) -> Result<Vec<Role>> {
    let mut roles = Vec::new();
    for part in raw.iter().flat_map(|r| r.split(',')).filter(|r| !r.trim().is_empty()) {
        let role = Role::parse(field, part)?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(Error::invalid("role_missing", field, msg::ROLE_MISSING));
    }
    roles.sort();
    Ok(roles)
}

/// The event actor of a signed-in account: its full name and login.
pub fn actor_of(full_name: &str, login: &str) -> String {
    format!("{full_name} ({login})")
}

/// The outcome of a wrong password: the failures counted so far and, when
/// they reach the limit, until when the account is locked. A lock starts
/// the count again, so after it ends there are 5 more tries, not 1.
pub fn after_failure(failed_before: u32, now: DateTime<FixedOffset>) -> (u32, Option<DateTime<FixedOffset>>) {
    let failed = failed_before + 1;
    match failed >= MAX_FAILED_SIGN_INS {
        true => (0, Some(now + Duration::minutes(LOCK_MINUTES))),
        false => (failed, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_cumulative() {
        assert!(may(&[Role::Clerk], Capability::Counter));
        assert!(!may(&[Role::Clerk], Capability::Reports));
        assert!(may(&[Role::Leader], Capability::Counter));
        assert!(may(&[Role::Leader], Capability::Reports));
        assert!(!may(&[Role::Leader], Capability::Admin));
        assert!(may(&[Role::Admin], Capability::Reports));
        assert!(may(&[Role::Clerk, Role::Admin], Capability::Admin));
        assert!(!may(&[], Capability::Counter));
    }

    #[test]
    fn logins_passwords_and_roles_as_typed() {
        assert_eq!(clean_login("login", " Lan.NT ").unwrap(), "lan.nt");
        assert_eq!(clean_login("login", "l").unwrap_err().code(), "login_invalid");
        assert_eq!(clean_login("login", "lan nt").unwrap_err().code(), "login_invalid");
        assert_eq!(clean_login("login", "lân").unwrap_err().code(), "login_invalid");
        assert!(check_new_password("password", "1234567").is_err());
        assert!(check_new_password("password", "        ").is_err());
        assert!(check_new_password("password", "mật khẩu").is_ok());
        let roles = parse_roles("role", &["leader,clerk".into(), "clerk".into()]).unwrap();
        assert_eq!(roles, [Role::Clerk, Role::Leader]);
        assert_eq!(parse_roles("role", &[]).unwrap_err().code(), "role_missing");
        assert_eq!(
            parse_roles("role", &["boss".into()]).unwrap_err().code(),
            "role_unknown"
        );
    }

    #[test]
    fn the_fifth_wrong_password_locks_for_fifteen_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+07:00").unwrap();
        assert_eq!(after_failure(0, now), (1, None));
        assert_eq!(after_failure(3, now), (4, None));
        let (n, until) = after_failure(4, now);
        assert_eq!(n, 0, "the lock starts the count again");
        assert_eq!(until.unwrap().to_rfc3339(), "2026-11-30T09:15:00+07:00");
    }
}

/// An account as the admin's list shows it (never its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Account {
    pub login: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// Set while locked after too many wrong passwords (RFC 3339).
    pub locked_until: Option<String>,
    pub created_at: String,
}

/// Who is signed in at this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Session {
    pub login: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

impl Session {
    /// The actor of the events this person records.
    pub fn actor(&self) -> String {
        actor_of(&self.full_name, &self.login)
    }

    pub fn may(&self, needs: Capability) -> bool {
        may(&self.roles, needs)
    }
}

/// A new account as the admin (or `init`, for the first admin) gives it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewAccount {
    pub login: String,
    pub full_name: String,
    /// `clerk`, `leader`, `admin` (several allowed).
    pub roles: Vec<String>,
    pub password: String,
}

/// A new account, checked: every problem at once, each naming its field.
pub fn check_new_account(a: &NewAccount) -> Result<(String, String, Vec<Role>)> {
    let mut errors = Vec::new();
    let login = clean_login("login", &a.login).map_err(|e| errors.push(e)).ok();
    let name = clean_full_name("full_name", &a.full_name)
        .map_err(|e| errors.push(e))
        .ok();
    let roles = parse_roles("roles", &a.roles).map_err(|e| errors.push(e)).ok();
    if let Err(e) = check_new_password("password", &a.password) {
        errors.push(e);
    }
    Error::collect(errors)?;
    match (login, name, roles) {
        (Some(l), Some(n), Some(r)) => Ok((l, n, r)),
        _ => Err(Error::invalid("invalid_input", "login", msg::ROLE_MISSING)),
    }
}
