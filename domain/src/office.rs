//! The office this counter belongs to and the counter itself.

use serde::{Deserialize, Serialize};

use crate::calendar::OfficeHours;
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text::{self, Charset};

/// Counters of one office are numbered 1..=9; the number picks the block of
/// dossier sequence numbers the counter may issue (see [`crate::code`]).
pub const MAX_COUNTER: u32 = 9;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Office {
    /// The unit itself: since 1 July 2025 the commune's "Trung tâm Phục vụ
    /// hành chính công"; printed in bold under the parent body.
    pub name: String,
    /// The body the unit belongs to ("Ủy ban nhân dân xã Trùng Khánh"),
    /// printed above the unit's name in every header (Decree 30/2020,
    /// Appendix I: the governing body over the issuing one).
    #[serde(default)]
    pub parent_name: Option<String>,
    /// The unit's telephone, printed where a form tells the citizen whom to call.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Where the unit sits (street, commune), printed on the receipt.
    #[serde(default)]
    pub address: Option<String>,
    pub agency_code: String,
    pub place: String,
    pub counter: u32,
    pub clerks: Vec<String>,
    pub hours: OfficeHours,
    /// Made once on this PC; identifies the device to the hub.
    pub device_id: String,
    pub training: bool,
}

/// What the clerk types in the first-run screen or `motcua init`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficeSetup {
    pub office_name: String,
    #[serde(default)]
    pub parent_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    pub agency_code: String,
    pub place: String,
    pub counter: i64,
    pub clerks: Vec<String>,
    /// `07:00-11:30`; default when absent.
    #[serde(default)]
    pub morning: Option<String>,
    /// `13:30-17:00`; default when absent.
    #[serde(default)]
    pub afternoon: Option<String>,
    #[serde(default)]
    pub saturday_morning: bool,
    /// `15:00`: same-day procedures received from then on are due the next working day.
    #[serde(default)]
    pub same_day_cutoff: Option<String>,
    #[serde(default)]
    pub training: bool,
}

/// `000.00.00.H14`: three digits, two, two, a letter and two digits
/// (agency identifiers of QĐ 20/2020/QĐ-TTg).
pub fn is_valid_agency_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    parts.len() == 4
        && digits(parts[0], 3)
        && digits(parts[1], 2)
        && digits(parts[2], 2)
        && parts[3].len() == 3
        && parts[3].starts_with(|c: char| c.is_ascii_uppercase())
        && digits(&parts[3][1..], 2)
}

