//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use standing_certificate_pdf::{CertificateFields, FontSource, Renderer};

pub fn templates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")
}

pub fn renderer() -> Renderer {
    Renderer::new(FontSource::from_env(), templates_dir()).expect("templates dir exists")
}

pub fn fields() -> CertificateFields {
    CertificateFields {
        serial: "NMGAF-FN-2026-0042".into(),
        scheme_id: "capability-grade".into(),
        authority_name: "内蒙古自治区安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        company_name: "呼和浩特市青城智能安防工程有限公司".into(),
        credit_code: "91150100MA0N8K3Q2X".into(),
        level_label: "二级".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 6, 18).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        verify_url: "https://standing.example.cn/v1/verify/01KAQ3Z8X6M4T2R9B7C5D1E0FG".into(),
        version: 2,
        address: None,
        scope: None,
        basis: None,
    }
}

/// The fields as a certificate issued today prints them: with the holder's address,
/// the scope and the basis from the scheme data.
pub fn full_fields() -> CertificateFields {
    CertificateFields {
        address: Some("内蒙古自治区呼和浩特市赛罕区敕勒川大街19号".into()),
        scope: Some("公共安全技术防范系统设计、施工和维修".into()),
        basis: Some(
            "《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》"
                .into(),
        ),
        ..fields()
    }
}

/// A fresh scratch directory under the system temp dir.
pub fn scratch_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "standing-certs-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `pdf` and returns `pdftotext -layout` of it (poppler-utils).
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = scratch_dir("text");
    let path = dir.join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout).unwrap()
}

/// `pdfinfo` output of `pdf`.
pub fn pdf_info(pdf: &[u8]) -> String {
    let dir = scratch_dir("info");
    let path = dir.join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    assert!(out.status.success(), "pdfinfo failed: {out:?}");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout).unwrap()
}

/// Rasterises page 1 at 150 dpi with `pdftoppm -png -r 150` and returns the PNG path.
pub fn pdf_png(pdf: &[u8], dir: &Path) -> PathBuf {
    let path = dir.join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-singlefile"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    dir.join("page.png")
}
