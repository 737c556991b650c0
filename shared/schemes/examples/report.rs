//! Print a sample itemized report as JSON:
//! `cargo run -p standing-schemes --example report`

use chrono::NaiveDate;
use rust_decimal::Decimal;
use standing_schemes::{Facts, Registry, SchemeId, evaluate};

fn main() {
    let date = NaiveDate::from_ymd_opt(2025, 4, 1).expect("date");
    let registry = Registry::builtin().expect("definitions load");
    let scheme = registry
        .in_force(SchemeId::CapabilityGrade, date)
        .expect("in force");
    let mut f = Facts::new(date);
    for (key, _rule, evidence) in scheme.fact_keys() {
        if key == "revoked_on" {
            continue;
        }
        let negative = key.contains("accident") || key.contains("bad_conduct");
        let ev: Vec<&str> = evidence
            .iter()
            .map(|_| "s3://materials/sample.pdf")
            .collect();
        f.set_bool(key, !negative, &ev);
    }
    f.review("art9-3-equipment", true, "clerk-1");
    f.declare(
        "performance.projects",
        Decimal::from(6),
        &["s3://contracts.pdf"],
    );
    f.declare(
        "management.revenue",
        Decimal::new(125, 1),
        &["s3://accounts.pdf"],
    );
    f.declare("innovation.invention-patents", Decimal::from(1), &[]);
    let report = evaluate(scheme, &f);
    println!("{}", serde_json::to_string_pretty(&report).expect("json"));
}
