//! Rendering: text, QR, PDF/A metadata, determinism, literal fields, errors.

mod common;

use common::{fields, pdf_info, pdf_png, pdf_text, renderer, scratch_dir, templates_dir};
use standing_certificate_pdf::{FontError, FontSource, RenderError, Renderer, Signer};

fn signer() -> Signer {
    Signer::from_seed(&[42u8; 32])
}

/// Removes all whitespace: pdftotext may break a long line or add spaces.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_text_has_company_grade_serial_and_dates() {
    let f = fields();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    for want in [
        "呼和浩特市青城智能安防工程有限公司",
        "二级",
        "NMGAF-FN-2026-0042",
        "91150100MA0N8K3Q2X",
        "服务能力等级证书",
        "内蒙古自治区安全技术防范行业协会",
        "2026年6月18日",
        "2027年3月31日",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
}

#[test]
fn qr_code_decodes_to_exactly_the_verification_url() {
    let f = fields();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let dir = scratch_dir("qr");
    let png = pdf_png(&pdf, &dir);
    let img = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code on the page");
    let (_meta, content) = grids[0].decode().unwrap();
    assert_eq!(content, f.verify_url);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn pdf_is_one_a4_page_pdfa_2b_with_metadata() {
    let f = fields();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1."), "PDF header");
    let raw = String::from_utf8_lossy(&pdf);
    // XMP identification schema of PDF/A-2b (ISO 19005-2), uncompressed as required.
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>") || raw.contains("pdfaid:part=\"2\""),
        "pdfaid:part 2"
    );
    assert!(
        raw.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || raw.contains("pdfaid:conformance=\"B\""),
        "pdfaid:conformance B"
    );
    assert!(raw.contains("/OutputIntents"), "output intent (sRGB)");
    let info = pdf_info(&pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    assert!(info.contains("Title:           服务能力等级证书"), "{info}");
    assert!(info.contains("CreationDate:    Thu Jun 18"), "{info}");
}

#[test]
fn same_fields_give_the_same_bytes() {
    let f = fields();
    let sig = signer().sign(&f);
    let r = renderer();
    let first = r.render_pdf("certificate", &f, &sig).unwrap();
    // Something else in between must not leak into the next render.
    let mut other = f.clone();
    other.company_name = "包头市稀土高新区安防有限公司".into();
    other.serial = "NMGAF-FN-2026-0043".into();
    let other_pdf = r
        .render_pdf("certificate", &other, &signer().sign(&other))
        .unwrap();
    assert_ne!(first, other_pdf);
    let again = r.render_pdf("certificate", &f, &sig).unwrap();
    assert_eq!(first, again, "re-render in the same renderer");
    let fresh = renderer().render_pdf("certificate", &f, &sig).unwrap();
    assert_eq!(first, fresh, "re-render in a new renderer");
}

/// Helper for the cross-process check below; does nothing unless asked.
#[test]
#[ignore = "run by same_bytes_in_a_fresh_process"]
fn render_to_env_path() {
    if let Some(path) = std::env::var_os("STANDING_CERT_TEST_OUT") {
        let f = fields();
        let pdf = renderer()
            .render_pdf("certificate", &f, &signer().sign(&f))
            .unwrap();
        std::fs::write(path, pdf).unwrap();
    }
}

#[test]
fn same_bytes_in_a_fresh_process() {
    let dir = scratch_dir("proc");
    let out = dir.join("child.pdf");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "render_to_env_path",
            "--test-threads=1",
        ])
        .env("STANDING_CERT_TEST_OUT", &out)
        .status()
        .unwrap();
    assert!(status.success());
    let child = std::fs::read(&out).expect("child process wrote the PDF");
    let f = fields();
    let here = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    assert_eq!(child, here);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn typst_markup_in_fields_renders_literally() {
    let mut f = fields();
    f.company_name =
        r#"#set page(fill: red)] [*粗* _x_ $a$ @ref <l> \ `c` //x /*y*/ {z} "q"有限公司"#.into();
    f.level_label = "#panic(\"boom\")".into();
    f.authority_name = "]) #let x = 1 协会".into();
    f.serial = "#S-1]".into();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    for want in [
        &f.company_name,
        &f.level_label,
        &f.authority_name,
        &f.serial,
    ] {
        assert!(
            text.contains(&squash(want)),
            "{want:?} not literal in {text}"
        );
    }
}

