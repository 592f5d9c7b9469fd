//! Accounts and the office's own events: every change is an event in the
//! chain, written with its effect on the tables in one transaction.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::{check_clock, insert_event, Origin, Store};
use crate::accounts::{Account, Role};
use crate::dossier::Event;
use crate::error::Result;

/// An account with what signing in needs.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub account: Account,
    pub password_hash: String,
    pub failed_sign_ins: u32,
}

fn roles_key(roles: &[Role]) -> String {
    roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(",")
}

fn roles_of(key: &str) -> Vec<Role> {
    key.split(',').filter_map(|r| Role::parse("roles", r).ok()).collect()
}

const COLUMNS: &str = "login, full_name, roles, disabled, locked_until, created_at, password_hash, failed_sign_ins";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        account: Account {
            login: r.get(0)?,
            full_name: r.get(1)?,
            roles: roles_of(&r.get::<_, String>(2)?),
            disabled: r.get(3)?,
            locked_until: r.get(4)?,
            created_at: r.get(5)?,
        },
        password_hash: r.get(6)?,
        failed_sign_ins: r.get(7)?,
    })
}

/// The first admin, written with the office at `init`.
pub struct FirstAdmin<'a> {
    pub login: &'a str,
    pub full_name: &'a str,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
}

/// Inserts an account (inside the caller's transaction).
pub(super) fn insert_account(
    tx: &Transaction<'_>,
    login: &str,
    full_name: &str,
    roles: &[Role],
    password_hash: &str,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO accounts (login, full_name, roles, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![login, full_name, roles_key(roles), password_hash, now],
    )?;
    Ok(())
}

/// What an office event changes in the account table.
pub enum AccountChange<'a> {
    Add {
        login: &'a str,
        full_name: &'a str,
        roles: &'a [Role],
        password_hash: &'a str,
    },
    Roles {
        login: &'a str,
        roles: &'a [Role],
    },
    Disabled {
        login: &'a str,
        disabled: bool,
    },
    Password {
        login: &'a str,
        password_hash: &'a str,
    },
    Unlock {
        login: &'a str,
    },
}

impl Store {
    pub fn account(&self, login: &str) -> Result<Option<AccountRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE login = ?1"),
                [login],
                read,
            )
            .optional()?)
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY login"))?;
        let rows = stmt.query_map([], read)?;
        Ok(rows.map(|r| r.map(|a| a.account)).collect::<rusqlite::Result<_>>()?)
    }

    /// Records an office event (chained, in the outbox) together with its
    /// effect on the tables, in one transaction: both or neither.
    pub fn record_office_event(
        &mut self,
        event: &Event,
        effect: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_clock(&tx, event)?;
        insert_event(&tx, event, Origin::Local, None)?;
        effect(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// An account change and its event, in one transaction.
    pub fn change_account(&mut self, event: &Event, change: AccountChange<'_>, now: &str) -> Result<()> {
        self.record_office_event(event, |tx| {
            match change {
                AccountChange::Add {
                    login,
                    full_name,
                    roles,
                    password_hash,
                } => insert_account(tx, login, full_name, roles, password_hash, now)?,
                AccountChange::Roles { login, roles } => {
                    tx.execute(
                        "UPDATE accounts SET roles = ?2, updated_at = ?3 WHERE login = ?1",
                        params![login, roles_key(roles), now],
                    )?;
                }
                AccountChange::Disabled { login, disabled } => {
                    tx.execute(
                        "UPDATE accounts SET disabled = ?2, updated_at = ?3 WHERE login = ?1",
                        params![login, disabled, now],
                    )?;
                }
                AccountChange::Password { login, password_hash } => {
                    tx.execute(
                        "UPDATE accounts SET password_hash = ?2, failed_sign_ins = 0, locked_until = NULL,
                                updated_at = ?3 WHERE login = ?1",
                        params![login, password_hash, now],
                    )?;
                }
                AccountChange::Unlock { login } => {
                    tx.execute(
                        "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, updated_at = ?2 WHERE login = ?1",
                        params![login, now],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Counts a wrong password; the lock, when it comes, is an event.
    pub fn sign_in_failed(&mut self, login: &str, failed: u32, lock: Option<(&str, &Event)>, now: &str) -> Result<()> {
        match lock {
            Some((until, event)) => self.record_office_event(event, |tx| {
                tx.execute(
                    "UPDATE accounts SET failed_sign_ins = ?2, locked_until = ?3, updated_at = ?4 WHERE login = ?1",
                    params![login, failed, until, now],
                )?;
                Ok(())
            }),
            None => {
                self.conn.execute(
                    "UPDATE accounts SET failed_sign_ins = ?2, updated_at = ?3 WHERE login = ?1",
                    params![login, failed, now],
                )?;
                Ok(())
            }
        }
    }

    /// A right password: the count of failures starts again.
    pub fn sign_in_succeeded(&mut self, login: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL WHERE login = ?1 AND failed_sign_ins > 0",
            [login],
        )?;
        Ok(())
    }

    /// How many accounts can still administer (enabled, with the admin role).
    pub fn active_admins(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM accounts WHERE disabled = 0 AND (',' || roles || ',') LIKE '%,admin,%'",
            [],
            |r| r.get(0),
        )?)
    }
}
