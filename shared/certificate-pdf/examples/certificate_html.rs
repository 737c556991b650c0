//! Prints the same sample certificate as an HTML page, for the comparison in
//! `bench.sh`: what a peer platform would print to PDF with headless Chromium.
//!
//! The QR code is the same SVG the typst renderer embeds; the layout mirrors
//! `templates/certificate.typ`. Fields are HTML-escaped.

use chrono::{Datelike, NaiveDate};
use standing_certificate_pdf::{CertificateFields, Seal, qr_svg};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let f = CertificateFields {
        serial: "NMGAF-FN-2026-0001".into(),
        scheme_id: "capability-grade".into(),
        authority_name: "内蒙古自治区安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        company_name: "内蒙古北疆安防科技有限责任公司".into(),
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
    let qr = String::from_utf8(qr_svg(&f.verify_url)?)?;
    let seal = String::from_utf8(Seal::specimen(&f.authority_name).bytes().to_vec())?;
    print!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4 landscape; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: "Noto Serif CJK SC", serif; color: #1f1f1f; }}
.page {{ position: relative; width: 297mm; height: 210mm; box-sizing: border-box; overflow: hidden }}
.outer {{ position: absolute; inset: 9mm; border: 2.4pt solid #8e1b1b }}
.inner {{ position: absolute; inset: 12mm; border: 0.6pt solid #b8955a }}
.inner2 {{ position: absolute; inset: 13.5mm; border: 0.3pt solid #b8955a }}
.serial {{ position: absolute; top: 19mm; right: 22mm; font-size: 10pt; color: #6b6b6b }}
h1 {{ position: absolute; top: 30mm; width: 100%; text-align: center; margin: 0;
      font-size: 40pt; color: #8e1b1b; -webkit-text-stroke: 0.9pt #8e1b1b; font-weight: normal }}
.rule {{ position: absolute; top: 56mm; left: 30%; width: 40%; border-top: 0.6pt solid #b8955a }}
table {{ position: absolute; top: 62mm; left: 30mm; width: 170mm; border-spacing: 2mm 4mm }}
td.l {{ text-align: right; color: #6b6b6b; font-size: 14pt; white-space: nowrap; width: 1% }}
td.v {{ font-size: 16.5pt }}
.level {{ font-size: 28pt; color: #8e1b1b; -webkit-text-stroke: 0.6pt #8e1b1b }}
.qr {{ position: absolute; top: 88mm; right: 33mm; width: 46mm; text-align: center; font-size: 9.5pt; color: #6b6b6b }}
.qr svg {{ width: 40mm; height: 40mm; border: 0.5pt solid #b8955a; padding: 1.5mm }}
.stmt {{ position: absolute; top: 160mm; left: 30mm; width: 175mm; font-size: 14pt; text-indent: 2em }}
.seal {{ position: absolute; bottom: 22mm; right: 42mm; width: 40mm; height: 40mm }}
.seal svg {{ width: 40mm; height: 40mm }}
.issuer {{ position: absolute; bottom: 32mm; right: 30mm; text-align: center; font-size: 16pt }}
.issuer div {{ font-size: 14pt; margin-top: 2mm }}
.foot {{ position: absolute; bottom: 16mm; left: 30mm; font-size: 6.5pt; color: #6b6b6b }}
</style></head><body><div class="page">
<div class="outer"></div><div class="inner"></div><div class="inner2"></div>
<div class="serial">证书编号：{serial}</div>
<h1>{title}</h1><div class="rule"></div>
<table>
<tr><td class="l">单位名称：</td><td class="v" style="font-size:18pt">{company}</td></tr>
<tr><td class="l">统一社会信用代码：</td><td class="v">{code}</td></tr>
<tr><td class="l">单位地址：</td><td class="v" style="font-size:14.5pt">{address}</td></tr>
<tr><td class="l">能力等级：</td><td class="v level">{level}</td></tr>
<tr><td class="l">业务范围：</td><td class="v" style="font-size:14.5pt">{scope}</td></tr>
<tr><td class="l">发证日期：</td><td class="v">{issue}</td></tr>
<tr><td class="l">有效期至：</td><td class="v">{until}</td></tr>
</table>
<div class="qr">{qr}<div>扫码核验证书真伪</div></div>
<div class="stmt">依据{basis}，经评定，该单位服务能力等级如上，特发此证。</div>
<div class="issuer">{authority}<div>{issue}</div></div>
<div class="seal">{seal}</div>
<div class="foot">核验网址：{url}（扫描二维码或访问此网址核验证书真伪与电子签名）</div>
</div></body></html>
"#,
        title = esc(&f.title),
        serial = esc(&f.serial),
        company = esc(&f.company_name),
        code = esc(&f.credit_code),
        level = esc(&f.level_label),
        issue = zh(f.issue_date),
        until = zh(f.valid_until),
        qr = qr,
        authority = esc(&f.authority_name),
        url = esc(&f.verify_url),
        address = esc(f.address.as_deref().unwrap_or_default()),
        scope = esc(f.scope.as_deref().unwrap_or_default()),
        basis = esc(f.basis.as_deref().unwrap_or_default()),
        seal = seal,
    );
    Ok(())
}
