//! Accounts and the office's own events: every change is an event in the
//! chain, written with its effect on the tables in one transaction.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::{check_clock, insert_event, Origin, Store};
use crate::accounts::{Account, Role};
use crate::dossier::Event;
use crate::error::Result;

fn roles_key(roles: &[Role]) -> String {
    roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(",")
}

fn roles_of(key: &str) -> Vec<Role> {
    key.split(',').filter_map(|r| Role::parse("roles", r).ok()).collect()
}

const COLUMNS: &str = "login, full_name, roles, disabled, created_at";

/// An account as stored; its lock (kept with the keys) is filled in by the desk.
fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        login: r.get(0)?,
        full_name: r.get(1)?,
        roles: roles_of(&r.get::<_, String>(2)?),
        disabled: r.get(3)?,
        locked_until: None,
        created_at: r.get(4)?,
    })
}

/// Inserts an account (inside the caller's transaction).
pub(super) fn insert_account(
    tx: &Transaction<'_>,
    login: &str,
    full_name: &str,
    roles: &[Role],
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO accounts (login, full_name, roles, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![login, full_name, roles_key(roles), now],
    )?;
    Ok(())
}

/// What an office event changes in the account table (a new password or
/// an unlock changes only the keyring: its event changes nothing here).
pub enum AccountChange<'a> {
    Add {
        login: &'a str,
        full_name: &'a str,
        roles: &'a [Role],
    },
    Roles {
        login: &'a str,
        roles: &'a [Role],
    },
    Disabled {
        login: &'a str,
        disabled: bool,
    },
    Nothing,
}

impl Store {
    pub fn account(&self, login: &str) -> Result<Option<Account>> {
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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

    /// Records an office fact that happened while this database could not
    /// be opened (a lock after wrong passwords at a cold start), at its own
    /// time: it may be earlier than the last event, so the clock rule that
    /// guards new facts does not apply to it.
    pub fn record_past_office_fact(&mut self, event: &Event) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_event(&tx, event, Origin::Local, None)?;
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
                } => insert_account(tx, login, full_name, roles, now)?,
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
                AccountChange::Nothing => {}
            }
            Ok(())
        })
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
