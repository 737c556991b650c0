mod common;
use common::d;
use standing_schemes::calendar::BUILTIN_CALENDAR_FILES;
use standing_schemes::{BUILTIN_DEFINITION_FILES, Registry, Scheme, SchemeId, WorkCalendar};

#[test]
fn every_shipped_definition_loads_and_validates() {
    for (name, text) in BUILTIN_DEFINITION_FILES {
        Scheme::from_toml_str(name, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let r = Registry::builtin().expect("registry");
    assert_eq!(r.all().len(), BUILTIN_DEFINITION_FILES.len());
    for id in SchemeId::ALL {
        assert!(r.all().iter().any(|s| s.id() == id), "{id} shipped");
    }
}

#[test]
fn every_shipped_calendar_year_loads() {
    assert_eq!(BUILTIN_CALENDAR_FILES.len(), 3);
    let c = WorkCalendar::builtin().expect("calendar");
    assert_eq!(c.covered_years(), 2024..=2026);
    assert_eq!(c.year(2024).unwrap().notice_no, "国办发明电〔2023〕7号");
    assert_eq!(c.year(2025).unwrap().notice_no, "国办发明电〔2024〕12号");
}

#[test]
fn every_definition_file_on_disk_is_shipped() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("definitions");
    let mut on_disk = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            let rel = p
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .display()
                .to_string();
            Scheme::from_path(&p).unwrap_or_else(|e| panic!("{e}"));
            on_disk.push(rel);
        }
    }
    on_disk.sort();
    let mut shipped: Vec<String> = BUILTIN_DEFINITION_FILES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    shipped.sort();
    assert_eq!(on_disk, shipped);
}

fn cap_text() -> &'static str {
    BUILTIN_DEFINITION_FILES[0].1
}

fn load_err(text: &str) -> standing_schemes::LoadError {
    Scheme::from_toml_str("authority/revised.toml", text).expect_err("must fail")
}

#[test]
fn syntax_error_names_file_line_and_problem() {
    let e = load_err("[scheme\nid = 1");
    assert_eq!(e.file, "authority/revised.toml");
    assert!(e.path.starts_with("line 1"), "{e}");
    assert!(e.problem.contains("invalid TOML"), "{e}");
}

#[test]
fn wrong_type_names_the_key_path() {
    let text = cap_text().replacen("value = 7", "value = \"seven days\"", 1);
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.notice_days.value", "{e}");
    assert!(
        e.to_string()
            .starts_with("authority/revised.toml: parameters.notice_days.value: "),
        "{e}"
    );
    let text = cap_text().replacen("min = 80", "min = 80.5", 1);
    let e = load_err(&text);
    assert_eq!(e.path, "levels[1].min", "{e}");
    assert!(e.problem.contains("float"), "{e}");
}

#[test]
fn unknown_key_is_refused_with_its_path() {
    let text = cap_text().replacen("human_check = true", "human_chek = true", 1);
    let e = load_err(&text);
    assert_eq!(e.path, "groups[0].rules[2].human_chek", "{e}");
    assert!(e.problem.contains("human_chek"), "{e}");
}

#[test]
fn overlapping_levels_are_inconsistent() {
    let text = BUILTIN_DEFINITION_FILES[1].1.replacen(
        "min = 60\nmin_inclusive = true\nmax = 80",
        "min = 60\nmin_inclusive = true\nmax = 81",
        1,
    );
    let e = Scheme::from_toml_str("fire.toml", &text).expect_err("gap/overlap");
    assert_eq!(e.path, "levels[2].max", "{e}");
    assert!(e.problem.contains("touch"), "{e}");
}

#[test]
fn default_without_note_is_refused() {
    let text = cap_text().replacen(
        "default = true\nnote = \"办法未规定年报截止日；默认每年 6 月 30 日，待协会公布后替换。\"",
        "default = true",
        1,
    );
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.annual_report_deadline.note", "{e}");
}

