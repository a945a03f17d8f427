//! The fake's clock: a start time, optionally ticking with real time, plus manual advances.
//!
//! Token expiry, authorization-code expiry and task completion all read this clock, so tests
//! move time forward (`POST /_clock`, [`crate::FakeGlobus::advance_clock`]) instead of sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// 9999-12-31T23:59:59Z: where "now" saturates when advanced absurdly far.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

/// The server's notion of "now", in seconds since the Unix epoch.
#[derive(Debug)]
pub(crate) struct Clock {
    start: f64,
    origin: Instant,
    ticking: bool,
    offset: Mutex<f64>,
}

impl Clock {
    /// A clock that starts at `start` and, when `ticking`, follows real elapsed time.
    pub(crate) fn new(start: SystemTime, ticking: bool) -> Self {
        let start = start.duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
        Self {
            start,
            origin: Instant::now(),
            ticking,
            offset: Mutex::new(0.0),
        }
    }

    /// Seconds since the Unix epoch, fractional.
    pub(crate) fn now(&self) -> f64 {
        let elapsed = if self.ticking {
            self.origin.elapsed().as_secs_f64()
        } else {
            0.0
        };
        self.start + elapsed + self.offset()
    }

    /// Whole seconds since the Unix epoch.
    pub(crate) fn now_secs(&self) -> u64 {
        (self.now().max(0.0).floor() as u64).min(MAX_UNIX_SECONDS)
    }

    /// Total manual advance so far, in seconds.
    pub(crate) fn offset(&self) -> f64 {
        *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Moves the clock forward by `seconds` (must be finite and non-negative; checked by callers).
    pub(crate) fn advance(&self, seconds: f64) {
        *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += seconds;
    }

    /// "Now" as a [`SystemTime`].
    pub(crate) fn system_time(&self) -> SystemTime {
        Duration::try_from_secs_f64(self.now().max(0.0))
            .ok()
            .and_then(|since_epoch| UNIX_EPOCH.checked_add(since_epoch))
            .unwrap_or(UNIX_EPOCH + Duration::from_secs(MAX_UNIX_SECONDS))
    }
}

/// `(year, month, day, hour, minute, second)` in UTC for Unix seconds.
fn civil(unix: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (unix / 86_400) as i64;
    let rem = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3_600, rem % 3_600 / 60, rem % 60)
}

/// Transfer's task timestamp format: `2024-02-06T06:58:59+00:00`.
pub(crate) fn iso8601(unix: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

/// Transfer's file listing format: `2023-12-18 16:52:50+00:00`.
pub(crate) fn listing_time(unix: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}+00:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_707_202_739), "2024-02-06T06:58:59+00:00");
        assert_eq!(listing_time(1_702_918_370), "2023-12-18 16:52:50+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+00:00");
    }

    #[test]
    fn frozen_clock_only_moves_when_advanced() {
        let clock = Clock::new(UNIX_EPOCH + Duration::from_secs(1_000), false);
        assert_eq!(clock.now_secs(), 1_000);
        clock.advance(172_801.0);
        assert_eq!(clock.now_secs(), 173_801);
        assert_eq!(clock.system_time(), UNIX_EPOCH + Duration::from_secs(173_801));
        clock.advance(f64::MAX);
        assert_eq!(clock.now_secs(), MAX_UNIX_SECONDS);
        assert_eq!(clock.system_time(), UNIX_EPOCH + Duration::from_secs(MAX_UNIX_SECONDS));
        assert_eq!(iso8601(clock.now_secs()), "9999-12-31T23:59:59+00:00");
    }
}
