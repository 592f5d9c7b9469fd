//! Synthetic activity for demos, training and benchmarks. Every dossier and
//! every later fact goes through the same [`Desk`] calls a clerk's actions
//! make — never raw SQL — so demos and benchmarks exercise the real paths.
//! Only training offices take it (a real register must never hold invented
//! dossiers).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use crate::calendar::TimeRule;
use crate::desk::{Desk, SupplementInput};
use crate::dossier::lifecycle::ReturnChannel;
use crate::dossier::{ApplicantInput, DocumentInput, FeeCountInput, ReceptionInput};
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::vntime::{self, VnTime};

#[derive(Debug, Clone)]
pub struct DemoPlan {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub dossiers: u64,
    /// Share of resolved dossiers whose result comes after the due time.
    pub late_share: f64,
    pub seed: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoSummary {
    pub dossiers: u64,
    pub events: u64,
    pub supplements: u64,
    pub extensions: u64,
    pub withdrawn: u64,
    pub refused: u64,
    pub closed_unsupplemented: u64,
    pub results: u64,
    pub late_results: u64,
    pub returned: u64,
    pub still_open: u64,
    /// The demo admin made with a new training office (its password shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<DemoAccount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    /// The training office's recovery key (shown once, like a real one's).
    pub recovery_key: String,
}

/// The admin of a training office demo-data makes: login `demo`, a fresh
/// random password (it only guards invented data, but is not guessable).
pub fn demo_admin() -> Result<crate::accounts::NewAccount> {
    Ok(crate::accounts::NewAccount {
        login: "demo".into(),
        full_name: "Quản trị dùng thử".into(),
        roles: vec!["admin".into()],
        password: random_password(6)?,
    })
}

/// `bytes` random bytes as hex: a password nobody can guess.
fn random_password(bytes: usize) -> Result<String> {
    let mut secret = vec![0u8; bytes];
    getrandom::fill(&mut secret).map_err(|e| Error::refused("random_unavailable", e.to_string()))?;
    Ok(secret.iter().map(|b| format!("{b:02x}")).collect())
}

/// When a new training office for a period is set up: 07:00 the day
/// before it starts (every invented fact comes after).
pub fn set_up_time(from: NaiveDate) -> DateTime<Utc> {
    utc(vntime::at(
        from.pred_opt()
            .unwrap_or(from)
            .and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default()),
    ))
}

const FAMILY: &[&str] = &[
    "Nông", "Hoàng", "Lương", "Bế", "Lục", "Đàm", "Triệu", "Nguyễn", "Hà", "Vi", "Lý", "Mã", "Đinh", "Phùng", "Lãnh",
];
const MIDDLE_M: &[&str] = &["Văn", "Đức", "Minh", "Quang", "Thành", "Hữu"];
const MIDDLE_F: &[&str] = &["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim"];
const GIVEN_M: &[&str] = &[
    "Pình", "Thắng", "Dũng", "Hùng", "Cường", "Tuấn", "Khánh", "Sơn", "Lâm", "Nam",
];
const GIVEN_F: &[&str] = &[
    "Hường", "Lan", "Mai", "Hoa", "Thảo", "Hạnh", "Nhung", "Dịu", "Vân", "Yến",
];
const HAMLETS: &[&str] = &[
    "Nà Rụa",
    "Bó Củng",
    "Khuổi Khoang",
    "Pác Bó",
    "Nà Lìn",
    "Bản Giốc",
    "Cốc Phường",
    "Nặm Tàu",
];
const COMMUNES: &[&str] = &[
    "Hòa An",
    "Nguyên Bình",
    "Hà Quảng",
    "Quảng Hòa",
    "Trùng Khánh",
    "Bảo Lạc",
];

struct Rng(fastrand::Rng);

impl Rng {
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.0.usize(..list.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }

    fn minutes(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::minutes(self.0.i64(lo..=hi))
    }
}

