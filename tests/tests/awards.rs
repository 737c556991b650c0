//! Annual awards (seed 001, 2024 edition) on the local stack: nominations per category,
//! by the unit itself (unit awards) or for a person (personal awards), with the
//! category's checklist from the data; eligibility read from the platform's own records
//! (capability certificates, the association's membership records, the registered
//! organization) and from declarations the secretariat confirms, every unmet condition
//! named with its article at submission, each at its boundary on both sides.

use chrono::NaiveDate;
use serde_json::{Value, json};
use standing_aws::store::Transaction;
use standing_domain::audit::{Actor, AuditEvent};
use standing_domain::certificate::{CertificateRecord, CertificateStatus, new_serial};
use standing_domain::ids::{CreditCode, RecordId};
use standing_e2e::*;

const ASSOCIATION: &str = "nmg-security-association";
/// A valid GB 11643 number (check digit X) and its masked form.
const ID_NUMBER: &str = "11010519491231002X";
const ID_MASKED: &str = "110105********002X";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Nominations are made on 2024-12-05 (China time), after the January-November window.
async fn platform() -> Platform {
    Platform::at(star_day(2024, 12, 5)).await
}

/// Register a company established on `established_on`.
async fn company(p: &Platform, name: &str, established_on: &str) -> CreditCode {
    let code = fresh_code();
    let mut body = registration(&code, name);
    body["established_on"] = json!(established_on);
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(body),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    code
}