#[test]
fn generic_template_serves_star_ratings_and_awards() {
    let mut f = fields();
    f.scheme_id = "star-rating".into();
    f.title = "运维服务星级证书".into();
    f.level_label = "★★★".into();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("运维服务星级证书"), "{text}");
    // pdftotext orders the big label and its caption by baseline: check each.
    assert!(
        text.contains("服务星级：") && text.contains("★★★"),
        "{text}"
    );

    f.scheme_id = "annual-award".into();
    f.title = "年度荣誉证书".into();
    f.level_label = "优秀安防企业".into();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(
        text.contains("荣誉称号：") && text.contains("优秀安防企业"),
        "{text}"
    );
}

#[test]
fn long_company_name_still_fits_one_page() {
    let mut f = fields();
    f.company_name = "内蒙古自治区呼和浩特市赛罕区金桥经济技术开发区智慧城市安全技术防范系统集成与运营维护服务股份有限公司第一分公司".into();
    let pdf = renderer()
        .render_pdf("certificate", &f, &signer().sign(&f))
        .unwrap();
    assert!(pdf_info(&pdf).contains("Pages:           1"));
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains(&f.company_name), "{text}");
}

#[test]
fn bad_template_names_are_rejected() {
    let f = fields();
    let sig = signer().sign(&f);
    for name in [
        "../certificate",
        "certificate.typ",
        "",
        "Certificate",
        "a/b",
    ] {
        assert!(
            matches!(
                renderer().render_pdf(name, &f, &sig),
                Err(RenderError::TemplateName(_))
            ),
            "{name:?}"
        );
    }
    assert!(matches!(
        renderer().render_pdf("no-such-template", &f, &sig),
        Err(RenderError::Template { .. })
    ));
}

