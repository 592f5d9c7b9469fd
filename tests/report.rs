//! The period's figures (Biểu 06, Decision 766) from dossiers received and
//! processed through the desk, the rounding rule against the province's
//! printed rates, and the xlsx read back.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{desk_in, reception, vn};
use motcua::dossier::Timeliness;
use motcua::report::figures::{compute, Context, Facts};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Receives a 3-working-day dossier (1.004873) at `at`; returns its code.
fn receive(desk: &mut motcua::desk::Desk, at: DateTime<Utc>, channel: &str) -> String {
    let mut input = reception("1.004873");
    input.channel = channel.into();
    desk.receive(&input, at).unwrap().code
}

#[test]
fn every_rule_by_hand_for_one_month() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk_in(dir.path(), 1);
    let result = |desk: &mut motcua::desk::Desk, code: &str, at| {
        desk.record_result(code, "1/XN", "UBND xã", None, at).unwrap();
    };
    // Facts are recorded in time order, as a PC must (it refuses a fact
    // dated before its last one).
    // Ended before the period: out of scope.
    let old = receive(&mut desk, vn(2026, 10, 5, 9, 0), "counter");
    result(&mut desk, &old, vn(2026, 10, 7, 9, 0));
    // Carried over from October (due Tue 3 Nov 09:00), resolved early on 2 Nov.
    let carried = receive(&mut desk, vn(2026, 10, 29, 9, 0), "counter");
    // Received Mon 2 Nov 09:00: due Thu 5 Nov 09:00.
    let early = receive(&mut desk, vn(2026, 11, 2, 9, 0), "counter");
    let on_time = receive(&mut desk, vn(2026, 11, 2, 9, 0), "counter");
    let late = receive(&mut desk, vn(2026, 11, 2, 9, 0), "counter");
    let restarted = receive(&mut desk, vn(2026, 11, 2, 9, 0), "counter");
    let extended = receive(&mut desk, vn(2026, 11, 2, 9, 0), "counter");
    result(&mut desk, &carried, vn(2026, 11, 2, 10, 0));
    // Stopped at the citizen's request before the due date (by post).
    let stopped = receive(&mut desk, vn(2026, 11, 3, 9, 0), "post");
    // A supplement asked in time (Tue, the 1st working day) restarts the
    // clock when completed: after the first due date, yet early.
    let supplement = common::supplement();
    desk.request_supplement(&restarted, &supplement, vn(2026, 11, 3, 10, 0))
        .unwrap();
    // The one extension, asked in time (Wed, a working day before Thu),
    // moves the due date: after the first due date, yet early.
    let new_due = motcua::vntime::from_utc(vn(2026, 11, 10, 17, 0));
    desk.extend(&extended, new_due, "Cần xác minh", vn(2026, 11, 4, 9, 0))
        .unwrap();
    desk.withdraw(&stopped, "Người nộp xin rút", vn(2026, 11, 4, 9, 0))
        .unwrap();
    result(&mut desk, &early, vn(2026, 11, 4, 15, 0));
    result(&mut desk, &on_time, vn(2026, 11, 5, 8, 30));
    result(&mut desk, &late, vn(2026, 11, 5, 10, 0));
    desk.complete_supplement(&restarted, vn(2026, 11, 9, 9, 0)).unwrap();
    result(&mut desk, &extended, vn(2026, 11, 9, 16, 0));
    result(&mut desk, &restarted, vn(2026, 11, 11, 14, 0));
    // Pending at the period's end: overdue, within due, and one resolved only in December.
    receive(&mut desk, vn(2026, 11, 23, 9, 0), "counter");
    receive(&mut desk, vn(2026, 11, 27, 9, 0), "counter");
    let after = receive(&mut desk, vn(2026, 11, 30, 9, 0), "counter");
    result(&mut desk, &after, vn(2026, 12, 1, 10, 0));

    let r = desk
        .report(d(2026, 11, 1), d(2026, 11, 30), vn(2026, 12, 10, 8, 0))
        .unwrap();
    assert_eq!(r.as_of, "2026-11-30T23:59:59+07:00");
    let received = (
        r.received.total,
        r.received.counter,
        r.received.post,
        r.received.online,
        r.received.carried_over,
    );
    assert_eq!(received, (10, 8, 1, 0, 1));
    let resolved = (r.resolved.total, r.resolved.early, r.resolved.on_time, r.resolved.late);
    assert_eq!(resolved, (7, 5, 1, 1));
    assert_eq!((r.pending.total, r.pending.within_due, r.pending.overdue), (3, 2, 1));
    assert_eq!(r.received.total, r.resolved.total + r.pending.total);
    assert_eq!(r.on_time_rate, Some(85.71));
    assert_eq!(r.by_procedure.len(), 1);
    assert_eq!(r.by_procedure[0].code, "1.004873");
    assert_eq!(r.by_procedure[0].counts.resolved, r.resolved);
    assert_eq!(r.by_field.len(), 1);
    let i = &r.indicators;
    // 766's 2.1 counts the open dossiers too, by where they stood at the
    // period's end: (5 early + 1 on time + 2 open within due) of 10.
    assert_eq!(i["2.1"].value, Some(80.0));
    assert_eq!((i["2.1"].numerator, i["2.1"].denominator), (Some(8), Some(10)));
    assert_eq!(i["3.3"].value, Some(0.0));
    assert_eq!(i["3.3"].parts["counter"], 88.89);
    assert_eq!(i["3.3"].parts["post"], 11.11);
    // Satisfaction needs citizens' ratings: no data, never late ÷ resolved.
    assert!(i["5.4"].no_data.as_deref().unwrap().contains("đánh giá"));
    // No data is never shown as 0 %.
    for code in ["1.4", "3.6", "4.1", "4.2", "4.3", "5.4"] {
        assert_eq!(i[code].value, None, "{code}");
        assert!(i[code].no_data.as_deref().unwrap().starts_with("Chưa có dữ liệu"));
    }
    // 2.2 averages the six November dossiers that have their result (the
    // one of 30 Nov too, though it came in December), not the October one
    // nor the withdrawn one, less the applicant's supplement time. In
    // opening hours of working days: 20 + 23.5 + 25 + (59 − 31) + 45 + 9 =
    // 150.5 h ÷ 8 h ÷ 6 = 3.1 working days; in hours of the clock:
    // 54 + 71.5 + 73 + (221 − 143) + 175 + 25 = 476.5 h ÷ 24 ÷ 6 = 3.3 days.
    assert_eq!(i["2.2"].value, Some(3.1));
    assert_eq!(i["2.2"].unit, "ngày làm việc");
    assert_eq!(i["2.2"].denominator, Some(6));
    assert_eq!(r.average_working_days, Some(3.1));
    assert_eq!(r.average_processing_days, Some(3.3));
    assert_eq!(r.by_month.len(), 1);
    // Every step here kept the rules: nothing flagged.
    assert_eq!(r.flags, Default::default());

    // Judged on 26 Nov, the same month so far: the dossier of 27 Nov does not exist yet.
    let mid = desk
        .report(d(2026, 11, 1), d(2026, 11, 30), vn(2026, 11, 26, 12, 0))
        .unwrap();
    assert_eq!(mid.pending.overdue, 0, "23 Nov is due on 26 Nov at 09:00 or later");
    // December: the dossier of 30 Nov is carried over and resolved.
    let dec = desk
        .report(d(2026, 12, 1), d(2026, 12, 31), vn(2027, 1, 5, 8, 0))
        .unwrap();
    assert_eq!((dec.received.carried_over, dec.resolved.total), (3, 1));
    // A period that ends before it starts is refused.
    assert_eq!(
        desk.report(d(2026, 12, 1), d(2026, 11, 1), vn(2027, 1, 5, 8, 0))
            .unwrap_err()
            .code(),
        "period_invalid"
    );
}

