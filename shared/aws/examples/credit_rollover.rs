//! Benchmark of the yearly credit rollover (seed 002 三（一）): seeds a register of
//! `--agencies` fire-technology service agencies in DynamoDB Local (batch writes of 25),
//! each at level C after one untrustworthy conduct of the last cycle (the worst case:
//! every agency is restated), then runs the rollover exactly as the scheduled job does
//! (`standing_aws::credit::rollover`: the register walked in pages on GSI1, each
//! agency's file rewritten with its audit event, agencies packed into transactions of
//! up to 100 actions, the progress record moved after every page) and prints agencies
//! per second and the projected time for 100,000 agencies against Lambda's 15 minutes.
//!
//! Use a table of its own (the register must hold only the seeded agencies):
//!
//! ```text
//! export MOTO_PORT=4666 DYNAMODB_PORT=8100
//! source infra/local/env.sh && ensure_venv && start_dynamodb memory && start_moto
//! export TABLE_NAME=standing-bench && python infra/local/bootstrap.py   # a new table
//! cargo run --release -p standing-aws --example credit_rollover -- --agencies 100000
//! ```

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use chrono::{NaiveDate, TimeZone, Utc};
use futures_util::StreamExt;
use rust_decimal::Decimal;
use standing_aws::credit::{
    Rollover, RolloverLimits, credit_event_item, credit_file_item, rollover,
};
use standing_aws::{Clients, Config, DynamoStore};
use standing_domain::audit::Actor;
use standing_domain::credit::{BasicInfo, CreditEventRecord, CreditFile};
use standing_domain::ids::{CreditCode, RecordId};
use standing_schemes::model::Direction;
use standing_schemes::{Registry, SchemeId, WorkCalendar};
use std::time::{Duration, Instant};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(default)
}

