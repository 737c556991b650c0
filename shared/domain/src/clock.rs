//! Time seen through a trait, so workflows can be driven through days and years in
//! tests without sleeping. Times are stored in UTC; legal dates are taken in China time
//! (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The environment variable naming the local clock's offset file ([`OffsetFileClock`]).
/// Only the local stack sets it (`infra/local/env.sh`); deployed stacks never do.
pub const CLOCK_FILE_ENV: &str = "STANDING_CLOCK_FILE";

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

/// The local stack's clock: the real time plus a whole number of seconds read from a
/// file on every call, so `infra/local/clock.sh +8d` moves "now" for every running
/// function at once, without restarting them. A missing, empty or unreadable file means
/// no offset. Local only: reading a small file per call is cheap on a workstation and is
/// never done in a deployed stack.
#[derive(Debug, Clone)]
pub struct OffsetFileClock {
    path: PathBuf,
}

impl OffsetFileClock {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        OffsetFileClock { path: path.into() }
    }

    /// The offset in seconds the file holds now (0 when it holds none).
    pub fn offset(&self) -> chrono::Duration {
        let seconds = std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .unwrap_or(0);
        chrono::Duration::try_seconds(seconds).unwrap_or_else(chrono::Duration::zero)
    }
}

impl Clock for OffsetFileClock {
    fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        now.checked_add_signed(self.offset()).unwrap_or(now)
    }
}

/// The clock a function runs with: [`OffsetFileClock`] when `STANDING_CLOCK_FILE` is set
/// (the local stack), otherwise [`SystemClock`].
pub fn clock_from_env() -> Arc<dyn Clock> {
    match std::env::var_os(CLOCK_FILE_ENV) {
        Some(path) if !path.is_empty() => Arc::new(OffsetFileClock::new(path)),
        _ => Arc::new(SystemClock),
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

    fn scratch_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "standing-clock-{}-{}",
            std::process::id(),
            ulid::Ulid::generate()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn offset_file_clock_follows_the_file_on_every_call() {
        let path = scratch_file("clock-offset");
        let clock = OffsetFileClock::new(&path);
        // No file: the real time.
        assert_eq!(clock.offset(), chrono::Duration::zero());
        let drift = (clock.now() - Utc::now()).num_seconds().abs();
        assert!(drift <= 1, "no file, drift {drift}s");
        // Eight days ahead, read again without a new clock.
        std::fs::write(&path, "691200\n").unwrap();
        assert_eq!(clock.offset(), chrono::Duration::days(8));
        let ahead = clock.now() - Utc::now();
        assert!((ahead - chrono::Duration::days(8)).num_seconds().abs() <= 1);
        assert_eq!(
            clock.today_in_china(),
            china_date(Utc::now() + chrono::Duration::days(8))
        );
        // Backwards works too.
        std::fs::write(&path, "-3600").unwrap();
        assert_eq!(clock.offset(), chrono::Duration::hours(-1));
        // Reset: an empty file, garbage or a removed file mean no offset.
        std::fs::write(&path, "").unwrap();
        assert_eq!(clock.offset(), chrono::Duration::zero());
        std::fs::write(&path, "8d").unwrap();
        assert_eq!(clock.offset(), chrono::Duration::zero());
        std::fs::write(&path, "99999999999999999999").unwrap();
        assert_eq!(clock.offset(), chrono::Duration::zero());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(clock.offset(), chrono::Duration::zero());
    }

    #[test]
    fn an_absurd_offset_does_not_panic() {
        let path = scratch_file("clock-offset");
        std::fs::write(&path, i64::MAX.to_string()).unwrap();
        let clock = OffsetFileClock::new(&path);
        let _ = clock.now();
        std::fs::write(&path, i64::MIN.to_string()).unwrap();
        let _ = clock.now();
        std::fs::remove_file(&path).unwrap();
    }
}
