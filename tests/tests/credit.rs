//! Fire-technology service credit (seed 002) on the local stack: an agency entered in the
//! register by the housing bureau, events recorded with evidence moving its level across
//! every boundary of the data, a withdrawal as an event, the public page and lists (JSON,
//! HTML, CSV), repairs refused at D and approved within their working-day due date
//! (Spring Festival and National Day), the overdue flag, and the natural repair at the
//! end of the cycle on the public page.

use chrono::{Datelike, TimeZone};
use serde_json::{Value, json};
use standing_domain::ids::CreditCode;
use standing_e2e::*;

const BUREAU: &str = "jz-housing-bureau";

/// 10:00 China time.
fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn enrolled(p: &Platform, name: &str) -> CreditCode {
    let code = p.register_company(name).await;
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}"),
            Some(json!({"floor_area_m2": 320, "registered_fire_engineers": 3,
                        "facility_operators": 8, "quality_system": true})),
            &As::Staff(BUREAU),
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}", "POST", &(s, b.clone()));
    assert_eq!(s, 201, "{b}");
    code
}

async fn event(p: &Platform, code: &CreditCode, conduct: &str, date: &str) -> (String, Value) {
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(
                json!({"code": conduct, "date": date, "source": "监督检查发现",
                        "evidence": ["现场检查记录"]}),
            ),
            &As::Staff(BUREAU),
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}/events", "POST", &(s, b.clone()));
    assert_eq!(s, 201, "{b}");
    (
        b["event"]["id"].as_str().unwrap().to_owned(),
        b["file"].clone(),
    )
}

async fn page(p: &Platform, code: &CreditCode) -> Value {
    let (s, b) = p
        .call_credit(
            "GET",
            &format!("/v1/credit/agencies/{code}"),
            None,
            &As::Anonymous,
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}", "GET", &(s, b.clone()));
    assert_eq!(s, 200, "{b}");
    b
}