#[test]
fn form_maxima_must_add_up() {
    let text = BUILTIN_DEFINITION_FILES[2]
        .1
        .replacen("max = 10 }", "max = 11 }", 1);
    let e = Scheme::from_toml_str("stars.toml", &text).expect_err("sum");
    assert_eq!(e.path, "forms[0].items");
    assert!(e.problem.contains("101"), "{e}");
}

#[test]
fn unknown_metric_and_bad_seed_are_refused() {
    let text = BUILTIN_DEFINITION_FILES[2]
        .1
        .replacen("staff.qualified_count", "staff.qualifed", 1);
    let e = Scheme::from_toml_str("stars.toml", &text).expect_err("metric");
    assert!(e.path.ends_with("check.metric"), "{e}");
    let text = cap_text().replacen(
        "doc = \"seed-000\", article = \"第十六条\"",
        "doc = \"000\", article = \"第十六条\"",
        1,
    );
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.notice_days.seed.doc", "{e}");
}

#[test]
fn missing_required_parameter_is_named() {
    let start = cap_text().find("[parameters.ban_years]").unwrap();
    let end = cap_text()[start..]
        .find("[parameters.annual_report_deadline]")
        .unwrap()
        + start;
    let text = format!("{}{}", &cap_text()[..start], &cap_text()[end..]);
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.ban_years");
}

#[test]
fn unreachable_top_level_is_refused() {
    let text = cap_text().replace("max = 30\nseed", "max = 3\nseed");
    let e = load_err(&text);
    assert!(e.path.starts_with("points.areas"), "{e}");
}

#[test]
fn calendar_errors_name_file_and_path() {
    let bad = "year = 2027\nnotice = \"n\"\nnotice_no = \"x\"\npublished = \"2026-11-01\"\n[[holidays]]\nname = \"春节\"\nfrom = \"2027-02-06\"\nto = \"2027-02-13\"\nmake_up_workdays = [\"2027-02-15\"]\n";
    let e = WorkCalendar::from_sources(&[("calendar/2027.toml".into(), bad.into())])
        .expect_err("monday");
    assert_eq!(e.file, "calendar/2027.toml");
    assert_eq!(e.path, "holidays[0].make_up_workdays[0]");
}

#[test]
fn registry_picks_the_version_in_force_and_accepts_revisions() {
    let mut r = Registry::empty();
    let v1 = Scheme::from_toml_str("v1", cap_text()).unwrap();
    r.add("v1", v1).unwrap();
    let v2_text = cap_text()
        .replacen("version = \"2024-01-01\"", "version = \"2026-07-01\"", 1)
        .replacen(
            "effective_from = \"2024-01-01\"",
            "effective_from = \"2026-07-01\"",
            1,
        )
        .replacen("value = 7", "value = 10", 1);
    let v2 = Scheme::from_toml_str("v2", &v2_text).unwrap();
    r.add("v2", v2.clone()).unwrap();
    assert_eq!(
        r.in_force(SchemeId::CapabilityGrade, d(2026, 6, 30))
            .unwrap()
            .version(),
        "2024-01-01"
    );
    assert_eq!(
        r.in_force(SchemeId::CapabilityGrade, d(2026, 7, 1))
            .unwrap()
            .version(),
        "2026-07-01"
    );
    assert_eq!(
        r.in_force(SchemeId::CapabilityGrade, d(2026, 7, 1))
            .unwrap()
            .notice_days()
            .unwrap(),
        10
    );
    assert!(
        r.in_force(SchemeId::CapabilityGrade, d(2023, 12, 31))
            .is_err()
    );
    assert!(r.in_force(SchemeId::FireCredit, d(2025, 1, 1)).is_err());
    let e = r.add("v2-again", v2).expect_err("duplicate");
    assert_eq!(e.path, "scheme.version");
    // The 2024 awards edition ends with the year.
    let b = Registry::builtin().unwrap();
    assert!(b.in_force(SchemeId::AnnualAwards, d(2024, 12, 31)).is_ok());
    assert!(b.in_force(SchemeId::AnnualAwards, d(2025, 1, 1)).is_err());
}

