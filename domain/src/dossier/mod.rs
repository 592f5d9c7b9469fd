//! Dossiers: what the clerk receives, the events that record it, and the
//! row that is the fold of those events.

pub mod lifecycle;
pub mod reception;
pub mod rules;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::TimeRule;
use crate::catalog::{DocumentForm, Fee};
use crate::citizen_id::Sex;
use crate::error::{Error, Result};

pub use lifecycle::{Action, Timeliness};
pub use reception::{ApplicantInput, DocumentInput, FeeCountInput, ReceptionInput};
pub use rules::{ActionRequest, Flag, SupplementInput};

use lifecycle::{
    ExtensionState, HandedOver, HandoverRow, Reasoned, ResultReady, ResultReturned, ResultState, ReturnState,
    SupplementCompleted, SupplementRequested, SupplementState,
};

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
    pub const ALL: [Channel; 3] = [Channel::Counter, Channel::Online, Channel::Post];

    /// The snake_case name, as serialised and stored.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Online => "online",
            Channel::Post => "post",
        }
    }

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
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::NotAccepted,
        Status::Processing,
        Status::SupplementRequested,
        Status::FinancialObligation,
        Status::Withdrawn,
        Status::Stopped,
        Status::Processed,
        Status::Returned,
    ];

    /// The snake_case name, as serialised and stored.
    pub fn key(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::NotAccepted => "not_accepted",
            Status::Processing => "processing",
            Status::SupplementRequested => "supplement_requested",
            Status::FinancialObligation => "financial_obligation",
            Status::Withdrawn => "withdrawn",
            Status::Stopped => "stopped",
            Status::Processed => "processed",
            Status::Returned => "returned",
        }
    }

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
        crate::messages::status_label(self)
    }
}

/// Who the dossier is for (LoaiDoiTuong of the national portal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ApplicantKind {
    /// A Vietnamese citizen with a 12-digit personal ID number.
    #[default]
    Citizen,
    /// An organisation: a tax code and a representative.
    Organisation,
    /// A foreigner: a passport and a nationality.
    Foreigner,
}

impl ApplicantKind {
    pub fn key(self) -> &'static str {
        match self {
            ApplicantKind::Citizen => "citizen",
            ApplicantKind::Organisation => "organisation",
            ApplicantKind::Foreigner => "foreigner",
        }
    }
}

/// The applicant. `full_name` is the person's or the organisation's name;
/// `id_number` the personal ID number, the tax code or the passport number
/// as `kind` says (so search, registers and exports read one field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Applicant {
    /// Absent on dossiers received before organisations and foreigners: a citizen.
    #[serde(default)]
    pub kind: ApplicantKind,
    pub full_name: String,
    pub id_number: String,
    /// None for an organisation.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: String,
    /// A foreigner's nationality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub nationality: Option<String>,
    /// Who acts for an organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub representative: Option<Representative>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Representative {
    pub full_name: String,
    pub id_number: Option<String>,
    pub position: Option<String>,
}

/// Someone who hands the dossier in for the applicant (an authorised
/// person, a relative): the receipt names them as the person who filed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Submitter {
    pub full_name: String,
    pub id_number: String,
    pub phone: Option<String>,
    /// "Người được ủy quyền", "Con", …
    pub relation: String,
}

/// Where the result goes, chosen at reception whatever way the dossier
/// came in (HinhThuc of the national portal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ResultDelivery {
    #[default]
    Counter,
    /// By the public postal service to `delivery_address`.
    Post,
    /// Electronically, to the applicant's account on the portal.
    Online,
}