fn applicant(rng: &mut Rng) -> ApplicantInput {
    let female = rng.chance(0.5);
    let (middle, given) = if female {
        (MIDDLE_F, GIVEN_F)
    } else {
        (MIDDLE_M, GIVEN_M)
    };
    let year = rng.0.i32(1950..=2006);
    let dob = NaiveDate::from_ymd_opt(year, rng.0.u32(1..=12), rng.0.u32(1..=28)).unwrap_or_default();
    // 004 = Cao Bằng; the century-and-sex digit: 0/1 for the 1900s, 2/3 for the 2000s.
    let century = if year >= 2000 { 2 } else { 0 } + u32::from(female);
    let id = format!("004{century}{:02}{:06}", year % 100, rng.0.u32(0..1_000_000));
    ApplicantInput {
        full_name: format!("{} {} {}", rng.pick(FAMILY), rng.pick(middle), rng.pick(given)),
        id_number: id,
        date_of_birth: dob.format("%Y-%m-%d").to_string(),
        sex: if female { "Nữ" } else { "Nam" }.to_string(),
        phone: rng
            .chance(0.85)
            .then(|| format!("09{}{:07}", rng.0.u32(1..=9), rng.0.u32(0..10_000_000))),
        email: None,
        address: format!("Thôn {}, xã {}, tỉnh Cao Bằng", rng.pick(HAMLETS), rng.pick(COMMUNES)),
        ..ApplicantInput::default()
    }
}

fn utc(t: VnTime) -> DateTime<Utc> {
    t.with_timezone(&Utc)
}

/// A moment within the office's opening hours on `day`.
fn during_hours(hours: &crate::calendar::OfficeHours, rng: &mut Rng, day: NaiveDate) -> VnTime {
    let (open, close) = if rng.chance(0.55) {
        (hours.morning_open, hours.morning_close)
    } else {
        (hours.afternoon_open, hours.afternoon_close)
    };
    let span = (close - open).num_minutes().max(1);
    let t = open + Duration::minutes(rng.0.i64(0..span));
    vntime::at(day.and_time(t))
}

/// One later fact of a dossier, waiting for its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Refuse,
    Handover,
    Withdraw,
    Supplement,
    Close,
    Complete,
    Extend,
    Result,
    Return,
}

/// A fact due at `at`; the heap pops the earliest first (ties in the order
/// they were planned), so the office records them in time order, as a
/// real PC does (it refuses a fact dated before its last one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Job {
    at: VnTime,
    order: u64,
    step: Step,
    code: String,
    /// The procedure's time rule, for the result's timing.
    rule: TimeRuleKey,
    late: bool,
}

/// `TimeRule` reduced to what the timing of a result needs (and orderable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TimeRuleKey {
    Short,
    Days,
}

impl From<TimeRule> for TimeRuleKey {
    fn from(rule: TimeRule) -> Self {
        if matches!(rule, TimeRule::SameDay | TimeRule::Hours(_)) {
            TimeRuleKey::Short
        } else {
            TimeRuleKey::Days
        }
    }
}

/// Fills the training office's data folder with `plan.dossiers` dossiers
/// spread over the working days of the period, each taken through a
/// realistic lifecycle up to the end of the period. Receptions and later
/// facts are recorded in time order.
pub fn fill(desk: &mut Desk, plan: &DemoPlan, mut progress: impl FnMut(u64)) -> Result<DemoSummary> {
    if !desk.office()?.training {
        return Err(Error::refused("demo_needs_training", msg::DEMO_NEEDS_TRAINING));
    }
    if plan.to < plan.from {
        return Err(Error::invalid("period_invalid", "to", msg::PERIOD_INVALID));
    }
    desk.store_mut().relax_durability_for_synthetic_data()?;
    let calendar = desk.calendar()?;
    let days: Vec<NaiveDate> = plan
        .from
        .iter_days()
        .take_while(|d| *d <= plan.to)
        .filter(|d| calendar.is_working_day(*d))
        .collect();
    if days.is_empty() {
        return Err(Error::invalid("period_invalid", "from", msg::DEMO_NO_WORKING_DAY));
    }
    let per_day = plan.dossiers.div_ceil(days.len() as u64);
    if per_day > 999 {
        return Err(Error::invalid(
            "too_many_dossiers",
            "dossiers",
            msg::demo_too_many(per_day),
        ));
    }
    let procedures = desk.procedures()?;
    let office = desk.office()?;
    let hours = office.hours;
    let admin = desk.session().cloned();
    let clerks = demo_clerks(desk, plan.from)?;
    let end_of_period = vntime::at(plan.to.and_time(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default()));
    let mut sim = Simulation {
        rng: Rng(fastrand::Rng::with_seed(plan.seed)),
        summary: DemoSummary::default(),
        queue: BinaryHeap::new(),
        order: 0,
        until: end_of_period,
        late_share: plan.late_share,
    };
    let mut remaining = plan.dossiers;
    for day in &days {
        let today = per_day.min(remaining);
        remaining -= today;
        let mut times: Vec<VnTime> = (0..today).map(|_| during_hours(&hours, &mut sim.rng, *day)).collect();
        times.sort();
        for at in times {
            sim.run_until(desk, &calendar, at)?;
            let p = &procedures[sim.rng.0.usize(..procedures.len())];
            let input = ReceptionInput {
                procedure_code: p.code.clone(),
                applicant: applicant(&mut sim.rng),
                documents: p
                    .documents
                    .iter()
                    .map(|d| DocumentInput {
                        name: d.name.clone(),
                        form: serde_json::to_value(d.form)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_else(|| "original".into()),
                        count: i64::from(d.count.max(1)),
                    })
                    .collect(),
                sets: 1,
                channel: if sim.rng.chance(0.12) { "post" } else { "counter" }.into(),
                note: None,
                fees: None,
                // Certified copies are charged by copy and page.
                fee_counts: vec![FeeCountInput {
                    copies: sim.rng.0.i64(1..=3),
                    pages: sim.rng.0.i64(1..=6),
                }],
                ..Default::default()
            };
            let clerk = clerks[sim.rng.0.usize(..clerks.len())].clone();
            desk.assume_session(clerk);
            let d = desk.receive(&input, utc(at))?;
            sim.summary.dossiers += 1;
            sim.summary.events += 1;
            sim.received(&d.code, at, p.time.into());
            progress(sim.summary.dossiers);
        }
    }
    sim.run_until(desk, &calendar, end_of_period)?;
    sim.summary.still_open += sim.queue.len() as u64;
    if let Some(admin) = admin {
        desk.assume_session(admin);
    }
    Ok(sim.summary)
}

