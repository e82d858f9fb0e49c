//! Compact forms for the consent book's state, so that a million subjects fit in a
//! few hundred megabytes: identifiers packed into fixed bytes and numbered
//! ([`IdTable`]), names numbered ([`Interner`]), instants as seconds and nanoseconds
//! ([`Stamp`]), and each subject's lists in one byte string of varints ([`Tail`]).

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use time::OffsetDateTime;

use super::ChoiceState;

pub(super) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// No number: an unlinked visitor, a digest no subject holds.
pub(super) const NONE: u32 = u32::MAX;

/// How an identifier of the form Custodia mints is packed into fixed bytes; any
/// other identifier is kept as it is, so the packing only saves memory.
pub(super) trait Codec {
    type Packed: Copy + Eq + Default + std::fmt::Debug;
    /// `None` unless unpacking gives back exactly `id`.
    fn pack(id: &[u8]) -> Option<Self::Packed>;
    fn unpack(packed: &Self::Packed) -> Cow<'_, [u8]>;
    fn hash(packed: &Self::Packed, hasher: &foldhash::fast::RandomState) -> u64;
}

fn hash32(p: &[u8; 32], hasher: &foldhash::fast::RandomState) -> u64 {
    let (a, b) = p.split_at(16);
    let a: [u8; 16] = a.try_into().unwrap_or_default();
    let b: [u8; 16] = b.try_into().unwrap_or_default();
    hasher.hash_one((u128::from_le_bytes(a), u128::from_le_bytes(b)))
}

/// Lower-case hex digit values; 0xff for anything else (an upper-case id is another
/// string, kept as it is).
const HEX: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Lower-case hex digits into `out`, two per byte; `None` on anything else.
fn unhex(text: &[u8], out: &mut [u8]) -> Option<()> {
    if text.len() != out.len() * 2 {
        return None;
    }
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0f);
    }
    // Valid digits are below 16, so any invalid one sets a high bit.
    (bad & 0xf0 == 0).then_some(())
}

/// Eight lower-case hex digits (the first in the lowest byte) as a number, eight at
/// a time in one register; `None` unless each is one of `0-9a-f`.
#[inline]
fn hex8(chars: u64) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A lenient value per byte: its low nibble, plus 9 for letters (bit 6 set).
    let n = (chars & (ONES * 0x0f)) + ((chars >> 6) & ONES) * 9;
    // Anything that is no digit gives 16 or more (at most 24: no carry between bytes).
    if (n + ONES * 0x70) & (ONES * 0x80) != 0 {
        return None;
    }
    // Written back as lower-case hex, it must be the text given.
    let letters = ((n + ONES * 0x06) >> 4) & ONES;
    if n + ONES * 0x30 + letters * 0x27 != chars {
        return None;
    }
    // Pairs of nibbles into bytes, then the four bytes in reading order.
    let pairs = ((n & 0x000f_000f_000f_000f) << 4) | ((n & 0x0f00_0f00_0f00_0f00) >> 8);
    let byte = |lane: u32| ((pairs >> (16 * lane)) & 0xff) as u32;
    Some((byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3))
}

/// Subject ids: a UUID in the hyphenated lower-case form `Uuid::to_string` gives.
#[derive(Debug)]
pub(super) struct UuidCodec;

impl Codec for UuidCodec {
    /// The UUID as two numbers, most significant digits first: built in registers
    /// (no byte stores to read back), hashed in one step; 8-byte aligned, so that a
    /// subject's key and record take 40 bytes together.
    type Packed = [u64; 2];

    #[inline]
    fn pack(id: &[u8]) -> Option<[u64; 2]> {
        let id: &[u8; 36] = id.try_into().ok()?;
        if id[8] != b'-' || id[13] != b'-' || id[18] != b'-' || id[23] != b'-' {
            return None;
        }
        let four = |at: usize| {
            u64::from(u32::from_le_bytes([
                id[at],
                id[at + 1],
                id[at + 2],
                id[at + 3],
            ]))
        };
        let eight = |a: usize, b: usize| four(a) | (four(b) << 32);
        let high = (u64::from(hex8(eight(0, 4))?) << 32) | u64::from(hex8(eight(9, 14))?);
        let low = (u64::from(hex8(eight(19, 24))?) << 32) | u64::from(hex8(eight(28, 32))?);
        Some([high, low])
    }

