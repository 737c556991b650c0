//! The public verification page: what a person who scans the QR code sees. Plain HTML,
//! no script, readable on a phone and by a screen reader; every piece of text escaped.
//! It shows the facts a tender officer needs and nothing private (no reasons written by
//! staff, no people, no contact data).

use chrono::{Datelike, NaiveDate};
use standing_domain::certificate::{CertificateStatus, PublicCertificate};
use standing_http::respond::escape_html;

fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;background:#f6f6f4;color:#1f1f1f;line-height:1.6}\
main{max-width:40rem;margin:0 auto;padding:1rem}\
h1{font-size:1.35rem;margin:.5rem 0 1rem}\
.status{border-radius:.5rem;padding:1rem;margin:0 0 1rem;border:2px solid}\
.status p{margin:.25rem 0}\
.status .big{font-size:1.5rem;font-weight:700}\
.valid{background:#e8f5e9;border-color:#2e7d32;color:#1b5e20}\
.expired{background:#eeeeee;border-color:#616161;color:#212121}\
.superseded{background:#fff8e1;border-color:#b26a00;color:#5d3a00}\
.revoked{background:#ffebee;border-color:#c62828;color:#8e0000}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;background:#fff;padding:1rem;border-radius:.5rem;margin:0 0 1rem}\
dt{color:#555}dd{margin:0;word-break:break-all}\
a{color:#0b57d0}\
footer{font-size:.85rem;color:#555}\
.sig{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.8rem}\
@media (max-width:28rem){dl{grid-template-columns:1fr}dt{margin-top:.4rem}}\
@media print{body{background:#fff}main{max-width:none;padding:0}\
.status{border-width:1pt}.valid,.expired,.superseded,.revoked{background:#fff}\
a{color:inherit;text-decoration:none}footer .tech{display:none}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"robots\" content=\"noindex\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape_html(title)
    )
}

fn row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!(
        "<dt>{}</dt><dd>{}</dd>\n",
        escape_html(label),
        escape_html(value)
    ));
}

/// The electronic signature of the version shown, as the verification page prints it
/// (the PDF carries it only in its metadata: a reader cannot use a signature string
/// printed on paper, but can compare this one with what a verifier computes).
#[derive(Debug, Clone, Copy)]
pub struct ShownSignature<'a> {
    /// Unpadded base64url of the Ed25519 signature.
    pub signature: &'a str,
    /// `kid` of the signing key in the published JWKS.
    pub key_id: &'a str,
    /// The record version it signs.
    pub version: u64,
}

/// The page for a known certificate, as of `today` (China date), with the signature of
/// its current version when it has been rendered.
pub fn verification_page(
    c: &PublicCertificate,
    today: NaiveDate,
    keys_url: &str,
    signature: Option<ShownSignature<'_>>,
) -> String {
    let e = escape_html;
    let (class, headline, explain) = match c.status {
        CertificateStatus::Valid => (
            "valid",
            "证书有效",
            format!("截至{}，本证书在有效期内。", zh_date(today)),
        ),
        CertificateStatus::Expired => (
            "expired",
            "证书已过期",
            format!(
                "本证书有效期至{}，已于查询日（{}）失效。",
                zh_date(c.valid_until),
                zh_date(today)
            ),
        ),
        CertificateStatus::Superseded => (
            "superseded",
            "证书已作废（已补发新证书）",
            "本证书已因补发被新证书取代，请以新证书为准。".to_owned(),
        ),
        CertificateStatus::Revoked => (
            "revoked",
            "证书已撤销",
            match c.revoked_on {
                Some(d) => format!("本证书已于{}被发证机构撤销，不再有效。", zh_date(d)),
                None => "本证书已被发证机构撤销，不再有效。".to_owned(),
            },
        ),
    };
    let mut status = format!(
        "<section class=\"status {class}\" role=\"status\" aria-live=\"polite\">\n\
<p class=\"big\">{}</p>\n<p>{}</p>\n",
        e(headline),
        e(&explain)
    );
    if let Some(next) = &c.superseded_by {
        status.push_str(&format!(
            "<p>补发的新证书编号：<a href=\"/v1/certificates/{0}/verify\">{0}</a></p>\n",
            e(next)
        ));
    }
    if c.status == CertificateStatus::Revoked
        && let Some(ground) = &c.revocation_ground
    {
        status.push_str(&format!("<p>撤销事由：{}</p>\n", e(ground)));
    }
    status.push_str("</section>\n");

    let mut facts = String::from("<dl>\n");
    row(&mut facts, "证书名称", &c.title);
    row(&mut facts, "证书编号", &c.serial);
    row(&mut facts, "持证单位", &c.company_name);
    row(&mut facts, "统一社会信用代码", &c.credit_code);
    if let Some(address) = &c.address {
        row(&mut facts, "单位地址", address);
    }
    row(&mut facts, "等级", &c.level_label);
    if let Some(scope) = &c.scope {
        row(&mut facts, "业务范围", scope);
    }
    row(&mut facts, "发证机构", &c.authority_name);
    row(&mut facts, "发证日期", &zh_date(c.issued_on));
    row(&mut facts, "有效期至", &zh_date(c.valid_until));
    row(&mut facts, "当前状态", c.status_label);
    if let Some(d) = c.revoked_on {
        row(&mut facts, "撤销日期", &zh_date(d));
    }
    row(&mut facts, "查询日期", &zh_date(today));
    if let Some(s) = signature {
        facts.push_str(&format!(
            "<dt>电子签名</dt><dd><span class=\"sig\">{}</span><br>\
<small>Ed25519，签名对象为第 {} 版证书字段的规范化 JSON（RFC 8785）；密钥标识 {}</small></dd>\n",
            e(s.signature),
            s.version,
            e(s.key_id)
        ));
    }
    facts.push_str("</dl>\n");
    if let Some(old) = &c.replaces {
        facts.push_str(&format!(
            "<p>本证书为补发证书，原证书编号：<a href=\"/v1/certificates/{0}/verify\">{0}</a>（已作废）。</p>\n",
            e(old)
        ));
    }

    let body = format!(
        "<h1>证书核验结果</h1>\n{status}{facts}\
<footer>\n<p>请核对纸质或电子证书上的证书编号、单位名称和统一社会信用代码与本页一致。\
打印本页即得核验结果的书面记录（含查询日期）。</p>\n\
<p class=\"tech\">技术核验：<a href=\"/v1/certificates/{serial}\">证书数据与电子签名（JSON）</a> · \
<a href=\"{keys}\">发证公钥（JWKS）</a></p>\n</footer>",
        serial = e(&c.serial),
        keys = e(keys_url),
    );
    page(&format!("证书核验 {}", c.serial), &body)
}

/// The page for a serial that is malformed or unknown.
pub fn not_found_page() -> String {
    page(
        "未找到证书",
        "<h1>未找到该证书</h1>\n\
<section class=\"status revoked\" role=\"status\">\n\
<p class=\"big\">查无此证书</p>\n\
<p>该证书编号不存在或格式不正确。请核对证书上的编号或重新扫描二维码；如有疑问，请联系发证机构。</p>\n\
</section>",
    )
}

/// The page a credit report's QR code opens: what the report said on its day of issue
/// and whether its signature is the issuer's (checked against the published keys).
pub fn credit_report_page(
    f: &standing_certificate_pdf::CreditReportFields,
    signature_valid: bool,
    signature: &str,
    key_id: &str,
    keys_url: &str,
) -> String {
    let e = escape_html;
    let status = if signature_valid {
        format!(
            "<section class=\"status valid\" role=\"status\">\n<p class=\"big\">信用报告真实有效</p>\n\
<p>本报告由{}出具，电子签名经发证公钥验证无误。以下为报告出具日（{}）的信用状况。</p>\n</section>\n",
            e(&f.authority_name),
            zh_date(f.issue_date)
        )
    } else {
        "<section class=\"status revoked\" role=\"status\">\n<p class=\"big\">签名无法验证</p>\n\
<p>本报告的电子签名未能用出具机关公布的公钥验证，请勿采信，并联系出具机关核实。</p>\n</section>\n"
            .to_owned()
    };
    let mut facts = String::from("<dl>\n");
    row(&mut facts, "报告编号", &f.serial);
    row(&mut facts, "机构名称", &f.company_name);
    row(&mut facts, "统一社会信用代码", &f.credit_code);
    row(&mut facts, "信用等级", &f.level_label);
    row(&mut facts, "信用分", &f.score);
    row(
        &mut facts,
        "评价周期",
        &format!("{} 至 {}", zh_date(f.cycle_start), zh_date(f.cycle_end)),
    );
    row(&mut facts, "出具机关", &f.authority_name);
    row(&mut facts, "出具日期", &zh_date(f.issue_date));
    facts.push_str(&format!(
        "<dt>电子签名</dt><dd><span class=\"sig\">{}</span><br>\
<small>Ed25519，签名对象为信用报告字段的规范化 JSON（RFC 8785）；密钥标识 {}</small></dd>\n",
        e(signature),
        e(key_id)
    ));
    facts.push_str("</dl>\n");
    let mut events = String::from("<h2>在册信用事件</h2>\n");
    if f.events.is_empty() {
        events.push_str("<p>本评价周期内无在册信用事件。</p>\n");
    } else {
        events.push_str("<dl>\n");
        for ev in &f.events {
            row(
                &mut events,
                &zh_date(ev.date),
                &format!(
                    "{}（{}；{} 分；{}）",
                    ev.title, ev.article, ev.points, ev.repair
                ),
            );
        }
        events.push_str("</dl>\n");
    }
    let body = format!(
        "<h1>信用报告核验结果</h1>\n{status}{facts}{events}\
<footer>\n<p>请核对报告上的编号、机构名称、信用等级、信用分和事件与本页一致。\
本页显示的是报告出具日的信用状况；当前信用状况请查询信用信息公示页面。</p>\n\
<p class=\"tech\">技术核验：<a href=\"/v1/credit-reports/{serial}\">报告数据与电子签名（JSON）</a> · \
<a href=\"{keys}\">发证公钥（JWKS）</a> · \
<a href=\"/v1/credit/agencies/{code}\">当前信用信息</a></p>\n</footer>",
        serial = e(&f.serial),
        keys = e(keys_url),
        code = e(&f.credit_code),
    );
    page(&format!("信用报告核验 {}", f.serial), &body)
}

/// The page for a report serial that is malformed or unknown.
pub fn report_not_found_page() -> String {
    page(
        "未找到信用报告",
        "<h1>未找到该信用报告</h1>\n\
<section class=\"status revoked\" role=\"status\">\n\
<p class=\"big\">查无此报告</p>\n\
<p>该报告编号不存在或格式不正确。请核对报告上的编号或重新扫描二维码；如有疑问，请联系出具机关。</p>\n\
</section>",
    )
}