/// The training office's demo clerks (made on first use, by the signed-in
/// admin, with passwords nobody needs), as sessions to act as.
fn demo_clerks(desk: &mut Desk, from: NaiveDate) -> Result<Vec<crate::accounts::Session>> {
    let known = desk.users()?;
    let mut sessions = Vec::new();
    for (login, name) in DEMO_CLERKS {
        if !known.iter().any(|a| a.login == *login) {
            let new = crate::accounts::NewAccount {
                login: login.to_string(),
                full_name: name.to_string(),
                roles: vec!["clerk".into()],
                password: random_password(16)?,
            };
            // Dated before the period, so the facts that follow never precede it.
            let at = set_up_time(from).with_timezone(&vntime::zone());
            desk.add_user(&new, utc(at.max(desk_last_time(desk)?)))?;
        }
        sessions.push(crate::accounts::Session {
            login: login.to_string(),
            full_name: name.to_string(),
            roles: vec![crate::accounts::Role::Clerk],
        });
    }
    Ok(sessions)
}

/// The time of the last fact this PC recorded (or long ago).
fn desk_last_time(desk: &Desk) -> Result<VnTime> {
    Ok(desk
        .store()
        .last_local_event_at()?
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&vntime::zone()))
        .unwrap_or_else(|| vntime::at(NaiveDate::MIN.and_time(NaiveTime::MIN))))
}

const DEMO_CLERKS: &[(&str, &str)] = &[("lan.nt", "Nông Thị Lan"), ("minh.hv", "Hoàng Văn Minh")];

/// The office's later facts, waiting in time order.
struct Simulation {
    rng: Rng,
    summary: DemoSummary,
    queue: BinaryHeap<Reverse<Job>>,
    order: u64,
    until: VnTime,
    late_share: f64,
}

impl Simulation {
    /// Plans `step` at `at`; a fact after the period leaves the dossier open.
    fn plan(&mut self, code: &str, step: Step, at: VnTime, rule: TimeRuleKey, late: bool) {
        if at > self.until {
            self.summary.still_open += 1;
            return;
        }
        self.order += 1;
        self.queue.push(Reverse(Job {
            at,
            order: self.order,
            step,
            code: code.to_string(),
            rule,
            late,
        }));
    }

    /// After reception: refused (2 %), else handed over.
    fn received(&mut self, code: &str, at: VnTime, rule: TimeRuleKey) {
        let t = at + self.rng.minutes(20, 180);
        let step = if self.rng.chance(0.02) {
            Step::Refuse
        } else {
            Step::Handover
        };
        self.plan(code, step, t, rule, false);
    }

    /// Records every fact due up to `t`, earliest first.
    fn run_until(&mut self, desk: &mut Desk, calendar: &crate::calendar::Calendar, t: VnTime) -> Result<()> {
        while self.queue.peek().is_some_and(|Reverse(j)| j.at <= t) {
            if let Some(Reverse(job)) = self.queue.pop() {
                self.perform(desk, calendar, job)?;
            }
        }
        Ok(())
    }

