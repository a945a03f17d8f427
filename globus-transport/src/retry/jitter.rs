//! Randomness for backoff jitter, injected so tests are deterministic.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of uniform numbers in `[0, 1)` for backoff jitter (not for secrets).
pub trait JitterSource: Send + Sync + fmt::Debug {
    /// The next number in `[0, 1)`.
    fn next_unit(&self) -> f64;
}

/// Always the same number: deterministic backoff for tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedJitter(pub f64);

impl JitterSource for FixedJitter {
    fn next_unit(&self) -> f64 {
        self.0
    }
}

/// A small lock-free xorshift generator seeded from the system time: good enough to
/// spread retries, never used for anything secret.
#[derive(Debug)]
pub struct XorShiftJitter {
    state: AtomicU64,
}

impl XorShiftJitter {
    /// A generator with a fixed seed (0 is replaced by a constant).
    pub fn with_seed(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed }),
        }
    }
}

impl Default for XorShiftJitter {
    fn default() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self::with_seed(nanos)
    }
}

impl JitterSource for XorShiftJitter {
    fn next_unit(&self) -> f64 {
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let previous = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or_else(|x| x);
        (step(previous) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_stays_in_unit_interval() {
        let jitter = XorShiftJitter::with_seed(42);
        for _ in 0..10_000 {
            let value = jitter.next_unit();
            assert!((0.0..1.0).contains(&value));
        }
    }
}