async fn listed_at(p: &Platform, code: &CreditCode) -> Vec<String> {
    let mut at = Vec::new();
    for level in ["A", "B", "C", "D"] {
        let (s, b) = p
            .call_credit(
                "GET",
                &format!("/v1/credit/lists/{level}"),
                None,
                &As::Anonymous,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        if b["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["credit_code"] == code.as_str())
        {
            at.push(level.to_owned());
        }
    }
    at
}

async fn repair(p: &Platform, code: &CreditCode, event: &str) -> (u16, Value) {
    p.call_credit(
        "POST",
        &format!("/v1/credit/agencies/{code}/repairs"),
        Some(
            json!({"event": event, "statement": "已纠正违法行为并完成整改",
                    "evidence": ["信用修复申请表", "整改报告"]}),
        ),
        &As::Applicant(code),
    )
    .await
}

#[tokio::test]
async fn the_level_moves_across_every_boundary_and_the_public_sees_it() {
    let p = Platform::at(at(2026, 3, 2)).await;
    let code = enrolled(&p, "焦作市安消技术服务有限公司").await;
    let b = page(&p, &code).await;
    assert_eq!(
        (b["score"].as_str(), b["level_code"].as_str()),
        (Some("100"), Some("B"))
    );
    assert_eq!(listed_at(&p, &code).await, ["B"]);

    let mut last = String::new();
    for (conduct, score, level) in [
        ("T1", "105", "A"),
        ("U9", "100", "B"),
        ("U6", "90", "B"),
        ("U7", "80", "C"),
        ("U4", "70", "C"),
        ("U10", "65", "C"),
        ("U11", "60", "C"),
        ("U9", "55", "D"),
    ] {
        let (id, file) = event(&p, &code, conduct, "2026-03-01").await;
        assert_eq!(
            (file["score"].as_str(), file["level_code"].as_str()),
            (Some(score), Some(level)),
            "after {conduct}"
        );
        let b = page(&p, &code).await;
        assert_eq!(b["level_code"], level, "public page after {conduct}");
        assert_eq!(listed_at(&p, &code).await, [level], "lists after {conduct}");
        last = id;
    }
    // The public page shows the events, never who recorded them.
    let b = page(&p, &code).await;
    assert_eq!(b["events"].as_array().unwrap().len(), 8);
    assert!(!b.to_string().contains(BUREAU), "{b}");
    for (path, media) in [
        (format!("/v1/credit/agencies/{code}.html"), "text/html"),
        ("/v1/credit/lists/D.html".to_owned(), "text/html"),
        ("/v1/credit/lists/D.csv".to_owned(), "text/csv"),
    ] {
        let r = Box::pin(standing_credit::handle(
            &p.credit,
            request("GET", &path, "", None, &As::Anonymous),
        ))
        .await;
        assert_eq!(status(&r), 200, "{path}");
        assert!(content_type(&r).starts_with(media), "{path}");
        let text = String::from_utf8(r.body().to_vec()).unwrap();
        assert!(text.contains("焦作市安消技术服务有限公司"), "{path}");
    }

    // At D no repair is accepted (三（四）), and nothing is written.
    let (s, b) = repair(&p, &code, &last).await;
    assert_documented(
        "/v1/credit/agencies/{code}/repairs",
        "POST",
        &(s, b.clone()),
    );
    assert_eq!(s, 403, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("三（四）"), "{b}");
    let (s, q) = p
        .call_credit("GET", "/v1/credit/repairs", None, &As::Staff(BUREAU))
        .await;
    assert_eq!(s, 200);
    assert!(!q.to_string().contains(code.as_str()), "{q}");

    // A wrong record is withdrawn by an event of its own: back to C.
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(json!({"withdraws": last, "reason": "经复核，该文件已签章，记录有误"})),
            &As::Staff(BUREAU),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["file"]["level_code"], "C");
    assert_eq!(page(&p, &code).await["events"].as_array().unwrap().len(), 7);

    // The cycle is the calendar year: on 1 January the last year's conduct is repaired
    // naturally (三（一）).
    p.clock.set(at(2027, 1, 1));
    let b = page(&p, &code).await;
    assert_eq!(
        (b["score"].as_str(), b["level_code"].as_str()),
        (Some("100"), Some("B"))
    );
}

/// The repair `id` as the bureau's queue shows it.
async fn queued(p: &Platform, id: &str) -> Value {
    let (s, q) = p
        .call_credit("GET", "/v1/credit/repairs", None, &As::Staff(BUREAU))
        .await;
    assert_documented("/v1/credit/repairs", "GET", &(s, q.clone()));
    q["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not queued: {q}"))
}

#[tokio::test]
async fn repairs_are_answered_within_five_working_days_across_the_holidays() {
    // (filed, due): Spring Festival 2026 (15-23 Feb; 14 and 28 Feb worked), National Day
    // 2026 (1-7 Oct; 10 Oct worked).
    for (filed, due) in [((2026, 2, 13), "2026-02-27"), ((2026, 9, 30), "2026-10-13")] {
        let p = Platform::at(at(filed.0, filed.1, filed.2)).await;
        let code = enrolled(&p, "焦作市守安消防检测有限公司").await;
        let day = format!("{:04}-{:02}-{:02}", filed.0, filed.1, filed.2);
        let (u, file) = event(&p, &code, "U6", &day).await;
        assert_eq!(file["score"], "90");
        // Evidence is required; only the agency itself applies.
        let (s, b) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs"),
                Some(json!({"event": u, "statement": "已整改", "evidence": []})),
                &As::Applicant(&code),
            )
            .await;
        assert_eq!((s, b["field"].as_str()), (422, Some("evidence")), "{b}");
        let (s, _) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs"),
                Some(json!({"event": u, "statement": "已整改", "evidence": ["整改报告"]})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_eq!(s, 403);
        let (s, r) = repair(&p, &code, &u).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["answer_due_on"], due, "filed {day}");
        let id = r["id"].as_str().unwrap().to_owned();
        // A second application for the same event while the first waits: refused.
        let (s, _) = repair(&p, &code, &u).await;
        assert_eq!(s, 409);

        // In the bureau's queue; overdue the day after its due day.
        let due_day = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
        let on_due = at(due_day.year(), due_day.month(), due_day.day());
        p.clock.set(on_due);
        assert_eq!(queued(&p, &id).await["overdue"], false);
        p.clock.set(on_due + chrono::Duration::days(1));
        assert_eq!(queued(&p, &id).await["overdue"], true);

        // Approved: the points come back.
        let (s, b) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs/{id}/decision"),
                Some(json!({"approve": true})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_documented(
            "/v1/credit/agencies/{code}/repairs/{id}/decision",
            "POST",
            &(s, b.clone()),
        );
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["file"]["score"], "100");
        let (s, _) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs/{id}/decision"),
                Some(json!({"approve": true})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_eq!(s, 409, "answered once");
        assert!(page(&p, &code).await["events"][0]["repaired_on"].is_string());
    }
}