    fn unpack(packed: &[u64; 2]) -> Cow<'_, [u8]> {
        Cow::Owned(
            uuid::Uuid::from_u64_pair(packed[0], packed[1])
                .hyphenated()
                .to_string()
                .into_bytes(),
        )
    }

    #[inline]
    fn hash(packed: &[u64; 2], hasher: &foldhash::fast::RandomState) -> u64 {
        hasher.hash_one((u128::from(packed[0]) << 64) | u128::from(packed[1]))
    }
}

/// Banner visitor ids: 32 hex digits, a dot and a 32-digit MAC ([`super::Tokens`]).
#[derive(Debug)]
pub(super) struct TokenCodec;

impl Codec for TokenCodec {
    type Packed = [u8; 32];

    fn pack(id: &[u8]) -> Option<[u8; 32]> {
        if id.len() != 65 || id[32] != b'.' {
            return None;
        }
        let mut out = [0u8; 32];
        unhex(&id[..32], &mut out[..16])?;
        unhex(&id[33..], &mut out[16..])?;
        Some(out)
    }

    fn unpack(packed: &[u8; 32]) -> Cow<'_, [u8]> {
        let text = format!(
            "{}.{}",
            hex::encode(&packed[..16]),
            hex::encode(&packed[16..])
        );
        Cow::Owned(text.into_bytes())
    }

    fn hash(packed: &[u8; 32], hasher: &foldhash::fast::RandomState) -> u64 {
        hash32(packed, hasher)
    }
}

/// Blind indexes: 32 bytes.
#[derive(Debug)]
pub(super) struct DigestCodec;

impl Codec for DigestCodec {
    type Packed = [u8; 32];

    fn pack(id: &[u8]) -> Option<[u8; 32]> {
        id.try_into().ok()
    }

    fn unpack(packed: &[u8; 32]) -> Cow<'_, [u8]> {
        Cow::Borrowed(packed)
    }

    fn hash(packed: &[u8; 32], hasher: &foldhash::fast::RandomState) -> u64 {
        hash32(packed, hasher)
    }
}

/// Identifiers numbered 0, 1, 2… in the order first seen, each with a record `T`; a
/// number is never reused. Packed ids sit beside their records in one array, found
/// through a table of numbers; the other ids in a map.
#[derive(Debug)]
pub(super) struct IdTable<C: Codec, T> {
    /// By number; the packed id is the default value for an id kept in `others`.
    entries: Vec<(C::Packed, T)>,
    /// Numbers of packed ids, hashed by their packed bytes.
    table: HashTable<u32>,
    others: Map<Box<[u8]>, u32>,
    other_ids: Map<u32, Box<[u8]>>,
    hasher: foldhash::fast::RandomState,
}