#[test]
fn more_than_one_supplement_request_counts_late() {
    let due = chrono::DateTime::parse_from_rfc3339("2026-11-05T09:00:00+07:00").unwrap();
    let end = chrono::DateTime::parse_from_rfc3339("2026-11-04T09:00:00+07:00").unwrap();
    assert_eq!(Timeliness::classify(due, Some(end), false, 1, end), Timeliness::Early);
    assert_eq!(Timeliness::classify(due, Some(end), false, 2, end), Timeliness::Late);
}

/// `resolved` dossiers of one month, `on_time` of them ended before their due date.
fn province_like(resolved: usize, on_time: usize) -> Vec<Facts> {
    let received = chrono::DateTime::parse_from_rfc3339("2024-03-04T08:00:00+07:00").unwrap();
    (0..resolved)
        .map(|i| Facts {
            procedure_code: "1.004873".into(),
            procedure_name: "Xác nhận tình trạng hôn nhân".into(),
            field: "Hộ tịch".into(),
            channel: "counter".into(),
            receipt_date: d(2024, 3, 4),
            received_at: received,
            due_at: received + chrono::Duration::days(3),
            ended_at: Some(received + chrono::Duration::days(if i < on_time { 1 } else { 5 })),
            waiting_for_supplement: false,
            supplement_requests: 0,
            flags: Vec::new(),
            with_result: true,
            supplement: None,
        })
        .collect()
}

