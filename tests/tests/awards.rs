//! Annual awards (seed 001, 2024 edition) on the local stack: nominations per category,
//! by the unit itself (unit awards) or for a person (personal awards), with the
//! category's checklist from the data; eligibility read from the platform's own records
//! (capability certificates, the association's membership records, the registered
//! organization) and from declarations the secretariat confirms, every unmet condition
//! named with its article at submission, each at its boundary on both sides.

mod cert_common;

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
        address: None,
        scope: None,
        basis: None,
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
    assert_eq!(a["edition"], "2024");
    // One entry per award and edition: a second c3 nomination cannot be submitted.
    let again = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c3"}),
    )
    .await;
    let proj = project(
        &p,
        &code,
        &again,
        "P-2024-02",
        300_000_000,
        "2024-10-31",
        false,
    )
    .await;
    declare(
        &p,
        &code,
        &again,
        json!({"facts": {"major_safety_quality_accident": {"value": false}},
               "projects": {"entries": [proj]}}),
    )
    .await;
    checklist(&p, &code, &again, "c3").await;
    let (s, b) = p.submit(&me, &again, &format!("{again}-k")).await;
    assert_eq!((s, b["field"].as_str()), (409, Some("scheme")), "{b}");
    assert!(
        b["detail"].as_str().unwrap().contains(&c3),
        "names the one held: {b}"
    );

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

    // 附件三 一（八）: 两项以上 demonstration projects completed in the window: one is not
    // enough, and a project outside the window does not count.
    for (second, refused) in [("2024-11-30", false), ("2024-12-01", true)] {
        let code = company(&p, "内蒙古示范边界科技有限公司", "2012-03-02").await;
        member(&p, &code, "2019-01-01", None).await;
        certificate(&p, &code, "2").await;
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c1"}),
        )
        .await;
        let a = project(&p, &code, &app, "D1", 1, "2024-01-01", true).await;
        let b = project(&p, &code, &app, "D2", 1, second, true).await;
        declare(&p, &code, &app, json!({"projects": {"entries": [a, b]}})).await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(ids == ["c1-1-demo-projects"], refused, "{second}: {text}");
    }

    // 四（五）1: 分公司或办事处存续5年及以上 (declared with its licence, confirmed).
    for (since, refused) in [("2019-12-05", false), ("2019-12-06", true)] {
        let code = company(&p, "内蒙古供应商边界科技有限公司", "2012-03-02").await;
        let app = nominate(
            &p,
            &code,
            json!({"scheme": "annual-awards", "category": "c5"}),
        )
        .await;
        let licence = p
            .upload(&As::Applicant(&code), &app, "im_branch_since")
            .await;
        declare(
            &p,
            &code,
            &app,
            json!({"facts": {"im_branch_since": {"value": since, "evidence": [licence]},
                             "violations_or_accidents_3y": {"value": false}}}),
        )
        .await;
        let (ids, text) = unmet(&p, &code, &app).await;
        assert_eq!(ids == ["c5-1-local-presence"], refused, "{since}: {text}");
        if refused {
            assert!(text.contains("四（五）1"), "{text}");
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

/// A c5 (品牌供应商) nomination of a fresh unit, its branch confirmed by the
/// secretariat, admitted to the panel; returns (unit, app). (No other test admits c5.)
async fn admitted_c5(p: &Platform, name: &str) -> (CreditCode, String) {
    let code = company(p, name, "2012-03-02").await;
    let app = nominate(
        p,
        &code,
        json!({"scheme": "annual-awards", "category": "c5"}),
    )
    .await;
    let licence = p
        .upload(&As::Applicant(&code), &app, "im_branch_since")
        .await;
    declare(
        p,
        &code,
        &app,
        json!({"facts": {"im_branch_since": {"value": "2015-05-01", "evidence": [licence]},
                         "violations_or_accidents_3y": {"value": false}}}),
    )
    .await;
    checklist(p, &code, &app, "c5").await;
    let (s, b) = p
        .submit(&As::Applicant(&code), &app, &format!("{app}-k"))
        .await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    let confirmed = p
        .confirm_pending_checks(&app, ASSOCIATION, "分公司营业执照核验无误")
        .await;
    assert_eq!(confirmed, ["c5-1-local-presence"]);
    assert_eq!(application(p, &app).await["status"], "approved");
    (code, app)
}

async fn score(p: &Platform, panel: &str, expert: &str, app: &str, score: Value) -> Answer {
    let a = p
        .call_intake(
            "PUT",
            &format!("/v1/awards/panels/{panel}/scores/{app}"),
            Some(json!({ "score": score })),
            &As::ExpertNamed(expert),
        )
        .await;
    assert_documented("/v1/awards/panels/{panel}/scores/{application}", "PUT", &a);
    a
}

async fn panel_as(p: &Platform, panel: &str, who: &As<'_>) -> Answer {
    let a = p
        .call_intake("GET", &format!("/v1/awards/panels/{panel}"), None, who)
        .await;
    assert_documented("/v1/awards/panels/{panel}", "GET", &a);
    a
}

/// What `expert` sees of `app` on the panel.
async fn seen_by(p: &Platform, panel: &str, expert: &str, app: &str) -> Value {
    let (s, b) = panel_as(p, panel, &As::ExpertNamed(expert)).await;
    assert_eq!(s, 200, "{b}");
    b["nominees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["application"] == app)
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn a_panel_keeps_tied_experts_off_hides_scores_until_scored_and_ranks_by_the_data() {
    let p = platform().await;
    // Experts of this run (the panel itself needs a fresh table, as test.sh makes).
    let run = fresh_code().to_string()[8..14].to_owned();
    let e: Vec<String> = (1..=6).map(|i| format!("e{i}-{run}")).collect();
    let mut units = Vec::new();
    for name in [
        "甲安防有限公司",
        "乙安防有限公司",
        "丙安防有限公司",
        "丁安防有限公司",
    ] {
        units.push(admitted_c5(&p, name).await);
    }
    let (a_code, a) = units[0].clone();
    let (_, b) = units[1].clone();
    let (_, c) = units[2].clone();
    let (_, d) = units[3].clone();

    // The association records its experts; e1 works for 甲 (the record, not a claim).
    for (i, subject) in e.iter().enumerate() {
        let mut body = json!({"name": format!("专家{}", i + 1)});
        if i == 0 {
            body["org"] = json!(a_code.as_str());
        }
        let (s, r) = p
            .call_intake(
                "PUT",
                &format!("/v1/experts/{subject}"),
                Some(body),
                &As::Staff(ASSOCIATION),
            )
            .await;
        assert_documented("/v1/experts/{subject}", "PUT", &(s, r.clone()));
        assert_eq!(s, 201, "{r}");
    }
    // An expert cannot record themselves, nor a company.
    for who in [As::ExpertNamed(&e[0]), As::Applicant(&a_code)] {
        let (s, _) = p
            .call_intake(
                "PUT",
                &format!("/v1/experts/{}", e[0]),
                Some(json!({"name": "自称专家"})),
                &who,
            )
            .await;
        assert_eq!(s, 403);
    }

    // The panel of c5 in 2024: e2 declared a tie with 乙.
    let panel = "2024-c5";
    let body = json!({"experts": e, "ties": [{"expert": e[1], "application": b,
                                              "reason": "曾任该单位技术顾问"}]});
    let unknown = json!({"experts": [e[0], "nobody-recorded"]});
    let (s, r) = p
        .call_intake(
            "POST",
            &format!("/v1/awards/panels/{panel}"),
            Some(unknown),
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_eq!((s, r["field"].as_str()), (422, Some("experts[1]")), "{r}");
    for who in [
        As::ExpertNamed(&e[0]),
        As::Applicant(&a_code),
        As::Staff("bj-security-association"),
    ] {
        let (s, _) = p
            .call_intake(
                "POST",
                &format!("/v1/awards/panels/{panel}"),
                Some(body.clone()),
                &who,
            )
            .await;
        assert_eq!(s, 403);
    }
    let (s, r) = p
        .call_intake(
            "POST",
            &format!("/v1/awards/panels/{panel}"),
            Some(body.clone()),
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_documented("/v1/awards/panels/{panel}", "POST", &(s, r.clone()));
    assert_eq!(s, 201, "{r}");
    let recused = |app: &str| -> Vec<String> {
        r["nominees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["application"] == app)
            .unwrap()["recused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["expert"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(recused(&a), [e[0].clone()], "same unit");
    assert_eq!(recused(&b), [e[1].clone()], "declared tie");
    assert!(recused(&c).is_empty());

    // Who reads the panel: staff and its experts; not the nominee, the public, another
    // authority or an expert who is not on it.
    assert_eq!(panel_as(&p, panel, &As::Applicant(&a_code)).await.0, 403);
    assert_eq!(panel_as(&p, panel, &As::Anonymous).await.0, 401);
    assert_eq!(
        panel_as(&p, panel, &As::Staff("bj-security-association"))
            .await
            .0,
        403
    );
    assert_eq!(panel_as(&p, panel, &As::Expert).await.0, 403);
    // Only a panel expert scores; never the nominee they are tied to.
    assert_eq!(score(&p, panel, "expert-user", &a, json!(80)).await.0, 403);
    let (s, r) = score(&p, panel, &e[0], &a, json!(80)).await;
    assert_eq!(s, 403, "{r}");
    assert!(seen_by(&p, panel, &e[0], &a).await["recused"].is_string());
    let (s, _) = p
        .call_intake(
            "PUT",
            &format!("/v1/awards/panels/{panel}/scores/{a}"),
            Some(json!({"score": 80})),
            &As::Applicant(&a_code),
        )
        .await;
    assert_eq!(s, 403);
    for bad in [json!(100.5), json!("abc"), json!(-1), json!("90.123")] {
        let (s, r) = score(&p, panel, &e[2], &a, bad.clone()).await;
        assert_eq!((s, r["field"].as_str()), (422, Some("score")), "{bad}: {r}");
    }

    // Scores hidden until one's own is in.
    let (s, r) = score(&p, panel, &e[2], &a, json!(100)).await;
    assert_eq!(s, 201, "{r}");
    let before = seen_by(&p, panel, &e[3], &a).await;
    assert!(before.get("other_scores").is_none(), "{before}");
    assert!(!before.to_string().contains("100"), "{before}");
    let (s, _) = score(&p, panel, &e[3], &a, json!("90")).await;
    assert_eq!(s, 201);
    let after = seen_by(&p, panel, &e[3], &a).await;
    assert_eq!(after["my_score"], "90");
    assert_eq!(after["other_scores"], json!(["100"]));
    // Given once.
    assert_eq!(score(&p, panel, &e[3], &a, json!(95)).await.0, 409);

    // Ranking waits for every score.
    let ranking_path = format!("/v1/awards/panels/{panel}/ranking");
    let rank = || p.call_intake("POST", &ranking_path, None, &As::Staff(ASSOCIATION));
    let (s, r) = rank().await;
    assert_eq!((s, r["field"].as_str()), (409, Some("scores")), "{r}");

    // 甲 (5 scorers): 100 90 90 90 60 → drop 100 and 60 → 90.
    for (x, v) in [(4, 90), (5, 90), (1, 60)] {
        assert_eq!(score(&p, panel, &e[x], &a, json!(v)).await.0, 201);
    }
    // 乙 (5 scorers): 95 85 85 85 50 → 85.
    for (x, v) in [(0, 95), (2, 85), (3, 85), (4, 85), (5, 50)] {
        assert_eq!(score(&p, panel, &e[x], &b, json!(v)).await.0, 201);
    }
    // 丙 (6): 99 80 80 80 80 10 → 80; 丁 (6): 70 each → 70.
    for (x, v) in [(0, 99), (1, 80), (2, 80), (3, 80), (4, 80), (5, 10)] {
        assert_eq!(score(&p, panel, &e[x], &c, json!(v)).await.0, 201);
        assert_eq!(score(&p, panel, &e[x], &d, json!(70)).await.0, 201);
    }
    let (s, r) = rank().await;
    assert_documented("/v1/awards/panels/{panel}/ranking", "POST", &(s, r.clone()));
    assert_eq!(s, 200, "{r}");
    let ranking: Vec<(String, String, u64, bool)> = r["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["application"].as_str().unwrap().to_owned(),
                x["aggregate"].as_str().unwrap().to_owned(),
                x["rank"].as_u64().unwrap(),
                x["proposed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranking,
        [
            (a.clone(), "90".to_owned(), 1, true),
            (b.clone(), "85".to_owned(), 2, true),
            (c.clone(), "80".to_owned(), 3, true),
            (d.clone(), "70".to_owned(), 4, false),
        ],
        "three winners a category (the data's default quota): {r}"
    );
    assert!(
        r["rule_zh"]
            .as_str()
            .unwrap()
            .contains("去掉一个最高分和一个最低分")
    );
    // Closed: no more scores, no second ranking.
    assert_eq!(rank().await.0, 409);
    assert_eq!(score(&p, panel, &e[0], &c, json!(1)).await.0, 409);

    // 五（三）: the proposed winners on public notice for 3 calendar days. Opened on
    // Thursday 2024-12-05, the third day is Sunday 12-08, a day off: the notice runs
    // through Monday 12-09 (民法典 第二百零三条) and closes at 00:00 on 12-10.
    let results_path = format!("/v1/awards/panels/{panel}/results");
    let (s, r) = p
        .call_intake("GET", &results_path, None, &As::Anonymous)
        .await;
    assert_eq!(s, 404, "not on notice yet: {r}");
    let (s, r) = p
        .call_intake(
            "POST",
            &format!("/v1/awards/panels/{panel}/notice"),
            None,
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_documented("/v1/awards/panels/{panel}/notice", "POST", &(s, r.clone()));
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["notice"]["starts_on"], "2024-12-05");
    assert_eq!(r["notice"]["ends_on"], "2024-12-09");
    let (s, public) = p
        .call_intake("GET", &results_path, None, &As::Anonymous)
        .await;
    assert_documented(
        "/v1/awards/panels/{panel}/results",
        "GET",
        &(s, public.clone()),
    );
    assert_eq!(s, 200, "{public}");
    assert_eq!(public["status"], "on_notice");
    let units: Vec<&str> = public["winners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["unit"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        ["甲安防有限公司", "乙安防有限公司", "丙安防有限公司"]
    );
    for secret in [a_code.as_str(), "0471-1234567", "李四"] {
        assert!(!public.to_string().contains(secret), "{secret} in {public}");
    }

    // Anyone may object to a proposed winner while the notice runs (not to another).
    let objections_path = format!("/v1/awards/panels/{panel}/objections");
    let objection = |app: &str| {
        json!({"application": app, "name": "王某", "contact": "13800000000",
               "text": "该单位申报的工程存在质量问题"})
    };
    let (s, r) = p
        .call_intake(
            "POST",
            &objections_path,
            Some(objection(&d)),
            &As::Anonymous,
        )
        .await;
    assert_eq!((s, r["field"].as_str()), (422, Some("application")), "{r}");
    let (s, r) = p
        .call_intake(
            "POST",
            &objections_path,
            Some(objection(&c)),
            &As::Anonymous,
        )
        .await;
    assert_documented(
        "/v1/awards/panels/{panel}/objections",
        "POST",
        &(s, r.clone()),
    );
    assert_eq!(s, 201, "{r}");
    let objection_id = r["id"].as_str().unwrap().to_owned();
    // The objector's contact: staff see it, the panel's experts and the public do not.
    let (_, staff_view) = panel_as(&p, panel, &As::Staff(ASSOCIATION)).await;
    assert_eq!(staff_view["objections"][0]["contact"], "13800000000");
    let (_, expert_view) = panel_as(&p, panel, &As::ExpertNamed(&e[2])).await;
    assert!(!expert_view.to_string().contains("13800000000"));

    // Not before the notice has run its course.
    let publish =
        |body: Value| p.call_intake("POST", &results_path, Some(body), &As::Staff(ASSOCIATION));
    p.clock.set(star_day(2024, 12, 9));
    let (s, r) = publish(json!({})).await;
    assert_eq!((s, r["field"].as_str()), (409, Some("status")), "{r}");
    assert!(r["detail"].as_str().unwrap().contains("2024-12-09"), "{r}");
    // After it: an objection the association upheld withdraws 丙; 甲 and 乙 win.
    p.clock.set(star_day(2024, 12, 10));
    let (s, r) = p
        .call_intake(
            "POST",
            &objections_path,
            Some(objection(&a)),
            &As::Anonymous,
        )
        .await;
    assert_eq!(
        (s, r["field"].as_str()),
        (409, Some("status")),
        "closed: {r}"
    );
    // A withdrawal of a nominee not proposed, and the objection left undecided: both
    // named at once, nothing written.
    let (s, r) = publish(json!({"withdrawn": [{"application": d, "reason": "x"}]})).await;
    assert_eq!(s, 422, "{r}");
    let fields: Vec<&str> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"withdrawn[0].application"), "{r}");
    assert!(
        fields.contains(&"objections"),
        "every objection is decided: {r}"
    );
    let (s, r) = publish(json!({"objections": [{"id": objection_id, "upheld": true,
        "reason": "经核实，所报工程存在质量问题"}]}))
    .await;
    assert_documented("/v1/awards/panels/{panel}/results", "POST", &(s, r.clone()));
    assert_eq!(s, 200, "{r}");
    assert_eq!(publish(json!({})).await.0, 409, "published once");
    let (_, public) = p
        .call_intake("GET", &results_path, None, &As::Anonymous)
        .await;
    assert_eq!(public["status"], "published");
    let winners = public["winners"].as_array().unwrap();
    assert_eq!(winners.len(), 2, "{public}");
    assert_eq!(winners[0]["unit"], "甲安防有限公司");
    assert_eq!(winners[0]["award"], "内蒙古自治区安防高质量发展品牌供应商");

    // The award certificates, rendered with the awards' own template and read back.
    let (cert, clients, _) = cert_common::cert_app().await;
    for w in winners {
        let serial = w["certificate_serial"].as_str().unwrap();
        assert!(serial.starts_with("NMGPY-2024-"), "{serial}");
        let raw = serde_json::value::to_raw_value(
            &json!({"job": "render", "serial": serial, "version": 1}),
        )
        .unwrap();
        let out = standing_certificate::event::handle_event(
            &cert,
            lambda_runtime::LambdaEvent::new(raw, lambda_runtime::Context::default()),
        )
        .await
        .unwrap();
        assert_eq!(out["status"], "rendered", "{out}");
        let pdf = cert_common::s3_bytes(&clients, &format!("certificates/{serial}/v1.pdf")).await;
        // Lines wrap where the page says: compare without the line breaks.
        let text: String = cert_common::pdf_text(&pdf).split_whitespace().collect();
        for want in [
            w["unit"].as_str().unwrap(),
            "荣誉证书",
            "内蒙古自治区安防高质量发展品牌供应商",
            serial,
            // The basis sentence from the edition's data (issue 15 item 5).
            "依据《内蒙古自治区公共安全技术防范行业评优管理办法》，经评审委员会评审、公示，荣获",
        ] {
            assert!(text.contains(want), "{want} not in the PDF text: {text}");
        }
        assert!(
            !text.contains("有效期"),
            "an award prints no validity: {text}"
        );
    }
}

#[tokio::test]
async fn a_personal_award_is_published_with_name_unit_and_award_and_never_the_identity_number() {
    let p = platform().await;
    let code = company(&p, "内蒙古领航安防集团有限公司", "2005-06-01").await;
    let me = As::Applicant(&code);
    // c7 (优秀企业家) for the unit's chairman: ten years in post, confirmed by staff.
    let app = nominate(
        &p,
        &code,
        json!({"scheme": "annual-awards", "category": "c7",
               "nominee": {"name": "周九", "id_number": ID_NUMBER, "position": "董事长"}}),
    )
    .await;
    let proof = p.upload(&me, &app, "leadership_since").await;
    declare(
        &p,
        &code,
        &app,
        json!({"facts": {"leadership_since": {"value": "2010-01-01", "evidence": [proof]}}}),
    )
    .await;
    checklist(&p, &code, &app, "c7").await;
    let (s, b) = p.submit(&me, &app, &format!("{app}-k")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    let confirmed = p
        .confirm_pending_checks(&app, ASSOCIATION, "在职证明核验无误")
        .await;
    assert_eq!(confirmed, ["c7-2-leadership-years"]);
    assert_eq!(application(&p, &app).await["status"], "approved");

    // One expert of another unit, one score, ranked, on notice, published.
    let expert = format!("c7-expert-{}", &code.as_str()[8..14]);
    let (s, r) = p
        .call_intake(
            "PUT",
            &format!("/v1/experts/{expert}"),
            Some(json!({"name": "吴专家"})),
            &As::Staff(ASSOCIATION),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let panel = "2024-c7";
    let staff = As::Staff(ASSOCIATION);
    let (s, r) = p
        .call_intake(
            "POST",
            &format!("/v1/awards/panels/{panel}"),
            Some(json!({"experts": [expert]})),
            &staff,
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(score(&p, panel, &expert, &app, json!("92.5")).await.0, 201);
    for step in ["ranking", "notice"] {
        let (s, r) = p
            .call_intake(
                "POST",
                &format!("/v1/awards/panels/{panel}/{step}"),
                None,
                &staff,
            )
            .await;
        assert_eq!(s, 200, "{step}: {r}");
    }
    let results_path = format!("/v1/awards/panels/{panel}/results");
    p.clock.set(star_day(2024, 12, 10));
    let (s, r) = p
        .call_intake("POST", &results_path, Some(json!({})), &staff)
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, public) = p
        .call_intake("GET", &results_path, None, &As::Anonymous)
        .await;
    assert_eq!(s, 200, "{public}");
    let w = &public["winners"][0];
    assert_eq!(w["name"], "周九");
    assert_eq!(w["unit"], "内蒙古领航安防集团有限公司");
    assert_eq!(w["award"], "内蒙古自治区公共安全技术防范行业优秀企业家");
    let text = public.to_string();
    for secret in [
        ID_NUMBER,
        ID_MASKED,
        "110105",
        code.as_str(),
        "0471-1234567",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} in the public list: {text}"
        );
    }
    // The panel's experts and staff see the nominee by name and unit too, never the
    // number.
    let (_, staff_view) = panel_as(&p, panel, &staff).await;
    assert!(!staff_view.to_string().contains(ID_NUMBER));

    // The certificate names the person and the unit.
    let serial = w["certificate_serial"].as_str().unwrap().to_owned();
    let (cert, clients, _) = cert_common::cert_app().await;
    let raw =
        serde_json::value::to_raw_value(&json!({"job": "render", "serial": serial, "version": 1}))
            .unwrap();
    let out = standing_certificate::event::handle_event(
        &cert,
        lambda_runtime::LambdaEvent::new(raw, lambda_runtime::Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(out["status"], "rendered", "{out}");
    let pdf = cert_common::s3_bytes(&clients, &format!("certificates/{serial}/v1.pdf")).await;
    let text = cert_common::pdf_text(&pdf);
    for want in [
        "周九（内蒙古领航安防集团有限公司）",
        "内蒙古自治区公共安全技术防范行业优秀企业家",
        "荣誉证书",
    ] {
        assert!(text.contains(want), "{want} not in the PDF text: {text}");
    }
    assert!(!text.contains("110105"), "{text}");
}