impl<C: Codec, T> Default for IdTable<C, T> {
    fn default() -> Self {
        IdTable {
            entries: Vec::new(),
            table: HashTable::new(),
            others: Map::default(),
            other_ids: Map::default(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }
}

impl<C: Codec, T: Default> IdTable<C, T> {
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    #[inline]
    pub(super) fn get(&self, id: &[u8]) -> Option<u32> {
        match C::pack(id) {
            Some(p) => {
                let hash = C::hash(&p, &self.hasher);
                self.table
                    .find(hash, |&n| {
                        self.entries.get(n as usize).is_some_and(|(k, _)| *k == p)
                    })
                    .copied()
            }
            None => self.others.get(id).copied(),
        }
    }

    /// The record of an id.
    #[inline]
    pub(super) fn find(&self, id: &[u8]) -> Option<&T> {
        self.rec(self.get(id)?)
    }

    pub(super) fn rec(&self, n: u32) -> Option<&T> {
        self.entries.get(n as usize).map(|(_, t)| t)
    }

    pub(super) fn rec_mut(&mut self, n: u32) -> Option<&mut T> {
        self.entries.get_mut(n as usize).map(|(_, t)| t)
    }

    /// The id's number, given one (with a default record) if it has none; `None`
    /// only past 2³² − 1 ids.
    pub(super) fn intern(&mut self, id: &[u8]) -> Option<u32> {
        if let Some(n) = self.get(id) {
            return Some(n);
        }
        let n = u32::try_from(self.entries.len())
            .ok()
            .filter(|&n| n != NONE)?;
        match C::pack(id) {
            Some(p) => {
                let hash = C::hash(&p, &self.hasher);
                let (entries, hasher) = (&self.entries, &self.hasher);
                self.table.insert_unique(hash, n, |&m| {
                    C::hash(
                        &entries.get(m as usize).map(|e| e.0).unwrap_or_default(),
                        hasher,
                    )
                });
                self.entries.push((p, T::default()));
            }
            None => {
                self.others.insert(id.into(), n);
                self.other_ids.insert(n, id.into());
                self.entries.push((C::Packed::default(), T::default()));
            }
        }
        Some(n)
    }

    /// The id numbered `n` as it was given.
    pub(super) fn id(&self, n: u32) -> Cow<'_, [u8]> {
        if let Some(other) = self.other_ids.get(&n) {
            return Cow::Borrowed(other);
        }
        match self.entries.get(n as usize) {
            Some((p, _)) => C::unpack(p),
            None => Cow::Borrowed(&[]),
        }
    }

    /// Frees the room grown for ids that never came.
    pub(super) fn shrink(&mut self) {
        self.entries.shrink_to_fit();
        let (entries, hasher) = (&self.entries, &self.hasher);
        self.table.shrink_to_fit(|&m| {
            C::hash(
                &entries.get(m as usize).map(|e| e.0).unwrap_or_default(),
                hasher,
            )
        });
    }
}

/// Names (kinds, purposes, services, fingerprints) numbered in the order first seen.
#[derive(Debug, Default)]
pub(super) struct Interner {
    names: Vec<Box<str>>,
    ids: Map<Box<str>, u32>,
}

impl Interner {
    pub(super) fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// `None` only past 2³² − 1 names.
    pub(super) fn intern(&mut self, name: &str) -> Option<u32> {
        if let Some(id) = self.get(name) {
            return Some(id);
        }
        let id = u32::try_from(self.names.len())
            .ok()
            .filter(|&n| n != NONE)?;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        Some(id)
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    pub(super) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }
}

/// An instant to the nanosecond, in UTC: ordered as the instants are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Stamp {
    secs: i64,
    nanos: u32,
}

impl From<OffsetDateTime> for Stamp {
    fn from(t: OffsetDateTime) -> Stamp {
        // Whole seconds are floored, so the nanoseconds are always added.
        Stamp {
            secs: t.unix_timestamp(),
            nanos: t.nanosecond(),
        }
    }
}

impl Stamp {
    pub(super) fn time(self) -> OffsetDateTime {
        let nanos = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos);
        // Every stamp comes from a valid OffsetDateTime.
        OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

/// The latest choice about one purpose (or service), with names as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ChoiceRec {
    pub purpose: u32,
    pub service: Option<u32>,
    pub state: ChoiceState,
    pub at: Stamp,
    pub expires_at: Option<Stamp>,
    pub fingerprint: u32,
}

/// Keeps only the latest choice per (purpose, service); a later record wins a tie.
pub(super) fn remember(choices: &mut Vec<ChoiceRec>, choice: ChoiceRec) {
    match choices
        .iter_mut()
        .find(|c| c.purpose == choice.purpose && c.service == choice.service)
    {
        Some(existing) if existing.at <= choice.at => *existing = choice,
        Some(_) => {}
        None => choices.push(choice),
    }
}

