//! Warm rendering cost: QR + signature + typst layout + PDF/A export.
//!
//! Cold start (font loading and first render in a fresh process) and peak
//! memory are measured by `bench.sh` with the `render_once` example, because
//! fonts are cached for the life of a process.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use standing_certificate_pdf::{
    CertificateFields, Extras, FontSource, Renderer, Seal, Signer, qr_svg, verify,
};

fn fields() -> CertificateFields {
    CertificateFields {
        serial: "NMGAF-FN-2026-0001".into(),
        scheme_id: "capability-grade".into(),
        authority_name: "内蒙古自治区安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        company_name: "内蒙古北疆安防科技有限责任公司".into(),
        credit_code: "91150100MA0N8K3Q2X".into(),
        level_label: "一级".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).expect("date"),
        verify_url: "https://standing.example.cn/v1/verify/01KAQ3Z8X6M4T2R9B7C5D1E0FG".into(),
        version: 1,
        address: Some("内蒙古自治区呼和浩特市赛罕区敕勒川大街19号".into()),
        scope: Some("公共安全技术防范系统设计、施工和维修".into()),
        basis: Some(
            "《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》"
                .into(),
        ),
    }
}

fn bench(c: &mut Criterion) {
    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let renderer = Renderer::new(FontSource::from_env(), templates).expect("templates");
    renderer.preload().expect("fonts");
    let signer = Signer::from_seed(&[7u8; 32]);
    let base = fields();

    // As the certificate function renders: with the issuer's seal (the specimen SVG;
    // an uploaded PNG is decoded once and kept by typst's cache across renders).
    let seal = Seal::specimen(&base.authority_name);
    let extras = Extras {
        stamp: None,
        seal: Some(&seal),
    };
    let pdf = renderer
        .render_certificate("certificate", &base, &signer.sign(&base), extras)
        .expect("render");
    println!("pdf_bytes={}", pdf.len());

    // Each iteration renders a different serial, as a warm Lambda would: no
    // result can come from typst's memo cache of the previous certificate.
    let mut n = 0u32;
    c.bench_function("render_warm (sign + QR + typst + seal + PDF/A)", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            let mut f = base.clone();
            f.serial = format!("NMGAF-FN-2026-{n:04}");
            let sig = signer.sign(&f);
            black_box(
                renderer
                    .render_certificate("certificate", &f, &sig, extras)
                    .expect("render"),
            )
        })
    });
    // A new certificate of another holder: besides the serial, the holder's name, its
    // credit code and the verification URL (so the QR code) change, as between two
    // companies' certificates. Less of the page can come from typst's cache than above
    // (the fields' rows, the QR code, the font subset are new).
    let holders = [
        "包头市鹿城安防工程有限公司",
        "鄂尔多斯市智联科技股份有限公司",
        "赤峰华安电子系统集成有限公司",
        "乌海市恒信技防服务中心",
        "通辽市北方数码监控工程有限责任公司",
    ];
    c.bench_function("render_warm_other_holder", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            let mut f = base.clone();
            f.serial = format!("NMGAF-FN-2026-{n:04}");
            f.company_name = holders[n as usize % holders.len()].into();
            f.credit_code = format!("91150100MA0N{:06}", n % 1_000_000);
            f.verify_url =
                format!("https://standing.example.cn/v1/verify/01KAQ3Z8X6M4T2R9B7C5{n:06}");
            let sig = signer.sign(&f);
            black_box(
                renderer
                    .render_certificate("certificate", &f, &sig, extras)
                    .expect("render"),
            )
        })
    });
    c.bench_function("render_warm_without_seal", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            let mut f = base.clone();
            f.serial = format!("NMGAF-FN-2026-{n:04}");
            let sig = signer.sign(&f);
            black_box(
                renderer
                    .render_pdf("certificate", &f, &sig)
                    .expect("render"),
            )
        })
    });
    c.bench_function("render_same_record_again", |b| {
        let sig = signer.sign(&base);
        b.iter(|| {
            black_box(
                renderer
                    .render_certificate("certificate", &base, &sig, extras)
                    .expect("render"),
            )
        })
    });
    c.bench_function("sign", |b| {
        b.iter(|| black_box(signer.sign(black_box(&base))))
    });
    let sig = signer.sign(&base);
    let pk = signer.public_key();
    c.bench_function("verify", |b| {
        b.iter(|| black_box(verify(black_box(&base), &sig, &pk)))
    });
    c.bench_function("qr_svg", |b| {
        b.iter(|| black_box(qr_svg(black_box(&base.verify_url))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
