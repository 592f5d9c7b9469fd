//! Dossiers in the national portal's sync format, following the public
//! OpenCPS connector to the Cổng DVCQG (its `createSyncDossierBodyRequest`
//! and `createSyncDossierStatusBodyRequest`):
//!
//! - A batch is an envelope `{"service": "DongBoHoSoMC", "isUpdating": …,
//!   "data": [records]}`: dossiers sent for the first time go in one with
//!   `isUpdating: false`, dossiers sent again in one with `true`.
//! - Progress steps go in `{"service": "CapNhatTienDoHoSoMC", "data": […]}`:
//!   one step per hand-over (who, when, to which department, what, the
//!   status, the step's start and its deadline).
//! - Dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; an absent date is `""`,
//!   as the connector sends it. Codes travel as strings, as it sends them.
//! - `LoaiDoiTuong`: "1" a person (citizen or foreigner), "2" an
//!   organisation. `MaDoiTuong`: the personal ID, tax code or passport number.
//! - `HinhThuc`: where the result goes — "1" by post, "0" otherwise (the
//!   connector's `viaPostal`); the result online is "0" with `ThongTinTra`
//!   saying so.
//! - `MaLinhVuc`: the national field code the catalog carries (`""` when it
//!   carries none).
//!
//! Our reading where the connector leaves a field blank (documented in
//! docs/dvcqg.md): `LoaiPhiLePhi` "2" for a lệ phí, "1" for a phí (by the
//! fee's name); `HinhThucThu` "1" (collected at the counter) — online
//! payment is not recorded yet; `TrangThaiBoSung` "0" waiting, "1"
//! received, "2" closed unsupplemented; `HoSoBoSungId` the dossier code
//! with "-BS1" (the law allows one supplement request).

use chrono::DateTime;
use serde_json::{json, Value};

use crate::dossier::{ApplicantKind, Dossier, ResultDelivery, Status};
use crate::vntime;

pub const SYNC_SERVICE: &str = "DongBoHoSoMC";
pub const PROGRESS_SERVICE: &str = "CapNhatTienDoHoSoMC";

/// `yyyyMMddHHmmss` in Vietnam time, from an RFC 3339 stamp.
pub fn portal_time(rfc3339: &str) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(t.with_timezone(&vntime::zone()).format("%Y%m%d%H%M%S").to_string())
}

/// A date as the connector sends it: `""` when absent.
fn time_or_blank(t: Option<&str>) -> Value {
    Value::String(t.and_then(portal_time).unwrap_or_default())
}

fn text_or_blank(t: Option<&str>) -> Value {
    Value::String(t.unwrap_or_default().to_string())
}

/// One dossier as a record of `DongBoHoSoMC`.
pub fn record(d: &Dossier) -> Value {
    let other_documents: Vec<Value> = d
        .documents
        .iter()
        .map(|doc| {
            json!({
                "TenGiayTo": doc.name,
                "SoLuong": doc.count.to_string(),
                "LoaiGiayTo": doc.form.label(),
            })
        })
        .collect();
    let fees: Vec<Value> = d
        .fees
        .iter()
        .map(|f| {
            let price = if d.fees_confirmed && f.is_counted() {
                f.amount.to_string()
            } else {
                String::new()
            };
            let kind = if crate::text::fold(&f.name).starts_with("le phi") {
                "2"
            } else {
                "1"
            };
            json!({
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": text_or_blank(f.code.as_deref()),
                "HinhThucThu": "1",
                "Gia": price,
                "LoaiPhiLePhi": kind,
            })
        })
        .collect();
    let supplements: Vec<Value> = d
        .supplement
        .iter()
        .map(|s| {
            let state = match (&s.completed_at, d.status) {
                (Some(_), _) => "1",
                (None, Status::Stopped) => "2",
                (None, _) => "0",
            };
            json!({
                "HoSoBoSungId": format!("{}-BS1", d.code),
                "NguoiYeuCauBoSung": text_or_blank(s.requested_by.as_deref()),
                "NoiDungBoSung": s.reason,
                "NgayBoSung": time_or_blank(Some(&s.requested_at)),
                "NguoiTiepNhanBoSung": "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": time_or_blank(s.completed_at.as_deref()),
                "TrangThaiBoSung": state,
                "DanhSachGiayToBoSung": s.documents.iter().map(|doc| json!({
                    "TenGiayTo": doc.name, "SoLuong": doc.count.to_string()
                })).collect::<Vec<_>>(),
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": time_or_blank(s.previous_due_at.as_deref()),
                "NgayHenTraMoi": if s.completed_at.is_some() { time_or_blank(Some(&d.due_at)) } else { json!("") },
            })
        })
        .collect();
    let results: Vec<Value> = d
        .result
        .iter()
        .map(|r| {
            json!({
                "TenGiayTo": format!("{} số {}", d.procedure.name, r.number),
                "MaThanhPhanHoSo": "",
                "GiayToId": r.number,
                "DuongDanTepTinKetQua": "",
            })
        })
        .collect();
    let a = &d.applicant;
    let (delivery, delivery_note) = match d.result_delivery {
        ResultDelivery::Post => ("1", d.delivery_address.clone().unwrap_or_default()),
        ResultDelivery::Online => ("0", "Trả kết quả trực tuyến".to_string()),
        ResultDelivery::Counter => ("0", String::new()),
    };
    json!({
        "MaHoSo": d.code,
        "MaTTHC": d.procedure.code,
        "TenTTHC": d.procedure.name,
        "MaLinhVuc": text_or_blank(d.procedure.field_code.as_deref()),
        "TenLinhVuc": d.procedure.field,
        "ChuHoSo": a.full_name,
        "LoaiDoiTuong": if a.kind == ApplicantKind::Organisation { "2" } else { "1" },
        "MaDoiTuong": a.id_number,
        "ThongTinKhac": "",
        "Email": text_or_blank(a.email.as_deref()),
        "Fax": "",
        "SoDienThoai": text_or_blank(a.phone.as_deref()),
        "DiaChi": a.address,
        "TrichYeuHoSo": format!("{} — {}", d.procedure.name, a.full_name),
        "NgayTiepNhan": time_or_blank(Some(&d.received_at)),
        "NgayHenTra": time_or_blank(Some(&d.due_at)),
        "TrangThaiHoSo": d.status.national_code().to_string(),
        "NgayTra": time_or_blank(d.returned.as_ref().map(|r| r.at.as_str())),
        "ThongTinTra": delivery_note,
        "HinhThuc": delivery,
        "NgayKetThucXuLy": time_or_blank(d.ended_at.as_deref()),
        "KenhThucHien": d.channel.national_code().to_string(),
        "DonViXuLy": d.procedure.deciding_body,
        "GhiChu": text_or_blank(d.note.as_deref()),
        "TaiLieuNop": [],
        "DanhSachLePhi": fees,
        "DanhSachTepDinhKemKhac": other_documents,
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": results,
    })
}

