//! The procedure catalog (danh mục TTHC): data, versioned, validated on
//! import with errors that name the line of the file.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::calendar::TimeRule;
use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DocumentForm {
    Original,
    Copy,
    CertifiedCopy,
    Present,
}

impl DocumentForm {
    pub fn label(self) -> &'static str {
        match self {
            DocumentForm::Original => "Bản chính",
            DocumentForm::Copy => "Bản sao",
            DocumentForm::CertifiedCopy => "Bản sao chứng thực",
            DocumentForm::Present => "Xuất trình",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<DocumentForm> {
        match s.trim() {
            "original" => Ok(DocumentForm::Original),
            "copy" => Ok(DocumentForm::Copy),
            "certified_copy" => Ok(DocumentForm::CertifiedCopy),
            "present" => Ok(DocumentForm::Present),
            other => Err(Error::invalid("bad_document_form", field, msg::document_form(other))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RequiredDocument {
    pub name: String,
    pub form: DocumentForm,
    pub count: u32,
}

/// How a fee grows with what is handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FeeBasis {
    /// `amount` once per dossier (lần, trường hợp).
    #[default]
    Flat,
    /// `amount` for each copy (bản sao trích lục: 8.000 đồng/bản).
    PerCopy,
    /// `amount` for each page up to `from_page - 1`, `later_amount` for
    /// each page from `from_page` on, at most `cap_per_copy` a copy
    /// (chứng thực bản sao: 2.000 đồng/trang, từ trang thứ 3 1.000 đồng,
    /// tối đa 200.000 đồng/bản — Thông tư 226/2016/TT-BTC).
    PerPage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Fee {
    pub name: String,
    /// Đồng: the whole fee (flat), or the rate of one copy or page. 0 for
    /// an exemption. On a received dossier: the amount computed for it.
    pub amount: i64,
    #[serde(default, skip_serializing_if = "is_flat")]
    #[cfg_attr(feature = "ts", ts(as = "Option<FeeBasis>", optional))]
    pub basis: FeeBasis,
    /// Per page: the page from which `later_amount` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub from_page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub later_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cap_per_copy: Option<i64>,
    /// The rate when the dossier is filed online, where the law sets a lower one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub online_amount: Option<i64>,
    /// The fee's code in the national portal's list (MaPhiLePhi), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code: Option<String>,
    /// The legal text that sets it ("Thông tư 75/2022/TT-BTC").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// On a received dossier: how the amount was reached ("2 bản × 3 trang").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub detail: Option<String>,
}

fn is_flat(b: &FeeBasis) -> bool {
    *b == FeeBasis::Flat
}

impl Fee {
    /// A fee the clerk typed in (a fixed amount).
    pub fn entered(name: String, amount: i64) -> Fee {
        Fee {
            name,
            amount,
            basis: FeeBasis::Flat,
            from_page: None,
            later_amount: None,
            cap_per_copy: None,
            online_amount: None,
            code: None,
            source: None,
            note: None,
            detail: None,
        }
    }

    /// A per-copy or per-page fee received without counts: no amount (0 in
    /// the total), and the receipt states the rate instead.
    pub fn uncounted(&self) -> Fee {
        Fee {
            amount: 0,
            detail: None,
            ..self.clone()
        }
    }

    /// Whether the amount is a computed sum (false for a rate-only entry
    /// received without counts).
    pub fn is_counted(&self) -> bool {
        self.basis == FeeBasis::Flat || self.detail.is_some()
    }

    /// The amount of one copy of `pages` pages under a per-page rule.
    fn one_copy(&self, pages: u32) -> i64 {
        let from = self.from_page.unwrap_or(u32::MAX).max(1);
        let later = self.later_amount.unwrap_or(self.amount);
        let early_pages = pages.min(from - 1);
        let later_pages = pages - early_pages;
        let sum = i64::from(early_pages) * self.amount + i64::from(later_pages) * later;
        self.cap_per_copy.map_or(sum, |cap| sum.min(cap))
    }

    /// This fee charged on a dossier: the amount from the counts the clerk
    /// entered (each item: copies of a document of some pages), at the
    /// online rate when filed online. `None` when the rule needs counts
    /// and none were given (see [`Fee::uncounted`]).
    pub fn charge(&self, counts: &[FeeCount], online: bool) -> Option<Fee> {
        let rate = match (online, self.online_amount) {
            (true, Some(r)) => r,
            _ => self.amount,
        };
        let priced = Fee {
            amount: rate,
            ..self.clone()
        };
        let copies: u32 = counts.iter().map(|c| c.copies).sum();
        let (amount, detail) = match self.basis {
            FeeBasis::Flat => (rate, None),
            FeeBasis::PerCopy if counts.is_empty() => return None,
            FeeBasis::PerCopy => (rate * i64::from(copies), Some(msg::fee_detail_copies(copies))),
            FeeBasis::PerPage if counts.is_empty() => return None,
            FeeBasis::PerPage => (
                counts
                    .iter()
                    .map(|c| i64::from(c.copies) * priced.one_copy(c.pages))
                    .sum(),
                Some(
                    counts
                        .iter()
                        .map(|c| msg::fee_detail_pages(c.copies, c.pages))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ),
        };
        Some(Fee {
            amount,
            detail,
            ..priced
        })
    }
}

/// What a per-copy or per-page fee is counted on: `copies` copies of a
/// document of `pages` pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FeeCount {
    pub copies: u32,
    pub pages: u32,
}

/// Against which document a procedure's time and fees were checked (the
/// province's publishing decision, a law, a circular); `None` where
/// nobody has checked them yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Checked {
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub fees: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub field: String,
    /// The field's code in the national procedure database (MaLinhVuc of
    /// the national portal); absent until the province's catalog gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field_code: Option<String>,
    #[serde(default = "default_level")]
    pub level: String,
    #[serde(default)]
    pub deciding_body: String,
    /// Where the counter sends the dossier when another level decides it
    /// (Decree 118/2025 Art. 14: a commune counter receives procedures of
    /// every level and hands them over), e.g. "Sở Tư pháp tỉnh Cao Bằng".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub handover_to: Option<String>,
    /// Bodies whose opinion or part the deciding body needs (cơ quan phối
    /// hợp), printed on the control slip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinating_bodies: Vec<String>,
    pub time: TimeRule,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub documents: Vec<RequiredDocument>,
    #[serde(default)]
    pub result: String,
    /// Which documents the time and fees were checked against.
    #[serde(default)]
    pub checked: Checked,
    /// Both the time and the fees were checked (derived from `checked` on
    /// import; a catalog cannot claim it without naming the documents).
    #[serde(default)]
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The largest amount a fee may have (one billion đồng): beyond it a
/// typing slip, not a fee.
pub const MAX_FEE: i64 = 1_000_000_000;

fn default_level() -> String {
    "commune".to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogMeta {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub source: String,
}

/// A catalog as stored: one version of the whole list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CatalogVersion {
    pub id: i64,
    pub label: String,
    pub source: String,
    pub imported_at: String,
    pub procedure_count: i64,
}

#[derive(Debug, Clone)]
pub struct CatalogFile {
    pub meta: CatalogMeta,
    pub procedures: Vec<Procedure>,
}

#[derive(Deserialize)]
struct RawCatalog<'a> {
    catalog: CatalogMeta,
    #[serde(borrow)]
    procedures: Vec<&'a RawValue>,
}

/// The catalog shipped in `assets/catalog/default.json`.
pub fn bundled() -> Result<CatalogFile> {
    parse(include_str!("../../../assets/catalog/default.json"))
}

/// Parses and validates a catalog file. Every problem is reported with the
/// line where its procedure starts; nothing is accepted if any entry is bad.
pub fn parse(source: &str) -> Result<CatalogFile> {
    let raw: RawCatalog = serde_json::from_str(source).map_err(|e| {
        Error::invalid(
            "catalog_syntax",
            "catalog",
            msg::catalog_json(e.line(), e.column(), &e.to_string()),
        )
    })?;
    if raw.procedures.is_empty() {
        return Err(Error::invalid("catalog_empty", "catalog", msg::CATALOG_EMPTY));
    }
    let mut errors = Vec::new();
    let mut procedures: Vec<Procedure> = Vec::new();
    for entry in raw.procedures {
        let line = line_of(source, entry.get());
        let code_hint = serde_json::from_str::<serde_json::Value>(entry.get())
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_string))
            .unwrap_or_default();
        let fail = |detail: &str| {
            Error::invalid(
                "catalog_entry",
                format!("line {line}"),
                msg::catalog_entry(line, &code_hint, detail),
            )
        };
        match serde_json::from_str::<Procedure>(entry.get()) {
            Err(e) => errors.push(fail(&e.to_string())),
            Ok(p) => match normalise_procedure(p) {
                Err(detail) => errors.push(fail(&detail)),
                Ok(p) if procedures.iter().any(|q| q.code == p.code) => {
                    errors.push(fail(&msg::catalog_duplicate(&p.code)))
                }
                Ok(p) => procedures.push(p),
            },
        }
    }
    Error::collect(errors)?;
    Ok(CatalogFile {
        meta: CatalogMeta {
            id: text::nfc(raw.catalog.id.trim()),
            label: text::nfc(raw.catalog.label.trim()),
            source: text::nfc(raw.catalog.source.trim()),
        },
        procedures,
    })
}

/// Line number (1-based) of a slice borrowed from `source`.
fn line_of(source: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(source.as_ptr() as usize);
    source.get(..offset).map(|s| s.matches('\n').count() + 1).unwrap_or(0)
}

/// Valid national codes look like `1.001193`; provincial variants append an
/// agency identifier: `2.000815.000.00.00.H55`.
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.splitn(3, '.');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return false;
    };
    let national =
        a.len() == 1 && a.chars().all(|c| c.is_ascii_digit()) && b.len() == 6 && b.chars().all(|c| c.is_ascii_digit());
    national && parts.next().is_none_or(crate::office::is_valid_agency_code)
}

