//! `custodia-loadgen URL API_KEY SCENARIO CLIENTS SECONDS`
//!
//! Runs CLIENTS threads, each with its own keep-alive connection, for SECONDS
//! against a running server, and prints throughput and latency percentiles.
//! Scenarios: `create` (POST /v1/subjects with a unique e-mail each), `lookup`
//! (GET /v1/subjects?email=... over subjects created first), `read`
//! (GET /v1/subjects/{id}). A thread per client keeps the generator simple; it
//! shares the machine's cores with the server, which BENCHMARKS.md says.

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

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, key, scenario, clients, seconds] = args.as_slice() else {
        bail!("usage: custodia-loadgen URL API_KEY create|lookup|read CLIENTS SECONDS");
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
