//! The star rating's own template (`templates/om-stars.typ`, seed 003 2.1: the level is
//! shown by a number of five-pointed stars), and that the default template still renders
//! the same page through the shared `layout.typ`.

mod common;

use common::{fields, pdf_png, pdf_text, renderer, scratch_dir};
use standing_certificate_pdf::{CertificateFields, Signer};

fn signer() -> Signer {
    Signer::from_seed(&[3u8; 32])
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn star_fields(label: &str) -> CertificateFields {
    let mut f = fields();
    f.scheme_id = "om-stars".into();
    f.title = "安全防范系统运行维护服务星级证书".into();
    f.authority_name = "北京安全防范行业协会".into();
    f.level_label = label.into();
    f
}

/// Pixels of the certificate red on the page: the label and frame are the same for
/// every level, so each filled star adds red.
fn red_pixels(png: &[u8]) -> usize {
    let img = image::load_from_memory(png).unwrap().to_rgb8();
    img.pixels()
        .filter(|p| p[0] > 120 && p[1] < 60 && p[2] < 60)
        .count()
}

#[test]
fn the_star_certificate_reads_back_with_its_title_level_and_statement() {
    let f = star_fields("三星级");
    let pdf = renderer()
        .render_pdf("om-stars", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    for want in [
        "安全防范系统运行维护服务星级证书",
        "服务星级：",
        "三星级",
        "经评定，该单位安全防范系统运行维护服务能力达到上述星级，特发此证。",
        "北京安全防范行业协会",
        "有效期至",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
}

#[test]
fn each_star_reached_is_drawn_filled() {
    let dir = scratch_dir("stars");
    // The last page rendered stays in `dir` to be looked at.
    let mut reds = Vec::new();
    for label in ["一星级", "二星级", "三星级"] {
        let f = star_fields(label);
        let pdf = renderer()
            .render_pdf("om-stars", &f, &signer().sign(&f))
            .unwrap();
        let png = std::fs::read(pdf_png(&pdf, &dir)).unwrap();
        reds.push(red_pixels(&png));
    }
    assert!(
        reds[0] < reds[1] && reds[1] < reds[2],
        "filled stars should add red: {reds:?}"
    );
}

#[test]
fn the_default_template_still_prints_the_capability_grade_through_the_shared_layout() {
    let f = fields();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(
        text.contains("能力等级：") && text.contains("二级"),
        "{text}"
    );
    assert!(
        text.contains("经评定，该单位服务能力等级如上，特发此证。"),
        "{text}"
    );
}