impl OfficeSetup {
    /// Validates every field; all problems are reported at once.
    pub fn validate(&self, device_id: String) -> Result<Office> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String>| match r {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };
        let name = keep(text::clean_required(
            "office_name",
            msg::LABEL_OFFICE_NAME,
            &self.office_name,
            Charset::Line,
            200,
        ));
        let place = keep(text::clean_required(
            "place",
            msg::LABEL_PLACE,
            &self.place,
            Charset::Line,
            60,
        ));
        use crate::dossier::reception::{optional_email, optional_line, optional_phone};
        let parent_name = optional_line(
            "parent_name",
            msg::LABEL_PARENT_NAME,
            self.parent_name.as_deref(),
            200,
            &mut errors,
        );
        let phone = optional_phone("phone", self.phone.as_deref(), &mut errors);
        let email = optional_email("email", self.email.as_deref(), &mut errors);
        let address = optional_line("address", msg::LABEL_ADDRESS, self.address.as_deref(), 300, &mut errors);
        let agency_code = text::nfc(self.agency_code.trim()).to_uppercase();
        if !is_valid_agency_code(&agency_code) {
            errors.push(Error::invalid(
                "bad_agency_code",
                "agency_code",
                msg::agency_code_format(&self.agency_code),
            ));
        }
        if !(1..=i64::from(MAX_COUNTER)).contains(&self.counter) {
            errors.push(Error::invalid(
                "bad_counter",
                "counter",
                msg::counter_range(self.counter),
            ));
        }
        let mut clerks = Vec::new();
        for (i, c) in self.clerks.iter().enumerate() {
            match text::clean_required(&format!("clerks.{i}"), msg::LABEL_CLERK, c, Charset::Name, 100) {
                Ok(c) if !clerks.contains(&c) => clerks.push(c),
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        // The clerks are the accounts now; names here are only a printed list.
        let defaults = OfficeHours::default();
        let morning = self.morning.clone().unwrap_or_else(|| {
            format!(
                "{}-{}",
                defaults.morning_open.format("%H:%M"),
                defaults.morning_close.format("%H:%M")
            )
        });
        let afternoon = self.afternoon.clone().unwrap_or_else(|| {
            format!(
                "{}-{}",
                defaults.afternoon_open.format("%H:%M"),
                defaults.afternoon_close.format("%H:%M")
            )
        });
        let cutoff = self
            .same_day_cutoff
            .clone()
            .unwrap_or_else(|| defaults.same_day_cutoff.format("%H:%M").to_string());
        let hours = match OfficeHours::with_sessions(&morning, &afternoon, self.saturday_morning, &cutoff) {
            Ok(h) => h,
            Err(e) => {
                errors.push(e);
                defaults
            }
        };
        Error::collect(errors)?;
        Ok(Office {
            name,
            parent_name,
            phone,
            email,
            address,
            agency_code,
            place,
            counter: u32::try_from(self.counter).unwrap_or(1),
            clerks,
            hours,
            device_id,
            training: self.training,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> OfficeSetup {
        OfficeSetup {
            office_name: "Trung tâm Phục vụ hành chính công xã Hòa An".into(),
            agency_code: "000.17.22.h56".into(),
            place: "Hòa An".into(),
            counter: 1,
            clerks: vec!["Nông Thị Lan".into()],
            ..OfficeSetup::default()
        }
    }

    #[test]
    fn valid_setup_uppercases_agency_code_and_defaults_hours() {
        let o = setup().validate("dev".into()).unwrap();
        assert_eq!(o.agency_code, "000.17.22.H56");
        assert_eq!(o.hours, OfficeHours::default());
    }

    #[test]
    fn reports_every_bad_field() {
        let bad = OfficeSetup {
            agency_code: "H56".into(),
            counter: 12,
            clerks: vec!["Lan 😀".into()],
            place: "".into(),
            ..setup()
        };
        let err = bad.validate("dev".into()).unwrap_err();
        let fields: Vec<_> = err.fields().into_iter().filter_map(|f| f.field).collect();
        assert_eq!(fields, ["place", "agency_code", "counter", "clerks.0"]);
        // No printed clerk list at all is fine: the clerks are the accounts.
        let none = OfficeSetup {
            clerks: vec![],
            ..setup()
        };
        assert!(none.validate("dev".into()).is_ok());
    }
}

/// A fact about the office itself, recorded as an event (dossier id nil)
/// so that every change of the counter's set-up has an actor, a time and a
/// place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum OfficeFact {
    /// The office's settings as they now stand.
    OfficeSet(Box<Office>),
    UserAdded {
        login: String,
        full_name: String,
        roles: Vec<crate::accounts::Role>,
    },
    RolesSet {
        login: String,
        roles: Vec<crate::accounts::Role>,
    },
    UserDisabled {
        login: String,
    },
    UserEnabled {
        login: String,
    },
    /// A new password was set (never the password or its hash).
    PasswordSet {
        login: String,
    },
    AccountLocked {
        login: String,
        until: String,
    },
    AccountUnlocked {
        login: String,
    },
    CalendarMarked {
        date: chrono::NaiveDate,
        /// `off` or `working`.
        day: String,
        reason: String,
    },
    CalendarUnmarked {
        date: chrono::NaiveDate,
    },
    CatalogImported {
        label: String,
        version: i64,
        procedures: i64,
    },
    /// The office's own form texts were set (a new version of its layer).
    FormTextsSet {
        label: String,
        version: i64,
    },
    Enrolled {
        hub_url: String,
        agency_code: String,
        counter: u32,
    },
    /// A backup of the whole office was made.
    BackupMade {
        file: String,
        dossiers: i64,
        events: i64,
        /// The trail verified at the time.
        audit_ok: bool,
    },
    /// This folder was restored from a backup (its first fact after it).
    Restored {
        from: String,
        dossiers: i64,
        events: i64,
    },
    /// After a restore, this installation took a new device id: the hub
    /// starts its chain afresh and it must enroll again.
    DeviceRenewed {
        device_id: String,
    },
}

impl OfficeFact {
    /// The Vietnamese line the history shows for it.
    pub fn describe(&self) -> String {
        crate::messages::office_fact(self)
    }
}