impl ResultDelivery {
    pub fn key(self) -> &'static str {
        match self {
            ResultDelivery::Counter => "counter",
            ResultDelivery::Post => "post",
            ResultDelivery::Online => "online",
        }
    }
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field_code: Option<String>,
    pub deciding_body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub coordinating_bodies: Vec<String>,
    /// Where the counter hands the dossier over when another level decides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub handover_to: Option<String>,
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
    /// Who handed the dossier in, when not the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<Submitter>,
    /// Absent on older events: by post when the dossier came by post, else at the counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_delivery: Option<ResultDelivery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_address: Option<String>,
    pub fees: Vec<Fee>,
    /// The fees are known: entered by the clerk, or from a catalog entry
    /// whose fees were checked. Otherwise the receipt prints "Theo quy định
    /// hiện hành" and never "Miễn" or "Không thu" (false on events from
    /// before the distinction: the safe reading).
    #[serde(default)]
    pub fees_confirmed: bool,
    pub note: Option<String>,
    pub received_at: String,
    pub due_at: String,
    pub counter: u32,
    pub book: BookEntry,
    pub received_by: String,
}

/// What happened to a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EventBody {
    Received(Box<Received>),
    HandedOver(HandedOver),
    SupplementRequested(SupplementRequested),
    SupplementCompleted(SupplementCompleted),
    /// The counter refused to accept the dossier (status 3).
    Refused(Reasoned),
    /// The deciding body refused to resolve a dossier already accepted:
    /// processing stops (status 8). A kind of its own, so the events
    /// recorded before it existed still fold as they always did.
    RefusedAfterAcceptance(Reasoned),
    Extended(lifecycle::Extended),
    Withdrawn(Reasoned),
    FinancialObligationRequested(Reasoned),
    FinancialObligationMet,
    ResultReady(ResultReady),
    ResultReturned(ResultReturned),
    ClosedUnsupplemented(Reasoned),
    CorrectionRequested(lifecycle::CorrectionRequested),
    ResultCorrected(lifecycle::ResultCorrected),
    /// A fact of the office itself (its dossier id is nil): settings,
    /// accounts, calendar marks, catalog, enrollment — who changed the
    /// counter's set-up, and when. Chained like every event.
    Office(crate::office::OfficeFact),
}

impl EventBody {
    /// Every event kind, in lifecycle order.
    pub const KINDS: [&'static str; 16] = [
        "received",
        "handed_over",
        "supplement_requested",
        "supplement_completed",
        "refused",
        "refused_after_acceptance",
        "extended",
        "withdrawn",
        "financial_obligation_requested",
        "financial_obligation_met",
        "result_ready",
        "result_returned",
        "closed_unsupplemented",
        "correction_requested",
        "result_corrected",
        "office",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Received(_) => "received",
            EventBody::HandedOver(_) => "handed_over",
            EventBody::SupplementRequested(_) => "supplement_requested",
            EventBody::SupplementCompleted(_) => "supplement_completed",
            EventBody::Refused(_) => "refused",
            EventBody::RefusedAfterAcceptance(_) => "refused_after_acceptance",
            EventBody::Extended(_) => "extended",
            EventBody::Withdrawn(_) => "withdrawn",
            EventBody::FinancialObligationRequested(_) => "financial_obligation_requested",
            EventBody::FinancialObligationMet => "financial_obligation_met",
            EventBody::ResultReady(_) => "result_ready",
            EventBody::ResultReturned(_) => "result_returned",
            EventBody::ClosedUnsupplemented(_) => "closed_unsupplemented",
            EventBody::CorrectionRequested(_) => "correction_requested",
            EventBody::ResultCorrected(_) => "result_corrected",
            EventBody::Office(_) => "office",
        }
    }

    /// The clerk action this event records (none for the reception itself).
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            EventBody::Received(_) | EventBody::Office(_) => return None,
            EventBody::HandedOver(_) => Action::Handover,
            EventBody::SupplementRequested(_) => Action::Supplement,
            EventBody::SupplementCompleted(_) => Action::SupplementComplete,
            EventBody::Refused(_) | EventBody::RefusedAfterAcceptance(_) => Action::Refuse,
            EventBody::Extended(_) => Action::Extend,
            EventBody::Withdrawn(_) => Action::Withdraw,
            EventBody::FinancialObligationRequested(_) => Action::FinancialObligation,
            EventBody::FinancialObligationMet => Action::FinancialObligationMet,
            EventBody::ResultReady(_) => Action::Result,
            EventBody::ResultReturned(_) => Action::Return,
            EventBody::ClosedUnsupplemented(_) => Action::CloseUnsupplemented,
            EventBody::CorrectionRequested(_) => Action::CorrectResult,
            EventBody::ResultCorrected(_) => Action::CorrectionDone,
        })
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