/// The association's staff record a membership period.
async fn member(p: &Platform, code: &CreditCode, since: &str, ended_on: Option<&str>) {
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{code}/memberships"),
            Some(json!({"since": since})),
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    if let Some(end) = ended_on {
        let (s, b) = p
            .call_intake(
                "POST",
                &format!("/v1/organizations/{code}/memberships/end"),
                Some(json!({"ended_on": end, "ground": "withdrawn"})),
                &As::Staff(ASSOCIATION),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
}

/// A capability-grade certificate of `level` as the platform issued it (valid
/// 2024-07-01 … 2025-06-30).
async fn certificate(p: &Platform, org: &CreditCode, level: &str) {
    let now = star_day(2024, 7, 1);
    let issued_on = day("2024-07-01");
    let record = CertificateRecord {
        serial: new_serial("NMGAF", issued_on),
        scheme: "capability-grade".into(),
        scheme_version: "2024-01-01".into(),
        authority: ASSOCIATION.into(),
        authority_name: "内蒙古自治区公共安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        org: org.clone(),
        company_name: "内蒙古评优测试有限公司".into(),
        level_code: level.into(),
        level_label: format!("{level}级"),
        issued_on,
        valid_until: day("2025-06-30"),
        status: CertificateStatus::Valid,
        application_id: RecordId::new_at(now),
        replaces: None,
        superseded_by: None,
        reissue_reason: None,
        revocation: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = AuditEvent::new(
        now,
        Actor::system("test-issue"),
        "certificate.issued",
        record.entity(),
        None,
        serde_json::to_value(&record).ok(),
    );
    let mut tx = Transaction::default();
    tx.certificate(p.store().table(), None, &record, &audit)
        .unwrap();
    p.store().commit(tx).await.unwrap();
}

/// Create a nomination; returns its id.
async fn nominate(p: &Platform, code: &CreditCode, body: Value) -> String {
    let (s, b) = p
        .call_intake("POST", "/v1/applications", Some(body), &As::Applicant(code))
        .await;
    assert_documented("/v1/applications", "POST", &(s, b.clone()));
    assert_eq!(s, 201, "{b}");
    b["id"].as_str().unwrap().to_owned()
}

async fn declare(p: &Platform, code: &CreditCode, app: &str, body: Value) {
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(body),
            &As::Applicant(code),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

/// Upload every item of `category`'s checklist (附件三), as the data lists it.
async fn checklist(p: &Platform, code: &CreditCode, app: &str, category: &str) {
    let scheme = standing_schemes::Registry::builtin()
        .unwrap()
        .in_force(standing_schemes::SchemeId::AnnualAwards, day("2024-12-05"))
        .unwrap();
    let group = scheme.groups.iter().find(|g| g.id == category).unwrap();
    assert!(!group.materials.is_empty());
    for m in &group.materials {
        p.upload(&As::Applicant(code), app, &format!("{category}.{}", m.id))
            .await;
    }
}

/// A project entry (amount in fen).
async fn project(
    p: &Platform,
    code: &CreditCode,
    app: &str,
    reference: &str,
    amount_fen: i64,
    completed_on: &str,
    demonstration: bool,
) -> Value {
    let m = p.upload(&As::Applicant(code), app, "projects").await;
    json!({"project_ref": reference, "amount_fen": amount_fen, "completed_on": completed_on,
           "accepted": true, "demonstration": demonstration, "evidence": [m]})
}

/// Submit; the rule ids named as unmet conditions (empty when the submission is not
/// refused on a condition), with the refusal's text.
async fn unmet(p: &Platform, code: &CreditCode, app: &str) -> (Vec<String>, String) {
    let (s, b) = p
        .submit(&As::Applicant(code), app, &format!("{app}-k"))
        .await;
    assert_documented("/v1/applications/{id}/submit", "POST", &(s, b.clone()));
    let refused_on_conditions = s == 422
        && b["detail"]
            .as_str()
            .unwrap_or("")
            .starts_with("不符合申报条件");
    if !refused_on_conditions {
        return (Vec::new(), b.to_string());
    }
    let ids = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    (ids, b.to_string())
}

async fn application(p: &Platform, app: &str) -> Value {
    let (s, a) = p
        .call_intake(
            "GET",
            &format!("/v1/applications/{app}"),
            None,
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    a
}

#[tokio::test]
async fn a_unit_enters_two_awards_and_nominates_a_person_each_with_its_checklist() {
    let p = platform().await;
    let code = company(&p, "内蒙古智安科技有限公司", "2012-03-02").await;
    let me = As::Applicant(&code);
    member(&p, &code, "2019-01-01", None).await;

    // A category must be named, and be one of the nine.
    for (body, field) in [
        (json!({"scheme": "annual-awards"}), "category"),
        (
            json!({"scheme": "annual-awards", "category": "c10"}),
            "category",
        ),
        // A unit award has no nominee; a personal award needs one, with a valid number.
        (
            json!({"scheme": "annual-awards", "category": "c3",
                   "nominee": {"name": "王五", "id_number": ID_NUMBER}}),
            "nominee",
        ),
        (
            json!({"scheme": "annual-awards", "category": "c8"}),
            "nominee",
        ),
        (
            json!({"scheme": "annual-awards", "category": "c8",
                   "nominee": {"name": "王五", "id_number": "110105194912310021"}}),
            "nominee.id_number",
        ),
    ] {
        let (s, b) = p
            .call_intake("POST", "/v1/applications", Some(body.clone()), &me)
            .await;
        assert_documented("/v1/applications", "POST", &(s, b.clone()));
        assert_eq!((s, b["field"].as_str()), (422, Some(field)), "{body}: {b}");
        assert!(!b.to_string().contains("110105194912310021"), "not echoed");
    }

    // Unit award c3 (优质工程奖): the checklist of 附件三 三, a project of 200万元 exactly
    // completed on the last day of the window.
    let c3 = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c3"}),
    )
    .await;
    // A checklist item of another category is not this nomination's.
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/applications/{c3}/materials"),
            Some(json!({"evidence_for": "c1.m10", "file_name": "a.pdf",
                        "content_type": "application/pdf", "size_bytes": 10})),
            &me,
        )
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("evidence_for")), "{b}");
    let proj = project(
        &p,
        &code,
        &c3,
        "P-2024-01",
        200_000_000,
        "2024-11-30",
        false,
    )
    .await;
    declare(
        &p,
        &code,
        &c3,
        json!({"facts": {"major_safety_quality_accident": {"value": false}},
               "projects": {"entries": [proj]}}),
    )
    .await;
    // Without the checklist: refused, every missing item named (none is a condition).
    let (s, b) = p.submit(&me, &c3, &format!("{c3}-first")).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 8, "the eight items of 附件三 三: {b}");
    assert!(fields.contains(&"c3.m7"), "{b}");
    checklist(&p, &code, &c3, "c3").await;
    let (s, b) = p.submit(&me, &c3, &format!("{c3}-second")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    // The secretariat confirms the declared project against its contract and acceptance.
    let confirmed = p
        .confirm_pending_checks(&c3, ASSOCIATION, "合同、验收报告核验无误")
        .await;
    assert_eq!(confirmed, ["c3-3-project"]);
    let a = application(&p, &c3).await;
    assert_eq!(a["status"], "approved", "admitted to the panel: {a}");

    // The same unit enters c6 (优秀会员单位) at the same time: several awards are allowed.
    let c6 = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c6"}),
    )
    .await;
    declare(
        &p,
        &code,
        &c6,
        json!({"facts": {"bad_conduct_record": {"value": false}}}),
    )
    .await;
    checklist(&p, &code, &c6, "c6").await;
    let (s, b) = p.submit(&me, &c6, &format!("{c6}-k")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    assert_eq!(application(&p, &c6).await["status"], "approved");

    // Personal award c8 (先进工作者) for an employee: the employer's membership is read
    // from the association's records; the identity number is kept masked only.
    let c8 = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c8",
               "nominee": {"name": "王五", "id_number": ID_NUMBER, "position": "技术部经理"}}),
    )
    .await;
    declare(
        &p,
        &code,
        &c8,
        json!({"facts": {"personal_bad_record": {"value": false}}}),
    )
    .await;
    checklist(&p, &code, &c8, "c8").await;
    let (s, b) = p.submit(&me, &c8, &format!("{c8}-k")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    let a = application(&p, &c8).await;
    assert_eq!(a["status"], "approved", "{a}");
    assert_eq!(a["nominee"]["name"], "王五");
    assert_eq!(a["nominee"]["id_number_masked"], ID_MASKED);
    let stored = p
        .partition(standing_aws::keys::app_pk(&c8))
        .await
        .join("\n");
    assert!(!stored.contains(ID_NUMBER), "never stored in clear");
    assert!(!a.to_string().contains(ID_NUMBER));
}

