//! Time seen through a trait, so workflows can be driven through days and years in
//! tests without sleeping. Times are stored in UTC; legal dates are taken in China time
//! (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::sync::Mutex;

/// China Standard Time, UTC+8.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The calendar date in China at an instant.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china_offset()).date_naive()
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    fn today_in_china(&self) -> NaiveDate {
        china_date(self.now())
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: for tests and replays.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(at: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn china_date_crosses_midnight_eight_hours_early() {
        let late_utc = Utc.with_ymd_and_hms(2026, 6, 30, 16, 0, 0).unwrap();
        assert_eq!(
            china_date(late_utc),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        let before = Utc.with_ymd_and_hms(2026, 6, 30, 15, 59, 59).unwrap();
        assert_eq!(
            china_date(before),
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
        );
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let clock = FixedClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::days(7));
        assert_eq!(clock.now(), start + chrono::Duration::days(7));
    }
}