impl Event {
    /// The body's payload as it is stored and travels (null for a fact
    /// that has none).
    pub fn payload(&self) -> serde_json::Value {
        serde_json::to_value(&self.body)
            .ok()
            .and_then(|v| v.get("payload").cloned())
            .unwrap_or(serde_json::Value::Null)
    }

    /// This event's hash after `prev_hash` in its device's chain (see `chain`).
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let payload = self.payload();
        crate::chain::hash(
            prev_hash,
            &crate::chain::Content {
                id_text: self.id.to_string(),
                dossier_id_text: self.dossier_id.to_string(),
                kind: self.body.kind(),
                payload: &payload,
                actor: &self.actor,
                device: &self.device,
                occurred_at: &self.occurred_at,
            },
        )
    }
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
    #[serde(default)]
    pub submitter: Option<Submitter>,
    /// (Rows from before the choice are filled in by the migrations.)
    #[serde(default)]
    pub result_delivery: ResultDelivery,
    /// Where the result is posted (when `result_delivery` is post).
    #[serde(default)]
    pub delivery_address: Option<String>,
    pub fees: Vec<Fee>,
    pub fee_total: i64,
    /// See [`Received::fees_confirmed`].
    #[serde(default)]
    pub fees_confirmed: bool,
    pub note: Option<String>,
    pub status: Status,
    pub status_code: u8,
    pub received_at: String,
    pub due_at: String,
    pub received_by: String,
    pub counter: u32,
    pub book: BookEntry,
    pub updated_at: String,
    #[serde(default)]
    pub handovers: Vec<HandoverRow>,
    #[serde(default)]
    pub supplement: Option<SupplementState>,
    #[serde(default)]
    pub extension: Option<ExtensionState>,
    #[serde(default)]
    pub result: Option<ResultState>,
    #[serde(default)]
    pub returned: Option<ReturnState>,
    /// Why it was refused, withdrawn or closed.
    #[serde(default)]
    pub closing_reason: Option<String>,
    /// Refused after it was accepted (by the deciding body, once processing
    /// began): processing stopped (status 8), which is not the counter's
    /// refusal to accept a dossier (status 3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, type = "boolean"))]
    pub refused_after_acceptance: bool,
    /// When processing ended: the first terminal fact.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// A correction of the result (the authority's error), if one was asked.
    #[serde(default)]
    pub correction: Option<lifecycle::CorrectionState>,
    /// How many supplements were requested (more than one counts late).
    #[serde(default)]
    pub supplement_requests: u32,
    /// The due date the dossier is judged by, when a late extension or a
    /// late supplement request made the appointment (`due_at`) differ
    /// from it; see [`Dossier::judged_due`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub judged_due_at: Option<String>,
    /// What the rules flagged on this dossier (late extension, late
    /// supplement request), in the order they happened.
    #[serde(default)]
    pub flags: Vec<Flag>,
}

impl Dossier {
    /// The person who handed the dossier in and signs the receipt: the
    /// submitter, else an organisation's representative, else the applicant.
    pub fn presenter(&self) -> &str {
        match (&self.submitter, &self.applicant.representative) {
            (Some(s), _) => &s.full_name,
            (None, Some(r)) if self.applicant.kind == ApplicantKind::Organisation => &r.full_name,
            _ => &self.applicant.full_name,
        }
    }