/// The dossier's status right after a hand-over at `at`, from what the
/// dossier keeps: processed when its result came before, waiting for a
/// supplement asked before and not yet completed then, else processing
/// (a hand-over starts processing) — not the status it has now.
fn status_after_step(d: &Dossier, at: &str) -> Status {
    let time = |s: &str| DateTime::parse_from_rfc3339(s).ok();
    let step = time(at);
    let before = |s: &str| matches!((time(s), step), (Some(x), Some(t)) if x <= t);
    if d.result.as_ref().is_some_and(|r| before(&r.at)) {
        return Status::Processed;
    }
    match &d.supplement {
        Some(s) if before(&s.requested_at) && !s.completed_at.as_deref().is_some_and(before) => {
            Status::SupplementRequested
        }
        _ => Status::Processing,
    }
}

/// One progress step (`CapNhatTienDoHoSoMC`) for each hand-over.
pub fn progress(d: &Dossier) -> Vec<Value> {
    d.handovers
        .iter()
        .map(|h| {
            let deadline = match &h.step_due {
                Some(day) => format!("{}170000", day.replace('-', "")),
                None => portal_time(&d.due_at).unwrap_or_default(),
            };
            let mut what = format!("Giao: {} — Nhận: {}", h.from, h.to);
            if let Some(note) = &h.note {
                what.push_str(&format!(" ({note})"));
            }
            json!({
                "MaHoSo": d.code,
                "NguoiXuLy": h.recorded_by,
                "ChucDanh": "",
                "ThoiDiemXuLy": time_or_blank(Some(&h.at)),
                "PhongBanXuLy": h.to,
                "NoiDungXuLy": what,
                "TrangThai": status_after_step(d, &h.at).national_code().to_string(),
                "NgayBatDau": time_or_blank(Some(&h.at)),
                "NgayKetThucTheoQuyDinh": deadline,
            })
        })
        .collect()
}

/// A batch for the portal: the new dossiers, the ones sent again (each
/// `(dossier, sent before)`), and the progress steps of all; empty
/// envelopes are left out, so nothing to send is `[]`.
pub fn batch(dossiers: &[(Dossier, bool)]) -> Value {
    let records = |again: bool| -> Vec<Value> {
        dossiers
            .iter()
            .filter(|(_, resend)| *resend == again)
            .map(|(d, _)| record(d))
            .collect()
    };
    let mut envelopes = Vec::new();
    for again in [false, true] {
        let data = records(again);
        if !data.is_empty() {
            envelopes.push(json!({ "service": SYNC_SERVICE, "isUpdating": again, "data": data }));
        }
    }
    let steps: Vec<Value> = dossiers.iter().flat_map(|(d, _)| progress(d)).collect();
    if !steps.is_empty() {
        envelopes.push(json!({ "service": PROGRESS_SERVICE, "data": steps }));
    }
    Value::Array(envelopes)
}
