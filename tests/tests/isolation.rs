//! The stories of the isolation issue, as an attacker and as the association would tell
//! them: staff of one authority cannot act on another authority's records, memberships
//! are the association's records, a company's registration cannot be pre-empted, and
//! applicants see roles, not staff account ids.

use chrono::{TimeZone, Utc};
use serde_json::json;
use standing_aws::keys;
use standing_domain::store::OrganizationStore;
use standing_e2e::*;

const ASSOC: &str = "nmg-security-association";
const OTHER: &str = "bj-security-association";

async fn platform() -> Platform {
    Platform::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()).await
}

#[tokio::test]
async fn staff_of_another_authority_cannot_change_a_company_or_approve_its_change() {
    let p = platform().await;
    let code = p.register_member(ASSOC).await;
    let before = p.partition(keys::org_pk(code.as_str())).await;

    // The attack of the issue: file a change, then approve it.
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{code}/changes"),
            Some(json!({"kind": "ordinary", "changes": {"name": "冒名公司"}, "reason": "更名"})),
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    // A change the company filed with its association cannot be decided by another.
    let (s, change) = p.call_intake(
        "POST",
        &format!("/v1/organizations/{code}/changes"),
        Some(json!({"kind": "ordinary", "changes": {"name": "内蒙古安全防范技术股份有限公司"}, "reason": "改制为股份公司后更名"})),
        &As::Applicant(&code),
    )
    .await;
    assert_eq!(s, 201, "{change}");
    assert_eq!(change["authority"], ASSOC);
    let decision = format!("/v1/changes/{}/decision", change["id"].as_str().unwrap());
    let (s, b) = p
        .call_intake(
            "POST",
            &decision,
            Some(json!({"approve": true})),
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    let org = p.store().get_organization(&code).await.unwrap().unwrap();
    assert_eq!(org.name, "内蒙古安全防范技术有限公司");
    assert_eq!(org.version, 1);
    // Only the change request and its audit event were added to the company's trail;
    // nothing the other authority did was written.
    let after = p.partition(keys::org_pk(code.as_str())).await;
    assert_eq!(before, after);
    // The association's own staff decide it.
    let (s, b) = p
        .call_intake(
            "POST",
            &decision,
            Some(json!({"approve": true})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let org = p.store().get_organization(&code).await.unwrap().unwrap();
    assert_eq!(org.name, "内蒙古安全防范技术股份有限公司");
}

#[tokio::test]
async fn staff_of_another_authority_read_nothing_and_draft_nothing_for_a_company() {
    let p = platform().await;
    let code = p.register_member(ASSOC).await;
    let (s, draft) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    let before = p.partition(keys::org_pk(code.as_str())).await;
    for path in [
        format!("/v1/organizations/{code}"),
        format!("/v1/organizations/{code}/applications"),
        format!("/v1/organizations/{code}/reminders"),
        format!("/v1/organizations/{code}/memberships"),
        format!("/v1/applications/{}", draft["id"].as_str().unwrap()),
    ] {
        let (s, b) = p.call_intake("GET", &path, None, &As::Staff(OTHER)).await;
        assert_eq!(s, 403, "{path}: {b}");
        assert!(
            b.get("facts").is_none() && b.get("applications").is_none(),
            "{b}"
        );
    }
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade", "company": code.as_str()})),
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(before, p.partition(keys::org_pk(code.as_str())).await);
    let apps = p.store().applications_of(&code).await.unwrap();
    assert_eq!(apps.len(), 1, "no draft was created by the other authority");
}

#[tokio::test]
async fn memberships_are_the_associations_records_and_the_review_reads_only_them() {
    let p = platform().await;
    let code = fresh_code();
    // A company cannot declare itself a member, at registration or afterwards.
    let mut body = registration(&code, "内蒙古安全防范技术有限公司");
    body["memberships"] = json!([{"association": ASSOC, "since": "2019-01-01"}]);
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(body),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "memberships");
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(registration(&code, "内蒙古安全防范技术有限公司")),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let memberships = format!("/v1/organizations/{code}/memberships");
    let (s, b) = p
        .call_intake(
            "POST",
            &memberships,
            Some(json!({"since": "2019-01-01"})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 403, "{b}");

    // Not a member: submit is refused with 第九条（二）.
    let (s, draft) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    let submit = format!("/v1/applications/{}/submit", draft["id"].as_str().unwrap());
    let (s, b) = p
        .call_intake("POST", &submit, None, &As::Applicant(&code))
        .await;
    assert_eq!(s, 403, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("第九条"), "{b}");

    // The association records the membership; the membership gate opens (the empty
    // draft is then refused on its merits, 422, not for membership).
    let (s, m) = p
        .call_intake(
            "POST",
            &memberships,
            Some(json!({"since": "2019-01-01"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, b) = p
        .call_intake("POST", &submit, None, &As::Applicant(&code))
        .await;
    assert_eq!(s, 422, "{b}");
    // Recorded twice: 409, nothing written.
    let (s, b) = p
        .call_intake(
            "POST",
            &memberships,
            Some(json!({"since": "2020-01-01"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 409, "{b}");

    // Expelled (第二十二条（二）): the company is no longer a member from the next day.
    let (s, ended) = p
        .call_intake(
            "POST",
            &format!("{memberships}/end"),
            Some(json!({"ended_on": "2026-11-30", "ground": "expelled"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 200, "{ended}");
    assert_eq!(ended["periods"][0]["end_ground"], "expelled");
    let (s, b) = p
        .call_intake("POST", &submit, None, &As::Applicant(&code))
        .await;
    assert_eq!(s, 403, "{b}");

    // The company reads its memberships with roles, not staff account ids.
    let (s, b) = p
        .call_intake("GET", &memberships, None, &As::Applicant(&code))
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(!b.to_string().contains("staff-user"), "{b}");
    assert_eq!(
        b["memberships"][0]["periods"][0]["recorded_by"]["role"],
        "staff"
    );

    // Import: rows named when they fail, nothing written; then all at once.
    let (a, z) = (fresh_code(), fresh_code());
    for c in [&a, &z] {
        let (s, b) = p
            .call_intake(
                "POST",
                "/v1/organizations",
                Some(registration(c, "内蒙古导入测试有限公司")),
                &As::Applicant(c),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    let unregistered = fresh_code();
    let (s, b) = p.call_intake(
        "POST",
        "/v1/memberships/import",
        Some(json!({"members": [{"code": a.as_str(), "since": "2018-01-01"}, {"code": unregistered.as_str(), "since": "2018-01-01"}]})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "members[1].code");
    assert!(p.store().get_membership(&a, ASSOC).await.unwrap().is_none());
    let (s, b) = p.call_intake(
        "POST",
        "/v1/memberships/import",
        Some(json!({"members": [{"code": a.as_str(), "since": "2018-01-01"}, {"code": z.as_str(), "since": "2020-06-01"}]})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["imported"], 2);
    assert!(p.store().get_membership(&z, ASSOC).await.unwrap().is_some());
}

#[tokio::test]
async fn a_companys_own_registration_cannot_be_pre_empted_by_staff() {
    let p = platform().await;
    let code = fresh_code();
    // Staff of another authority register the code first, with made-up data.
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(registration(&code, "冒名登记有限公司")),
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    // The company registers itself: it takes the record over with its own data.
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(registration(&code, "内蒙古真实安防有限公司")),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["name"], "内蒙古真实安防有限公司");
    assert!(b["claimed_at"].is_string(), "{b}");
    // Once claimed, nobody takes it again, and the other authority no longer reads it.
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(registration(&code, "再次冒名有限公司")),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 409, "{b}");
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/organizations",
            Some(registration(&code, "再次冒名有限公司")),
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 409, "{b}");
    let (s, b) = p
        .call_intake(
            "GET",
            &format!("/v1/organizations/{code}"),
            None,
            &As::Staff(OTHER),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    let org = p.store().get_organization(&code).await.unwrap().unwrap();
    assert_eq!(org.name, "内蒙古真实安防有限公司");
    assert_eq!(org.version, 2);
}

#[tokio::test]
async fn applicants_see_roles_not_staff_account_ids() {
    let p = platform().await;
    let code = p.register_member(ASSOC).await;
    // Staff of the association start a draft on the company's behalf.
    let (s, draft) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade", "company": code.as_str()})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    assert_eq!(draft["history"][0]["actor"]["id"], "staff-user");
    let path = format!("/v1/applications/{}", draft["id"].as_str().unwrap());
    let (s, seen) = p
        .call_intake("GET", &path, None, &As::Applicant(&code))
        .await;
    assert_eq!(s, 200, "{seen}");
    assert!(!seen.to_string().contains("staff-user"), "{seen}");
    assert_eq!(seen["history"][0]["actor"]["role"], "staff");
    assert_eq!(seen["history"][0]["actor"]["authority"], ASSOC);
    let (s, list) = p
        .call_intake(
            "GET",
            &format!("/v1/organizations/{code}/applications"),
            None,
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 200, "{list}");
    assert!(!list.to_string().contains("staff-user"), "{list}");
    // Staff of the authority see who acted.
    let (s, staff_view) = p.call_intake("GET", &path, None, &As::Staff(ASSOC)).await;
    assert_eq!(s, 200);
    assert_eq!(staff_view["history"][0]["actor"]["id"], "staff-user");
}