#[test]
fn edited_template_takes_effect_without_restart_and_errors_name_the_line() {
    let dir = scratch_dir("tpl");
    let tpl = dir.join("filing.typ");
    let base = "#let d = json(\"/standing/certificate.json\")\n\
                #set page(paper: \"a4\")\n\
                #set text(font: \"Noto Serif CJK SC\")\n";
    std::fs::write(&tpl, format!("{base}第一版 #d.fields.company_name\n")).unwrap();
    let r = Renderer::new(FontSource::from_env(), &dir).unwrap();
    let f = fields();
    let sig = signer().sign(&f);
    let v1 = squash(&pdf_text(&r.render_pdf("filing", &f, &sig).unwrap()));
    assert!(v1.contains("第一版呼和浩特市"), "{v1}");

    std::fs::write(&tpl, format!("{base}第二版 #d.fields.level_label\n")).unwrap();
    let v2 = squash(&pdf_text(&r.render_pdf("filing", &f, &sig).unwrap()));
    assert!(v2.contains("第二版二级"), "{v2}");

    std::fs::write(&tpl, format!("{base}#d.fields.no_such_field\n")).unwrap();
    match r.render_pdf("filing", &f, &sig) {
        Err(RenderError::Compile { messages, .. }) => {
            let all = messages.join("\n");
            assert!(all.contains("filing.typ:4:"), "{all}");
            assert!(all.contains("no_such_field"), "{all}");
        }
        other => panic!("expected a compile error, got {other:?}"),
    }

    std::fs::write(&tpl, format!("{base}一 #pagebreak() 二\n")).unwrap();
    assert!(matches!(
        r.render_pdf("filing", &f, &sig),
        Err(RenderError::PageCount { pages: 2, .. })
    ));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unprintable_fields_are_rejected_before_rendering() {
    let sig = signer().sign(&fields());
    let mut f = fields();
    f.valid_until = f.issue_date.pred_opt().unwrap();
    assert!(matches!(
        renderer().render_pdf("certificate", &f, &sig),
        Err(RenderError::Field(_))
    ));
    let mut f = fields();
    f.company_name = "  ".into();
    assert!(matches!(
        renderer().render_pdf("certificate", &f, &sig),
        Err(RenderError::Field(_))
    ));
    let mut f = fields();
    f.verify_url = "javascript:alert(1)".into();
    assert!(matches!(
        renderer().render_pdf("certificate", &f, &sig),
        Err(RenderError::Field(_))
    ));
}

#[test]
fn missing_fonts_are_a_clear_error() {
    let f = fields();
    let sig = signer().sign(&f);
    let r = Renderer::new(FontSource::dir("/nonexistent/fonts"), templates_dir()).unwrap();
    assert!(matches!(
        r.render_pdf("certificate", &f, &sig),
        Err(RenderError::Font(_))
    ));
    let empty = scratch_dir("nofonts");
    std::fs::write(empty.join("junk.ttf"), b"not a font").unwrap();
    let r = Renderer::new(FontSource::dir(&empty), templates_dir()).unwrap();
    let err = r.render_pdf("certificate", &f, &sig).unwrap_err();
    assert!(
        err.to_string().contains("Noto Serif CJK SC:Regular"),
        "{err}"
    );
    std::fs::remove_dir_all(&empty).ok();
    assert!(Renderer::new(FontSource::from_env(), "/nonexistent/templates").is_err());
}

/// The certificate function constructs its renderer at start and most of its requests
/// never render: constructing a renderer must not read the fonts, and the first render
/// of a fresh renderer must load them (once) and render.
#[test]
fn fonts_are_read_on_the_first_render_not_at_construction() {
    let f = fields();
    let sig = signer().sign(&f);
    let scratch = scratch_dir("lazyfonts");
    // A font directory that does not exist yet.
    let font_dir = scratch.join("fonts");
    let r = Renderer::new(FontSource::dir(&font_dir), templates_dir()).unwrap();
    assert!(!r.fonts_loaded());
    // The first render is the first to read it: a font error naming the directory.
    let err = r.render_pdf("certificate", &f, &sig).unwrap_err();
    assert!(
        matches!(err, RenderError::Font(FontError::Dir { .. })),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&font_dir.display().to_string()),
        "{err}"
    );
    assert!(!r.fonts_loaded());
    // Now give the directory the development fonts (links to the same files): the same
    // renderer's next render loads them and renders the same bytes as any renderer.
    std::fs::create_dir(&font_dir).unwrap();
    let source = FontSource::from_env();
    for entry in std::fs::read_dir(source.font_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::os::unix::fs::symlink(&path, font_dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let pdf = r.render_pdf("certificate", &f, &sig).unwrap();
    assert!(r.fonts_loaded());
    assert!(squash(&pdf_text(&pdf)).contains("呼和浩特市青城智能安防工程有限公司"));
    assert_eq!(pdf, renderer().render_pdf("certificate", &f, &sig).unwrap());
    std::fs::remove_dir_all(&scratch).ok();
}

#[test]
fn renderer_and_signer_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Renderer>();
    assert_send_sync::<Signer>();
    // And rendering from several threads at once gives the same bytes.
    let r = std::sync::Arc::new(renderer());
    let f = fields();
    let sig = signer().sign(&f);
    let expected = r.render_pdf("certificate", &f, &sig).unwrap();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (r, f, sig) = (r.clone(), f.clone(), sig.clone());
            std::thread::spawn(move || r.render_pdf("certificate", &f, &sig).unwrap())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

#[test]
fn status_stamp_prints_over_an_invalid_certificate_and_keeps_the_qr_readable() {
    let f = fields();
    let stamp = standing_certificate_pdf::StatusStamp {
        code: "superseded".into(),
        label: "已被补发证书取代".into(),
        note: "补发证书编号：NMGAF-2027-0123456789ABCDEF".into(),
    };
    let r = renderer();
    let plain = r.render_pdf("certificate", &f, &signer().sign(&f)).unwrap();
    let pdf = r
        .render_pdf_stamped("certificate", &f, &signer().sign(&f), Some(&stamp))
        .unwrap();
    assert_ne!(plain, pdf);
    let text = squash(&pdf_text(&pdf));
    for want in [
        stamp.label.as_str(),
        "补发证书编号：NMGAF-2027-0123456789ABCDEF",
        "呼和浩特市青城智能安防工程有限公司",
    ] {
        assert!(text.contains(&squash(want)), "{want:?} not in {text}");
    }
    assert!(!squash(&pdf_text(&plain)).contains(&squash(&stamp.label)));
    let dir = scratch_dir("stamp-qr");
    let png = pdf_png(&pdf, &dir);
    let img = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    assert_eq!(grids[0].decode().unwrap().1, f.verify_url);
    std::fs::remove_dir_all(&dir).ok();
    let bad = standing_certificate_pdf::StatusStamp {
        note: "line\nbreak".into(),
        ..stamp
    };
    assert!(matches!(
        r.render_pdf_stamped("certificate", &f, &signer().sign(&f), Some(&bad)),
        Err(RenderError::Field(_))
    ));
}