/// A rounding test, not a counting one: the facts are made to hold the
/// province's published counts (resolved, on time), and the rate computed
/// from them must match the printed percentage. The counting rules are
/// checked from real dossiers in `every_rule_by_hand_for_one_month`.
#[test]
fn the_provinces_2024_rates_round_as_printed() {
    let as_of = chrono::DateTime::parse_from_rfc3339("2024-06-10T23:59:59+07:00").unwrap();
    let rate = |resolved, on_time| {
        let r = compute(
            province_like(resolved, on_time),
            d(2023, 12, 15),
            d(2024, 6, 10),
            as_of,
            &Context {
                synced_received: None,
                calendar: &motcua::calendar::Calendar::new(
                    motcua::calendar::CalendarData::bundled(),
                    motcua::calendar::OfficeHours::default(),
                ),
            },
        );
        assert_eq!(r.resolved.total, resolved as i64);
        assert_eq!(r.resolved.early + r.resolved.on_time, on_time as i64);
        r.on_time_rate
    };
    // Provincial departments and communes, as the 2024 report prints them.
    assert_eq!(rate(26_814, 25_628), Some(95.58));
    assert_eq!(rate(53_172, 53_106), Some(99.88));
    // Districts: the report prints 99.38 %, but 5,659 / 5,695 = 99.3679 % —
    // 99.37 % rounded (its own late share, 36 / 5,695, is 0.63 %, not the 0.62 % printed).
    assert_eq!(rate(5_695, 5_659), Some(99.37));
}

#[test]
fn the_xlsx_reads_back_as_the_json() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "demo-data",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--dossiers",
            "400",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A new training office comes with a demo admin, its password shown once.
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let login = made["account"]["login"].as_str().unwrap();
    let password = made["account"]["password"].as_str().unwrap();
    assert!(password.len() >= 8, "{made}");
    let xlsx = dir.path().join("bieu06.xlsx");
    let pdf = dir.path().join("bieu06.pdf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir.path())
        .env("MOTCUA_USER", login)
        .env("MOTCUA_PASSWORD", password)
        .args([
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--json",
            "--xlsx",
        ])
        .arg(&xlsx)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "received",
        "resolved",
        "pending",
        "on_time_rate",
        "by_procedure",
        "indicators",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&json["received"]),
        ["carried_over", "counter", "online", "post", "total"]
    );
    assert_eq!(keys(&json["resolved"]), ["early", "late", "on_time", "total"]);
    assert_eq!(keys(&json["pending"]), ["overdue", "total", "within_due"]);
    assert!(json["received"]["carried_over"].as_i64().unwrap() > 0);

    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = wb.worksheet_range("Bieu 06").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let text = |c: &Data| c.to_string();
    let number = |c: &Data| match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    };
    // The eleven counts (columns 3–13) and the rate (column 14, empty when there is no data).
    let counts = |row: &[Data]| (2..13).map(|c| number(&row[c])).collect::<Vec<f64>>();
    let expect = |v: &serde_json::Value| {
        let n = |p: &str| v.pointer(p).and_then(|x| x.as_f64()).unwrap();
        vec![
            n("/received/total"),
            n("/received/online"),
            n("/received/counter") + n("/received/post"),
            n("/received/carried_over"),
            n("/resolved/total"),
            n("/resolved/early"),
            n("/resolved/on_time"),
            n("/resolved/late"),
            n("/pending/total"),
            n("/pending/within_due"),
            n("/pending/overdue"),
        ]
    };
    let same = |row: &[Data], v: &serde_json::Value| {
        assert_eq!(counts(row), expect(v), "{}", text(&row[1]));
        match v["on_time_rate"].as_f64() {
            Some(rate) => assert_eq!(number(&row[13]), rate),
            None => assert_eq!(text(&row[13]), ""),
        }
    };
    let total = rows.iter().find(|r| text(&r[1]) == "Tổng cộng").expect("the total row");
    same(total, &json);
    let procedures = json["by_procedure"].as_array().unwrap();
    assert!(procedures.len() > 5);
    for p in procedures {
        let name = format!("{} ({})", p["name"].as_str().unwrap(), p["code"].as_str().unwrap());
        let row = rows
            .iter()
            .find(|r| text(&r[1]) == name)
            .unwrap_or_else(|| panic!("{name}"));
        same(row, p);
    }
    // The indicators are there, with "no data" where there is none.
    let no_data = rows.iter().find(|r| text(&r[0]) == "4.2").expect("indicator 4.2");
    assert_eq!(text(&no_data[2]), "Chưa có dữ liệu");
    // The PDF of a training office carries the training mark.
    let pdf_text = common::pdftotext(&pdf);
    assert!(pdf_text.contains("BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"));
    assert!(pdf_text.contains("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"));
    // Paper writes decimals the Vietnamese way: "93,33 %", never "93.33 %".
    let words: Vec<&str> = pdf_text.split_whitespace().collect();
    let rates: Vec<&str> = words.windows(2).filter(|w| w[1] == "%").map(|w| w[0]).collect();
    assert!(rates.iter().any(|r| r.contains(',')), "{rates:?}");
    assert!(rates.iter().all(|r| !r.contains('.')), "{rates:?}");
}