fn normalise_procedure(p: Procedure) -> std::result::Result<Procedure, String> {
    let code = p.code.trim().to_string();
    if !is_valid_code(&code) {
        return Err(msg::catalog_code_format(&code));
    }
    let name = text::nfc(p.name.trim());
    if name.is_empty() {
        return Err(msg::CATALOG_NAME.to_string());
    }
    let field = text::nfc(p.field.trim());
    if field.is_empty() {
        return Err(msg::CATALOG_FIELD.to_string());
    }
    let time_ok = match p.time {
        TimeRule::WorkingDays(n) | TimeRule::CalendarDays(n) => n <= 365,
        TimeRule::Hours(n) => n <= 365 * 8,
        TimeRule::SameDay => true,
    };
    if !time_ok {
        return Err(msg::CATALOG_TIME.to_string());
    }
    let documents: Vec<RequiredDocument> = p
        .documents
        .into_iter()
        .map(|d| RequiredDocument {
            name: text::nfc(d.name.trim()),
            ..d
        })
        .collect();
    if documents
        .iter()
        .any(|d| d.name.is_empty() || d.count == 0 || d.count > 99)
    {
        return Err(msg::CATALOG_DOCS.to_string());
    }
    let trimmed = |s: Option<String>| s.map(|n| text::nfc(n.trim())).filter(|n| !n.is_empty());
    let fees: Vec<Fee> = p
        .fees
        .into_iter()
        .map(|f| Fee {
            name: text::nfc(f.name.trim()),
            note: trimmed(f.note),
            source: trimmed(f.source),
            code: trimmed(f.code),
            detail: None,
            ..f
        })
        .collect();
    let amounts_ok = |f: &Fee| {
        [Some(f.amount), f.later_amount, f.cap_per_copy, f.online_amount]
            .into_iter()
            .flatten()
            .all(|a| (0..=MAX_FEE).contains(&a))
    };
    if fees.iter().any(|f| f.name.is_empty() || !amounts_ok(f)) {
        return Err(msg::CATALOG_FEES.to_string());
    }
    if fees
        .iter()
        .any(|f| f.basis == FeeBasis::PerPage && f.from_page.is_some_and(|p| p < 2))
    {
        return Err(msg::CATALOG_FEES.to_string());
    }
    let checked = Checked {
        time: trimmed(p.checked.time),
        fees: trimmed(p.checked.fees),
    };
    Ok(Procedure {
        code,
        name,
        field,
        field_code: trimmed(p.field_code),
        level: text::nfc(p.level.trim()),
        deciding_body: text::nfc(p.deciding_body.trim()),
        handover_to: trimmed(p.handover_to),
        coordinating_bodies: p
            .coordinating_bodies
            .iter()
            .map(|b| text::nfc(b.trim()))
            .filter(|b| !b.is_empty())
            .collect(),
        time: p.time,
        fees,
        documents,
        result: text::nfc(p.result.trim()),
        verified: checked.time.is_some() && checked.fees.is_some(),
        checked,
        note: p.note.map(|n| text::nfc(n.trim())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_has_at_least_25_valid_procedures() {
        let c = bundled().unwrap();
        assert!(c.procedures.len() >= 25, "{}", c.procedures.len());
        let birth = c.procedures.iter().find(|p| p.code == "1.001193").unwrap();
        assert_eq!(birth.time, TimeRule::SameDay);
        assert!(birth.verified);
    }

    fn fee_of(code: &str) -> Fee {
        let c = bundled().unwrap();
        c.procedures
            .into_iter()
            .find(|p| p.code == code)
            .unwrap()
            .fees
            .remove(0)
    }

    #[test]
    fn certified_copies_are_charged_by_page_with_the_cap_per_copy() {
        let fee = fee_of("2.000815");
        let charge = |counts: &[(u32, u32)]| {
            let counts: Vec<FeeCount> = counts
                .iter()
                .map(|&(copies, pages)| FeeCount { copies, pages })
                .collect();
            fee.charge(&counts, false).map(|f| f.amount)
        };
        // 2.000 đ a page for pages 1–2, 1.000 đ from the 3rd, at most 200.000 đ a copy.
        assert_eq!(charge(&[(1, 1)]), Some(2_000));
        assert_eq!(charge(&[(1, 2)]), Some(4_000));
        assert_eq!(charge(&[(1, 5)]), Some(7_000));
        assert_eq!(charge(&[(2, 5)]), Some(14_000));
        assert_eq!(charge(&[(1, 198)]), Some(200_000));
        assert_eq!(charge(&[(1, 300)]), Some(200_000));
        assert_eq!(charge(&[(2, 300), (3, 1)]), Some(406_000));
        assert_eq!(charge(&[]), None, "a per-page fee needs the counts");
        let detail = fee.charge(&[FeeCount { copies: 2, pages: 5 }], false).unwrap().detail;
        assert_eq!(detail.as_deref(), Some("2 bản × 5 trang"));
    }

    #[test]
    fn copies_online_rates_and_flat_fees() {
        let extract = fee_of("2.000635");
        let three = [FeeCount { copies: 3, pages: 1 }];
        assert_eq!(extract.charge(&three, false).unwrap().amount, 24_000);
        let residence = fee_of("1.004222");
        assert_eq!(residence.charge(&[], false).unwrap().amount, 20_000);
        assert_eq!(
            residence.charge(&[], true).unwrap().amount,
            10_000,
            "Thông tư 75/2022: online rate"
        );
        assert_eq!(
            residence
                .source
                .as_deref()
                .map(|s| s.starts_with("Thông tư 75/2022/TT-BTC")),
            Some(true)
        );
        let signature = fee_of("2.000884");
        assert_eq!(
            signature.charge(&three, false).unwrap().amount,
            10_000,
            "flat: counts do not matter"
        );
    }

    #[test]
    fn verified_means_both_checks_name_a_document() {
        let c = bundled().unwrap();
        let status = c.procedures.iter().find(|p| p.code == "1.004873").unwrap();
        assert!(
            !status.verified,
            "its fee is set by the province's council and was not checked"
        );
        assert!(status.checked.time.is_some() && status.checked.fees.is_none());
        assert!(c
            .procedures
            .iter()
            .all(|p| p.verified == (p.checked.time.is_some() && p.checked.fees.is_some())));
        // A catalog cannot claim "verified" without naming the documents.
        let claimed = parse(
            r#"{"catalog": {"id": "t", "label": "t"}, "procedures": [
  {"code": "1.001193", "name": "Khai sinh", "field": "Hộ tịch", "time": {"unit": "same_day"}, "verified": true}]}"#,
        )
        .unwrap();
        assert!(!claimed.procedures[0].verified);
        let copy = c.procedures.iter().find(|p| p.code == "2.000815").unwrap();
        assert!(copy.name.ends_with("của Việt Nam cấp hoặc chứng nhận"), "{}", copy.name);
    }

    #[test]
    fn the_catalog_holds_a_communes_weekly_work_and_other_levels_say_where_they_go() {
        let c = bundled().unwrap();
        let names: Vec<String> = c.procedures.iter().map(|p| text::fold(&p.name)).collect();
        for wanted in [
            "chung thuc giao dich lien quan den tai san",
            "sua doi, bo sung, huy bo giao dich",
            "phan chia di san",
            "khai nhan di san",
            "dang ky giam ho",
            "dang ky khai sinh, dang ky thuong tru, cap the bao hiem y te",
            "xac nhan thong tin ve cu tru",
            "tro cap xa hoi hang thang",
            "ho tro chi phi mai tang",
            "cap giay chung nhan quyen su dung dat, quyen so huu tai san gan lien voi dat lan dau",
            "dang ky bien dong dat dai",
        ] {
            assert!(names.iter().any(|n| n.contains(wanted)), "no procedure for {wanted}");
        }
        for p in &c.procedures {
            assert!(
                ["commune", "province", "central"].contains(&p.level.as_str()),
                "{}",
                p.code
            );
            assert!(!p.deciding_body.is_empty(), "{}: who decides", p.code);
            if p.level != "commune" {
                assert!(
                    p.handover_to.is_some(),
                    "{}: a procedure of another level says where it goes",
                    p.code
                );
            }
            // A confirmed fee names its document; an unconfirmed one never claims to be free.
            if p.checked.fees.is_none() {
                assert!(!p.verified, "{}", p.code);
            }
        }
        // The codes the national portal gives these procedures (two were
        // swapped before: 2.000913 is the amendment, not the contract).
        for (code, name) in [
            ("2.001035", "chung thuc giao dich lien quan den tai san"),
            ("2.000913", "sua doi, bo sung, huy bo giao dich"),
            ("2.001406", "phan chia di san"),
            ("1.004837", "dang ky giam ho"),
            ("1.010041", "xac nhan thong tin ve cu tru"),
            ("1.013978", "lan dau doi voi ho gia dinh, ca nhan"),
        ] {
            let p = c.procedures.iter().find(|p| p.code == code).unwrap();
            assert!(text::fold(&p.name).contains(name), "{code}");
        }
        let residence = c.procedures.iter().find(|p| p.code == "1.004222").unwrap();
        assert_eq!(residence.fees[0].online_amount, Some(10_000));
    }

    #[test]
    fn codes() {
        assert!(is_valid_code("1.001193"));
        assert!(is_valid_code("2.000815.000.00.00.H55"));
        assert!(!is_valid_code("1.00119"));
        assert!(!is_valid_code("x.001193"));
        assert!(!is_valid_code("2.000815.H55"));
    }

    #[test]
    fn errors_name_the_line_of_each_bad_entry() {
        let src = r#"{"catalog": {"id": "t", "label": "t"},
"procedures": [
  {"code": "1.001193", "name": "Khai sinh", "field": "Hộ tịch", "time": {"unit": "same_day"}},
  {"code": "1.00", "name": "X", "field": "Y", "time": {"unit": "same_day"}},
  {"code": "1.000894", "name": "", "field": "Hộ tịch", "time": {"unit": "working_days", "value": 3}}
]}"#;
        let err = parse(src).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Dòng 4"), "{text}");
        assert!(text.contains("Dòng 5"), "{text}");
        assert_eq!(err.fields().len(), 2);
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse("{\"catalog\": {\"id\": \"t\",\n \"label\": }").unwrap_err();
        assert_eq!(err.code(), "catalog_syntax");
        assert!(err.to_string().contains("dòng 2"));
    }
}