/// The `i`-th valid unified social credit code of the benchmark (check character
/// computed, GB 32100-2015).
fn code(i: usize) -> CreditCode {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut body = String::from("91410800");
    let mut n = i;
    for _ in 0..9 {
        body.push(ALPHABET[n % 31] as char);
        n /= 31;
    }
    let check = CreditCode::check_character(body.as_bytes());
    CreditCode::parse(&format!("{body}{check}")).expect("a valid code")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let agencies = arg("--agencies", 100_000);
    let page_size = arg("--page", 500);
    let concurrency = arg("--concurrency", 16);
    let clients = Clients::load(Config::from_env().expect("TABLE_NAME is set")).await;
    let store = DynamoStore::new(clients.dynamodb(), clients.config.table.clone());
    let table = clients.config.table.clone();
    let registry = Registry::builtin().expect("scheme data");
    let scheme = registry
        .in_force(
            SchemeId::FireCredit,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .expect("fire-credit in force");
    let authority = scheme.authority_id().expect("authority").to_owned();
    let u1 = scheme
        .credit
        .as_ref()
        .and_then(|c| c.conduct.iter().find(|k| k.code == "U1"))
        .expect("U1 in the data");

    // Seed: one file (C, 70) and one event (U1 of June 2025) per agency.
    let last_year = Utc.with_ymd_and_hms(2025, 6, 2, 2, 0, 0).unwrap();
    let bureau = Actor::system("bench-seed");
    let mut items = Vec::with_capacity(agencies * 2);
    for i in 0..agencies {
        let org = code(i);
        let file = CreditFile {
            org: org.clone(),
            company_name: format!("焦作市基准消防技术服务有限公司{i:06}"),
            authority: authority.clone(),
            enrolled_on: last_year.date_naive(),
            enrolled_by: bureau.clone(),
            basic: BasicInfo {
                floor_area_m2: 300,
                registered_fire_engineers: 3,
                facility_operators: 6,
                quality_system: true,
            },
            score: Decimal::from(70),
            level_code: "C".to_owned(),
            level_label: "C级（信用一般、风险一般）".to_owned(),
            updated_at: last_year,
            version: 2,
        };
        let event = CreditEventRecord {
            id: RecordId::new_at(last_year),
            org,
            code: u1.code.clone(),
            title_zh: u1.title_zh.clone(),
            direction: Direction::Untrustworthy,
            article: u1.seed.article.clone(),
            points: u1.points.0,
            points_default: u1.default,
            date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            source: "监督检查".to_owned(),
            evidence: vec!["检查记录".to_owned()],
            withdraws: None,
            reason: None,
            recorded_by: bureau.clone(),
            recorded_at: last_year,
        };
        items.push(credit_file_item(&file).unwrap());
        items.push(credit_event_item(&event).unwrap());
    }
    let client = clients.dynamodb();
    let seeding = Instant::now();
    let batches: Vec<Vec<WriteRequest>> = items
        .chunks(25)
        .map(|chunk| {
            chunk
                .iter()
                .map(|item| {
                    WriteRequest::builder()
                        .put_request(
                            PutRequest::builder()
                                .set_item(Some(item.clone()))
                                .build()
                                .unwrap(),
                        )
                        .build()
                })
                .collect()
        })
        .collect();
    let written: usize = futures_util::stream::iter(batches)
        .map(|mut batch| {
            let client = client.clone();
            let table = table.clone();
            async move {
                let n = batch.len();
                while !batch.is_empty() {
                    let out = client
                        .batch_write_item()
                        .request_items(&table, batch)
                        .send()
                        .await
                        .expect("batch write");
                    batch = out
                        .unprocessed_items
                        .and_then(|mut u| u.remove(&table))
                        .unwrap_or_default();
                }
                n
            }
        })
        .buffer_unordered(8)
        .fold(0, |a, n| async move { a + n })
        .await;
    let seed_secs = seeding.elapsed().as_secs_f64();
    println!(
        "seeded {agencies} agencies ({written} items) in {seed_secs:.1} s ({:.0} items/s, batch writes of 25, 8 in flight)",
        written as f64 / seed_secs
    );

    // The rollover at five past midnight on 1 January 2026, China time.
    let now = Utc.with_ymd_and_hms(2025, 12, 31, 16, 5, 0).unwrap();
    let job = format!("credit-rollover-bench-{}", RecordId::new_at(Utc::now()));
    let limits = RolloverLimits {
        page_size,
        concurrency,
        max_pages: None,
        budget: Duration::from_secs(3600),
    };
    let calendar = WorkCalendar::builtin().expect("calendar");
    let started = Instant::now();
    let ran = rollover(&store, scheme, calendar, &job, limits, now)
        .await
        .expect("rollover");
    let secs = started.elapsed().as_secs_f64();
    let Rollover::Done(run) = ran else {
        panic!("the rollover did not finish: {ran:?}");
    };
    assert_eq!(run.examined as usize, agencies, "{run:?}");
    let rate = run.examined as f64 / secs;
    let projected = 100_000.0 / rate;
    println!(
        "rollover: {} agencies examined, {} restated, in {secs:.1} s, {} pages of {page_size}, {concurrency} transactions (of up to 50 agencies) at once",
        run.examined,
        run.restated,
        run.examined.div_ceil(page_size as u64)
    );
    println!("rate: {rate:.0} agencies/s");
    println!(
        "projected for 100,000 agencies: {projected:.0} s = {:.1} min ({:.0}% of Lambda's 15 minutes; the job starts no page after 12 minutes)",
        projected / 60.0,
        projected / 900.0 * 100.0
    );
    // A second run finds the cycle done.
    let again = Instant::now();
    let ran = rollover(&store, scheme, calendar, &job, limits, now)
        .await
        .expect("rollover");
    assert!(matches!(ran, Rollover::AlreadyDone(_)), "{ran:?}");
    println!(
        "second run: already done in {:.1} ms",
        again.elapsed().as_secs_f64() * 1000.0
    );
}
