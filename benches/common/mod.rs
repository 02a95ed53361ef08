//! What the benchmarks share: the clock they measure with.

use std::time::Duration;

/// CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`, exact to the nanosecond; the
/// kernel brings it up to date when read), or `None` where the clock is missing. The machines
/// these benchmarks run on are shared, so CPU time is the fair single-threaded measure.
/// (`/proc/thread-self/schedstat`, used by some benchmarks before, moves in 4 ms scheduler
/// ticks.)
pub fn thread_cpu() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc == 0 {
            return Some(Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32));
        }
    }
    None
}