#[tokio::test]
async fn each_eligibility_condition_is_refused_at_its_boundary_and_met_on_the_other_side() {
    let p = platform().await;

    // 四（一）3: a valid capability certificate of grade 2 or better (platform records),
    // and membership; 附件三 一（八）: two demonstration projects completed Jan-Nov.
    for (level, refused) in [
        (Some("2"), false),
        (Some("1"), false),
        (Some("3"), true),
        (None, true),
    ] {
        let code = company(&p, "内蒙古证书边界科技有限公司", "2012-03-02").await;
        member(&p, &code, "2019-01-01", None).await;
        if let Some(level) = level {
            certificate(&p, &code, level).await;
        }
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c1"}),
        )
        .await;
        let a = project(&p, &code, &app, "D1", 1, "2024-03-01", true).await;
        let b = project(&p, &code, &app, "D2", 1, "2024-10-01", true).await;
        declare(&p, &code, &app, json!({"projects": {"entries": [a, b]}})).await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(
            ids.contains(&"c1-3-certificate".to_owned()),
            refused,
            "grade {level:?}: {text}"
        );
        if refused {
            assert!(text.contains("四（一）3"), "{text}");
        }
    }

    // 四（三）3: 200万元（含）以上, completed 2024-01-01 … 2024-11-30.
    for (amount, completed, refused) in [
        (200_000_000, "2024-06-30", false),
        (199_999_999, "2024-06-30", true),
        (200_000_000, "2024-01-01", false),
        (200_000_000, "2023-12-31", true),
        (200_000_000, "2024-11-30", false),
        (200_000_000, "2024-12-01", true),
    ] {
        let code = company(&p, "内蒙古工程边界科技有限公司", "2012-03-02").await;
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c3"}),
        )
        .await;
        let pr = project(&p, &code, &app, "P1", amount, completed, false).await;
        declare(
            &p,
            &code,
            &app,
            json!({"facts": {"major_safety_quality_accident": {"value": false}},
                   "projects": {"entries": [pr]}}),
        )
        .await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(
            ids == ["c3-3-project"],
            refused,
            "{amount} fen completed {completed}: {text}"
        );
        if refused {
            assert!(text.contains("四（三）3"), "{text}");
        }
    }

    // 四（四）2: 成立5年（含）以上, from the registered organization; 附件三 四（六）: member 3
    // consecutive years, from the association's records.
    for (established, since, refused) in [
        ("2019-12-05", "2021-12-05", vec![]),
        ("2019-12-06", "2021-12-05", vec!["c4-2-age"]),
        ("2019-12-05", "2021-12-06", vec!["c4-membership"]),
    ] {
        let code = company(&p, "内蒙古诚信边界科技有限公司", established).await;
        member(&p, &code, since, None).await;
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c4"}),
        )
        .await;
        let contract = p
            .upload(&As::Applicant(&code), &app, "demo_project_built_in_year")
            .await;
        declare(
            &p,
            &code,
            &app,
            json!({"facts": {
                "demo_project_built_in_year": {"value": true, "evidence": [contract]},
                "penalties_or_complaints_3y": {"value": false},
                "bad_credit_conduct": {"value": false}}}),
        )
        .await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(ids, refused, "{established} / member since {since}: {text}");
    }

    // 四（六）2: 近三年（含三年）以上连续为会员: four years in all, but interrupted, is not
    // enough; three unbroken years are.
    for (periods, refused) in [
        (
            vec![("2020-01-01", Some("2022-06-30")), ("2022-08-01", None)],
            true,
        ),
        (
            vec![("2020-01-01", Some("2022-06-30")), ("2022-07-01", None)],
            false,
        ),
    ] {
        let code = company(&p, "内蒙古会员边界科技有限公司", "2012-03-02").await;
        for (since, end) in periods {
            member(&p, &code, since, end).await;
        }
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c6"}),
        )
        .await;
        declare(
            &p,
            &code,
            &app,
            json!({"facts": {"bad_conduct_record": {"value": false}}}),
        )
        .await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(ids == ["c6-2-membership"], refused, "{text}");
        if refused {
            assert!(text.contains("四（六）2"), "{text}");
        }
    }

    // 四（七）2: 关键领导岗位10年以上 (declared with the employment certificate, confirmed by
    // the secretariat).
    for (since, refused) in [("2014-12-05", false), ("2014-12-06", true)] {
        let code = company(&p, "内蒙古企业家边界科技有限公司", "2012-03-02").await;
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c7",
                   "nominee": {"name": "赵六", "id_number": ID_NUMBER}}),
        )
        .await;
        let proof = p
            .upload(&As::Applicant(&code), &app, "leadership_since")
            .await;
        declare(
            &p,
            &code,
            &app,
            json!({"facts": {"leadership_since": {"value": since, "evidence": [proof]}}}),
        )
        .await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(ids == ["c7-2-leadership-years"], refused, "{since}: {text}");
        if refused {
            assert!(text.contains("四（七）2"), "{text}");
        }
    }

    // 四（八）1: the nominee's unit must be a member (the association's records), and
    // every unmet condition is named at once.
    let code = company(&p, "内蒙古非会员科技有限公司", "2012-03-02").await;
    let app = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c8",
               "nominee": {"name": "钱七", "id_number": ID_NUMBER}}),
    )
    .await;
    declare(
        &p,
        &code,
        &app,
        json!({"facts": {"personal_bad_record": {"value": true},
                         "employer_is_member": {"value": true}}}),
    )
    .await;
    let before = p.partition(standing_aws::keys::app_pk(&app)).await;
    let (mut ids, text) = unmet(&p, &code, &app).await;
    ids.sort();
    assert_eq!(
        ids,
        ["c8-1-member-employee", "c8-2-no-bad-record"],
        "{text}"
    );
    assert!(
        text.contains("四（八）1") && text.contains("四（八）2"),
        "{text}"
    );
    assert_eq!(
        p.partition(standing_aws::keys::app_pk(&app)).await,
        before,
        "a refusal changes nothing"
    );

    // 四（九）4: the expert pool: declared with the appointment letter, confirmed by staff.
    let code = company(&p, "内蒙古专家边界科技有限公司", "2012-03-02").await;
    let app = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c9",
               "nominee": {"name": "孙八", "id_number": ID_NUMBER}}),
    )
    .await;
    declare(
        &p,
        &code,
        &app,
        json!({"facts": {"expert_pool_member": {"value": false}}}),
    )
    .await;
    let (ids, text) = unmet(&p, &code, &app).await;
    assert_eq!(ids, ["c9-expert-pool"], "{text}");
}