/// A subject's (or a visitor's) lists, decoded to be changed and encoded again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Tail {
    pub choices: Vec<ChoiceRec>,
    /// Numbers of linked visitors, in link order.
    pub visitors: Vec<u32>,
    /// Numbers of the e-mail blind indexes.
    pub emails: Vec<u32>,
    pub created_at: Option<Stamp>,
    /// Category ids held, sorted.
    pub held: Vec<u16>,
    /// The latest time of each event.
    pub events: Vec<(u16, Stamp)>,
    /// When each held category leaves active use.
    pub ended: Vec<(u16, Stamp)>,
}

// The encoding: one byte saying which sections follow, then each present section (in
// the order held, ended, choices, visitors, e-mails, created, events) as a count and
// its items, every number a LEB128 varint (signed ones zigzagged).
const CHOICES: u8 = 1;
const VISITORS: u8 = 2;
const EMAILS: u8 = 4;
const CREATED: u8 = 8;
const HELD: u8 = 16;
const EVENTS: u8 = 32;
const ENDED: u8 = 64;

// A choice's flag byte: the state in the low two bits, then whether a service and an
// expiry follow.
const HAS_SERVICE: u64 = 4;
const HAS_EXPIRY: u64 = 8;

fn state_code(s: ChoiceState) -> u64 {
    match s {
        ChoiceState::Given => 0,
        ChoiceState::Refused => 1,
        ChoiceState::Withdrawn => 2,
        ChoiceState::Expired => 3,
    }
}

