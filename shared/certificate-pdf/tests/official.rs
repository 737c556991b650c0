//! What makes a certificate look official (issue 15 item 5): the issuer's seal over
//! its name, the basis sentence (依据《…》), the scope and the holder's address, and
//! the signature moved off the page into the PDF's metadata.
//!
//! The sealed page is kept as a test artifact, `target/test-artifacts/certificate-sealed.png`
//! (and `.pdf`), to be looked at.

mod common;

use std::path::PathBuf;

use common::{fields, full_fields, pdf_info, pdf_png, pdf_text, renderer, scratch_dir};
use standing_certificate_pdf::{Extras, Seal, SealFormat, Signer};

fn signer() -> Signer {
    Signer::from_seed(&[5u8; 32])
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Pixels of the seal's red (#c8161d, drawn at 88 % opacity) on the page.
fn seal_red_pixels(png: &std::path::Path) -> usize {
    let img = image::open(png).unwrap().to_rgb8();
    img.pixels()
        .filter(|p| p[0] > 180 && p[1] < 90 && p[2] < 90)
        .count()
}

#[test]
fn a_sealed_certificate_reads_back_with_basis_scope_and_address_and_no_signature_line() {
    let f = full_fields();
    let sig = signer().sign(&f);
    let seal = Seal::specimen(&f.authority_name);
    let pdf = renderer()
        .render_certificate(
            "certificate",
            &f,
            &sig,
            Extras {
                stamp: None,
                seal: Some(&seal),
            },
        )
        .unwrap();
    let info = pdf_info(&pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    let text = squash(&pdf_text(&pdf));
    for want in [
        "依据《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》，经评定，该单位服务能力等级如上，特发此证。",
        "业务范围：",
        "公共安全技术防范系统设计、施工和维修",
        "单位地址：",
        "内蒙古自治区呼和浩特市赛罕区敕勒川大街19号",
        "核验网址：",
    ] {
        assert!(text.contains(&squash(want)), "{want:?} not in {text}");
    }
    // The signature is not printed: a reader cannot use it. It is in the metadata.
    assert!(!text.contains(sig.as_str()), "signature printed: {text}");
    assert!(!text.contains("Ed25519"), "{text}");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains(sig.as_str()),
        "the signature is in the PDF's metadata (XMP dc:description)"
    );

    let dir = artifacts();
    std::fs::write(dir.join("certificate-sealed.pdf"), &pdf).unwrap();
    let scratch = scratch_dir("sealed");
    let png = pdf_png(&pdf, &scratch);
    std::fs::copy(&png, dir.join("certificate-sealed.png")).unwrap();
    // The seal's red is on the page, and only with a seal.
    let sealed_red = seal_red_pixels(&png);
    let plain = renderer().render_pdf("certificate", &f, &sig).unwrap();
    let plain_png = pdf_png(&plain, &scratch_dir("unsealed"));
    assert!(
        sealed_red > 2_000 && seal_red_pixels(&plain_png) < sealed_red / 10,
        "seal red pixels: {sealed_red} sealed, {} without",
        seal_red_pixels(&plain_png)
    );
    std::fs::remove_dir_all(&scratch).ok();
}

#[test]
fn an_uploaded_png_seal_is_printed_as_an_image() {
    // A 64x64 red ring with a transparent background, made here as a PNG.
    let mut img = image::RgbaImage::new(64, 64);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let d = ((x as f64 - 31.5).powi(2) + (y as f64 - 31.5).powi(2)).sqrt();
        *p = if (26.0..31.0).contains(&d) {
            image::Rgba([200, 22, 29, 230])
        } else {
            image::Rgba([0, 0, 0, 0])
        };
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let seal = Seal::new(png, SealFormat::Png).unwrap();
    let f = full_fields();
    let pdf = renderer()
        .render_certificate(
            "certificate",
            &f,
            &signer().sign(&f),
            Extras {
                stamp: None,
                seal: Some(&seal),
            },
        )
        .unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("/Subtype /Image") || raw.contains("/Subtype/Image"),
        "an image XObject"
    );
    assert!(pdf_info(&pdf).contains("Pages:           1"));
    let png = pdf_png(&pdf, &scratch_dir("png-seal"));
    assert!(seal_red_pixels(&png) > 500);
}

#[test]
fn the_star_certificate_takes_the_same_basis_scope_and_seal() {
    let f = standing_certificate_pdf::CertificateFields {
        scheme_id: "om-stars".into(),
        title: "安全防范系统运行维护服务星级证书".into(),
        authority_name: "北京安全防范行业协会".into(),
        level_label: "二星级".into(),
        scope: Some("安全防范系统运行维护服务".into()),
        basis: Some("T/BAX 000X—2022《安全防范系统运行维护服务星级标准》".into()),
        ..full_fields()
    };
    let seal = Seal::specimen(&f.authority_name);
    let pdf = renderer()
        .render_certificate(
            "om-stars",
            &f,
            &signer().sign(&f),
            Extras {
                stamp: None,
                seal: Some(&seal),
            },
        )
        .unwrap();
    assert!(pdf_info(&pdf).contains("Pages:           1"));
    let text = squash(&pdf_text(&pdf));
    assert!(
        text.contains(&squash(
            "依据T/BAX 000X—2022《安全防范系统运行维护服务星级标准》，经评定"
        )),
        "{text}"
    );
    assert!(text.contains("安全防范系统运行维护服务"), "{text}");
    let dir = artifacts();
    let scratch = scratch_dir("stars-sealed");
    let png = pdf_png(&pdf, &scratch);
    std::fs::copy(&png, dir.join("star-certificate-sealed.png")).unwrap();
    std::fs::remove_dir_all(&scratch).ok();
}

#[test]
fn a_certificate_signed_before_the_new_fields_still_renders_as_before() {
    // Records issued before address, scope and basis were printed keep their signed
    // form; their page simply has no such rows.
    let f = fields();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(!text.contains("业务范围"), "{text}");
    assert!(!text.contains("依据"), "{text}");
    assert!(
        text.contains("经评定，该单位服务能力等级如上，特发此证。"),
        "{text}"
    );
}