    /// Applies one event to the state before it (`None` before the first).
    /// An event the current state does not allow is refused.
    pub fn apply(state: Option<Dossier>, event: &Event) -> Result<Dossier> {
        if matches!(event.body, EventBody::Office(_)) {
            return Err(Error::refused(
                "office_event",
                crate::messages::OFFICE_EVENT_NOT_DOSSIER,
            ));
        }
        let mut d = match (&event.body, state) {
            (EventBody::Received(r), None) => return Ok(Dossier::from_received(event, r)),
            (EventBody::Received(_), Some(_)) => {
                return Err(Error::refused("already_received", crate::messages::ALREADY_RECEIVED))
            }
            (_, None) => return Err(Error::refused("not_received", crate::messages::NOT_RECEIVED)),
            (body, Some(d)) => {
                if let Some(action) = body.action() {
                    if !d.actions().contains(&action) {
                        return Err(Error::refused(
                            "illegal_transition",
                            crate::messages::illegal_transition(d.status, action),
                        ));
                    }
                }
                rules::check_event(&d, event)?;
                d
            }
        };
        let at = event.occurred_at.clone();
        let end = |d: &mut Dossier| {
            if d.ended_at.is_none() {
                d.ended_at = Some(at.clone());
            }
        };
        match &event.body {
            // Refused above: neither reaches a dossier's fold.
            EventBody::Received(_) | EventBody::Office(_) => {}
            EventBody::HandedOver(h) => {
                d.handovers.push(HandoverRow {
                    from: h.from.clone(),
                    to: h.to.clone(),
                    note: h.note.clone(),
                    step_due: h.step_due.clone(),
                    at: at.clone(),
                    recorded_by: event.actor.clone(),
                });
                if d.status == Status::Received {
                    d.status = Status::Processing;
                }
            }
            EventBody::SupplementRequested(s) => {
                if d.supplement.is_some() {
                    return Err(Error::refused("second_supplement", crate::messages::SECOND_SUPPLEMENT));
                }
                d.supplement = Some(SupplementState {
                    reason: s.reason.clone(),
                    documents: s.documents.clone(),
                    requested_at: at.clone(),
                    requested_by: Some(event.actor.clone()),
                    completed_at: None,
                    previous_due_at: None,
                    late: s.late,
                });
                d.status = Status::SupplementRequested;
                d.supplement_requests += 1;
                if s.late {
                    d.keep_judged_due(Flag::LateSupplementRequest);
                }
            }
            EventBody::SupplementCompleted(c) => {
                let counted = match d.supplement.as_mut() {
                    Some(s) => {
                        s.completed_at = Some(at.clone());
                        s.previous_due_at = Some(d.due_at.clone());
                        !s.late
                    }
                    None => false,
                };
                d.due_at = c.due_at.clone();
                if counted {
                    d.judged_due_at = None;
                }
                d.status = Status::Processing;
            }
            EventBody::Refused(r) => {
                d.closing_reason = Some(r.reason.clone());
                d.status = Status::NotAccepted;
                end(&mut d);
            }
            EventBody::RefusedAfterAcceptance(r) => {
                d.closing_reason = Some(r.reason.clone());
                d.status = Status::Stopped;
                d.refused_after_acceptance = true;
                end(&mut d);
            }
            EventBody::Extended(x) => {
                if d.extension.is_some() {
                    return Err(Error::refused("second_extension", crate::messages::SECOND_EXTENSION));
                }
                d.extension = Some(ExtensionState {
                    previous_due_at: x.previous_due_at.clone(),
                    new_due_at: x.new_due_at.clone(),
                    reason: x.reason.clone(),
                    at: at.clone(),
                    late: x.late,
                    number: x.number,
                });
                if x.late {
                    d.keep_judged_due(Flag::LateExtension);
                } else {
                    d.judged_due_at = None;
                }
                d.due_at = x.new_due_at.clone();
            }
            EventBody::Withdrawn(r) => {
                d.closing_reason = Some(r.reason.clone());
                d.status = Status::Withdrawn;
                end(&mut d);
            }
            EventBody::FinancialObligationRequested(_) => d.status = Status::FinancialObligation,
            EventBody::FinancialObligationMet => d.status = Status::Processing,
            EventBody::ResultReady(r) => {
                d.result = Some(ResultState {
                    number: r.number.clone(),
                    issuer: r.issuer.clone(),
                    issued_on: r.issued_on.clone(),
                    at: at.clone(),
                });
                d.status = Status::Processed;
                end(&mut d);
            }
            EventBody::ResultReturned(r) => {
                d.returned = Some(ReturnState {
                    to_name: r.to_name.clone(),
                    id_number: r.id_number.clone(),
                    how: r.how,
                    at: at.clone(),
                    returned_by: event.actor.clone(),
                });
                d.status = Status::Returned;
                end(&mut d);
            }
            EventBody::ClosedUnsupplemented(r) => {
                d.closing_reason = Some(r.reason.clone());
                d.status = Status::Stopped;
                end(&mut d);
            }
            EventBody::CorrectionRequested(c) => {
                d.correction = Some(lifecycle::CorrectionState {
                    reason: c.reason.clone(),
                    requested_at: at.clone(),
                    due_at: c.due_at.clone(),
                    corrected_at: None,
                    number: None,
                });
            }
            EventBody::ResultCorrected(c) => {
                if let Some(state) = d.correction.as_mut() {
                    state.corrected_at = Some(at.clone());
                    state.number = Some(c.number.clone());
                }
                if let Some(result) = d.result.as_mut() {
                    result.number = c.number.clone();
                }
            }
        }
        d.status_code = d.status.national_code();
        d.updated_at = at;
        Ok(d)
    }