fn state_of(code: u64) -> ChoiceState {
    match code & 3 {
        0 => ChoiceState::Given,
        1 => ChoiceState::Refused,
        2 => ChoiceState::Withdrawn,
        _ => ChoiceState::Expired,
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn stamp(&mut self, s: Stamp) {
        self.u(((s.secs << 1) ^ (s.secs >> 63)) as u64);
        self.u(u64::from(s.nanos));
    }

    fn count(&mut self, n: usize) {
        self.u(n as u64);
    }

    fn stamps(&mut self, list: &[(u16, Stamp)]) {
        self.count(list.len());
        for &(id, at) in list {
            self.u(u64::from(id));
            self.stamp(at);
        }
    }
}

/// Reads what [`Writer`] wrote; past the end every number reads as 0.
#[derive(Clone)]
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn u(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            if shift < 64 {
                v |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        v
    }

    /// Passes over one number without assembling it.
    fn skip(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }

    fn skip_n(&mut self, n: usize) {
        for _ in 0..n {
            self.skip();
        }
    }

    fn skip_choice(&mut self) {
        self.skip();
        let flags = self.u();
        let fields =
            3 + usize::from(flags & HAS_SERVICE != 0) + 2 * usize::from(flags & HAS_EXPIRY != 0);
        for _ in 0..fields {
            self.skip();
        }
    }

    fn u32(&mut self) -> u32 {
        u32::try_from(self.u()).unwrap_or(NONE)
    }

    fn u16(&mut self) -> u16 {
        u16::try_from(self.u()).unwrap_or(u16::MAX)
    }

    fn stamp(&mut self) -> Stamp {
        let z = self.u();
        let secs = ((z >> 1) as i64) ^ -((z & 1) as i64);
        Stamp {
            secs,
            nanos: self.u32(),
        }
    }

    fn choice(&mut self) -> ChoiceRec {
        let purpose = self.u32();
        let flags = self.u();
        let service = (flags & HAS_SERVICE != 0).then(|| self.u32());
        let at = self.stamp();
        let expires_at = (flags & HAS_EXPIRY != 0).then(|| self.stamp());
        ChoiceRec {
            purpose,
            service,
            state: state_of(flags),
            at,
            expires_at,
            fingerprint: self.u32(),
        }
    }

    /// A section's count, if `mask` says it is there.
    fn count(&mut self, mask: u8, section: u8) -> usize {
        if mask & section == 0 {
            0
        } else {
            usize::try_from(self.u()).unwrap_or(0)
        }
    }
}

impl Tail {
    /// Empty lists take no allocation at all.
    pub(super) fn encode(&self) -> Box<[u8]> {
        let mut mask = 0u8;
        for (present, bit) in [
            (!self.choices.is_empty(), CHOICES),
            (!self.visitors.is_empty(), VISITORS),
            (!self.emails.is_empty(), EMAILS),
            (self.created_at.is_some(), CREATED),
            (!self.held.is_empty(), HELD),
            (!self.events.is_empty(), EVENTS),
            (!self.ended.is_empty(), ENDED),
        ] {
            if present {
                mask |= bit;
            }
        }
        if mask == 0 {
            return Box::default();
        }
        let mut w = Writer(Vec::with_capacity(64));
        w.0.push(mask);
        // What decisions read comes first, so that they stop reading early.
        if !self.held.is_empty() {
            w.count(self.held.len());
            for &c in &self.held {
                w.u(u64::from(c));
            }
        }
        if !self.ended.is_empty() {
            w.stamps(&self.ended);
        }
        if !self.choices.is_empty() {
            w.count(self.choices.len());
            for c in &self.choices {
                w.u(u64::from(c.purpose));
                let mut flags = state_code(c.state);
                if c.service.is_some() {
                    flags |= HAS_SERVICE;
                }
                if c.expires_at.is_some() {
                    flags |= HAS_EXPIRY;
                }
                w.u(flags);
                if let Some(s) = c.service {
                    w.u(u64::from(s));
                }
                w.stamp(c.at);
                if let Some(e) = c.expires_at {
                    w.stamp(e);
                }
                w.u(u64::from(c.fingerprint));
            }
        }
        for list in [&self.visitors, &self.emails] {
            if !list.is_empty() {
                w.count(list.len());
                for &n in list {
                    w.u(u64::from(n));
                }
            }
        }
        if let Some(at) = self.created_at {
            w.stamp(at);
        }
        if !self.events.is_empty() {
            w.stamps(&self.events);
        }
        w.0.into_boxed_slice()
    }

    pub(super) fn decode(bytes: &[u8]) -> Tail {
        let v = View::full(bytes);
        Tail {
            choices: v.choices().collect(),
            visitors: v.visitors().collect(),
            emails: v.emails().collect(),
            created_at: v.created_at(),
            held: v.held().collect(),
            events: v.events().collect(),
            ended: v.ended().collect(),
        }
    }
}

/// Where each section of an encoded [`Tail`] starts, so decisions read what they need
/// in place. [`View::new`] stops after the visitors; [`View::full`] finds them all.
pub(super) struct View<'a> {
    bytes: &'a [u8],
    /// (start, count) of held, ended, choices, visitors, e-mails, events.
    sections: [(u32, u32); 6],
    /// Where the creation instant starts, if there is one.
    created: Option<u32>,
}

const HELD_AT: usize = 0;
const ENDED_AT: usize = 1;
const CHOICES_AT: usize = 2;
const VISITORS_AT: usize = 3;
const EMAILS_AT: usize = 4;
const EVENTS_AT: usize = 5;

