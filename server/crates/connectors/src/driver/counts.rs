//! Totals of counted pages, remembered for a moment. Paging through a list
//! asks for the same COUNT(*) on every page, and on a large table that count
//! costs more than the page itself. A total is reused for at most the
//! configured time, and forgotten as soon as this connector writes anything,
//! so a user never sees their own change missing from it; a write made
//! elsewhere (another process, another program) shows within that time. The
//! rows themselves are always read fresh. While one request counts, others
//! asking for the same total wait for its answer: when a busy list's total
//! expires, the database counts once, not once per request in flight (under
//! load that was one page request in seven).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;

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
    entries: Mutex<HashMap<String, Slot>>,
}

#[derive(Debug)]
enum Slot {
    Known(Instant, u64),
    /// One request is counting; the others wait for its total instead of
    /// all counting at once when a busy list's total expires.
    Counting(watch::Receiver<Option<u64>>),
}

pub(super) enum Lookup<'c> {
    Remembered(u64),
    /// Another request is counting the same statement: its total, or
    /// nothing if that count failed or was abandoned (then count here).
    Wait(watch::Receiver<Option<u64>>),
    /// Count it, and hand the result back with the ticket (if any: none
    /// when caching is off or the statement is not worth a key).
    Count(Option<Pending<'c>>),
}

/// A count in flight: where to store its result, if still valid. Dropped
/// without a result (the count failed, the request went away), it lets the
/// next request count and wakes the waiting ones to count for themselves.
pub(super) struct Pending<'c> {
    cache: &'c CountCache,
    key: String,
    generation: u64,
    waiters: watch::Sender<Option<u64>>,
}

impl CountCache {
    pub(super) fn new(ttl: Duration) -> CountCache {
        CountCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn lookup(&self, statement: &Statement) -> Lookup<'_> {
        if self.ttl.is_zero() {
            return Lookup::Count(None);
        }
        let key = format!("{}\u{0}{:?}", statement.sql, statement.params);
        if key.len() > MAX_KEY_LEN {
            return Lookup::Count(None);
        }
        let mut entries = self.entries();
        match entries.get(&key) {
            Some(Slot::Known(at, total)) if at.elapsed() < self.ttl => {
                return Lookup::Remembered(*total);
            }
            Some(Slot::Counting(waiting)) => return Lookup::Wait(waiting.clone()),
            _ => {}
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let (waiters, waiting) = watch::channel(None);
        entries.insert(key.clone(), Slot::Counting(waiting));
        Lookup::Count(Some(Pending {
            cache: self,
            key,
            // Read under the lock `forget_all` takes.
            generation: self.generation.load(Ordering::Acquire),
            waiters,
        }))
    }

    /// Called before and after every write through this connector.
    pub(super) fn forget_all(&self) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

impl Pending<'_> {
    pub(super) fn remember(self, total: u64) {
        // The waiters asked before any write that happened since: the
        // total is what they would have counted themselves.
        self.waiters.send_replace(Some(total));
        let mut entries = self.cache.entries();
        // Checked under the lock `forget_all` takes, so a write that
        // finished while this count ran is never papered over.
        if self.cache.generation.load(Ordering::Acquire) == self.generation
            && entries.contains_key(&self.key)
        {
            entries.insert(self.key.clone(), Slot::Known(Instant::now(), total));
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        let mut entries = self.cache.entries();
        // Only this count's own slot: a write may have cleared it and
        // another request started a new count since.
        if let Some(Slot::Counting(waiting)) = entries.get(&self.key)
            && waiting.same_channel(&self.waiters.subscribe())
        {
            entries.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::SqlValue;

    fn miss(cache: &CountCache) -> Pending<'_> {
        match cache.lookup(&statement(1)) {
            Lookup::Count(Some(pending)) => pending,
            _ => panic!("expected a miss to count and remember"),
        }
    }

    fn remembered(cache: &CountCache, param: i64) -> Option<u64> {
        match cache.lookup(&statement(param)) {
            Lookup::Remembered(total) => Some(total),
            _ => None,
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
        miss(&cache).remember(7);
        assert_eq!(remembered(&cache, 1), Some(7));
        assert_eq!(remembered(&cache, 2), None, "other parameters, other total");
    }

    #[test]
    fn a_write_forgets_totals_and_voids_counts_in_flight() {
        let cache = CountCache::new(Duration::from_secs(60));
        let pending = miss(&cache);
        cache.forget_all();
        pending.remember(7);
        assert_eq!(remembered(&cache, 1), None, "counted before the write");

        miss(&cache).remember(8);
        cache.forget_all();
        assert_eq!(remembered(&cache, 1), None);
    }

    #[test]
    fn totals_expire_and_a_zero_time_turns_caching_off() {
        let cache = CountCache::new(Duration::from_millis(1));
        miss(&cache).remember(7);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(remembered(&cache, 1), None);

        let off = CountCache::new(Duration::ZERO);
        assert!(matches!(off.lookup(&statement(1)), Lookup::Count(None)));
    }

    #[tokio::test]
    async fn one_request_counts_while_the_others_wait_for_its_total() {
        let cache = CountCache::new(Duration::from_secs(60));
        let pending = miss(&cache);
        let Lookup::Wait(mut waiting) = cache.lookup(&statement(1)) else {
            panic!("a second request must wait, not count again");
        };
        assert!(matches!(
            cache.lookup(&statement(2)),
            Lookup::Count(Some(_))
        ));
        pending.remember(9);
        assert_eq!(*waiting.wait_for(Option::is_some).await.unwrap(), Some(9));
        assert_eq!(remembered(&cache, 1), Some(9));
    }

    #[tokio::test]
    async fn an_abandoned_count_lets_the_waiters_and_the_next_request_count() {
        let cache = CountCache::new(Duration::from_secs(60));
        let pending = miss(&cache);
        let Lookup::Wait(mut waiting) = cache.lookup(&statement(1)) else {
            panic!("expected to wait");
        };
        drop(pending);
        assert!(waiting.wait_for(Option::is_some).await.is_err());
        assert!(matches!(
            cache.lookup(&statement(1)),
            Lookup::Count(Some(_))
        ));
    }
}
