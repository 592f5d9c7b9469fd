//! A dossier in the national portal's sync format (service DongBoHoSoMC,
//! as the OpenCPS project implements it — see DOMAIN.md). Dates are
//! `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; absent facts are `null`.
//!
//! Our reading where the public description is thin:
//! - `HinhThuc`: 0 the first time a dossier is sent, 1 when it is sent again
//!   as an update ("resends flagged as updates").
//! - `LoaiDoiTuong`: 1 (công dân) — counters receive dossiers from citizens
//!   identified by their personal identification number (`MaDoiTuong`).
//! - `MaLinhVuc`: `null` — the commune catalog names the field but carries
//!   no national field code yet.

use chrono::DateTime;
use serde_json::{json, Value};

use crate::dossier::Dossier;
use crate::vntime;

/// `yyyyMMddHHmmss` in Vietnam time, from an RFC 3339 stamp.
pub fn portal_time(rfc3339: &str) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(t.with_timezone(&vntime::zone()).format("%Y%m%d%H%M%S").to_string())
}

fn time_or_null(t: Option<&str>) -> Value {
    t.and_then(portal_time).map(Value::String).unwrap_or(Value::Null)
}

pub fn record(d: &Dossier, resend: bool) -> Value {
    let documents: Vec<Value> = d
        .documents
        .iter()
        .map(|doc| {
            json!({
                "TenTepDinhKem": doc.name,
                "LoaiGiayTo": doc.form.label(),
                "SoLuong": doc.count,
            })
        })
        .collect();
    let fees: Vec<Value> = d
        .fees
        .iter()
        .map(|f| json!({ "TenPhiLePhi": f.name, "MucPhi": f.amount, "GhiChu": f.note }))
        .collect();
    let supplements: Vec<Value> = d
        .supplement
        .iter()
        .map(|s| {
            json!({
                "NoiDungBoSung": s.reason,
                "NgayBoSung": time_or_null(Some(&s.requested_at)),
                "NgayTiepNhanBoSung": time_or_null(s.completed_at.as_deref()),
                "DanhSachGiayToBoSung": s.documents.iter().map(|doc| json!({
                    "TenGiayTo": doc.name, "SoLuong": doc.count
                })).collect::<Vec<_>>(),
                "NgayHenTraTruoc": time_or_null(s.previous_due_at.as_deref()),
                "NgayHenTraMoi": if s.completed_at.is_some() { time_or_null(Some(&d.due_at)) } else { Value::Null },
            })
        })
        .collect();
    let results: Vec<Value> = d
        .result
        .iter()
        .map(|r| {
            json!({
                "TenGiayTo": d.procedure.name,
                "SoKyHieu": r.number,
                "CoQuanBanHanh": r.issuer,
                "NgayBanHanh": r.issued_on,
            })
        })
        .collect();
    json!({
        "MaHoSo": d.code,
        "MaTTHC": d.procedure.code,
        "TenTTHC": d.procedure.name,
        "MaLinhVuc": Value::Null,
        "TenLinhVuc": d.procedure.field,
        "ChuHoSo": d.applicant.full_name,
        "LoaiDoiTuong": 1,
        "MaDoiTuong": d.applicant.id_number,
        "SoDienThoai": d.applicant.phone,
        "Email": d.applicant.email,
        "DiaChi": d.applicant.address,
        "TrichYeuHoSo": format!("{} — {}", d.procedure.name, d.applicant.full_name),
        "NgayTiepNhan": time_or_null(Some(&d.received_at)),
        "NgayHenTra": time_or_null(Some(&d.due_at)),
        "TrangThaiHoSo": d.status.national_code(),
        "NgayTra": time_or_null(d.returned.as_ref().map(|r| r.at.as_str())),
        "NgayKetThucXuLy": time_or_null(d.ended_at.as_deref()),
        "KenhThucHien": d.channel.national_code(),
        "HinhThuc": if resend { 1 } else { 0 },
        "DonViXuLy": d.procedure.deciding_body,
        "TaiLieuNop": documents,
        "DanhSachLePhi": fees,
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": results,
    })
}
