//! Where `serve`'s log lines go: standard error, in batches. A line per request at
//! tens of thousands of requests a second must not cost a write (and a thread
//! wake-up) each: lines are appended to a buffer, which a thread writes out every
//! [`FLUSH_EVERY`]. Warnings and errors are written at once, after every line
//! buffered before them, and so is a buffer that grew past [`MAX_BUFFERED`] (the
//! logger waits rather than drops). Lines keep their order.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;
use tracing::Level;

const FLUSH_EVERY: Duration = Duration::from_millis(100);
const MAX_BUFFERED: usize = 1 << 20;

struct Shared<W> {
    buffer: Mutex<Buffered>,
    /// Held while writing out, taken before the buffer is released: what was
    /// buffered first is written first.
    out: Mutex<W>,
    tick: Condvar,
}

#[derive(Default)]
struct Buffered {
    lines: Vec<u8>,
    stopping: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding it leaves whole lines behind: still usable.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl<W: Write> Shared<W> {
    /// Writes out what is buffered; `buffer` is released once the order is kept.
    fn write_out(&self, mut buffer: MutexGuard<'_, Buffered>) {
        let lines = std::mem::take(&mut buffer.lines);
        let mut out = lock(&self.out);
        drop(buffer);
        if !lines.is_empty() {
            // Standard error gone: nowhere left to say so.
            let _ = out.write_all(&lines);
            let _ = out.flush();
        }
    }
}

/// The `MakeWriter` of the log lines.
pub struct BatchedWriter<W> {
    shared: Arc<Shared<W>>,
}

/// Writes out every line still buffered when dropped (at the end of `serve`).
pub struct FlushOnDrop<W: Write + Send + 'static> {
    shared: Arc<Shared<W>>,
    flusher: Option<std::thread::JoinHandle<()>>,
}

/// A writer of log lines to `out`, and the guard that writes out the rest at the end.
pub fn batched<W: Write + Send + 'static>(out: W) -> (BatchedWriter<W>, FlushOnDrop<W>) {
    let shared = Arc::new(Shared {
        buffer: Mutex::new(Buffered::default()),
        out: Mutex::new(out),
        tick: Condvar::new(),
    });
    let flusher = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("custodia-log".to_owned())
            .spawn(move || {
                loop {
                    let buffer = lock(&shared.buffer);
                    let (buffer, _) = shared
                        .tick
                        .wait_timeout_while(buffer, FLUSH_EVERY, |b| !b.stopping)
                        .unwrap_or_else(|e| e.into_inner());
                    let stopping = buffer.stopping;
                    shared.write_out(buffer);
                    if stopping {
                        return;
                    }
                }
            })
            .ok()
    };
    let guard = FlushOnDrop {
        shared: Arc::clone(&shared),
        flusher,
    };
    (BatchedWriter { shared }, guard)
}

impl<W: Write + Send + 'static> Drop for FlushOnDrop<W> {
    fn drop(&mut self) {
        lock(&self.shared.buffer).stopping = true;
        self.shared.tick.notify_all();
        match self.flusher.take() {
            Some(flusher) => {
                let _ = flusher.join();
            }
            None => self.shared.write_out(lock(&self.shared.buffer)),
        }
    }
}

/// One event's line (the formatter writes it whole).
pub struct Line<'a, W> {
    shared: &'a Shared<W>,
    urgent: bool,
}

impl<W: Write> Write for Line<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buffer = lock(&self.shared.buffer);
        buffer.lines.extend_from_slice(bytes);
        // Without a flusher thread (it could not start), every line goes at once.
        if self.urgent || buffer.stopping || buffer.lines.len() >= MAX_BUFFERED {
            self.shared.write_out(buffer);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a, W: Write + 'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchedWriter<W> {
    type Writer = Line<'a, W>;

    fn make_writer(&'a self) -> Line<'a, W> {
        self.line(true)
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Line<'a, W> {
        self.line(*meta.level() <= Level::WARN)
    }
}

impl<W> BatchedWriter<W> {
    fn line(&self, urgent: bool) -> Line<'_, W> {
        Line {
            shared: &self.shared,
            urgent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Write` whose bytes the test can read.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn info_lines_wait_warnings_go_at_once_in_order_and_the_end_flushes_the_rest() {
        let sink = Sink::default();
        let (writer, guard) = batched(sink.clone());
        writer.line(false).write_all(b"one\n").unwrap();
        assert_eq!(*sink.0.lock().unwrap(), b"", "an info line waits");
        writer.line(true).write_all(b"two\n").unwrap();
        assert_eq!(
            *sink.0.lock().unwrap(),
            b"one\ntwo\n",
            "a warning goes at once, after"
        );
        writer.line(false).write_all(b"three\n").unwrap();
        drop(guard);
        assert_eq!(*sink.0.lock().unwrap(), b"one\ntwo\nthree\n");
    }

    #[test]
    fn buffered_lines_are_written_within_the_interval() {
        let sink = Sink::default();
        let (writer, _guard) = batched(sink.clone());
        writer.line(false).write_all(b"one\n").unwrap();
        for _ in 0..100 {
            if !sink.0.lock().unwrap().is_empty() {
                return;
            }
            std::thread::sleep(FLUSH_EVERY / 5);
        }
        panic!("the line was not written within 2 s");
    }
}
