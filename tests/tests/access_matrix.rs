//! The route x role matrix: every route of docs/openapi.json, called by every kind of
//! caller, answers what it must; a refused call writes nothing.
//!
//! Callers: no token, an expired token, a token signed with the wrong key, the account
//! of another company, staff of another authority, and the rightful caller (the
//! company's own account, staff of the authority that keeps the record, or the public
//! for public routes). Adding a route to the OpenAPI document without its row here fails
//! `every_documented_route_has_a_row`.

mod cert_common;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use standing_aws::store::Transaction;
use standing_domain::application::{ApplicationStatus, ReviewResult};
use standing_domain::audit::{Actor, AuditEvent};
use standing_domain::ids::{CreditCode, RecordId};
use standing_domain::notice::Notice;
use standing_e2e::*;
use std::collections::{BTreeMap, BTreeSet};

const ASSOC: &str = "nmg-security-association";
const OTHER_AUTHORITY: &str = "bj-security-association";

/// The kinds of caller, in the order of each row's expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    NoToken,
    Expired,
    WrongKey,
    OtherCompany,
    OtherAuthority,
    Rightful,
}

const CALLERS: [Caller; 6] = [
    Caller::NoToken,
    Caller::Expired,
    Caller::WrongKey,
    Caller::OtherCompany,
    Caller::OtherAuthority,
    Caller::Rightful,
];

/// Who the rightful caller of a route is.
#[derive(Debug, Clone, Copy)]
enum Rightful {
    Public,
    /// The account of company A (the company the records belong to).
    CompanyA,
    /// The account of company B (the certificate holder).
    CompanyB,
    /// The account of a company registering itself (a fresh code).
    Fresh,
    /// Staff of the association that keeps the records.
    Staff,
    /// Staff of the city police department a suspension is filed with (seed 004).
    CityPolice,
    /// Staff of the regional police department that approves it after the city.
    RegionPolice,
    /// Staff of the housing bureau that keeps the fire-technology credit register.
    CreditStaff,
    /// An expert of the award panel {panel} (the `expert-user` account, recorded by the
    /// association).
    PanelExpert,
}

struct Row {
    method: &'static str,
    /// With placeholders: {A} {B} {Z} {Y} {F} {app} {panel} {change} {susp} {susp2} {cevent} {repair} {notice} {objection}
    /// {serial1} {serial2} {creport} {material}.
    path: &'static str,
    /// The documented path (OpenAPI template) this row covers.
    route: &'static str,
    function: &'static str,
    body: Option<&'static str>,
    rightful: Rightful,
    /// Expected status per caller, in `CALLERS` order.
    expect: [u16; 6],
}

const PUBLIC_OK: [u16; 6] = [200; 6];
const U: u16 = 401;