/// The stored file of `code` (what the lists read).
async fn stored(p: &Platform, code: &CreditCode) -> Value {
    let file: Option<standing_domain::credit::CreditFile> = p
        .store()
        .get(format!("CREDIT#{code}"), "FILE")
        .await
        .unwrap();
    serde_json::to_value(file.expect("in the register")).unwrap()
}

/// The rollover and then the A-list release, one after the other: both walk the whole
/// register of the shared test table, so a rollover running beside the A-list scenario
/// could restate its agencies in the middle of it.
#[tokio::test]
async fn the_yearly_rollover_and_then_the_quarterly_a_list() {
    the_yearly_rollover_restores_points_at_the_cycle_end_in_resumable_pages().await;
    the_quarterly_a_list_is_released_once_at_a_stable_address_with_feeds().await;
}

async fn the_yearly_rollover_restores_points_at_the_cycle_end_in_resumable_pages() {
    use standing_aws::credit::RolloverLimits;
    let p = Platform::at(at(2025, 6, 2)).await;
    // Its own progress record: the table is shared with the other tests.
    let job = format!("credit-rollover-test-{}", ulid::Ulid::generate());
    let c = enrolled(&p, "焦作市正安消防检测有限公司").await;
    event(&p, &c, "U1", "2025-06-01").await;
    let d = enrolled(&p, "焦作市恒信消防技术服务有限公司").await;
    event(&p, &d, "U1", "2025-06-01").await;
    let (_, file) = event(&p, &d, "U2", "2025-06-02").await;
    assert_eq!(file["level_code"], "D");
    let quiet = enrolled(&p, "焦作市平安消防设施维护有限公司").await;
    let quiet_version = stored(&p, &quiet).await["version"].clone();
    let good = enrolled(&p, "焦作市卓信消防技术服务有限公司").await;
    let (_, file) = event(&p, &good, "T1", "2025-06-02").await;
    assert_eq!(file["level_code"], "A");

    // Five past midnight on 1 January 2026, China time: the page already counts the new
    // cycle; the lists still read last year's stored levels.
    p.clock.set(
        chrono::Utc
            .with_ymd_and_hms(2025, 12, 31, 16, 5, 0)
            .unwrap(),
    );
    assert_eq!(page(&p, &c).await["level_code"], "B");
    assert_eq!(listed_at(&p, &c).await, ["C"]);

    // A run cut off after one page of one agency: its progress record says where.
    let limits = RolloverLimits {
        page_size: 1,
        concurrency: 1,
        max_pages: Some(1),
        ..RolloverLimits::default()
    };
    let r = standing_credit::rollover(&p.credit, &job, limits)
        .await
        .unwrap();
    assert_eq!(r["outcome"], "partial", "{r}");
    assert_eq!(r["run"]["status"], "running");
    assert_eq!(r["run"]["examined"], 1);
    let cursor = r["run"]["cursor"].as_str().unwrap().to_owned();

    // The next run resumes after the cursor and finishes the register.
    let limits = RolloverLimits {
        page_size: 2,
        ..RolloverLimits::default()
    };
    let r = standing_credit::rollover(&p.credit, &job, limits)
        .await
        .unwrap();
    assert_eq!(r["outcome"], "done", "{r}");
    assert_eq!(r["run"]["runs"], 2);
    assert!(r["run"]["examined"].as_u64().unwrap() >= 3, "{r}");
    assert_eq!(r["run"]["cycle_start"], "2026-01-01");
    assert_eq!(r["run"]["cycle_end"], "2026-12-31");
    assert!(
        r["run"]["cursor"].as_str().unwrap() >= cursor.as_str(),
        "{r}"
    );

    // Before restating anyone, the rollover released the last quarter's A list from
    // last cycle's levels (二（三）1).
    let (s, q4) = p
        .call_credit("GET", "/v1/credit/a-list/2025-Q4", None, &As::Anonymous)
        .await;
    assert_eq!(s, 200, "{q4}");
    assert!(
        q4["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["org"] == good.as_str()),
        "{q4}"
    );
    // Natural repair: last year's conduct no longer counts, in the lists too.
    for code in [&c, &d, &quiet, &good] {
        let f = stored(&p, code).await;
        assert_eq!(
            (f["score"].as_str(), f["level_code"].as_str()),
            (Some("100"), Some("B"))
        );
        assert_eq!(listed_at(&p, code).await, ["B"]);
    }
    // Restated with an audit event of its own; an agency whose standing did not move is
    // not written.
    let audits = p.store().audit_trail(format!("CREDIT#{c}")).await.unwrap();
    assert!(
        audits.iter().any(|a| a.action == "credit.rolled_over"
            && a.actor == standing_domain::audit::Actor::system("credit-rollover")),
        "{audits:?}"
    );
    assert_eq!(stored(&p, &quiet).await["version"], quiet_version);

    // Run again (the hourly schedule): the cycle is done, nothing is written.
    let before = stored(&p, &d).await["version"].clone();
    let r = standing_credit::rollover(&p.credit, &job, RolloverLimits::default())
        .await
        .unwrap();
    assert_eq!(r["outcome"], "already_done", "{r}");
    assert_eq!(stored(&p, &d).await["version"], before);
}

#[tokio::test]
async fn a_rollover_into_a_year_the_calendar_lacks_raises_the_alarm_and_stops() {
    let p = Platform::at(at(2026, 12, 30)).await;
    let code = enrolled(&p, "焦作市卫安消防技术服务有限公司").await;
    let (_, file) = event(&p, &code, "U1", "2026-12-30").await;
    assert_eq!(file["level_code"], "C");
    let version = stored(&p, &code).await["version"].clone();

    // 1 January 2027: the 2027 working-day calendar is not in the data (the State
    // Council notice has not been added), so the job invoked as the schedule invokes it
    // stops with an error that fails the run (the CloudWatch alarm) and is not retried
    // as if it could pass.
    p.clock.set(at(2027, 1, 1));
    let job: standing_domain::dispatch::Job =
        serde_json::from_str(r#"{"job":"credit-rollover"}"#).unwrap();
    for attempt in 1..=2u64 {
        let e = Box::pin(standing_credit::run(&p.credit, job.clone()))
            .await
            .unwrap_err();
        assert!(!e.retryable(), "{e}");
        assert!(e.to_string().contains("2027"), "{e}");
        // The failed run is on record, with the reason, and no agency was touched.
        let run = p
            .store()
            .rollover_run(
                standing_aws::credit::ROLLOVER_JOB,
                BUREAU,
                chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            )
            .await
            .unwrap()
            .expect("a failed run is recorded");
        assert_eq!(run.status, standing_domain::credit::RolloverStatus::Failed);
        assert!(run.failure.as_deref().unwrap().contains("2027"), "{run:?}");
        assert_eq!(run.cursor, None);
        assert!(run.runs >= attempt);
        assert_eq!(stored(&p, &code).await["version"], version);
        assert_eq!(listed_at(&p, &code).await, ["C"]);
    }
    // Any other job is not the credit function's.
    let e = Box::pin(standing_credit::run(
        &p.credit,
        standing_domain::dispatch::Job::SweepNotices,
    ))
    .await
    .unwrap_err();
    assert!(matches!(e, standing_domain::job::JobError::Misrouted(_)));
}

/// GET a public credit path: status, media type and body text.
async fn public_text(p: &Platform, path: &str) -> (u16, String, String) {
    let r = Box::pin(standing_credit::handle(
        &p.credit,
        request("GET", path, "", None, &As::Anonymous),
    ))
    .await;
    (
        status(&r),
        content_type(&r),
        String::from_utf8(r.body().to_vec()).unwrap(),
    )
}

/// An Atom feed parsed (RFC 4287): its title and, per entry, (id, title, link href).
fn parse_atom(xml: &str) -> (String, Vec<(String, String, String)>) {
    const NS: &str = "http://www.w3.org/2005/Atom";
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((NS, "feed")), "root is atom:feed");
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.has_tag_name((NS, name)))
            .unwrap_or_else(|| panic!("atom:{name} missing"))
    }
    // Required of a feed: id, title, updated (a valid RFC 3339 instant), author.
    for name in ["id", "title", "updated", "author"] {
        child(feed, name);
    }
    chrono::DateTime::parse_from_rfc3339(child(feed, "updated").text().unwrap()).unwrap();
    assert!(
        feed.children()
            .any(|c| c.has_tag_name((NS, "link")) && c.attribute("rel") == Some("self"))
    );
    let entries = feed
        .children()
        .filter(|c| c.has_tag_name((NS, "entry")))
        .map(|e| {
            let updated = child(e, "updated").text().unwrap();
            chrono::DateTime::parse_from_rfc3339(updated).unwrap();
            (
                child(e, "id").text().unwrap().to_owned(),
                child(e, "title").text().unwrap().to_owned(),
                child(e, "link").attribute("href").unwrap().to_owned(),
            )
        })
        .collect::<Vec<_>>();
    let ids: std::collections::BTreeSet<_> = entries.iter().map(|e| &e.0).collect();
    assert_eq!(ids.len(), entries.len(), "entry ids are unique");
    (child(feed, "title").text().unwrap().to_owned(), entries)
}

