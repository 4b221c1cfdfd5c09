//! Totals of counted pages, remembered for a moment. Paging through a list
//! asks for the same COUNT(*) on every page, and on a large table that count
//! costs more than the page itself. A total is reused for at most the
//! configured time, and forgotten as soon as this connector writes anything,
//! so a user never sees their own change missing from it; a write made
//! elsewhere (another process, another program) shows within that time. The
//! rows themselves are always read fresh.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::compile::Statement;

/// Beyond this many remembered totals the oldest are not worth a search:
/// everything is dropped and refilled by the next requests.
const MAX_ENTRIES: usize = 1024;
/// A filter with a long value (a pasted document) is not worth a key.
const MAX_KEY_LEN: usize = 4096;

#[derive(Debug)]
pub(super) struct CountCache {
    ttl: Duration,
    /// Bumped by every write: a count that started before a write must not
    /// be remembered after it.
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (Instant, u64)>>,
}

pub(super) enum Lookup {
    Remembered(u64),
    /// Count it, and hand the result back with the ticket (if any: none
    /// when caching is off or the statement is not worth a key).
    Count(Option<Pending>),
}

/// A count in flight: where to store its result, if still valid.
pub(super) struct Pending {
    key: String,
    generation: u64,
}

impl CountCache {
    pub(super) fn new(ttl: Duration) -> CountCache {
        CountCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, u64)>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn lookup(&self, statement: &Statement) -> Lookup {
        if self.ttl.is_zero() {
            return Lookup::Count(None);
        }
        let key = format!("{}\u{0}{:?}", statement.sql, statement.params);
        if key.len() > MAX_KEY_LEN {
            return Lookup::Count(None);
        }
        let generation = self.generation.load(Ordering::Acquire);
        match self.entries().get(&key) {
            Some((at, total)) if at.elapsed() < self.ttl => Lookup::Remembered(*total),
            _ => Lookup::Count(Some(Pending { key, generation })),
        }
    }

    pub(super) fn remember(&self, pending: Pending, total: u64) {
        let mut entries = self.entries();
        // Checked under the lock `forget_all` takes, so a write that
        // finished while this count ran is never papered over.
        if self.generation.load(Ordering::Acquire) != pending.generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(pending.key, (Instant::now(), total));
    }

    /// Called before and after every write through this connector.
    pub(super) fn forget_all(&self) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::SqlValue;

    fn miss(cache: &CountCache) -> Pending {
        match cache.lookup(&statement(1)) {
            Lookup::Count(Some(pending)) => pending,
            _ => panic!("expected a miss to count and remember"),
        }
    }

    fn remembered(cache: &CountCache, param: i64) -> Option<u64> {
        match cache.lookup(&statement(param)) {
            Lookup::Remembered(total) => Some(total),
            Lookup::Count(_) => None,
        }
    }

    fn statement(param: i64) -> Statement {
        Statement {
            sql: "SELECT COUNT(*) FROM t WHERE a = $1".into(),
            params: vec![SqlValue::Int(param)],
        }
    }

    #[test]
    fn a_total_is_reused_per_statement_and_parameters() {
        let cache = CountCache::new(Duration::from_secs(60));
        let pending = miss(&cache);
        cache.remember(pending, 7);
        assert_eq!(remembered(&cache, 1), Some(7));
        assert_eq!(remembered(&cache, 2), None, "other parameters, other total");
    }

    #[test]
    fn a_write_forgets_totals_and_voids_counts_in_flight() {
        let cache = CountCache::new(Duration::from_secs(60));
        let pending = miss(&cache);
        cache.forget_all();
        cache.remember(pending, 7);
        assert_eq!(remembered(&cache, 1), None, "counted before the write");

        let pending = miss(&cache);
        cache.remember(pending, 8);
        cache.forget_all();
        assert_eq!(remembered(&cache, 1), None);
    }

    #[test]
    fn totals_expire_and_a_zero_time_turns_caching_off() {
        let cache = CountCache::new(Duration::from_millis(1));
        let pending = miss(&cache);
        cache.remember(pending, 7);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(remembered(&cache, 1), None);

        let off = CountCache::new(Duration::ZERO);
        assert!(matches!(off.lookup(&statement(1)), Lookup::Count(None)));
    }
}