    fn from_received(event: &Event, r: &Received) -> Dossier {
        let r = r.clone();
        // Before the choice was asked: a dossier that came by post got its
        // result by post, to the applicant's address.
        let legacy_post = r.result_delivery.is_none() && r.channel == Channel::Post;
        let result_delivery = match r.result_delivery {
            Some(chosen) => chosen,
            None if legacy_post => ResultDelivery::Post,
            None => ResultDelivery::Counter,
        };
        let delivery_address = r
            .delivery_address
            .clone()
            .or_else(|| legacy_post.then(|| r.applicant.address.clone()));
        Dossier {
            id: event.dossier_id,
            fee_total: r.fees.iter().map(|f| f.amount).sum(),
            code: r.code,
            procedure: r.procedure,
            applicant: r.applicant,
            documents: r.documents,
            sets: r.sets,
            channel: r.channel,
            result_delivery,
            delivery_address,
            submitter: r.submitter,
            fees: r.fees,
            fees_confirmed: r.fees_confirmed,
            note: r.note,
            status: Status::Received,
            status_code: Status::Received.national_code(),
            received_at: r.received_at,
            due_at: r.due_at,
            received_by: r.received_by,
            counter: r.counter,
            book: r.book,
            updated_at: event.occurred_at.clone(),
            handovers: Vec::new(),
            supplement: None,
            extension: None,
            result: None,
            returned: None,
            closing_reason: None,
            refused_after_acceptance: false,
            ended_at: None,
            correction: None,
            supplement_requests: 0,
            judged_due_at: None,
            flags: Vec::new(),
        }
    }

    /// The due date the on-time rule judges this dossier by: the due date
    /// as it stands, unless a late extension or a late supplement request
    /// moved the citizen's appointment past the one it had.
    pub fn judged_due(&self) -> &str {
        self.judged_due_at.as_deref().unwrap_or(&self.due_at)
    }

    /// A late step is about to move the appointment: the judged due date
    /// stays where it is, and the dossier carries the flag.
    fn keep_judged_due(&mut self, flag: Flag) {
        if self.judged_due_at.is_none() {
            self.judged_due_at = Some(self.due_at.clone());
        }
        if !self.flags.contains(&flag) {
            self.flags.push(flag);
        }
    }

    /// Waiting for a supplement whose request counted: the clock is stopped.
    pub fn clock_stopped(&self) -> bool {
        self.status == Status::SupplementRequested && self.supplement.as_ref().is_some_and(|s| !s.late)
    }

    fn correction_open(&self) -> bool {
        self.correction.as_ref().is_some_and(|c| c.corrected_at.is_none())
    }

    /// What the clerk may do next.
    pub fn actions(&self) -> &'static [Action] {
        lifecycle::allowed(self.status, self.correction_open())
    }

    /// See [`Timeliness`] for the rule.
    pub fn timeliness(&self, now: &crate::vntime::VnTime) -> Timeliness {
        let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
        let Some(due) = parse(self.judged_due()) else {
            return Timeliness::PendingInTime;
        };
        Timeliness::classify(
            due,
            self.ended_at.as_deref().and_then(parse),
            self.clock_stopped(),
            self.supplement_requests,
            *now,
        )
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
