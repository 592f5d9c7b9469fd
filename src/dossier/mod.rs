//! Dossiers: what the clerk receives, the events that record it, and the
//! row that is the fold of those events.

pub mod reception;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::TimeRule;
use crate::catalog::{DocumentForm, Fee};
use crate::citizen_id::Sex;
use crate::error::{Error, Result};

pub use reception::{ApplicantInput, DocumentInput, ReceptionInput};

/// How the dossier reached the office (KenhThucHien: 1 counter, 2 online, 3 post).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Channel {
    Counter,
    Online,
    Post,
}

impl Channel {
    pub fn national_code(self) -> u8 {
        match self {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Counter => "Trực tiếp tại Bộ phận Một cửa",
            Channel::Online => "Trực tuyến",
            Channel::Post => "Qua dịch vụ bưu chính công ích",
        }
    }
}

/// Dossier states with the national status codes (TrangThaiHoSo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Status {
    Received,
    NotAccepted,
    Processing,
    SupplementRequested,
    FinancialObligation,
    Withdrawn,
    Stopped,
    Processed,
    Returned,
}

impl Status {
    pub fn national_code(self) -> u8 {
        match self {
            Status::Received => 2,
            Status::NotAccepted => 3,
            Status::Processing => 4,
            Status::SupplementRequested => 5,
            Status::FinancialObligation => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::Processed => 9,
            Status::Returned => 10,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::NotAccepted => "Từ chối tiếp nhận",
            Status::Processing => "Đang giải quyết",
            Status::SupplementRequested => "Yêu cầu bổ sung",
            Status::FinancialObligation => "Chờ thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân rút hồ sơ",
            Status::Stopped => "Dừng giải quyết",
            Status::Processed => "Đã có kết quả",
            Status::Returned => "Đã trả kết quả",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Applicant {
    pub full_name: String,
    pub id_number: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date_of_birth: chrono::NaiveDate,
    pub sex: Sex,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SubmittedDocument {
    pub name: String,
    pub form: DocumentForm,
    pub count: u32,
}

/// The procedure as it stood in the catalog version the dossier was received under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProcedureRef {
    pub code: String,
    pub name: String,
    pub field: String,
    pub deciding_body: String,
    pub time: TimeRule,
    pub catalog_version: i64,
}

/// Where this dossier stands in the counter's tracking book (Sổ theo dõi):
/// one book per counter per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BookEntry {
    pub book: String,
    pub number: u32,
}

/// The payload of the `received` event: everything the receipt states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub code: String,
    pub procedure: ProcedureRef,
    pub applicant: Applicant,
    pub documents: Vec<SubmittedDocument>,
    pub sets: u32,
    pub channel: Channel,
    pub fees: Vec<Fee>,
    pub note: Option<String>,
    pub received_at: String,
    pub due_at: String,
    pub counter: u32,
    pub book: BookEntry,
    pub received_by: String,
}

/// What happened to a dossier. Later issues add the lifecycle's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EventBody {
    Received(Box<Received>),
}

impl EventBody {
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Received(_) => "received",
        }
    }
}

/// One append-only fact. `id` is a UUIDv7 made on the device, so it sorts
/// by creation time and makes every sync step idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub dossier_id: Uuid,
    pub body: EventBody,
    pub actor: String,
    pub device: String,
    pub occurred_at: String,
}

/// The current state of a dossier: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Dossier {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub id: Uuid,
    pub code: String,
    pub procedure: ProcedureRef,
    pub applicant: Applicant,
    pub documents: Vec<SubmittedDocument>,
    pub sets: u32,
    pub channel: Channel,
    pub fees: Vec<Fee>,
    pub fee_total: i64,
    pub note: Option<String>,
    pub status: Status,
    pub status_code: u8,
    pub received_at: String,
    pub due_at: String,
    pub received_by: String,
    pub counter: u32,
    pub book: BookEntry,
    pub updated_at: String,
}

impl Dossier {
    /// Applies one event to the state before it (`None` before the first).
    pub fn apply(state: Option<Dossier>, event: &Event) -> Result<Dossier> {
        match (&event.body, state) {
            (EventBody::Received(r), None) => {
                let r = r.as_ref().clone();
                Ok(Dossier {
                    id: event.dossier_id,
                    fee_total: r.fees.iter().map(|f| f.amount).sum(),
                    code: r.code,
                    procedure: r.procedure,
                    applicant: r.applicant,
                    documents: r.documents,
                    sets: r.sets,
                    channel: r.channel,
                    fees: r.fees,
                    note: r.note,
                    status: Status::Received,
                    status_code: Status::Received.national_code(),
                    received_at: r.received_at,
                    due_at: r.due_at,
                    received_by: r.received_by,
                    counter: r.counter,
                    book: r.book,
                    updated_at: event.occurred_at.clone(),
                })
            }
            (EventBody::Received(_), Some(_)) => {
                Err(Error::refused("already_received", crate::messages::ALREADY_RECEIVED))
            }
        }
    }

    /// Folds a dossier's events, oldest first.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Option<Dossier>> {
        let mut state = None;
        for e in events {
            state = Some(Dossier::apply(state, e)?);
        }
        Ok(state)
    }
}