    fn perform(&mut self, desk: &mut Desk, calendar: &crate::calendar::Calendar, job: Job) -> Result<()> {
        let (code, t, rule) = (job.code.as_str(), job.at, job.rule);
        let s = &mut self.summary;
        s.events += 1;
        match job.step {
            Step::Refuse => {
                desk.refuse(code, "Hồ sơ không thuộc thẩm quyền giải quyết của xã", utc(t))?;
                s.refused += 1;
            }
            Step::Handover => {
                let unit = desk.office()?.name;
                desk.handover(code, &unit, "Công chức chuyên môn", None, utc(t))?;
                if self.rng.chance(0.02) {
                    let at = t + self.rng.minutes(60, 3 * 24 * 60);
                    self.plan(code, Step::Withdraw, at, rule, false);
                } else if self.rng.chance(0.08) {
                    let at = t + self.rng.minutes(60, 24 * 60);
                    self.plan(code, Step::Supplement, at, rule, false);
                } else {
                    self.plan_result(desk, code, t, rule)?;
                }
            }
            Step::Withdraw => {
                desk.withdraw(code, "Người nộp xin rút hồ sơ", utc(t))?;
                s.withdrawn += 1;
            }
            Step::Supplement => {
                let input = SupplementInput {
                    reason: "Thiếu giấy tờ chứng minh nơi cư trú".into(),
                    documents: vec![DocumentInput {
                        name: "Giấy xác nhận thông tin về cư trú".into(),
                        form: "original".into(),
                        count: 1,
                    }],
                };
                desk.request_supplement(code, &input, utc(t))?;
                s.supplements += 1;
                if self.rng.chance(0.15) {
                    // Never brought: closed after the legal wait.
                    self.plan(code, Step::Close, t + Duration::days(16), rule, false);
                } else {
                    let at = t + self.rng.minutes(24 * 60, 5 * 24 * 60);
                    self.plan(code, Step::Complete, at, rule, false);
                }
            }
            Step::Close => {
                desk.close_unsupplemented(code, utc(t))?;
                s.closed_unsupplemented += 1;
            }
            Step::Complete => {
                desk.complete_supplement(code, utc(t))?;
                self.plan_result(desk, code, t, rule)?;
            }
            Step::Extend => {
                let due = due_of(desk, code)?;
                let new_due = calendar.add_working_days(due, 2);
                desk.extend(code, new_due, "Cần xác minh thêm thông tin", utc(t))?;
                s.extensions += 1;
                let at = calendar.add_working_days(due, 1);
                self.plan(code, Step::Result, at, rule, false);
            }
            Step::Result => {
                desk.record_result(code, &format!("{}/KQ", s.results + 1), "UBND xã", None, utc(t))?;
                s.results += 1;
                s.late_results += u64::from(job.late);
                let at = t + self.rng.minutes(30, 3 * 24 * 60);
                if self.rng.chance(0.9) {
                    self.plan(code, Step::Return, at, rule, false);
                }
            }
            Step::Return => {
                let d = desk.dossier(code)?;
                desk.return_result(
                    code,
                    &d.applicant.full_name,
                    &d.applicant.id_number,
                    if d.channel == crate::dossier::Channel::Post {
                        ReturnChannel::Post
                    } else {
                        ReturnChannel::Counter
                    },
                    utc(t),
                )?;
                s.returned += 1;
            }
        }
        Ok(())
    }

    /// Plans the result (late for `late_share` of them), sometimes after an
    /// extension asked for in good time (two days before the due date).
    fn plan_result(&mut self, desk: &Desk, code: &str, t: VnTime, rule: TimeRuleKey) -> Result<()> {
        let due = due_of(desk, code)?;
        let late = self.rng.chance(self.late_share);
        let result_at = if late {
            due + self.rng.minutes(60, 3 * 24 * 60)
        } else if rule == TimeRuleKey::Short || self.rng.chance(0.3) {
            // On the due day, before the due time (or within the day for same-day work).
            (due - self.rng.minutes(10, 120)).max(t + Duration::minutes(5))
        } else {
            (due - self.rng.minutes(24 * 60, 3 * 24 * 60)).max(t + Duration::minutes(30))
        };
        if !late && self.rng.chance(0.03) && result_at < due {
            let ask = (due - Duration::days(2)).max(t + Duration::minutes(10));
            if ask < due {
                self.plan(code, Step::Extend, ask, rule, false);
                return Ok(());
            }
        }
        self.plan(code, Step::Result, result_at, rule, late);
        Ok(())
    }
}

fn due_of(desk: &Desk, code: &str) -> Result<VnTime> {
    chrono::DateTime::parse_from_rfc3339(&desk.dossier(code)?.due_at)
        .map(|t| t.with_timezone(&vntime::zone()))
        .map_err(|e| Error::refused("corrupt_row", e.to_string()))
}
