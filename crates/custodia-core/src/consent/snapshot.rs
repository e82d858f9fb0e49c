//! The consent book written to a file when the server stops and read back when it
//! starts, so that a restart takes about a second whatever the book's size instead of
//! rebuilding it from every table (about 9 s at 1,000,000 subjects).
//!
//! A snapshot is used only if nothing it depends on changed since it was written: the
//! register (its SHA-256: the book's rules and retention come from it) and the data
//! (the audit log's last entry: every write the book follows comes with an audit
//! entry, so a command run while the server was stopped, or another process, shows;
//! and the row count of each table the book reads, so rows added or removed outside
//! Custodia show too; an edit in place outside Custodia does not: delete the
//! snapshot file after one).
//! Otherwise the book is loaded from the store as before. The file holds what the
//! data database holds about subjects for the book (ids, blind-index digests, consent
//! states and times), never a personal value; it is 0600 and removed once read, so it
//! exists only while the server is stopped. Stores several instances write (which
//! follow each other's writes) do not use it.

use super::{BookState, Catalog, Holder, SubjectRec, VisitorRec};
use std::io::Write as _;
use std::path::Path;
use time::OffsetDateTime;

const MAGIC: &[u8] = b"custodia consent book snapshot v1\n";

/// What a snapshot must match to be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The register's SHA-256 (hex).
    pub register: String,
    /// The audit log's last entry `(seq, hash)`; `None` for an empty log.
    pub audit_head: Option<(i64, String)>,
    /// [`custodia_store::Store::book_stamp`]: rows added or removed behind the
    /// server's back (an edit outside Custodia) show.
    pub rows: String,
}

/// Writes `bytes` to `path` through a temporary file (0600), flushed to disk, then
/// renamed over it: a crash leaves the old file or the new one, never half of one.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
}

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
}

struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u32()?).ok()
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
}

fn put_mark(out: &mut Out, mark: &Mark) {
    out.bytes(mark.register.as_bytes());
    out.bytes(mark.rows.as_bytes());
    match &mark.audit_head {
        Some((seq, hash)) => {
            out.u8(1);
            out.i64(*seq);
            out.bytes(hash.as_bytes());
        }
        None => out.u8(0),
    }
}

fn read_mark(input: &mut In<'_>) -> Option<Mark> {
    let register = input.text()?.to_owned();
    let rows = input.text()?.to_owned();
    let audit_head = match input.u8()? {
        0 => None,
        _ => Some((input.i64()?, input.text()?.to_owned())),
    };
    Some(Mark {
        register,
        audit_head,
        rows,
    })
}

impl BookState {
    /// The book as bytes, after `mark`.
    pub(super) fn encode(&self, mark: &Mark) -> Vec<u8> {
        let mut out = Out(Vec::with_capacity(self.subjects.len() * 96));
        out.0.extend_from_slice(MAGIC);
        put_mark(&mut out, mark);
        for names in [
            &self.kinds,
            &self.purposes,
            &self.services,
            &self.fingerprints,
        ] {
            out.len(names.len());
            for n in 0..names.len() {
                out.bytes(names.name(u32::try_from(n).unwrap_or(u32::MAX)).as_bytes());
            }
        }
        out.len(self.subjects.len());
        for n in 0..self.subjects.len() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let rec = self
                .subjects
                .rec(n)
                .map_or((0, 0, &[][..]), |r| (r.kind, r.flags, &r.tail[..]));
            out.bytes(&self.subjects.id(n));
            out.u32(rec.0);
            out.u8(rec.1);
            out.bytes(rec.2);
        }
        out.len(self.visitors.len());
        for n in 0..self.visitors.len() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            out.bytes(&self.visitors.id(n));
            let (subject, choices) = self
                .visitors
                .rec(n)
                .map_or((super::NONE, &[][..]), |r| (r.subject, &r.choices[..]));
            out.u32(subject);
            out.bytes(choices);
        }
        out.len(self.digests.len());
        for n in 0..self.digests.len() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            out.bytes(&self.digests.id(n));
            out.u32(self.digests.rec(n).map_or(super::NONE, |h| h.0));
        }
        let mut shared: Vec<_> = self.shared.iter().collect();
        shared.sort_unstable_by_key(|(digest, _)| **digest);
        out.len(shared.len());
        for (digest, holders) in shared {
            out.u32(*digest);
            out.len(holders.len());
            for h in holders {
                out.u32(*h);
            }
        }
        let mut opposition: Vec<_> = self.opposition.iter().collect();
        opposition.sort_unstable();
        out.len(opposition.len());
        for (digest, until) in opposition {
            out.bytes(digest);
            out.i128(until.unix_timestamp_nanos());
        }
        out.0
    }

    /// The book `bytes` hold, if they are a snapshot taken at `mark` of a book built
    /// on this `catalog` (the catalog's own names must come first, as when built).
    pub(super) fn decode(catalog: &Catalog, bytes: &[u8], mark: &Mark) -> Option<BookState> {
        let mut input = In(bytes);
        if input.take(MAGIC.len())? != MAGIC || read_mark(&mut input)? != *mark {
            return None;
        }
        let mut state = BookState::new(catalog);
        for names in [
            &mut state.kinds,
            &mut state.purposes,
            &mut state.services,
            &mut state.fingerprints,
        ] {
            for n in 0..input.len()? {
                if names.intern(input.text()?)? as usize != n {
                    return None;
                }
            }
        }
        for n in 0..input.len()? {
            let id = input.bytes()?;
            if state.subjects.intern(id)? as usize != n {
                return None;
            }
            let (kind, flags, tail) = (input.u32()?, input.u8()?, input.bytes()?);
            *state.subjects.rec_mut(u32::try_from(n).ok()?)? = SubjectRec {
                kind,
                flags,
                tail: tail.into(),
            };
        }
        for n in 0..input.len()? {
            let id = input.bytes()?;
            if state.visitors.intern(id)? as usize != n {
                return None;
            }
            let (subject, choices) = (input.u32()?, input.bytes()?);
            *state.visitors.rec_mut(u32::try_from(n).ok()?)? = VisitorRec {
                subject,
                choices: choices.into(),
            };
        }
        for n in 0..input.len()? {
            let id = input.bytes()?;
            if state.digests.intern(id)? as usize != n {
                return None;
            }
            *state.digests.rec_mut(u32::try_from(n).ok()?)? = Holder(input.u32()?);
        }
        for _ in 0..input.len()? {
            let digest = input.u32()?;
            let holders = (0..input.len()?)
                .map(|_| input.u32())
                .collect::<Option<Vec<u32>>>()?;
            state.shared.insert(digest, holders);
        }
        for _ in 0..input.len()? {
            let digest = input.bytes()?.to_vec();
            let until = OffsetDateTime::from_unix_timestamp_nanos(input.i128()?).ok()?;
            state.opposition.insert(digest, until);
        }
        if !input.0.is_empty() {
            return None;
        }
        state.shrink();
        Some(state)
    }
}