fn rows() -> Vec<Row> {
    use Rightful::*;
    let r = |method, path, route, function, body: Option<&'static str>, rightful, expect| Row {
        method,
        path,
        route,
        function,
        body,
        rightful,
        expect,
    };
    vec![
        // Health: public liveness answers, whoever asks.
        r(
            "GET",
            "/v1/health/intake",
            "/v1/health/intake",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/health/review",
            "/v1/health/review",
            "review",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/health/publication",
            "/v1/health/publication",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/health/certificate",
            "/v1/health/certificate",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/health/credit",
            "/v1/health/credit",
            "credit",
            None,
            Public,
            PUBLIC_OK,
        ),
        // What a form needs of each scheme: public.
        r(
            "GET",
            "/v1/schemes",
            "/v1/schemes",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/schemes/capability-grade",
            "/v1/schemes/{id}",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "POST",
            "/v1/schemes/capability-grade/evaluate",
            "/v1/schemes/{id}/evaluate",
            "intake",
            Some(r#"{"facts":{"has_equipment":{"value":true,"evidence":["设备清单.pdf"]}}}"#),
            Public,
            PUBLIC_OK,
        ),
        // Registry. Staff of another authority "registering" company A find it taken.
        // Company lookup by name or credit code: public.
        r(
            "GET",
            "/v1/companies?q=矩阵测试",
            "/v1/companies",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/companies?q={A}",
            "/v1/companies",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "POST",
            "/v1/organizations",
            "/v1/organizations",
            "intake",
            Some(
                r#"{"code":"{F}","name":"矩阵测试科技有限公司","address":"呼和浩特市新城区1号","legal_representative":{"name":"张三"},"contact":{"name":"李四","phone":"0471-1234567"},"established_on":"2012-03-02"}"#,
            ),
            Fresh,
            [U, U, U, 403, 409, 201],
        ),
        r(
            "GET",
            "/v1/organizations/{A}",
            "/v1/organizations/{code}",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/organizations/{A}/reminders",
            "/v1/organizations/{code}/reminders",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/organizations/{A}/applications",
            "/v1/organizations/{code}/applications",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/organizations/{A}/memberships",
            "/v1/organizations/{code}/memberships",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        // Change requests of company data.
        r(
            "GET",
            "/v1/organizations/{A}/changes",
            "/v1/organizations/{code}/changes",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "POST",
            "/v1/organizations/{A}/changes",
            "/v1/organizations/{code}/changes",
            "intake",
            Some(
                r#"{"kind":"ordinary","changes":{"address":"呼和浩特市赛罕区2号"},"reason":"迁址"}"#,
            ),
            CompanyA,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "GET",
            "/v1/changes",
            "/v1/changes",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 200, 200],
        ),
        r(
            "POST",
            "/v1/changes/{change}/decision",
            "/v1/changes/{id}/decision",
            "intake",
            Some(r#"{"approve":false,"note":"材料不全"}"#),
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Suspensions and closures of alarm operators (seed 004 二（三）3).
        r(
            "POST",
            "/v1/organizations/{A}/suspensions",
            "/v1/organizations/{code}/suspensions",
            "intake",
            Some(
                r#"{"kind":"closure","city":"nmg-ps-hohhot","reason":"经营调整","starts_on":"2027-03-01","customer_plan":"移交合作企业接警","compensation_plan":"退还预收服务费"}"#,
            ),
            CompanyA,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "GET",
            "/v1/suspensions",
            "/v1/suspensions",
            "intake",
            None,
            CityPolice,
            [U, U, U, 403, 200, 200],
        ),
        r(
            "GET",
            "/v1/suspensions/{susp}",
            "/v1/suspensions/{id}",
            "intake",
            None,
            CompanyA,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "POST",
            "/v1/suspensions/{susp}/decision",
            "/v1/suspensions/{id}/decision",
            "intake",
            Some(
                r#"{"approve":false,"reason_holds":false,"plans_reasonable":true,"reasons":"歇业理由不成立"}"#,
            ),
            CityPolice,
            [U, U, U, 403, 403, 200],
        ),
        // Annual awards (seed 001): the association's expert records and award panels.
        // The panel {panel} is written by the fixture with {app} as its one nominee and
        // expert-user on it; the happy paths and the expert-vs-nominee cases are in
        // tests/tests/awards.rs.
        r(
            "PUT",
            "/v1/experts/expert-user",
            "/v1/experts/{subject}",
            "intake",
            Some(r#"{"name":"矩阵专家"}"#),
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Formed already: the rightful caller is told so (409), nothing is written.
        r(
            "POST",
            "/v1/awards/panels/{panel}",
            "/v1/awards/panels/{panel}",
            "intake",
            Some(r#"{"experts":["expert-user"]}"#),
            Staff,
            [U, U, U, 403, 403, 409],
        ),
        r(
            "GET",
            "/v1/awards/panels/{panel}",
            "/v1/awards/panels/{panel}",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/awards/panels/{panel}",
            "/v1/awards/panels/{panel}",
            "intake",
            None,
            PanelExpert,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "PUT",
            "/v1/awards/panels/{panel}/scores/{app}",
            "/v1/awards/panels/{panel}/scores/{application}",
            "intake",
            Some(r#"{"score":88}"#),
            PanelExpert,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/awards/panels/{panel}/ranking",
            "/v1/awards/panels/{panel}/ranking",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "POST",
            "/v1/awards/panels/{panel}/notice",
            "/v1/awards/panels/{panel}/notice",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Public while on notice: name, unit, award.
        r(
            "GET",
            "/v1/awards/panels/{panel}/results",
            "/v1/awards/panels/{panel}/results",
            "intake",
            None,
            Public,
            PUBLIC_OK,
        ),
        // Anyone may object to a proposed winner while the notice runs.
        r(
            "POST",
            "/v1/awards/panels/{panel}/objections",
            "/v1/awards/panels/{panel}/objections",
            "intake",
            Some(
                r#"{"application":"{app}","name":"王某","contact":"13800000000","text":"该单位工程存在质量问题"}"#,
            ),
            Public,
            [201; 6],
        ),
        // The notice still runs: the rightful caller is told so (409), nothing written.
        r(
            "POST",
            "/v1/awards/panels/{panel}/results",
            "/v1/awards/panels/{panel}/results",
            "intake",
            Some(r#"{}"#),
            Staff,
            [U, U, U, 403, 403, 409],
        ),
        // The same route at the second level: the region decides one the city passed.
        r(
            "POST",
            "/v1/suspensions/{susp2}/decision",
            "/v1/suspensions/{id}/decision",
            "intake",
            Some(r#"{"approve":true}"#),
            RegionPolice,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/alarm-operators/suspensions.csv",
            "/v1/alarm-operators/{list}",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        // The fire-technology credit register (seed 002).
        r(
            "GET",
            "/v1/credit/agencies/{A}",
            "/v1/credit/agencies/{code}",
            "credit",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "POST",
            "/v1/credit/agencies/{Z}",
            "/v1/credit/agencies/{code}",
            "credit",
            Some(
                r#"{"floor_area_m2":200,"registered_fire_engineers":2,"facility_operators":4,"quality_system":true}"#,
            ),
            CreditStaff,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/credit/agencies/{A}/events",
            "/v1/credit/agencies/{code}/events",
            "credit",
            Some(
                r#"{"code":"U9","date":"2026-11-30","source":"资料审查","evidence":["审查意见书"]}"#,
            ),
            CreditStaff,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/credit/agencies/{A}/repairs",
            "/v1/credit/agencies/{code}/repairs",
            "credit",
            Some(r#"{"event":"{cevent}","statement":"已签订合同并补正","evidence":["整改报告"]}"#),
            CompanyA,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/credit/agencies/{A}/repairs/{repair}/decision",
            "/v1/credit/agencies/{code}/repairs/{id}/decision",
            "credit",
            Some(r#"{"approve":false,"note":"整改材料不全"}"#),
            CreditStaff,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "GET",
            "/v1/credit/repairs",
            "/v1/credit/repairs",
            "credit",
            None,
            CreditStaff,
            [U, U, U, 403, 200, 200],
        ),
        r(
            "GET",
            "/v1/credit/tasks",
            "/v1/credit/tasks",
            "credit",
            None,
            CreditStaff,
            [U, U, U, 403, 200, 200],
        ),
        r(
            "POST",
            "/v1/credit/agencies/{A}/tasks/{ctask}/result",
            "/v1/credit/agencies/{code}/tasks/{id}/result",
            "credit",
            Some(r#"{"result":"现场核查：与申报一致"}"#),
            CreditStaff,
            [U, U, U, 403, 403, 200],
        ),
        // The credit report PDF (issue 11 item 7): rendered by the certificate function.
        r(
            "POST",
            "/v1/credit/agencies/{A}/report",
            "/v1/credit/agencies/{code}/report",
            "certificate",
            None,
            CompanyA,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/credit/agencies/{A}/report",
            "/v1/credit/agencies/{code}/report",
            "certificate",
            None,
            CreditStaff,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "GET",
            "/v1/credit-reports/{creport}",
            "/v1/credit-reports/{serial}",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/credit-reports/{creport}/verify",
            "/v1/credit-reports/{serial}/verify",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/credit/lists/B.csv",
            "/v1/credit/lists/{level}",
            "credit",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/credit/a-list/releases.atom",
            "/v1/credit/a-list/{release}",
            "credit",
            None,
            Public,
            PUBLIC_OK,
        ),
        // Applications.
        r(
            "POST",
            "/v1/applications",
            "/v1/applications",
            "intake",
            Some(r#"{"scheme":"capability-grade","company":"{A}"}"#),
            CompanyA,
            [U, U, U, 403, 403, 201],
        ),
        // Every staff member reads their own authority's queue.
        r(
            "GET",
            "/v1/applications",
            "/v1/applications",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 200, 200],
        ),
        r(
            "GET",
            "/v1/applications/{app}",
            "/v1/applications/{id}",
            "intake",
            None,
            CompanyA,
            [U, U, U, 404, 403, 200],
        ),
        r(
            "PUT",
            "/v1/applications/{app}/declaration",
            "/v1/applications/{id}/declaration",
            "intake",
            Some(r#"{"facts":{"bad_conduct_record":{"value":false}},"items":[]}"#),
            CompanyA,
            [U, U, U, 404, 403, 200],
        ),
        r(
            "POST",
            "/v1/applications/{app}/materials",
            "/v1/applications/{id}/materials",
            "intake",
            Some(
                r#"{"evidence_for":"has_equipment","file_name":"设备清单.pdf","content_type":"application/pdf","size_bytes":1000}"#,
            ),
            CompanyA,
            [U, U, U, 404, 403, 201],
        ),
        // Opening a material (presigned GET): staff of the authority only; the company's
        // own account gets no link either (403, the application exists for it).
        r(
            "GET",
            "/v1/applications/{app}/materials/{material}",
            "/v1/applications/{id}/materials/{material}",
            "intake",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Removing it from the draft: the company (another company: as if there were no
        // such application); after the row above, so the material is still there for it.
        r(
            "DELETE",
            "/v1/applications/{app}/materials/{material}",
            "/v1/applications/{id}/materials/{material}",
            "intake",
            None,
            CompanyA,
            [U, U, U, 404, 403, 200],
        ),
        // Copy into a new draft: the draft is not rejected, so the rightful caller gets 409.
        r(
            "POST",
            "/v1/applications/{app}/copy",
            "/v1/applications/{id}/copy",
            "intake",
            None,
            CompanyA,
            [U, U, U, 404, 403, 409],
        ),
        // The draft is not complete: the rightful submit is refused on its merits (422).
        r(
            "POST",
            "/v1/applications/{app}/submit",
            "/v1/applications/{id}/submit",
            "intake",
            None,
            CompanyA,
            [U, U, U, 404, 403, 422],
        ),
        // A draft has no checks pending: the rightful staff answer is 409 (its status).
        r(
            "POST",
            "/v1/applications/{app}/checks",
            "/v1/applications/{id}/checks",
            "intake",
            Some(r#"{"checks":[{"rule_id":"has_equipment","met":true}]}"#),
            Staff,
            [U, U, U, 403, 403, 409],
        ),
        // Client-unit evaluation forms: the company (or its authority's staff) asks; the
        // capability grade needs none, so the rightful request is refused on its merits.
        r(
            "POST",
            "/v1/applications/{app}/evaluations",
            "/v1/applications/{id}/evaluations",
            "intake",
            Some(r#"{"client_ref":"C-1","client_name":"某大厦物业"}"#),
            CompanyA,
            [U, U, U, 404, 403, 422],
        ),
        r(
            "GET",
            "/v1/applications/{app}/evaluations",
            "/v1/applications/{id}/evaluations",
            "intake",
            None,
            CompanyA,
            [U, U, U, 404, 403, 200],
        ),
        // Staff only; the rightful staff find no such form.
        r(
            "POST",
            "/v1/applications/{app}/evaluations/01KAAAAAAAAAAAAAAAAAAAAAAA/withdraw",
            "/v1/applications/{id}/evaluations/{form}/withdraw",
            "intake",
            Some(r#"{"reason":"核实撤回"}"#),
            Staff,
            [U, U, U, 403, 403, 404],
        ),
        // The link is the client unit's authority: an unknown token is 404 for everyone.
        r(
            "GET",
            "/v1/evaluation-forms/ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "/v1/evaluation-forms/{token}",
            "intake",
            None,
            Public,
            [404; 6],
        ),
        r(
            "POST",
            "/v1/evaluation-forms/ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "/v1/evaluation-forms/{token}",
            "intake",
            Some(
                r#"{"evaluator_name":"王工","unit_name":"物业","evaluated_on":"2026-11-30","scores":{}}"#,
            ),
            Public,
            [404; 6],
        ),
        // Notices: public, with objections from anyone; staff of the authority decide.
        r(
            "GET",
            "/v1/notices",
            "/v1/notices",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/notices.html",
            "/v1/notices.html",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/ratings/om-stars",
            "/v1/ratings/{scheme}",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/notices/{notice}",
            "/v1/notices/{id}",
            "publication",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "POST",
            "/v1/notices/{notice}/objections",
            "/v1/notices/{id}/objections",
            "publication",
            Some(r#"{"name":"王五","contact":"13900000000","text":"业绩材料存疑，请核实"}"#),
            Public,
            [201; 6],
        ),
        r(
            "GET",
            "/v1/notices/{notice}/objections",
            "/v1/notices/{id}/objections",
            "publication",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        r(
            "POST",
            "/v1/notices/{notice}/objections/{objection}/decision",
            "/v1/notices/{id}/objections/{objection}/decision",
            "publication",
            Some(r#"{"decision":"dismissed","reason":"经核实，材料真实有效"}"#),
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Certificates: verification is public; the PDF, reissue and revocation are not.
        r(
            "GET",
            "/.well-known/standing-certificate-keys.json",
            "/.well-known/standing-certificate-keys.json",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/certificates/{serial1}",
            "/v1/certificates/{serial}",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/certificates/{serial1}/verify",
            "/v1/certificates/{serial}/verify",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/organizations/{B}/certificates",
            "/v1/organizations/{code}/certificates",
            "certificate",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/v1/certificates/{serial1}/pdf",
            "/v1/certificates/{serial}/pdf",
            "certificate",
            None,
            CompanyB,
            [U, U, U, 403, 403, 302],
        ),
        r(
            "POST",
            "/v1/certificates/{serial1}/reissue",
            "/v1/certificates/{serial}/reissue",
            "certificate",
            Some(r#"{"reason":"证书遗失"}"#),
            CompanyB,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "POST",
            "/v1/certificates/{serial2}/revoke",
            "/v1/certificates/{serial}/revoke",
            "certificate",
            Some(r#"{"ground":"R1-law","reason":"经查实存在违法行为"}"#),
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // An authority's seal: its own staff only (the body is the picture itself, an
        // SVG here, unique per call). Set first, then read back.
        r(
            "PUT",
            "/v1/authorities/nmg-security-association/seal",
            "/v1/authorities/{authority}/seal",
            "certificate",
            Some(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><!-- {F} --><circle cx="5" cy="5" r="4" fill="none" stroke="red"/></svg>"#,
            ),
            Staff,
            [U, U, U, 403, 403, 201],
        ),
        r(
            "GET",
            "/v1/authorities/nmg-security-association/seal",
            "/v1/authorities/{authority}/seal",
            "certificate",
            None,
            Staff,
            [U, U, U, 403, 403, 200],
        ),
        // Memberships: each association keeps its own records. Staff of another
        // association record memberships of their own association (their record, 201).
        r(
            "POST",
            "/v1/organizations/{Z}/memberships",
            "/v1/organizations/{code}/memberships",
            "intake",
            Some(r#"{"since":"2020-01-01"}"#),
            Staff,
            [U, U, U, 403, 201, 201],
        ),
        r(
            "POST",
            "/v1/memberships/import",
            "/v1/memberships/import",
            "intake",
            Some(r#"{"members":[{"code":"{Y}","since":"2021-05-01"}]}"#),
            Staff,
            [U, U, U, 403, 201, 201],
        ),
        // Another association keeps no record of A: nothing to end (404).
        r(
            "POST",
            "/v1/organizations/{A}/memberships/end",
            "/v1/organizations/{code}/memberships/end",
            "intake",
            Some(r#"{"ended_on":"2026-12-01","ground":"withdrawn"}"#),
            Staff,
            [U, U, U, 403, 404, 200],
        ),
        // The browser front end: pages and assets carry no data of their own (the
        // pages call the routes above with the caller's token), so everyone gets them.
        r("GET", "/", "/", "web", None, Public, PUBLIC_OK),
        r(
            "GET", "/notices", "/notices", "web", None, Public, PUBLIC_OK,
        ),
        r(
            "GET",
            "/companies/{A}",
            "/companies/{code}",
            "web",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/certificates/{serial1}",
            "/certificates/{serial}",
            "web",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/awards/2024-c6",
            "/awards/{panel}",
            "web",
            None,
            Public,
            PUBLIC_OK,
        ),
        r(
            "GET",
            "/evaluate/0123456789abcdef",
            "/evaluate/{token}",
            "web",
            None,
            Public,
            PUBLIC_OK,
        ),
        r("GET", "/signin", "/signin", "web", None, Public, PUBLIC_OK),
        r("GET", "/portal", "/portal", "web", None, Public, PUBLIC_OK),
        r(
            "GET", "/console", "/console", "web", None, Public, PUBLIC_OK,
        ),
        r(
            "GET",
            "/assets/app.js",
            "/assets/{file}",
            "web",
            None,
            Public,
            PUBLIC_OK,
        ),
        // Development tokens: the matrix's web function runs with the development key
        // (as locally), where anyone may mint one; deployed it answers 404
        // (`standing_web` unit tests).
        r(
            "POST",
            "/dev/token",
            "/dev/token",
            "web",
            Some(r#"{"role":"applicant","org_code":"{A}"}"#),
            Public,
            [201; 6],
        ),
    ]
}

fn documented_routes() -> BTreeSet<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("docs/openapi.json")).unwrap())
            .unwrap();
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            out.insert((path.clone(), method.to_uppercase()));
        }
    }
    out
}

#[test]
fn every_documented_route_has_a_row() {
    let covered: BTreeSet<(String, String)> = rows()
        .iter()
        .map(|r| (r.route.to_owned(), r.method.to_owned()))
        .collect();
    let documented = documented_routes();
    let missing: Vec<_> = documented.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&documented).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes without a row: {missing:?}; rows without a route: {stale:?}"
    );
}

/// The records the matrix acts on.
struct World {
    p: Platform,
    cert: cert_common::TestApp,
    a: CreditCode,
    b: CreditCode,
    z: CreditCode,
    y: CreditCode,
    other_company: CreditCode,
    values: BTreeMap<&'static str, String>,
    web: standing_web::App,
}

async fn register(p: &Platform) -> CreditCode {
    p.register_company("内蒙古矩阵安防有限公司").await
}

async fn world() -> World {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
    let p = Platform::at(now).await;
    let a = register(&p).await;
    let z = register(&p).await;
    let y = register(&p).await;
    let other_company = register(&p).await;
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{a}/memberships"),
            Some(json!({"since": "2019-01-01"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    // A draft of A.
    let (s, draft) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            &As::Applicant(&a),
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    let app_id = draft["id"].as_str().unwrap().to_owned();
    // One material of the draft, uploaded (staff open it in the browser).
    let material = p.upload(&As::Applicant(&a), &app_id, "has_equipment").await;
    // A change request of A.
    let (s, change) = p.call_intake(
        "POST",
        &format!("/v1/organizations/{a}/changes"),
        Some(json!({"kind": "ordinary", "changes": {"name": "内蒙古矩阵安防股份有限公司"}, "reason": "改名"})),
        &As::Applicant(&a),
    )
    .await;
    assert_eq!(s, 201, "{change}");
    // A in the credit register, with two untrustworthy events and a repair of the first.
    let bureau = As::Staff("jz-housing-bureau");
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{a}"),
            Some(json!({"floor_area_m2": 300, "registered_fire_engineers": 3,
                        "facility_operators": 6, "quality_system": true})),
            &bureau,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let mut credit_events = Vec::new();
    for code in ["U6", "U10"] {
        let (s, b) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{a}/events"),
                Some(
                    json!({"code": code, "date": "2026-11-20", "source": "监督检查",
                            "evidence": ["检查记录"]}),
                ),
                &bureau,
            )
            .await;
        assert_eq!(s, 201, "{b}");
        credit_events.push(b["event"]["id"].as_str().unwrap().to_owned());
    }
    let (s, repair) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{a}/repairs"),
            Some(json!({"event": credit_events[0], "statement": "已整改",
                        "evidence": ["整改报告"]})),
            &As::Applicant(&a),
        )
        .await;
    assert_eq!(s, 201, "{repair}");
    // The month's on-site check of A, as the monthly job opens it.
    let credit_task = {
        let store = p.store();
        let file: standing_domain::credit::CreditFile = store
            .get(format!("CREDIT#{a}"), "FILE")
            .await
            .unwrap()
            .unwrap();
        let scheme = standing_schemes::Registry::builtin()
            .unwrap()
            .in_force(standing_schemes::SchemeId::FireCredit, now.date_naive())
            .unwrap();
        let month = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (task, audit) =
            standing_domain::credit::site_check_task(scheme, &file, month, now).unwrap();
        let mut tx = Transaction::default();
        tx.credit_task(store.table(), None, &task, &audit).unwrap();
        store.commit(tx).await.unwrap();
        task.id
    };
    // A suspension A filed with the Hohhot police.
    let (s, susp) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{a}/suspensions"),
            Some(json!({"kind": "suspension", "city": "nmg-ps-hohhot", "reason": "场所改造",
                        "starts_on": "2027-02-01", "ends_on": "2027-04-30",
                        "customer_plan": "委托合作企业接警", "compensation_plan": "按日退还服务费"})),
            &As::Applicant(&a),
        )
        .await;
    assert_eq!(s, 201, "{susp}");
    // A second one, which the city has passed (it waits on the region).
    let (s, susp2) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{a}/suspensions"),
            Some(json!({"kind": "closure", "city": "nmg-ps-hohhot", "reason": "经营调整",
                        "starts_on": "2027-02-01",
                        "customer_plan": "移交合作企业接警", "compensation_plan": "退还预收服务费"})),
            &As::Applicant(&a),
        )
        .await;
    assert_eq!(s, 201, "{susp2}");
    let susp2 = susp2["id"].as_str().unwrap().to_owned();
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/suspensions/{susp2}/decision"),
            Some(json!({"approve": true, "reason_holds": true, "plans_reasonable": true})),
            &As::Staff("nmg-ps-hohhot"),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // Another application of A, on notice (written the way the review writes it).
    let (s, other) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            &As::Applicant(&a),
        )
        .await;
    assert_eq!(s, 201, "{other}");
    let store = p.store();
    let before = store
        .get_application(other["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut on_notice = before.clone();
    on_notice.status = ApplicationStatus::OnNotice;
    on_notice.version += 1;
    on_notice.result = Some(ReviewResult {
        report_id: RecordId::new_at(now),
        scheme_version: "2024-01-01".into(),
        as_of: standing_domain::clock::china_date(now),
        status: standing_schemes::Status::Qualified,
        total: Some(85.into()),
        level_code: Some("2".into()),
        level_label: Some("二级".into()),
    });
    let scheme = standing_schemes::Registry::builtin()
        .unwrap()
        .in_force(
            standing_schemes::SchemeId::CapabilityGrade,
            standing_domain::clock::china_date(now),
        )
        .unwrap();
    let notice = Notice::open(&on_notice, scheme, now).unwrap();
    on_notice.notice_id = Some(notice.id);
    let actor = Actor::system("access-matrix");
    let mut tx = Transaction::default();
    tx.application(
        store.table(),
        Some(&before),
        &on_notice,
        &on_notice.audit(Some(&before), actor.clone(), "application.reviewed.notice"),
    )
    .unwrap();
    tx.notice(
        store.table(),
        None,
        &notice,
        &AuditEvent::new(now, actor, "notice.opened", notice.entity(), None, None),
    )
    .unwrap();
    store.commit(tx).await.unwrap();
    let (s, filed) = p
        .call_publication(
            "POST",
            &format!("/v1/notices/{}/objections", notice.id),
            Some(json!({"name": "赵六", "contact": "13700000000", "text": "资质证书过期，请核实"})),
            &As::Anonymous,
        )
        .await;
    assert_eq!(s, 201, "{filed}");
    let objection = filed["id"].as_str().unwrap().to_owned();
    // Two certificates of company B.
    let cert = cert_common::app_with(store.clone(), &p.clients, p.clock.clone()).await;
    let c1 = cert_common::issued(store, "内蒙古持证安防有限公司").await;
    let mut c2 = cert_common::issued(store, "内蒙古持证安防有限公司").await;
    // Both of one company: move the second to the first's company.
    {
        let before = c2.clone();
        c2.org = c1.org.clone();
        c2.version += 1;
        let mut tx = Transaction::default();
        let audit = AuditEvent::new(
            now,
            Actor::system("access-matrix"),
            "certificate.moved",
            c2.entity(),
            None,
            None,
        );
        tx.certificate(store.table(), Some(&before), &c2, &audit)
            .unwrap();
        store.commit(tx).await.unwrap();
    }
    // The association's expert record of expert-user and an award panel (2024, c2) with
    // the draft {app} as its one nominee, written as the panel route would.
    let (s, b) = p
        .call_intake(
            "PUT",
            "/v1/experts/expert-user",
            Some(json!({"name": "矩阵专家"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert!(s == 201 || s == 200, "{b}");
    // (The suite runs on a fresh table: test.sh makes one.)
    let panel = "2024-c2".to_owned();
    if store.get_panel(ASSOC, &panel).await.unwrap().is_none() {
        use standing_domain::award_panel::{Panel, PanelMember, PanelNominee, PanelStatus};
        let record = Panel {
            id: panel.clone(),
            authority: ASSOC.into(),
            scheme_version: "2024".into(),
            category: "c2".into(),
            category_title_zh: "内蒙古自治区智慧城市建设创新应用奖".into(),
            members: vec![PanelMember {
                subject: "expert-user".into(),
                name: "矩阵专家".into(),
                org: None,
            }],
            nominees: vec![PanelNominee {
                application: app_id.parse().unwrap(),
                org: a.clone(),
                company_name: "内蒙古矩阵安防有限公司".into(),
                nominee_name: None,
                recused: Vec::new(),
            }],
            status: PanelStatus::Scoring,
            ranking: Vec::new(),
            rule_zh: None,
            notice: None,
            withdrawn: Vec::new(),
            certificates: Vec::new(),
            objection_decisions: Vec::new(),
            formed_by: Actor::system("access-matrix"),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let audit = AuditEvent::new(
            now,
            Actor::system("access-matrix"),
            "panel.formed",
            record.entity(),
            None,
            None,
        );
        let mut tx = Transaction::default();
        tx.panel(store.table(), None, &record, &audit).unwrap();
        store.commit(tx).await.unwrap();
    }
    let b = c1.org.clone();
    let mut values = BTreeMap::new();
    values.insert("{panel}", panel);
    values.insert("{A}", a.to_string());
    values.insert("{B}", b.to_string());
    values.insert("{Z}", z.to_string());
    values.insert("{Y}", y.to_string());
    values.insert("{app}", app_id);
    values.insert("{material}", material);
    values.insert("{change}", change["id"].as_str().unwrap().to_owned());
    values.insert("{susp}", susp["id"].as_str().unwrap().to_owned());
    values.insert("{susp2}", susp2);
    values.insert("{cevent}", credit_events[1].clone());
    values.insert("{repair}", repair["id"].as_str().unwrap().to_owned());
    values.insert("{ctask}", credit_task);
    values.insert("{notice}", notice.id.to_string());
    values.insert("{objection}", objection);
    values.insert("{serial1}", c1.serial.clone());
    values.insert("{serial2}", c2.serial.clone());
    // A credit report of agency A, issued by the agency itself.
    let issue = event_json(
        "POST",
        &format!("/v1/credit/agencies/{a}/report"),
        "",
        None,
        None,
        &As::Applicant(&a),
    );
    let issued = standing_certificate::handle(
        &cert,
        lambda_http::request::from_str(&issue.to_string()).unwrap(),
    )
    .await;
    let issued_body: Value = serde_json::from_slice(issued.body().as_ref()).unwrap();
    assert_eq!(status(&issued), 201, "{issued_body}");
    values.insert(
        "{creport}",
        issued_body["serial"].as_str().unwrap().to_owned(),
    );
    World {
        p,
        cert,
        a,
        b,
        z,
        y,
        other_company,
        values,
        web: standing_web::App {
            sign_in: standing_web::SignIn::DevKey(DEV_SECRET.as_bytes().to_vec()),
        },
    }
}

impl World {
    fn fill(&self, s: &str, fresh: &CreditCode) -> String {
        let mut out = s.replace("{F}", fresh.as_str());
        for (k, v) in &self.values {
            out = out.replace(k, v);
        }
        out
    }

    /// Every item of the partitions the matrix touches, as text: a refused call must
    /// leave it exactly as it was.
    async fn snapshot(&self) -> BTreeSet<String> {
        let mut pks = vec![
            format!("PANEL#{ASSOC}#{}", self.values["{panel}"]),
            format!("EXPERT#{ASSOC}#expert-user"),
            format!("CREDIT#{}", self.a),
            format!("CREDIT#{}", self.z),
            format!("ORG#{}", self.a),
            format!("ORG#{}", self.b),
            format!("ORG#{}", self.z),
            format!("ORG#{}", self.y),
            format!("AUTHORITY#{ASSOC}"),
        ];
        for k in [
            "{app}",
            "{change}",
            "{susp}",
            "{susp2}",
            "{notice}",
            "{serial1}",
            "{serial2}",
            "{creport}",
        ] {
            let prefix = match k {
                "{app}" => "APP#",
                "{change}" => "CHANGE#",
                "{susp}" | "{susp2}" => "SUSP#",
                "{notice}" => "NOTICE#",
                "{creport}" => "CREDITREPORT#",
                _ => "CERT#",
            };
            pks.push(format!("{prefix}{}", self.values[k]));
        }
        let reads = pks.into_iter().map(|pk| self.p.partition(pk));
        let out: BTreeSet<String> = futures_util::future::join_all(reads)
            .await
            .into_iter()
            .flatten()
            .collect();
        out
    }

    async fn call(&self, row: &Row, caller: Caller, n: usize) -> (u16, String) {
        let fresh = fresh_code();
        let path = self.fill(row.path, &fresh);
        let body = row.body.map(|b| self.fill(b, &fresh));
        let staff_of_a = As::Staff(ASSOC);
        let company_a = As::Applicant(&self.a);
        let company_b = As::Applicant(&self.b);
        let company_fresh = As::Applicant(&fresh);
        let other_company = As::Applicant(&self.other_company);
        let who = match caller {
            Caller::NoToken => As::Anonymous,
            Caller::Expired => As::Expired,
            Caller::WrongKey => As::Forged,
            Caller::OtherCompany => other_company,
            Caller::OtherAuthority => As::Staff(OTHER_AUTHORITY),
            Caller::Rightful => match row.rightful {
                Rightful::Public => As::Anonymous,
                Rightful::CompanyA => company_a,
                Rightful::CompanyB => company_b,
                Rightful::Fresh => company_fresh,
                Rightful::Staff => staff_of_a,
                Rightful::CityPolice => As::Staff("nmg-ps-hohhot"),
                Rightful::RegionPolice => As::Staff("nmg-public-security"),
                Rightful::CreditStaff => As::Staff("jz-housing-bureau"),
                Rightful::PanelExpert => As::Expert,
            },
        };
        // Staff of another authority "registering" A: the code is taken.
        let body = match (row.route, caller) {
            ("/v1/organizations", Caller::OtherAuthority) => {
                body.map(|b| b.replace(fresh.as_str(), self.a.as_str()))
            }
            _ => body,
        };
        let ct = body.as_ref().map(|_| {
            if row.route.ends_with("/seal") {
                "image/svg+xml"
            } else {
                "application/json"
            }
        });
        let (path, query) = path.split_once('?').unwrap_or((path.as_str(), ""));
        let mut event = event_json(row.method, path, "", body.as_deref(), ct, &who);
        if !query.is_empty() {
            let params: serde_json::Map<String, Value> = query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect();
            event["rawQueryString"] = json!(query);
            event["queryStringParameters"] = Value::Object(params);
        }
        // One source address per call, so the objection rate limit (per source and hour)
        // does not mix calls.
        event["requestContext"]["http"]["sourceIp"] = json!(format!("198.51.100.{}", n % 250));
        let req = lambda_http::request::from_str(&event.to_string()).unwrap();
        let r = match row.function {
            "intake" => standing_intake::handle(&self.p.intake, req).await,
            "publication" => standing_publication::handle(&self.p.publication, req).await,
            "certificate" => standing_certificate::handle(&self.cert, req).await,
            "review" => standing_review::handle(&self.p.review, req).await,
            "credit" => standing_credit::handle(&self.p.credit, req).await,
            "web" => standing_web::handle(&self.web, req).await,
            other => panic!("no function {other}"),
        };
        let text = String::from_utf8_lossy(r.body().as_ref())
            .chars()
            .take(300)
            .collect();
        (status(&r), text)
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_it_must_and_refusals_write_nothing() {
    let w = world().await;
    let mut failures = Vec::new();
    let mut n = 0;
    for row in rows() {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            n += 1;
            let expected = row.expect[i];
            let before = if expected >= 400 {
                Some(w.snapshot().await)
            } else {
                None
            };
            let (got, body) = w.call(&row, caller, n).await;
            if got != expected {
                failures.push(format!(
                    "{} {} as {caller:?}: expected {expected}, got {got}: {body}",
                    row.method, row.route
                ));
                continue;
            }
            if let Some(before) = before {
                let after = w.snapshot().await;
                if before != after {
                    failures.push(format!(
                        "{} {} as {caller:?}: refused with {got} but wrote {:?}",
                        row.method,
                        row.route,
                        after
                            .symmetric_difference(&before)
                            .map(|i| i.chars().take(120).collect::<String>())
                            .take(2)
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