#[test]
fn unsupported_mode_values_are_refused() {
    let text = BUILTIN_DEFINITION_FILES[1].1.replacen(
        "value = \"calendar_year\"",
        "value = \"registration_date\"",
        1,
    );
    let e = Scheme::from_toml_str("fire.toml", &text).expect_err("anchor");
    assert_eq!(e.path, "parameters.cycle_anchor.value", "{e}");
    let text = BUILTIN_DEFINITION_FILES[2]
        .1
        .replacen("value = \"mean\"", "value = \"median\"", 1);
    let e = Scheme::from_toml_str("stars.toml", &text).expect_err("aggregate");
    assert_eq!(e.path, "parameters.evaluation_aggregate.value", "{e}");
}

const ART23: &str =
    r#"check = { kind = "period_over", since = "revoked_on", period = "ban_years" }"#;

#[test]
fn a_rule_restating_the_ban_period_is_refused() {
    // The two years of seed 000 第二十三条 stated twice (parameter and rule): refused even
    // when they agree today, since nothing would keep them agreeing.
    for years in [2, 3] {
        let text = cap_text().replace(
            ART23,
            &format!(
                r#"check = {{ kind = "at_least", metric = "years_since:revoked_on", value = {years} }}"#
            ),
        );
        let e = load_err(&text);
        assert_eq!(e.file, "authority/revised.toml");
        assert!(
            e.path.starts_with("groups[") && e.path.ends_with(".check"),
            "{e}"
        );
        assert!(e.problem.contains("ban_years"), "{e}");
    }
}

#[test]
fn a_rule_naming_a_missing_or_wrong_period_parameter_is_refused() {
    let text = cap_text().replace(ART23, &ART23.replace("ban_years", "ban_yeras"));
    let e = load_err(&text);
    assert!(e.path.ends_with(".check.period"), "{e}");
    assert!(e.problem.contains("ban_yeras"), "{e}");
    let text = cap_text().replace(ART23, &ART23.replace("ban_years", "fee_fen"));
    let e = load_err(&text);
    assert!(e.path.ends_with(".check.period"), "{e}");
}

#[test]
fn a_period_parameter_in_the_wrong_unit_is_refused() {
    let text = cap_text().replace(
        "value = 2\nunit = \"years\"",
        "value = 2\nunit = \"calendar_days\"",
    );
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.ban_years.unit", "{e}");
    let text = cap_text().replace(
        "value = 7\nunit = \"calendar_days\"",
        "value = 7\nunit = \"working_days\"",
    );
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.notice_days.unit", "{e}");
}

#[test]
fn certificate_validity_is_read_and_checked() {
    let text = cap_text().replace(
        "value = \"until_next_year_annual_report_deadline\"",
        "value = \"three_years\"",
    );
    let e = load_err(&text);
    assert_eq!(e.path, "parameters.certificate_validity.value", "{e}");
    // Or a period of whole months or years (the star rating: 1 year); not days, not 0.
    for bad in [
        "value = 0\nunit = \"years\"",
        "value = 30\nunit = \"calendar_days\"",
    ] {
        let text = cap_text().replace("value = \"until_next_year_annual_report_deadline\"", bad);
        let e = load_err(&text);
        assert!(
            e.path.starts_with("parameters.certificate_validity"),
            "{bad}: {e}"
        );
    }
    let text = cap_text().replace(
        "value = \"until_next_year_annual_report_deadline\"",
        "value = 3\nunit = \"years\"",
    );
    assert!(
        Scheme::from_toml_str("authority/revised.toml", &text).is_ok(),
        "a period in years is a validity"
    );
    let start = cap_text()
        .find("[parameters.certificate_validity]")
        .unwrap();
    let end = cap_text().find("[parameters.fee_fen]").unwrap();
    let text = format!("{}{}", &cap_text()[..start], &cap_text()[end..]);
    assert_eq!(load_err(&text).path, "parameters.certificate_validity");
}
