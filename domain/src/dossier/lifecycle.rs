//! The lifecycle of Decree 118/2025/NĐ-CP after reception: the facts the
//! counter records and the rules on which fact may follow which.
//!
//! | from \ event            | handover | supplement | completed | refuse | extend | withdraw | obligation | met | result | return | close |
//! |-------------------------|----------|------------|-----------|--------|--------|----------|------------|-----|--------|--------|-------|
//! | 2 received              | → 4      | → 5 (once) |           | → 3    | once   | → 7      | → 6        |     | → 9    |        |       |
//! | 4 processing            | = 4      | → 5 (once) |           | → 3    | once   | → 7      | → 6        |     | → 9    |        |       |
//! | 5 supplement requested  | = 5      |            | → 4       |        |        | → 7      |            |     |        |        | → 8   |
//! | 6 financial obligation  | = 6      |            |           |        |        | → 7      |            | → 4 |        |        |       |
//! | 9 processed             | = 9      |            |           |        |        |          |            |     |        | → 10   |       |
//! | 3, 7, 8, 10             | (final)  |            |           |        |        |          |            |     |        |        |       |
//!
//! A result (states 9 and 10) whose error is the authority's may be
//! corrected (Art. 23): a correction request sets a due date of
//! [`CORRECTION_WORKING_DAYS`] working days; the corrected result closes it.
//! The status stays as it was.
//!
//! A supplement may be requested once (Art. 11, 16(3)); when it is
//! complete the processing time restarts from zero (Art. 19(5)) — the new
//! due date is computed by the calendar at that moment and stored in the
//! event. A dossier waiting more than [`SUPPLEMENT_WAIT_DAYS`] days for its
//! supplement may be closed by the counter. The due date may be extended
//! once (Art. 19(6)).

use serde::{Deserialize, Serialize};

use super::{Status, SubmittedDocument};

/// Days (calendar) after which a dossier still waiting for its supplement
/// may be closed (Decree 118 Art. 19(5): "15 ngày").
pub const SUPPLEMENT_WAIT_DAYS: i64 = 15;