async fn the_quarterly_a_list_is_released_once_at_a_stable_address_with_feeds() {
    // Two days before the end of the second quarter.
    let p = Platform::at(at(2026, 6, 28)).await;
    let a = enrolled(&p, "焦作市优信消防技术服务有限公司").await;
    let (_, file) = event(&p, &a, "T1", "2026-06-28").await;
    assert_eq!(file["level_code"], "A");
    let b = enrolled(&p, "焦作市常安消防设施检测有限公司").await;
    let (s, _, _) = public_text(&p, "/v1/credit/a-list/2026-Q2").await;
    assert_eq!(s, 404);

    // On the quarter's last day, the daily job releases it, once.
    p.clock.set(at(2026, 6, 30));
    let r = Box::pin(standing_credit::release_a_list(&p.credit))
        .await
        .unwrap();
    assert_eq!(r["outcome"], "released", "{r}");
    assert_eq!(r["path"], "/v1/credit/a-list/2026-Q2");

    // The release, at its address: the A agency, not the B one.
    let (s, release) = p
        .call_credit("GET", "/v1/credit/a-list/2026-Q2", None, &As::Anonymous)
        .await;
    assert_documented("/v1/credit/a-list/{release}", "GET", &(s, release.clone()));
    assert_eq!(s, 200, "{release}");
    assert_eq!(release["quarter"], "2026-Q2");
    assert_eq!(release["as_of"], "2026-06-30");
    assert_eq!(release["seed_article"], "二（三）1");
    let listed = |r: &Value, code: &CreditCode| {
        r["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["org"] == code.as_str())
    };
    assert!(listed(&release, &a), "{release}");
    assert!(!listed(&release, &b), "{release}");

    // Immutable: the agency falls to C the next day; the next day's run (which would
    // catch the quarter up) and a retry leave the release as it was.
    p.clock.set(at(2026, 7, 1));
    event(&p, &a, "U1", "2026-07-01").await;
    for _ in 0..2 {
        let r = Box::pin(standing_credit::release_a_list(&p.credit))
            .await
            .unwrap();
        assert_eq!(r["outcome"], "already_released", "{r}");
    }
    let (_, again) = p
        .call_credit("GET", "/v1/credit/a-list/2026-Q2", None, &As::Anonymous)
        .await;
    assert_eq!(again, release);

    // The same release as HTML, CSV and Atom; the list of releases as JSON, HTML, Atom.
    for (path, media, text) in [
        (
            "/v1/credit/a-list/2026-Q2.html",
            "text/html",
            "焦作市优信消防技术服务有限公司",
        ),
        ("/v1/credit/a-list/2026-Q2.csv", "text/csv", a.as_str()),
        ("/v1/credit/a-list/releases.html", "text/html", "2026-Q2"),
    ] {
        let (s, m, body) = public_text(&p, path).await;
        assert_eq!(s, 200, "{path}");
        assert!(m.starts_with(media), "{path}: {m}");
        assert!(body.contains(text), "{path}");
    }
    let (s, m, xml) = public_text(&p, "/v1/credit/a-list/2026-Q2.atom").await;
    assert_eq!(s, 200);
    assert!(m.starts_with("application/atom+xml"), "{m}");
    let (title, entries) = parse_atom(&xml);
    assert!(title.contains("2026年第2季度"), "{title}");
    assert!(
        entries
            .iter()
            .any(|(_, t, href)| t == "焦作市优信消防技术服务有限公司"
                && href.ends_with(&format!("/v1/credit/agencies/{a}.html"))),
        "{entries:?}"
    );
    assert!(!xml.contains(b.as_str()));

    let (s, index) = p
        .call_credit("GET", "/v1/credit/a-list/releases", None, &As::Anonymous)
        .await;
    assert_documented("/v1/credit/a-list/{release}", "GET", &(s, index.clone()));
    assert!(
        index["releases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["quarter"] == "2026-Q2" && r["path"] == "/v1/credit/a-list/2026-Q2"),
        "{index}"
    );
    let (s, m, xml) = public_text(&p, "/v1/credit/a-list/releases.atom").await;
    assert_eq!(s, 200);
    assert!(m.starts_with("application/atom+xml"), "{m}");
    let (_, entries) = parse_atom(&xml);
    assert!(
        entries
            .iter()
            .any(|(id, _, href)| id.ends_with(":a-list:2026-Q2")
                && href.ends_with("/v1/credit/a-list/2026-Q2.html")),
        "{entries:?}"
    );

    // Every level list as a feed too: the B agency in the B feed.
    let (s, m, xml) = public_text(&p, "/v1/credit/lists/B.atom").await;
    assert_eq!(s, 200);
    assert!(m.starts_with("application/atom+xml"), "{m}");
    let (title, entries) = parse_atom(&xml);
    assert!(title.contains("B级"), "{title}");
    assert!(
        entries
            .iter()
            .any(|(id, t, _)| id.ends_with(&format!(":agency:{b}"))
                && t == "焦作市常安消防设施检测有限公司"),
        "{entries:?}"
    );

    // A quarter not released, and a name that is no quarter: 404 problems.
    for path in [
        "/v1/credit/a-list/2023-Q4",
        "/v1/credit/a-list/latest",
        "/v1/credit/a-list/releases.csv",
    ] {
        let (s, b) = p.call_credit("GET", path, None, &As::Anonymous).await;
        assert_documented("/v1/credit/a-list/{release}", "GET", &(s, b.clone()));
        assert_eq!(s, 404, "{path}: {b}");
    }
}

/// The bureau's open work items.
async fn task_queue(p: &Platform) -> Vec<Value> {
    let (s, q) = p
        .call_credit("GET", "/v1/credit/tasks", None, &As::Staff(BUREAU))
        .await;
    assert_documented("/v1/credit/tasks", "GET", &(s, q.clone()));
    assert_eq!(s, 200, "{q}");
    q["tasks"].as_array().unwrap().clone()
}

async fn complete(
    p: &Platform,
    code: &CreditCode,
    id: &str,
    body: Value,
    who: &As<'_>,
) -> (u16, Value) {
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/tasks/{id}/result"),
            Some(body),
            who,
        )
        .await;
    assert_documented(
        "/v1/credit/agencies/{code}/tasks/{id}/result",
        "POST",
        &(s, b.clone()),
    );
    (s, b)
}

#[tokio::test]
async fn entering_a_level_opens_its_measures_as_work_items_that_staff_complete() {
    // The day before National Day 2026 (1-7 October off, 10 October worked).
    let p = Platform::at(at(2026, 9, 30)).await;
    let code = enrolled(&p, "焦作市明安消防技术服务有限公司").await;
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(
                json!({"code": "U1", "date": "2026-09-30", "source": "监督检查发现",
                        "evidence": ["现场检查记录"]}),
            ),
            &As::Staff(BUREAU),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["file"]["level_code"], "C");
    // C: an interview and key supervision (二（三）3), due on working days (defaults).
    let opened: Vec<(String, String)> = b["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["due_default"], true);
            assert_eq!(t["article"], "二（三）3");
            (
                t["measure"].as_str().unwrap().to_owned(),
                t["due_on"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        opened,
        [
            ("C-interview".to_owned(), "2026-10-20".to_owned()),
            ("C-key-supervision".to_owned(), "2026-11-03".to_owned())
        ]
    );
    let interview = b["tasks"][0]["id"].as_str().unwrap().to_owned();
    // Another conduct at the same level opens nothing more.
    let (_, file) = event(&p, &code, "U9", "2026-09-30").await;
    assert_eq!(file["level_code"], "C");
    let mine = |q: &[Value]| {
        q.iter()
            .filter(|t| t["org"] == code.as_str())
            .cloned()
            .collect::<Vec<_>>()
    };
    let q = mine(&task_queue(&p).await);
    assert_eq!(q.len(), 2, "{q:?}");
    assert!(q.iter().all(|t| t["overdue"] == false));
    // Overdue the day after its due day.
    p.clock.set(at(2026, 10, 21));
    let q = mine(&task_queue(&p).await);
    let flagged: Vec<_> = q
        .iter()
        .map(|t| (t["measure"].clone(), t["overdue"].clone()))
        .collect();
    assert_eq!(
        flagged,
        [
            (json!("C-interview"), json!(true)),
            (json!("C-key-supervision"), json!(false))
        ]
    );

    // Completed by the bureau's staff with a result; nobody else; once.
    let (s, _) = complete(
        &p,
        &code,
        &interview,
        json!({"result": "已约谈"}),
        &As::Staff("nmg-security-association"),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = complete(
        &p,
        &code,
        &interview,
        json!({"result": "已约谈"}),
        &As::Applicant(&code),
    )
    .await;
    assert_eq!(s, 403);
    let (s, b) = complete(&p, &code, &interview, json!({}), &As::Staff(BUREAU)).await;
    assert_eq!((s, b["field"].as_str()), (422, Some("result")), "{b}");
    let (s, b) = complete(
        &p,
        &code,
        &interview,
        json!({"result": "2026年10月21日约谈法定代表人，已提出整改要求"}),
        &As::Staff(BUREAU),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["status"].as_str(), b["done_on"].as_str()),
        (Some("done"), Some("2026-10-21"))
    );
    let (s, _) = complete(
        &p,
        &code,
        &interview,
        json!({"result": "再次约谈"}),
        &As::Staff(BUREAU),
    )
    .await;
    assert_eq!(s, 409);
    let (s, _) = complete(
        &p,
        &code,
        "NO-SUCH-TASK",
        json!({"result": "再次约谈"}),
        &As::Staff(BUREAU),
    )
    .await;
    assert_eq!(s, 404);
    let q = mine(&task_queue(&p).await);
    assert_eq!(q.len(), 1, "{q:?}");
    let audits = p
        .store()
        .audit_trail(format!("CREDIT#{code}"))
        .await
        .unwrap();
    for action in ["credit.task_opened", "credit.task_done"] {
        assert!(audits.iter().any(|a| a.action == action), "{action}");
    }
    // The queue is staff's only.
    let (s, _) = p
        .call_credit("GET", "/v1/credit/tasks", None, &As::Anonymous)
        .await;
    assert_eq!(s, 401);

    // Falling to D opens the exit procedure and the city-wide notice (二（三）4).
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(
                json!({"code": "U2", "date": "2026-10-21", "source": "投诉核查",
                        "evidence": ["核查报告"]}),
            ),
            &As::Staff(BUREAU),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["file"]["level_code"], "D");
    let measures: Vec<_> = b["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["measure"].clone())
        .collect();
    assert_eq!(measures, [json!("D-exit"), json!("D-city-notice")]);
}

#[tokio::test]
async fn the_monthly_site_checks_are_opened_once_per_agency_before_the_10th() {
    use standing_aws::credit::RolloverLimits;
    let p = Platform::at(at(2026, 11, 2)).await;
    let code = enrolled(&p, "焦作市核安消防检测有限公司").await;
    let job = format!("credit-site-checks-test-{}", ulid::Ulid::generate());
    let limits = RolloverLimits {
        page_size: 3,
        ..RolloverLimits::default()
    };
    let r = standing_credit::site_checks(&p.credit, &job, limits)
        .await
        .unwrap();
    assert_eq!(r["outcome"], "done", "{r}");
    assert_eq!(r["run"]["cycle_start"], "2026-11-01");
    let checks = |q: Vec<Value>| {
        q.into_iter()
            .filter(|t| t["org"] == code.as_str() && t["kind"] == "site_check")
            .collect::<Vec<_>>()
    };
    let q = checks(task_queue(&p).await);
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0]["id"], "site-check-2026-11");
    assert_eq!(q[0]["due_on"], "2026-11-10");
    assert_eq!(q[0]["article"], "一");
    // Again (the daily schedule): the month is done. Even a run without the progress
    // record (lost) opens no second item for the agency.
    let r = standing_credit::site_checks(&p.credit, &job, limits)
        .await
        .unwrap();
    assert_eq!(r["outcome"], "already_done", "{r}");
    let other = format!("{job}-again");
    let r = standing_credit::site_checks(&p.credit, &other, limits)
        .await
        .unwrap();
    assert_eq!(r["outcome"], "done", "{r}");
    assert_eq!(checks(task_queue(&p).await).len(), 1);
    // Done with a result; overdue only after the 10th.
    p.clock.set(at(2026, 11, 10));
    assert_eq!(checks(task_queue(&p).await)[0]["overdue"], false);
    let (s, b) = complete(
        &p,
        &code,
        "site-check-2026-11",
        json!({"result": "现场核查：场所、人员与申报一致"}),
        &As::Staff(BUREAU),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(checks(task_queue(&p).await).is_empty());
    // The job as the schedule sends it, by name.
    let job: standing_domain::dispatch::Job =
        serde_json::from_str(r#"{"job":"credit-site-checks"}"#).unwrap();
    let r = Box::pin(standing_credit::run(&p.credit, job))
        .await
        .unwrap();
    assert!(
        r["outcome"] == "done" || r["outcome"] == "already_done",
        "{r}"
    );
}
