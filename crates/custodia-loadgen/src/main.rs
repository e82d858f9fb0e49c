//! `custodia-loadgen URL API_KEY SCENARIO CLIENTS SECONDS`
//!
//! Runs CLIENTS threads, each with its own keep-alive connection, for SECONDS
//! against a running server, and prints throughput and latency percentiles.
//! Scenarios: `create` (POST /v1/subjects with a unique e-mail each), `lookup`
//! (GET /v1/subjects?email=... over subjects created first), `read`
//! (GET /v1/subjects/{id}). A thread per client keeps the generator simple; it
//! shares the machine's cores with the server, which BENCHMARKS.md says.
//!
//! `custodia-loadgen URL API_KEY grow CLIENTS SUBJECTS [REQUESTS]` grows a realistic
//! installation through the API, on whichever store the server runs: SUBJECTS
//! customers findable by e-mail (`grow-{RUN}-{i}@bench.example`, RUN from the
//! environment, default the process id), each with a last-contact event and a
//! newsletter consent, and REQUESTS access requests (default none) through the public
//! intake, each from its own client address in X-Forwarded-For (start the server
//! with `trusted_proxies = ["127.0.0.1/32"]`). Prints what it wrote and how fast.

use anyhow::{Context, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn create(agent: &ureq::Agent, base: &str, key: &str, email: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({
        "kind": "customer",
        "data": {"user.contact.email": email, "user.name.first": "Loadgen", "user.name.last": "Client"}
    });
    let mut r = agent
        .post(&format!("{base}/v1/subjects"))
        .header("authorization", &format!("Bearer {key}"))
        .send_json(&body)?;
    if r.status() != 201 {
        bail!("create answered {}", r.status());
    }
    let v: serde_json::Value = r.body_mut().read_json()?;
    Ok(v["id"].as_str().unwrap_or_default().to_owned())
}

/// POSTs `body` to `path` as JSON; fails unless the answer is `expected`.
fn post(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
    expected: u16,
) -> anyhow::Result<()> {
    let mut request = agent.post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut r = request.send_json(body)?;
    if r.status() != expected {
        bail!("{url} answered {}", r.status());
    }
    r.body_mut().read_to_vec()?;
    Ok(())
}

/// One grown customer: created, an event, a consent; and a request when `request`.
fn grow_one(
    agent: &ureq::Agent,
    base: &str,
    key: &str,
    email: &str,
    request_from: Option<std::net::Ipv4Addr>,
) -> anyhow::Result<()> {
    let id = create(agent, base, key, email)?;
    let auth = format!("Bearer {key}");
    let staff = [("authorization", auth.as_str())];
    post(
        agent,
        &format!("{base}/v1/subjects/{id}/events"),
        &staff,
        &serde_json::json!({"event": "last_contact"}),
        204,
    )?;
    post(
        agent,
        &format!("{base}/v1/consents"),
        &staff,
        &serde_json::json!({"subject_id": id, "purpose": "newsletter", "state": "given", "method": "api"}),
        201,
    )?;
    if let Some(address) = request_from {
        post(
            agent,
            &format!("{base}/v1/requests"),
            &[("x-forwarded-for", address.to_string().as_str())],
            &serde_json::json!({"kind": "access", "email": email}),
            202,
        )?;
    }
    Ok(())
}

fn grow(
    base: &str,
    key: &str,
    clients: usize,
    subjects: usize,
    requests: usize,
) -> anyhow::Result<()> {
    let run = std::env::var("RUN").unwrap_or_else(|_| std::process::id().to_string());
    // Every `every`-th subject files a request (spread over the whole run).
    let every = subjects
        .checked_div(requests)
        .map_or(usize::MAX, |n| n.max(1));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let (base, key, run) = (base.to_owned(), key.to_owned(), run.clone());
            std::thread::spawn(move || -> anyhow::Result<usize> {
                let a = agent();
                let mut filed = 0;
                for i in (client..subjects).step_by(clients) {
                    let email = format!("grow-{run}-{i}@bench.example");
                    let files = i % every == 0 && i / every < requests;
                    // 10.0.0.0/8 gives each request an address of its own.
                    let from = files
                        .then(|| std::net::Ipv4Addr::from(0x0a00_0000 | (i as u32 & 0x00ff_ffff)));
                    grow_one(&a, &base, &key, &email, from)
                        .with_context(|| format!("subject {i}"))?;
                    filed += usize::from(files);
                }
                Ok(filed)
            })
        })
        .collect();
    let mut filed = 0;
    for h in handles {
        filed += h
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))??;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "grow clients={clients} subjects={subjects} requests={filed} seconds={seconds:.1} subjects_per_second={:.0} run={run}",
        subjects as f64 / seconds
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, base, key, scenario, clients, subjects, rest @ ..] = args.as_slice()
        && scenario == "grow"
        && rest.len() <= 1
    {
        let requests = rest
            .first()
            .map_or(Ok(0), |r| r.parse())
            .context("REQUESTS")?;
        return grow(
            base.trim_end_matches('/'),
            key,
            clients.parse().context("CLIENTS")?,
            subjects.parse().context("SUBJECTS")?,
            requests,
        );
    }
    let [_, base, key, scenario, clients, seconds] = args.as_slice() else {
        bail!(
            "usage: custodia-loadgen URL API_KEY create|lookup|read CLIENTS SECONDS\n   \
             or: custodia-loadgen URL API_KEY grow CLIENTS SUBJECTS [REQUESTS]"
        );
    };
    let clients: usize = clients.parse().context("CLIENTS")?;
    let duration = Duration::from_secs(seconds.parse().context("SECONDS")?);
    let base = base.trim_end_matches('/').to_owned();
    let run_id = std::process::id();

    // Subjects to look up or read, created before the clock starts.
    let mut population = Vec::new();
    if scenario != "create" {
        let a = agent();
        for i in 0..2000 {
            let email = format!("lookup-{run_id}-{i}@bench.example");
            population.push((email.clone(), create(&a, &base, key, &email)?));
        }
    }
    let population = Arc::new(population);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut handles = Vec::new();
    for client in 0..clients {
        let (base, key, scenario) = (base.clone(), key.clone(), scenario.clone());
        let (stop, population) = (Arc::clone(&stop), Arc::clone(&population));
        handles.push(std::thread::spawn(move || -> (Vec<u32>, usize) {
            let a = agent();
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut i: usize = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let t = Instant::now();
                let ok = match scenario.as_str() {
                    "create" => create(
                        &a,
                        &base,
                        &key,
                        &format!("c{client}-{i}-{run_id}@bench.example"),
                    )
                    .is_ok(),
                    "lookup" | "read" => {
                        let (email, id) =
                            &population[(i * 7919 + client * 104_729) % population.len()];
                        let url = if scenario == "lookup" {
                            format!("{base}/v1/subjects?email={email}")
                        } else {
                            format!("{base}/v1/subjects/{id}")
                        };
                        a.get(&url)
                            .header("authorization", &format!("Bearer {key}"))
                            .call()
                            .map(|mut r| r.status() == 200 && r.body_mut().read_to_vec().is_ok())
                            .unwrap_or(false)
                    }
                    _ => false,
                };
                let micros = u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX);
                if ok {
                    latencies.push(micros);
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    std::thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{scenario} clients={clients} requests={} errors={errors} seconds={elapsed:.1} rate={:.0}/s p50={}us p90={}us p99={}us",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.90),
        pct(0.99)
    );
    Ok(())
}
