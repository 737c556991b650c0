mod common;
use common::d;
use standing_schemes::WorkCalendar;

fn cal() -> &'static WorkCalendar {
    WorkCalendar::builtin().expect("calendar")
}

fn work(y: i32, m: u32, day: u32) -> bool {
    cal().is_working_day(d(y, m, day)).expect("in range")
}

#[test]
fn spring_festival_2024_2025_2026() {
    // 2024: 2-10..2-17 off; Sun 2-4 and Sun 2-18 are make-up working days.
    assert!(work(2024, 2, 4) && work(2024, 2, 18) && work(2024, 2, 9));
    assert!((10..=17).all(|day| !work(2024, 2, day)));
    assert!(work(2024, 2, 19));
    // 2025: 1-28..2-4 off; Sun 1-26 and Sat 2-8 work.
    assert!(work(2025, 1, 26) && work(2025, 2, 8));
    assert!(!work(2025, 1, 28) && !work(2025, 1, 31) && !work(2025, 2, 3) && !work(2025, 2, 4));
    assert!(work(2025, 2, 5));
    // 2026: 2-15..2-23 off; Sat 2-14 and Sat 2-28 work.
    assert!(work(2026, 2, 14) && work(2026, 2, 28));
    assert!((15..=23).all(|day| !work(2026, 2, day)));
    assert!(work(2026, 2, 24));
}

#[test]
fn national_day_2024_2025_2026() {
    assert!(work(2024, 9, 29) && work(2024, 10, 12));
    assert!((1..=7).all(|day| !work(2024, 10, day)));
    assert!(work(2025, 9, 28) && work(2025, 10, 11));
    assert!((1..=8).all(|day| !work(2025, 10, day)));
    assert!(work(2026, 9, 20) && work(2026, 10, 10));
    assert!((1..=7).all(|day| !work(2026, 10, day)));
    // ordinary weekends stay off
    assert!(!work(2024, 10, 13) && !work(2025, 10, 12) && !work(2026, 10, 11));
}

#[test]
fn adding_working_days_across_holidays() {
    let c = cal();
    // Mon 2024-09-30 + 5: Oct 8, 9, 10, 11 and make-up Sat Oct 12.
    assert_eq!(
        c.add_working_days(d(2024, 9, 30), 5).unwrap(),
        d(2024, 10, 12)
    );
    // Fri 2024-02-02 + 1 lands on make-up Sun 2024-02-04.
    assert_eq!(c.add_working_days(d(2024, 2, 2), 1).unwrap(), d(2024, 2, 4));
    // Thu 2024-02-08 + 2: Fri 2-9, then make-up Sun 2-18.
    assert_eq!(
        c.add_working_days(d(2024, 2, 8), 2).unwrap(),
        d(2024, 2, 18)
    );
    // Mon 2025-01-27 + 1 skips the whole festival to Wed 2-5.
    assert_eq!(
        c.add_working_days(d(2025, 1, 27), 1).unwrap(),
        d(2025, 2, 5)
    );
    // Fri 2026-02-13 + 1 is make-up Sat 2-14; + 2 is Tue 2-24.
    assert_eq!(
        c.add_working_days(d(2026, 2, 13), 1).unwrap(),
        d(2026, 2, 14)
    );
    assert_eq!(
        c.add_working_days(d(2026, 2, 13), 2).unwrap(),
        d(2026, 2, 24)
    );
    // Fri 2026-09-18 + 1 is make-up Sun 9-20.
    assert_eq!(
        c.add_working_days(d(2026, 9, 18), 1).unwrap(),
        d(2026, 9, 20)
    );
    // Year boundary 2024 -> 2025: Tue 2024-12-31 + 1 skips New Year's Day.
    assert_eq!(
        c.add_working_days(d(2024, 12, 31), 1).unwrap(),
        d(2025, 1, 2)
    );
    assert_eq!(c.add_working_days(d(2025, 3, 3), 0).unwrap(), d(2025, 3, 3));
    assert_eq!(
        c.working_days_between(d(2024, 9, 30), d(2024, 10, 12))
            .unwrap(),
        5
    );
}

#[test]
fn dates_outside_the_data_are_errors() {
    let c = cal();
    let e = c
        .is_working_day(d(2023, 12, 29))
        .expect_err("2023 not covered");
    assert_eq!(e.covered, "2024-2026");
    assert!(c.is_working_day(d(2027, 1, 4)).is_err());
    // Walking past the last covered day is an error, not a guess.
    assert!(c.add_working_days(d(2026, 12, 30), 5).is_err());
    assert!(c.add_working_days(d(2023, 12, 30), 1).is_err());
}

#[test]
fn each_year_names_its_notice() {
    for y in 2024..=2026 {
        let f = cal().year(y).unwrap();
        assert!(f.notice.contains(&y.to_string()));
        assert!(f.notice_no.starts_with("国办发明电"));
    }
}