impl<'a> View<'a> {
    /// Held, ended, choices and visitors: what a decision reads.
    pub(super) fn new(bytes: &'a [u8]) -> View<'a> {
        View::scan(bytes, false)
    }

    pub(super) fn full(bytes: &'a [u8]) -> View<'a> {
        View::scan(bytes, true)
    }

    fn scan(bytes: &'a [u8], full: bool) -> View<'a> {
        let mut view = View {
            bytes,
            sections: [(0, 0); 6],
            created: None,
        };
        let Some(&mask) = bytes.first() else {
            return view;
        };
        let mut r = Reader { bytes, pos: 1 };
        // Each section: where it starts and its count, then its numbers are passed
        // over (a tail is far shorter than 4 GiB: positions and counts fit in u32).
        let mut start = |r: &mut Reader<'_>, i: usize, bit: u8| {
            let n = r.count(mask, bit);
            view.sections[i] = (r.pos as u32, n as u32);
            n
        };
        let n = start(&mut r, HELD_AT, HELD);
        r.skip_n(n);
        let n = start(&mut r, ENDED_AT, ENDED);
        r.skip_n(3 * n);
        for _ in 0..start(&mut r, CHOICES_AT, CHOICES) {
            r.skip_choice();
        }
        let n = start(&mut r, VISITORS_AT, VISITORS);
        if full {
            r.skip_n(n);
            let n = start(&mut r, EMAILS_AT, EMAILS);
            r.skip_n(n);
            let created = (mask & CREATED != 0).then_some(r.pos as u32);
            r.skip_n(2 * usize::from(created.is_some()));
            start(&mut r, EVENTS_AT, EVENTS);
            view.created = created;
        }
        view
    }

    /// Only from [`View::full`].
    pub(super) fn created_at(&self) -> Option<Stamp> {
        let pos = self.created? as usize;
        Some(
            Reader {
                bytes: self.bytes,
                pos,
            }
            .stamp(),
        )
    }

    fn items<T>(
        &self,
        i: usize,
        read: fn(&mut Reader<'a>) -> T,
    ) -> impl Iterator<Item = T> + use<'a, T> {
        let (pos, n) = self.sections[i];
        let mut r = Reader {
            bytes: self.bytes,
            pos: pos as usize,
        };
        (0..n).map(move |_| read(&mut r))
    }

    pub(super) fn choices(&self) -> impl Iterator<Item = ChoiceRec> + use<'a> {
        self.items(CHOICES_AT, Reader::choice)
    }

    pub(super) fn visitors(&self) -> impl Iterator<Item = u32> + use<'a> {
        self.items(VISITORS_AT, Reader::u32)
    }

