//! `rights URL DPO_KEY SMTP_PORT ROUNDS`: times access requests end to end.
//!
//! Listens as an SMTP server on 127.0.0.1:SMTP_PORT (the server under test must send
//! its mail there, with `security = "none"`), then, ROUNDS times, one after another:
//! creates a customer with a fresh address (not timed), submits an access request
//! for it (POST /v1/requests), reads the code from the letter that arrives, enters
//! it (POST /v1/requests/{id}/verify), completes the request as the DPO and waits for
//! the letter carrying the download links. Prints, per round and as medians, the time
//! from submission to the code letter, and from submission to the package letter.
//!
//! Each round sends `X-Forwarded-For` with an address of its own, so the per-address
//! limits of the public endpoints do not throttle the run: start the server with
//! `trusted_proxies = ["127.0.0.1/32"]`. `bench/rights.sh` does all of that.
//!
//! The SMTP side answers every command in one write, as common servers do, so that
//! what is measured is the sender's behaviour.

use anyhow::{Context, bail};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A message the SMTP side accepted: its recipients and body (after the headers).
struct Received {
    recipients: Vec<String>,
    body: String,
}

fn smtp_session(stream: TcpStream, sink: &mpsc::Sender<Received>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    out.write_all(b"220 bench ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-bench\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "MAIL" => {
                recipients.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let address = line
                    .split(['<', '>'])
                    .nth(1)
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                recipients.push(address);
                b"250 OK\r\n"
            }
            "DATA" => {
                out.write_all(b"354 go ahead\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let body = data
                    .split_once("\r\n\r\n")
                    .map(|(_, b)| b.to_owned())
                    .unwrap_or_default();
                let received = Received {
                    recipients: std::mem::take(&mut recipients),
                    body,
                };
                if sink.send(received).is_err() {
                    return Ok(());
                }
                b"250 queued\r\n"
            }
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => b"250 OK\r\n",
        };
        out.write_all(reply)?;
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// The next message to `to` whose body contains `needle`, skipping others.
fn wait_for(inbox: &mpsc::Receiver<Received>, to: &str, needle: &str) -> anyhow::Result<String> {
    loop {
        let m = inbox
            .recv_timeout(Duration::from_secs(30))
            .with_context(|| format!("no letter to {to} containing {needle:?} within 30 s"))?;
        if m.recipients.iter().any(|r| r == to) && m.body.contains(needle) {
            return Ok(m.body);
        }
    }
}

fn post(
    agent: &ureq::Agent,
    url: &str,
    key: Option<&str>,
    client: &str,
    body: serde_json::Value,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let mut request = agent.post(url).header("x-forwarded-for", client);
    if let Some(key) = key {
        request = request.header("authorization", &format!("Bearer {key}"));
    }
    let mut r = request.send_json(&body)?;
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Ok((status, serde_json::from_str(&text).unwrap_or_default()))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, key, smtp_port, rounds] = args.as_slice() else {
        bail!("usage: rights URL DPO_KEY SMTP_PORT ROUNDS");
    };
    let base = base.trim_end_matches('/');
    let rounds: usize = rounds.parse().context("ROUNDS")?;
    let listener = TcpListener::bind(("127.0.0.1", smtp_port.parse::<u16>().context("SMTP_PORT")?))
        .context("binding the SMTP port")?;
    let (sink, inbox) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let sink = sink.clone();
            std::thread::spawn(move || smtp_session(stream, &sink));
        }
    });

    let agent = agent();
    let run = std::process::id();
    let (mut to_code, mut to_package) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        let email = format!("e2e-{run}-{i}@bench.example");
        let client = format!("10.{}.{}.1", (i / 250) % 250, i % 250);
        let (status, _) = post(
            &agent,
            &format!("{base}/v1/subjects"),
            Some(key),
            &client,
            serde_json::json!({"kind": "customer", "data": {"user.contact.email": email}}),
        )?;
        if status != 201 {
            bail!("creating a subject answered {status}");
        }

        let start = Instant::now();
        let (status, request) = post(
            &agent,
            &format!("{base}/v1/requests"),
            None,
            &client,
            serde_json::json!({"kind": "access", "email": email}),
        )?;
        if status != 202 {
            bail!("submitting answered {status}");
        }
        let id = request["id"].as_str().unwrap_or_default().to_owned();
        let letter = wait_for(&inbox, &email, "")?;
        let code_at = start.elapsed();
        let code: String = letter
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .context("no six-digit code in the first letter")?
            .to_owned();
        let (status, _) = post(
            &agent,
            &format!("{base}/v1/requests/{id}/verify"),
            None,
            &client,
            serde_json::json!({"code": code}),
        )?;
        if status != 204 {
            bail!("verifying answered {status}");
        }
        let (status, _) = post(
            &agent,
            &format!("{base}/v1/requests/{id}/steps"),
            Some(key),
            &client,
            serde_json::json!({"action": "complete"}),
        )?;
        if status != 204 {
            bail!("completing answered {status}");
        }
        wait_for(&inbox, &email, "/download/")?;
        let package_at = start.elapsed();
        println!(
            "round {i}: code letter {:.1} ms, package letter {:.1} ms",
            code_at.as_secs_f64() * 1e3,
            package_at.as_secs_f64() * 1e3
        );
        to_code.push(code_at);
        to_package.push(package_at);
    }
    if rounds > 0 {
        println!(
            "median over {rounds}: submission to code letter {:.1} ms, to package letter {:.1} ms",
            median(to_code).as_secs_f64() * 1e3,
            median(to_package).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
