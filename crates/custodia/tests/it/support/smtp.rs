//! A real SMTP server on 127.0.0.1 for tests: plain text, no TLS, no AUTH. It speaks
//! EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-unstuffed), RSET, NOOP and QUIT, keeps
//! every message it accepts, and can be told to refuse some.
//!
//! ```ignore
//! let smtp = SmtpServer::start().await;
//! let mailer = Mailer::new(&smtp.config()).unwrap();
//! // ... send ...
//! let message = smtp.wait_for("elodie@example.org", Duration::from_secs(10)).await;
//! assert_eq!(message.header("Subject").as_deref(), Some("Votre demande"));
//! assert_eq!(message.text(), "Bonjour");
//! ```

use custodia_notify::{Security, SmtpConfig};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The sender address of [`SmtpServer::config`].
pub const FROM: &str = "noreply@custodia.test";

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender (MAIL FROM), without angle brackets.
    pub from: String,
    /// The envelope recipients (RCPT TO), without angle brackets.
    pub recipients: Vec<String>,
    /// The message as received after dot-unstuffing: headers, blank line, body, with
    /// CRLF line ends (the last one being the CRLF before the final dot).
    pub data: Vec<u8>,
}

impl Received {
    fn split(&self) -> (&[u8], &[u8]) {
        match self.data.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(i) => (&self.data[..i + 2], &self.data[i + 4..]),
            None => (&self.data[..], &[]),
        }
    }

    /// Every header in order, unfolded, with RFC 2047 encoded words decoded.
    pub fn headers(&self) -> Vec<(String, String)> {
        let (head, _) = self.split();
        let head = String::from_utf8_lossy(head);
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n").filter(|l| !l.is_empty()) {
            if line.starts_with([' ', '\t']) {
                let (_, value) = headers.last_mut().expect("folded line after a header");
                value.push_str(line);
            } else {
                let (name, value) = line.split_once(':').expect("header line has a colon");
                headers.push((name.to_owned(), value.to_owned()));
            }
        }
        headers
            .into_iter()
            .map(|(name, value)| (name, decode_words(value.trim())))
            .collect()
    }

    /// The first header called `name` (any case), decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers()
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The body decoded from its transfer encoding (7bit, 8bit, quoted-printable,
    /// base64) as UTF-8, with `\n` line ends and the trailing ones removed: the SMTP
    /// end of data adds one.
    pub fn text(&self) -> String {
        let (_, body) = self.split();
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "quoted-printable" => decode_quoted_printable(body),
            "base64" => decode_base64(body),
            "" | "7bit" | "8bit" => body.to_vec(),
            other => panic!("unexpected Content-Transfer-Encoding {other}"),
        };
        String::from_utf8(bytes)
            .expect("body is UTF-8")
            .replace("\r\n", "\n")
            .trim_end_matches('\n')
            .to_owned()
    }
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`, UTF-8 assumed); the
/// whitespace between two adjacent encoded words is dropped (RFC 2047 §6.2), and
/// their bytes are joined before decoding, as a character may straddle two words.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if let Some((bytes, len)) = encoded_word(rest) {
            pending.extend(bytes);
            rest = &rest[len..];
            // Whitespace followed by another encoded word belongs to neither.
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if encoded_word(trimmed).is_some() {
                rest = trimmed;
            }
            continue;
        }
        if !pending.is_empty() {
            out.push_str(&String::from_utf8(std::mem::take(&mut pending)).expect("UTF-8 word"));
        }
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[first..].find("=?").map_or(rest.len(), |i| i + first);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    if !pending.is_empty() {
        out.push_str(&String::from_utf8(pending).expect("UTF-8 word"));
    }
    out
}

/// The decoded bytes of the encoded word at the start of `s`, and its length.
fn encoded_word(s: &str) -> Option<(Vec<u8>, usize)> {
    let inner = s.strip_prefix("=?")?;
    let (charset, after) = inner.split_once('?')?;
    let (encoding, after) = after.split_once('?')?;
    // The text may start with `=` (Q encoding), so look for `?=` only past this point.
    let (text, _) = after.split_once("?=")?;
    if charset.contains(char::is_whitespace) || text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => decode_base64(text.as_bytes()),
        "Q" | "q" => decode_quoted_printable(text.replace('_', " ").as_bytes()),
        _ => return None,
    };
    Some((
        bytes,
        2 + charset.len() + 1 + encoding.len() + 1 + text.len() + 2,
    ))
}

/// Quoted-printable (RFC 2045 §6.7): `=XX` bytes, `=` CRLF soft line breaks.
fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'=' if input[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if input[i + 1..].starts_with(b"\n") => i += 2,
            b'=' => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3]).expect("=XX");
                out.push(u8::from_str_radix(hex, 16).expect("=XX is hex"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn decode_base64(input: &[u8]) -> Vec<u8> {
    use base64ct::Encoding;
    let compact: Vec<u8> = input
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64ct::Base64::decode_vec(std::str::from_utf8(&compact).expect("base64 is ASCII"))
        .expect("valid base64")
}

#[derive(Default)]
struct Rules {
    /// Transactions still to refuse at RCPT TO, and with which code.
    fail_next: usize,
    fail_code: u16,
    /// Addresses always refused at RCPT TO.
    refused: Vec<(String, u16)>,
}

struct State {
    /// Each message, and whether `wait_for` already handed it out.
    messages: Mutex<Vec<(Received, bool)>>,
    count: watch::Sender<usize>,
    rules: Mutex<Rules>,
}

/// The server; stops accepting when dropped.
pub struct SmtpServer {
    pub addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl SmtpServer {
    /// Listens on 127.0.0.1 on a free port; runs on the calling Tokio runtime.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            messages: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            rules: Mutex::new(Rules::default()),
        });
        let accepting = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&accepting);
                tokio::spawn(async move {
                    // A client hanging up mid-session is not the fixture's failure.
                    let _ = session(stream, &state).await;
                });
            }
        });
        SmtpServer {
            addr,
            state,
            accept,
        }
    }

    /// A mailer configuration for this server: no TLS, no credentials, 10 s timeout.
    pub fn config(&self) -> SmtpConfig {
        let mut config = SmtpConfig::new(
            self.addr.ip().to_string(),
            format!("Custodia Tests <{FROM}>"),
        );
        config.security = Security::None;
        config.port = Some(self.addr.port());
        config.timeout_secs = 10;
        config
    }

    /// Answers `code` (e.g. 451 or 550) to RCPT TO in the next `n` transactions.
    pub fn fail_next(&self, n: usize, code: u16) {
        let mut rules = self.state.rules.lock().unwrap();
        rules.fail_next = n;
        rules.fail_code = code;
    }

    /// Always answers `code` to RCPT TO for `address`.
    pub fn refuse(&self, address: &str, code: u16) {
        let mut rules = self.state.rules.lock().unwrap();
        rules.refused.push((address.to_owned(), code));
    }

    /// Every message accepted so far.
    pub fn messages(&self) -> Vec<Received> {
        let messages = self.state.messages.lock().unwrap();
        messages.iter().map(|(m, _)| m.clone()).collect()
    }

    /// The next message to `address` that no earlier call returned; panics after
    /// `timeout`.
    pub async fn wait_for(&self, address: &str, timeout: Duration) -> Received {
        // Subscribed before looking, so a message arriving in between wakes us.
        let mut count = self.state.count.subscribe();
        let look = async {
            loop {
                {
                    let mut messages = self.state.messages.lock().unwrap();
                    let next = messages.iter_mut().find(|(m, taken)| {
                        !*taken && m.recipients.iter().any(|r| r.eq_ignore_ascii_case(address))
                    });
                    if let Some((message, taken)) = next {
                        *taken = true;
                        return message.clone();
                    }
                }
                count.changed().await.unwrap();
            }
        };
        tokio::time::timeout(timeout, look)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no message to {address} within {timeout:?}; received for: {:?}",
                    self.messages()
                        .iter()
                        .map(|m| m.recipients.clone())
                        .collect::<Vec<_>>()
                )
            })
    }
}

/// The address between angle brackets of `MAIL FROM:<a> PARAMS` / `RCPT TO:<a>`.
fn path(argument: &str) -> Option<String> {
    let start = argument.find('<')?;
    let end = argument[start..].find('>')? + start;
    Some(argument[start + 1..end].to_owned())
}

async fn session(stream: TcpStream, state: &State) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 custodia.test ESMTP test fixture\r\n")
        .await?;
    let mut from: Option<String> = None;
    let mut recipients: Vec<String> = Vec::new();
    // Whether this transaction was picked to fail (decided at its first RCPT).
    let mut failing: Option<u16> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, argument) = text.split_once([' ', ':']).unwrap_or((text, ""));
        let reply: String = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => "250-custodia.test\r\n250-8BITMIME\r\n250 SMTPUTF8".to_owned(),
            "HELO" => "250 custodia.test".to_owned(),
            "MAIL" => match path(argument) {
                Some(sender) => {
                    from = Some(sender);
                    recipients.clear();
                    failing = None;
                    "250 2.1.0 OK".to_owned()
                }
                None => "501 5.5.4 Syntax: MAIL FROM:<address>".to_owned(),
            },
            "RCPT" => match (&from, path(argument)) {
                (None, _) => "503 5.5.1 MAIL first".to_owned(),
                (Some(_), None) => "501 5.5.4 Syntax: RCPT TO:<address>".to_owned(),
                (Some(_), Some(recipient)) => {
                    let mut rules = state.rules.lock().unwrap();
                    if recipients.is_empty() && failing.is_none() && rules.fail_next > 0 {
                        rules.fail_next -= 1;
                        failing = Some(rules.fail_code);
                    }
                    let refused = rules
                        .refused
                        .iter()
                        .find(|(a, _)| a.eq_ignore_ascii_case(&recipient))
                        .map(|(_, code)| *code);
                    match failing.or(refused) {
                        Some(code) => format!("{code} refused by the test fixture"),
                        None => {
                            recipients.push(recipient);
                            "250 2.1.5 OK".to_owned()
                        }
                    }
                }
            },
            "DATA" if from.is_none() || recipients.is_empty() => {
                "503 5.5.1 no valid recipients".to_owned()
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let data = read_data(&mut reader).await?;
                let message = Received {
                    from: from.take().unwrap_or_default(),
                    recipients: std::mem::take(&mut recipients),
                    data,
                };
                let mut messages = state.messages.lock().unwrap();
                messages.push((message, false));
                state.count.send_replace(messages.len());
                "250 2.0.0 queued".to_owned()
            }
            "RSET" => {
                from = None;
                recipients.clear();
                failing = None;
                "250 2.0.0 OK".to_owned()
            }
            "NOOP" => "250 2.0.0 OK".to_owned(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 not implemented".to_owned(),
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

/// Lines up to the lone `.`, with one leading dot removed from the others
/// (RFC 5321 §4.5.2).
async fn read_data(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        data.extend_from_slice(unstuffed);
    }
}

#[test]
fn decoding_helpers() {
    assert_eq!(
        decode_words("=?utf-8?b?w4lsb2RpZQ==?= =?utf-8?q?_Dupr=C3=A9?= <e@x.org>"),
        "Élodie Dupré <e@x.org>"
    );
    // A character split across two words.
    assert_eq!(
        decode_words("=?utf-8?q?=C3?=\t=?utf-8?q?=A9t=C3=A9?="),
        "été"
    );
    assert_eq!(decode_words("plain = text ?= here"), "plain = text ?= here");
    assert_eq!(decode_words("Ééé =?x"), "Ééé =?x");
    assert_eq!(
        decode_quoted_printable(b"caf=C3=A9 =\r\nau lait"),
        "café au lait".as_bytes()
    );
    assert_eq!(decode_base64(b"w6l0\r\n w6k="), "été".as_bytes());
}
