//! Renders one sample certificate in a fresh process and prints timings.
//!
//! Used by `bench.sh` for the cold-start figure (font loading + first render)
//! and its peak memory (`/usr/bin/time -v`).
//!
//! Usage: `render_once [OUT.pdf] [COMPANY NAME]` (fonts from `$STANDING_FONT_DIR` or Debian's
//! Noto CJK directory; templates from this crate's `templates/`).

use std::time::Instant;

use chrono::NaiveDate;
use standing_certificate_pdf::{CertificateFields, Extras, FontSource, Renderer, Seal, Signer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let out = std::env::args().nth(1);
    let company = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "内蒙古北疆安防科技有限责任公司".into());
    let fields = CertificateFields {
        serial: "NMGAF-FN-2026-0001".into(),
        scheme_id: "capability-grade".into(),
        authority_name: "内蒙古自治区安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        company_name: company,
        credit_code: "91150100MA0N8K3Q2X".into(),
        level_label: "一级".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?,
        valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).ok_or("date")?,
        verify_url: "https://standing.example.cn/v1/verify/01KAQ3Z8X6M4T2R9B7C5D1E0FG".into(),
        version: 1,
        address: Some("内蒙古自治区呼和浩特市赛罕区敕勒川大街19号".into()),
        scope: Some("公共安全技术防范系统设计、施工和维修".into()),
        basis: Some(
            "《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》"
                .into(),
        ),
    };
    let signer = Signer::from_seed(&[7u8; 32]);
    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let renderer = Renderer::new(FontSource::from_env(), templates)?;

    let t_fonts = Instant::now();
    renderer.preload()?;
    let fonts = t_fonts.elapsed();

    let t_render = Instant::now();
    let signature = signer.sign(&fields);
    // As the certificate function renders: with the issuer's seal (here the specimen).
    let seal = Seal::specimen(&fields.authority_name);
    let pdf = renderer.render_certificate(
        "certificate",
        &fields,
        &signature,
        Extras {
            stamp: None,
            seal: Some(&seal),
        },
    )?;
    let first = t_render.elapsed();

    if let Some(path) = out {
        std::fs::write(path, &pdf)?;
    }
    println!(
        "fonts_ms={:.1} first_render_ms={:.1} process_ms={:.1} pdf_bytes={}",
        fonts.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3,
        pdf.len()
    );
    Ok(())
}
