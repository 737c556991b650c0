//! The credit report PDF (issue 11 item 7): level, score, the events in force, the
//! date of issue and the issuer read back from the PDF; the QR code opens the
//! verification URL; the signature over the canonical JSON verifies and is in the
//! PDF's metadata, not on the page. The report is kept as a test artifact,
//! `target/test-artifacts/credit-report.pdf`.

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::{pdf_info, pdf_png, pdf_text, renderer, scratch_dir};
use standing_certificate_pdf::{
    CreditReportFields, RenderError, ReportEvent, Signer, canonical_report_json, verify_report,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn event(i: u32) -> ReportEvent {
    if i % 3 == 0 {
        ReportEvent {
            date: d(2026, 1 + i % 12, 1 + i % 27),
            code: "T2".into(),
            title: "受到县级以上行政主管部门表彰".into(),
            article: "一（三）2".into(),
            points: "+3".into(),
            repair: "—".into(),
        }
    } else {
        ReportEvent {
            date: d(2026, 1 + i % 12, 1 + i % 27),
            code: "U4".into(),
            title: "出具虚假或者失实文件".into(),
            article: "一（四）4".into(),
            points: "-2.5".into(),
            repair: if i % 2 == 0 {
                "已修复"
            } else {
                "未申请修复"
            }
            .into(),
        }
    }
}

fn report(events: Vec<ReportEvent>) -> CreditReportFields {
    CreditReportFields {
        serial: "01KBZ8X6M4T2R9B7C5D1E0FGHJ".into(),
        authority_name: "焦作市住房和城乡建设局".into(),
        company_name: "焦作市安泰消防技术服务有限公司".into(),
        credit_code: "91410800MA44XXXXXX".into(),
        scheme_id: "fire-credit".into(),
        scheme_version: "1".into(),
        level_code: "B".into(),
        level_label: "B级".into(),
        score: "97.5".into(),
        cycle_start: d(2026, 1, 1),
        cycle_end: d(2026, 12, 31),
        events,
        issue_date: d(2026, 6, 18),
        verify_url:
            "https://standing.example.cn/v1/credit-reports/01KBZ8X6M4T2R9B7C5D1E0FGHJ/verify".into(),
        version: 1,
    }
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn qr_text(pdf: &[u8]) -> Vec<String> {
    let dir = scratch_dir("report-qr");
    let png = pdf_png(pdf, &dir);
    let img = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let found: Vec<String> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect();
    std::fs::remove_dir_all(&dir).ok();
    found
}

#[test]
fn a_report_reads_back_with_level_score_events_issuer_and_date_and_verifies() {
    let f = report(vec![event(1), event(3)]);
    let signer = Signer::from_seed(&[7u8; 32]);
    let sig = signer.sign_report(&f);
    let pdf = renderer()
        .render_report("credit-report", &f, &sig)
        .expect("renders");
    std::fs::write(artifacts().join("credit-report.pdf"), &pdf).unwrap();

    let info = pdf_info(&pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("A4"), "{info}");
    let text = squash(&pdf_text(&pdf));
    for want in [
        "消防技术服务机构信用报告",
        &f.serial,
        &f.company_name,
        &f.credit_code,
        "信用等级",
        "B级",
        "信用分",
        "97.5",
        "2026年2月2日",
        "出具虚假或者失实文件",
        "一（四）4",
        "-2.5",
        "未申请修复",
        "2026年4月4日",
        "受到县级以上行政主管部门表彰",
        "+3",
        "出具机关：焦作市住房和城乡建设局",
        "出具日期：2026年6月18日",
        "核验方法：",
    ] {
        assert!(text.contains(&squash(want)), "{want:?} not in {text}");
    }
    // The signature is not on the page; it is in the metadata.
    assert!(!text.contains(sig.as_str()), "{text}");
    assert!(String::from_utf8_lossy(&pdf).contains(sig.as_str()));

    // The QR code opens the verification URL.
    assert_eq!(qr_text(&pdf), vec![f.verify_url.clone()]);

    // The signature verifies against the public key, over the canonical JSON only.
    assert!(verify_report(&f, &sig, &signer.public_key()));
    assert!(signer.verify_report(&f, &sig));
    let mut changed = f.clone();
    changed.events[0].repair = "已修复".into();
    assert!(!verify_report(&changed, &sig, &signer.public_key()));
    let mut changed = f.clone();
    changed.score = "97.50".into();
    assert!(!verify_report(&changed, &sig, &signer.public_key()));
    let other = Signer::from_seed(&[8u8; 32]);
    assert!(!verify_report(&f, &sig, &other.public_key()));
    // What a verifier rebuilds from the public JSON verifies the same.
    let back: CreditReportFields = serde_json::from_slice(&canonical_report_json(&f)).unwrap();
    assert!(verify_report(&back, &sig, &signer.public_key()));

    // Deterministic: same inputs, same bytes.
    let again = renderer().render_report("credit-report", &f, &sig).unwrap();
    assert_eq!(again, pdf);
}

#[test]
fn a_long_report_runs_to_several_pages_and_an_empty_one_says_so() {
    let f = report((0..60).map(event).collect());
    let sig = Signer::from_seed(&[7u8; 32]).sign_report(&f);
    let pdf = renderer().render_report("credit-report", &f, &sig).unwrap();
    let info = pdf_info(&pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 2, "{info}");
    let text = squash(&pdf_text(&pdf));
    assert_eq!(
        text.matches("出具虚假或者失实文件").count(),
        40,
        "every event is printed"
    );
    assert!(text.contains(&squash(&format!("共{pages}页"))), "{text}");

    let empty = report(vec![]);
    let sig = Signer::from_seed(&[7u8; 32]).sign_report(&empty);
    let pdf = renderer()
        .render_report("credit-report", &empty, &sig)
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("本评价周期内无在册信用事件。"), "{text}");
    assert!(text.contains("B级") && text.contains("97.5"), "{text}");
}

#[test]
fn a_report_that_cannot_be_printed_is_refused_before_rendering() {
    let mut f = report(vec![event(1)]);
    f.score = "ninety".into();
    let sig = Signer::from_seed(&[7u8; 32]).sign_report(&f);
    assert!(matches!(
        renderer().render_report("credit-report", &f, &sig),
        Err(RenderError::Field(_))
    ));
    let f = report(vec![]);
    assert!(matches!(
        renderer().render_report("../credit-report", &f, &sig),
        Err(RenderError::TemplateName(_))
    ));
}
