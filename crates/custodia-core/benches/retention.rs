//! Retention planning: the steps of 100,000 synthetic saas.toml subjects (customers,
//! prospects and users with 6 to 12 categories and 3 to 5 lifecycle events), as a
//! retention sweep would plan them. Building the subjects is not timed.
//! Run: `cargo bench -p custodia-core --bench retention -- --warm-up-time 1 --measurement-time 5`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custodia_core::retention::{Hold, Holds, Planner, Step, SubjectFacts};
use custodia_register::BUILTIN_EVENTS;
use time::{Duration, OffsetDateTime, macros::datetime};

const SUBJECTS: usize = 100_000;
const BATCH: usize = 1_000;

struct Subject {
    id: String,
    kind: &'static str,
    created_at: OffsetDateTime,
    categories: Vec<String>,
    events: Vec<(String, OffsetDateTime)>,
    progress: Vec<(String, u32, OffsetDateTime)>,
}

/// splitmix64: reproducible subjects without a random-number crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn subjects(register: &custodia_register::Register) -> Vec<Subject> {
    let categories: Vec<&str> = register.categories.iter().map(|c| c.id.as_str()).collect();
    let kinds = ["customer", "prospect", "user"];
    let start = datetime!(2018-01-01 00:00 UTC);
    let mut rng = Rng(42);
    (0..SUBJECTS)
        .map(|i| {
            let created_at = start + Duration::minutes(rng.below(60 * 24 * 365 * 6) as i64);
            let mut held: Vec<String> = Vec::new();
            let wanted = 6 + rng.below(7);
            while held.len() < wanted.min(categories.len()) {
                let c = categories[rng.below(categories.len())];
                if !held.iter().any(|h| h == c) {
                    held.push(c.to_owned());
                }
            }
            held.sort();
            let mut events: Vec<(String, OffsetDateTime)> = Vec::new();
            let wanted = 3 + rng.below(3);
            while events.len() < wanted {
                let e = BUILTIN_EVENTS[rng.below(BUILTIN_EVENTS.len())];
                if !events.iter().any(|(n, _)| n == e) {
                    let at = created_at + Duration::minutes(rng.below(60 * 24 * 365 * 2) as i64);
                    events.push((e.to_owned(), at));
                }
            }
            let progress = if i % 10 == 0 {
                vec![(
                    "customers".to_owned(),
                    3,
                    created_at + Duration::days(3 * 366),
                )]
            } else {
                Vec::new()
            };
            Subject {
                id: format!("0193a1b2-0000-7000-8000-{i:012}"),
                kind: kinds[i % kinds.len()],
                created_at,
                categories: held,
                events,
                progress,
            }
        })
        .collect()
}

fn retention(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas.toml");
    let register = custodia_register::load(&path).unwrap();
    let planner = Planner::new(&register);
    let subjects = subjects(&register);
    let holds = Holds::new([Hold {
        subject_id: Some(subjects[7].id.clone()),
        rule_id: None,
    }]);
    let mut out: Vec<Step> = Vec::new();
    let mut planned = 0usize;
    for s in &subjects {
        let facts = facts(s);
        planner.steps(&s.id, &facts, &holds, &mut out);
        planned += out.len();
    }
    eprintln!("{SUBJECTS} subjects, {planned} steps planned");

    let mut group = c.benchmark_group("retention");
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut next = 0usize;
    group.bench_function("steps, batch of 1000 subjects", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for s in &subjects[next..next + BATCH] {
                planner.steps(&s.id, black_box(&facts(s)), &holds, &mut out);
                n += out.len();
            }
            next = (next + BATCH) % SUBJECTS;
            n
        })
    });
    group.finish();
}

fn facts(s: &Subject) -> SubjectFacts<'_> {
    SubjectFacts {
        kind: s.kind,
        created_at: s.created_at,
        categories: &s.categories,
        events: &s.events,
        progress: &s.progress,
    }
}

criterion_group!(benches, retention);
criterion_main!(benches);