    /// Only from [`View::full`].
    pub(super) fn emails(&self) -> impl Iterator<Item = u32> + use<'a> {
        self.items(EMAILS_AT, Reader::u32)
    }

    pub(super) fn held(&self) -> impl Iterator<Item = u16> + use<'a> {
        self.items(HELD_AT, Reader::u16)
    }

    /// Only from [`View::full`].
    pub(super) fn events(&self) -> impl Iterator<Item = (u16, Stamp)> + use<'a> {
        self.items(EVENTS_AT, |r| (r.u16(), r.stamp()))
    }

    pub(super) fn ended(&self) -> impl Iterator<Item = (u16, Stamp)> + use<'a> {
        self.items(ENDED_AT, |r| (r.u16(), r.stamp()))
    }

    /// Whether every category of `purpose` the subject holds (at least one) has left
    /// active use at `now`: archived, or past its retention.
    pub(super) fn ended_for(&self, purpose: &[u16], now: Stamp) -> bool {
        let mut used = false;
        for &c in purpose {
            if !self.held().any(|h| h == c) {
                continue;
            }
            used = true;
            if !self.ended().any(|(e, at)| e == c && at <= now) {
                return false;
            }
        }
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn minted_ids_are_packed_and_any_other_id_is_kept_as_given() {
        let mut ids = IdTable::<UuidCodec, ()>::default();
        let minted = uuid::Uuid::now_v7().to_string();
        let others = [
            minted.to_uppercase(),
            minted.replace('-', ""),
            "customer-42".to_owned(),
            format!("{minted} "),
            format!("{}0{}", &minted[..23], &minted[24..]),
            format!("{}g", &minted[..35]),
            String::new(),
            "é".repeat(18),
        ];
        let n = ids.intern(minted.as_bytes()).unwrap();
        assert_eq!(ids.others.len(), 0, "a minted id is packed");
        for (i, other) in others.iter().enumerate() {
            assert_eq!(ids.intern(other.as_bytes()), Some(n + 1 + i as u32));
        }
        assert_eq!(ids.others.len(), others.len());
        assert_eq!(ids.intern(minted.as_bytes()), Some(n), "numbers are stable");
        assert_eq!(ids.id(n).as_ref(), minted.as_bytes());
        for other in &others {
            let m = ids.get(other.as_bytes()).unwrap();
            assert_ne!(m, n);
            assert_eq!(ids.id(m).as_ref(), other.as_bytes());
        }
        assert_eq!(ids.get(uuid::Uuid::nil().to_string().as_bytes()), None);
        assert_eq!(ids.get(b"unknown"), None);
        assert_eq!(ids.id(999).as_ref(), b"");
    }

    #[test]
    fn a_uuid_packs_only_when_unpacking_gives_back_the_same_text() {
        for _ in 0..50 {
            let minted = uuid::Uuid::new_v4().to_string();
            let packed = UuidCodec::pack(minted.as_bytes()).unwrap();
            let (high, low) = uuid::Uuid::parse_str(&minted).unwrap().as_u64_pair();
            assert_eq!(packed, [high, low]);
            assert_eq!(UuidCodec::unpack(&packed).as_ref(), minted.as_bytes());
        }
        let minted = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        for at in 0..minted.len() {
            for byte in 0..=255u8 {
                let mut changed = minted.as_bytes().to_vec();
                changed[at] = byte;
                if let Some(p) = UuidCodec::pack(&changed) {
                    assert_eq!(UuidCodec::unpack(&p).as_ref(), &changed[..], "{at} {byte}");
                }
            }
        }
        assert_eq!(
            UuidCodec::pack(b"00000000-0000-0000-0000-000000000000"),
            Some([0, 0])
        );
        assert_eq!(
            UuidCodec::pack(b"ffffffff-ffff-ffff-ffff-ffffffffffff"),
            Some([u64::MAX; 2])
        );
    }

    #[test]
    fn many_ids_keep_their_numbers_as_the_table_grows_and_shrinks() {
        let mut ids = IdTable::<UuidCodec, ()>::default();
        let all: Vec<String> = (0..5_000)
            .map(|i| format!("0193a1b2-0000-7000-8000-{i:012x}"))
            .collect();
        for (i, id) in all.iter().enumerate() {
            assert_eq!(ids.intern(id.as_bytes()), Some(i as u32));
        }
        ids.shrink();
        for (i, id) in all.iter().enumerate() {
            assert_eq!(ids.get(id.as_bytes()), Some(i as u32));
            assert_eq!(ids.id(i as u32).as_ref(), id.as_bytes());
        }
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn visitor_tokens_and_digests_pack_only_in_their_own_form() {
        let token = format!("{}.{}", "ab".repeat(16), "0f".repeat(16));
        let packed = TokenCodec::pack(token.as_bytes()).unwrap();
        assert_eq!(TokenCodec::unpack(&packed).as_ref(), token.as_bytes());
        assert_eq!(TokenCodec::pack(token.to_uppercase().as_bytes()), None);
        assert_eq!(TokenCodec::pack(token.replace('.', "-").as_bytes()), None);
        assert_eq!(TokenCodec::pack(&token.as_bytes()[1..]), None);
        let mut visitors = IdTable::<TokenCodec, ()>::default();
        let v = visitors.intern(token.as_bytes()).unwrap();
        let w = visitors.intern(b"v-1").unwrap();
        assert_eq!(
            (visitors.id(v).as_ref(), visitors.id(w).as_ref()),
            (token.as_bytes(), &b"v-1"[..])
        );
        let mut digests = IdTable::<DigestCodec, ()>::default();
        let d = digests.intern(&[7; 32]).unwrap();
        let short = digests.intern(&[7; 16]).unwrap();
        assert_ne!(d, short);
        assert_eq!(digests.id(d).as_ref(), &[7; 32]);
        assert_eq!(digests.id(short).as_ref(), &[7; 16]);
    }

    #[test]
    fn names_are_numbered_once() {
        let mut names = Interner::default();
        assert_eq!(names.intern("newsletter"), Some(0));
        assert_eq!(names.intern("analytics"), Some(1));
        assert_eq!(names.intern("newsletter"), Some(0));
        assert_eq!(names.get("analytics"), Some(1));
        assert_eq!(names.get("ads"), None);
        assert_eq!(names.name(1), "analytics");
        assert_eq!(names.name(7), "");
    }

    #[test]
    fn stamps_keep_the_instant_to_the_nanosecond_and_its_order() {
        let times = [
            datetime!(1969-12-31 23:59:59.999_999_999 UTC),
            datetime!(1970-01-01 00:00 UTC),
            datetime!(2026-11-01 12:00:00.000_000_001 UTC),
            datetime!(2026-11-01 12:00:00.5 UTC),
            datetime!(2026-11-01 14:00:00.5 +02:00),
            datetime!(-9999-01-01 00:00 UTC),
            datetime!(9999-12-31 23:59:59.999_999_999 UTC),
        ];
        for a in times {
            let s = Stamp::from(a);
            assert_eq!(s.time(), a);
            let mut tail = Tail {
                created_at: Some(s),
                ..Tail::default()
            };
            tail.events.push((1, s));
            assert_eq!(Tail::decode(&tail.encode()), tail);
            for b in times {
                assert_eq!(Stamp::from(a).cmp(&Stamp::from(b)), a.cmp(&b));
            }
        }
    }

    fn rec(purpose: u32, service: Option<u32>, state: ChoiceState, secs: i64) -> ChoiceRec {
        ChoiceRec {
            purpose,
            service,
            state,
            at: Stamp { secs, nanos: 0 },
            expires_at: None,
            fingerprint: 0,
        }
    }

    #[test]
    fn a_later_record_wins_a_tie_and_an_older_one_arriving_late_is_ignored() {
        let mut choices = Vec::new();
        remember(&mut choices, rec(0, None, ChoiceState::Given, 10));
        remember(&mut choices, rec(0, Some(1), ChoiceState::Refused, 10));
        remember(&mut choices, rec(0, None, ChoiceState::Withdrawn, 10));
        remember(&mut choices, rec(0, None, ChoiceState::Given, 9));
        assert_eq!(
            choices,
            [
                rec(0, None, ChoiceState::Withdrawn, 10),
                rec(0, Some(1), ChoiceState::Refused, 10)
            ]
        );
    }

    #[test]
    fn a_tail_decodes_to_what_was_encoded_and_an_empty_one_takes_no_room() {
        assert!(Tail::default().encode().is_empty());
        assert_eq!(Tail::decode(&[]), Tail::default());
        let at = Stamp::from(datetime!(2026-11-01 12:00:00.25 UTC));
        let tail = Tail {
            choices: vec![
                ChoiceRec {
                    expires_at: Some(at),
                    fingerprint: 70_000,
                    ..rec(3, Some(300), ChoiceState::Expired, -5)
                },
                rec(0, None, ChoiceState::Given, 1_800_000_000),
            ],
            visitors: vec![0, 1 << 31],
            emails: vec![NONE - 1],
            created_at: None,
            held: vec![1, 2, u16::MAX],
            events: vec![(4, at)],
            ended: vec![(1, at), (2, at)],
        };
        let bytes = tail.encode();
        assert_eq!(Tail::decode(&bytes), tail);
        let only = Tail {
            emails: vec![5],
            ..Tail::default()
        };
        assert_eq!(only.encode().as_ref(), &[EMAILS, 1, 5]);
        assert_eq!(Tail::decode(&only.encode()), only);
    }

    #[test]
    fn retention_ends_for_a_purpose_when_every_category_it_holds_has_ended() {
        let at = |secs| Stamp { secs, nanos: 0 };
        let tail = Tail {
            held: vec![1, 2],
            ended: vec![(1, at(10)), (2, at(20))],
            ..Tail::default()
        };
        let bytes = tail.encode();
        let view = View::new(&bytes);
        assert!(!view.ended_for(&[1, 2], at(15)));
        assert!(view.ended_for(&[1, 2], at(20)));
        assert!(
            view.ended_for(&[1, 3], at(10)),
            "a category not held is ignored"
        );
        assert!(!view.ended_for(&[3], at(30)), "no category held: not ended");
    }
}