/// Working days to correct a result the authority got wrong (Art. 23).
pub const CORRECTION_WORKING_DAYS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CorrectionRequested {
    pub reason: String,
    pub due_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResultCorrected {
    /// Number of the corrected result document.
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CorrectionState {
    pub reason: String,
    pub requested_at: String,
    pub due_at: String,
    pub corrected_at: Option<String>,
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HandedOver {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub note: Option<String>,
    /// The day by which the receiver must finish this step (the control
    /// slip's per-step deadline, Circular 01/2018 Mẫu 05), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub step_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SupplementRequested {
    pub reason: String,
    pub documents: Vec<SubmittedDocument>,
    /// Made after the 3rd working day or after the due date (see
    /// `rules`): the citizen is asked all the same, but the clock does not
    /// stop and the due date the dossier is judged by stays.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, type = "boolean"))]
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SupplementCompleted {
    /// The due date after the clock restarted from zero.
    pub due_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reasoned {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Extended {
    pub previous_due_at: String,
    pub new_due_at: String,
    pub reason: String,
    /// The apology slip's own number (Mẫu 04 is a document of the unit,
    /// numbered in the year): taken from the counter's block of the year's
    /// numbers (`code::block`, so counters offline never meet) in the
    /// transaction that stores the event. Absent on events recorded before
    /// the slip was numbered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub number: Option<u32>,
    /// Recorded less than one working day before the due date (see
    /// `rules`): the citizen gets the new appointment, the dossier is
    /// judged by the due date it had.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, type = "boolean"))]
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResultReady {
    /// Number of the result document (số văn bản, số giấy).
    pub number: String,
    pub issuer: String,
    /// YYYY-MM-DD
    pub issued_on: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ReturnChannel {
    Counter,
    Post,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResultReturned {
    pub to_name: String,
    /// The ID number the clerk checked against the person collecting.
    pub id_number: String,
    pub how: ReturnChannel,
}

/// A hand-over as it stands in the dossier (with its time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HandoverRow {
    pub from: String,
    pub to: String,
    pub note: Option<String>,
    /// `YYYY-MM-DD`: the receiver's deadline for this step.
    #[serde(default)]
    pub step_due: Option<String>,
    pub at: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SupplementState {
    pub reason: String,
    pub documents: Vec<SubmittedDocument>,
    pub requested_at: String,
    /// Who recorded the request (NguoiYeuCauBoSung of the national portal).
    #[serde(default)]
    pub requested_by: Option<String>,
    pub completed_at: Option<String>,
    /// The due date before the clock restarted (set when completed).
    #[serde(default)]
    pub previous_due_at: Option<String>,
    /// Requested late: the clock did not stop (see `rules`).
    #[serde(default)]
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExtensionState {
    pub previous_due_at: String,
    pub new_due_at: String,
    pub reason: String,
    pub at: String,
    /// The apology slip's number in its year (see [`Extended::number`]).
    #[serde(default)]
    pub number: Option<u32>,
    /// Recorded late: the new date is the citizen's appointment only.
    #[serde(default)]
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResultState {
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReturnState {
    pub to_name: String,
    pub id_number: String,
    pub how: ReturnChannel,
    pub at: String,
    pub returned_by: String,
}

/// Whether a dossier was, or is being, handled in time.
///
/// The rule: processing ends at the first terminal fact (result ready,
/// else refusal, withdrawal, closure or return). Compared with the judged
/// due date ([`super::Dossier::judged_due`]: the due date as it stands after
/// a supplement request that counted restarted the clock, or after the one
/// extension that counted — never moved by a late one, see `rules`): ended
/// on a day before the due day → `early`; on the due day at or before the
/// due time → `on_time`; after the due time → `late`. Not ended:
/// `pending_in_time` until the due time (always while waiting for a
/// supplement that counted, the clock being stopped), then `pending_overdue`.
/// A dossier with more than one supplement request (possible in data from
/// other systems; this program allows one) counts late, as the national
/// evaluation sheet counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
    PendingInTime,
    PendingOverdue,
}

impl Timeliness {
    pub const ALL: [Timeliness; 5] = [
        Timeliness::Early,
        Timeliness::OnTime,
        Timeliness::Late,
        Timeliness::PendingInTime,
        Timeliness::PendingOverdue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Timeliness::Early => "early",
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::PendingInTime => "pending_in_time",
            Timeliness::PendingOverdue => "pending_overdue",
        }
    }

    pub fn label(self) -> &'static str {
        crate::messages::timeliness_label(self)
    }

    /// The rule above, for a dossier due at `due` that ended at `end` (if
    /// it ended), judged at `as_of`.
    pub fn classify(
        due: chrono::DateTime<chrono::FixedOffset>,
        end: Option<chrono::DateTime<chrono::FixedOffset>>,
        waiting_for_supplement: bool,
        supplement_requests: u32,
        as_of: chrono::DateTime<chrono::FixedOffset>,
    ) -> Timeliness {
        match end {
            Some(_) if supplement_requests > 1 => Timeliness::Late,
            Some(end) if end > due => Timeliness::Late,
            Some(end) if end.date_naive() < due.date_naive() => Timeliness::Early,
            Some(_) => Timeliness::OnTime,
            None if waiting_for_supplement || as_of <= due => Timeliness::PendingInTime,
            None => Timeliness::PendingOverdue,
        }
    }

    pub fn is_resolved(self) -> bool {
        matches!(self, Timeliness::Early | Timeliness::OnTime | Timeliness::Late)
    }
}

/// What a clerk may do next, by state (the table at the top of this file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Action {
    Handover,
    Supplement,
    SupplementComplete,
    Refuse,
    Extend,
    Withdraw,
    FinancialObligation,
    FinancialObligationMet,
    Result,
    Return,
    CloseUnsupplemented,
    CorrectResult,
    CorrectionDone,
}

/// What may follow, given the status and whether a correction is open.
pub fn allowed(status: Status, correction_open: bool) -> &'static [Action] {
    use Action::*;
    match (status, correction_open) {
        (Status::Processed, false) => return &[Return, Handover, CorrectResult],
        (Status::Processed, true) => return &[CorrectionDone, Return, Handover],
        (Status::Returned, false) => return &[CorrectResult],
        (Status::Returned, true) => return &[CorrectionDone],
        _ => {}
    }
    match status {
        Status::Received | Status::Processing => &[
            Handover,
            Supplement,
            Refuse,
            Extend,
            Withdraw,
            FinancialObligation,
            Result,
        ],
        Status::SupplementRequested => &[SupplementComplete, Handover, Withdraw, CloseUnsupplemented],
        Status::FinancialObligation => &[FinancialObligationMet, Handover, Withdraw],
        Status::Processed | Status::Returned => &[],
        Status::NotAccepted | Status::Withdrawn | Status::Stopped => &[],
    }
}
