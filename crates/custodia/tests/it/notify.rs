//! custodia-notify against real servers on 127.0.0.1: the SMTP server and the webhook
//! receiver of `support`.

use crate::support::smtp::{FROM, SmtpServer};
use crate::support::webhook::WebhookReceiver;
use custodia_notify::{
    Cause, DeliveryError, Email, Mailer, SIGNATURE_HEADER, Security, Webhook, WebhookSender,
    verify_signature,
};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const NOW: i64 = 1_760_000_000;
const SECRET: &[u8] = b"whsec_5b2f0c1e9a7d4c3b";

fn email(to: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: "Votre demande".to_owned(),
        text: "Bonjour,\n".to_owned(),
        headers: vec![],
    }
}

/// A port nothing listens on (bound, then released).
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn email_with_utf8_subject_body_and_unsubscribe_headers_arrives_intact() {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::new(&smtp.config()).unwrap();
    let subject = "Votre demande d’accès a été reçue : réponse sous un mois (n° 42, « urgent »)";
    let text = "Bonjour Élodie,\n\n\
                Nous avons bien reçu votre demande d’accès à vos données, déposée le 3 février.\n\
                Vous recevrez une réponse complète au plus tard le 3 mars.\n\
                .Une ligne qui commence par un point reste intacte.\n\
                .\n\
                Cordialement,\n\
                — Le délégué à la protection des données\n";
    let unsubscribe =
        "<https://privacy.example.com/u/eyJzIjoiMDE5OGE0In0.c2lnbmF0dXJlLXZhbHVlLWhlcmU>";
    let message = Email {
        to: "Élodie Dupré <elodie@example.org>".to_owned(),
        subject: subject.to_owned(),
        text: text.to_owned(),
        headers: vec![
            ("List-Unsubscribe".to_owned(), unsubscribe.to_owned()),
            (
                "List-Unsubscribe-Post".to_owned(),
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ],
    };
    mailer.send(&message).await.unwrap();

    let got = smtp.wait_for("elodie@example.org", WAIT).await;
    assert_eq!(got.from, FROM);
    assert_eq!(got.recipients, ["elodie@example.org"]);
    assert!(got.data.is_ascii(), "7-bit transport encodings only");
    assert_eq!(got.header("Subject").as_deref(), Some(subject));
    assert_eq!(got.text(), text.trim_end());
    assert_eq!(got.header("List-Unsubscribe").as_deref(), Some(unsubscribe));
    assert_eq!(
        got.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let to = got.header("To").unwrap();
    assert!(
        to.contains("Élodie Dupré") && to.ends_with("<elodie@example.org>"),
        "{to}"
    );
    assert_eq!(
        got.header("From").as_deref(),
        Some("\"Custodia Tests\" <noreply@custodia.test>")
    );
    assert_eq!(
        got.header("Content-Type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
    let id = got.header("Message-ID").unwrap();
    assert!(
        id.starts_with('<') && id.ends_with("@custodia.test>"),
        "{id}"
    );
    assert!(got.header("Date").is_some());
}

#[tokio::test]
async fn mostly_non_latin_text_is_sent_in_base64_and_arrives_intact() {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::new(&smtp.config()).unwrap();
    let mut message = email("nikos@example.gr");
    message.subject = "Το αίτημά σας ελήφθη".to_owned();
    message.text =
        "Αγαπητέ κύριε Παπαδόπουλε,\nλάβαμε το αίτημά σας για πρόσβαση στα δεδομένα σας.\n\
                    ご依頼を受け付けました。一か月以内に回答いたします。\n"
            .to_owned();
    mailer.send(&message).await.unwrap();

    let got = smtp.wait_for("nikos@example.gr", WAIT).await;
    assert_eq!(
        got.header("Content-Transfer-Encoding").as_deref(),
        Some("base64")
    );
    assert_eq!(
        got.header("Subject").as_deref(),
        Some("Το αίτημά σας ελήφθη")
    );
    assert_eq!(got.text(), message.text.trim_end());
}

#[tokio::test]
async fn smtp_4xx_is_transient_5xx_permanent_and_neither_names_the_recipient() {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::new(&smtp.config()).unwrap();

    // Greylisting: refused once, accepted on the retry.
    smtp.fail_next(1, 451);
    let err = mailer
        .send(&email("greylisted@example.org"))
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::SmtpReply(451)));
    assert!(!err.to_string().contains("greylisted"), "{err}");
    mailer.send(&email("greylisted@example.org")).await.unwrap();
    let got = smtp.wait_for("greylisted@example.org", WAIT).await;
    assert_eq!(got.text(), "Bonjour,");

    smtp.refuse("gone@example.org", 550);
    let err = mailer.send(&email("gone@example.org")).await.unwrap_err();
    assert_eq!(err, DeliveryError::Permanent(Cause::SmtpReply(550)));
    assert!(
        err.is_permanent() && !err.to_string().contains("gone"),
        "{err}"
    );

    // Bad credentials are ours to fix: retried, not dropped.
    smtp.fail_next(1, 535);
    let err = mailer
        .send(&email("someone@example.org"))
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::SmtpReply(535)));

    // The server kept going through every failed session.
    mailer.send(&email("after@example.org")).await.unwrap();
    smtp.wait_for("after@example.org", WAIT).await;
    let recipients: Vec<Vec<String>> = smtp.messages().into_iter().map(|m| m.recipients).collect();
    assert_eq!(
        recipients,
        [["greylisted@example.org"], ["after@example.org"]]
    );
}

#[tokio::test]
async fn smtp_server_down_is_transient() {
    let smtp = SmtpServer::start().await;
    let mut config = smtp.config();
    config.port = Some(closed_port().await);
    let err = Mailer::new(&config)
        .unwrap()
        .send(&email("elodie@example.org"))
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::Connection));
}

#[tokio::test]
async fn starttls_is_required_when_configured_and_nothing_goes_out_without_it() {
    // The test server offers no STARTTLS: the message may not be sent in clear.
    let smtp = SmtpServer::start().await;
    let mut config = smtp.config();
    config.security = Security::StartTls;
    let err = Mailer::new(&config)
        .unwrap()
        .send(&email("elodie@example.org"))
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::SmtpClient));
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_to_a_plain_server_fails_without_sending() {
    let smtp = SmtpServer::start().await;
    let mut config = smtp.config();
    config.security = Security::Tls;
    let err = Mailer::new(&config)
        .unwrap()
        .send(&email("elodie@example.org"))
        .await
        .unwrap_err();
    assert!(matches!(err, DeliveryError::Transient(_)), "{err:?}");
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    // Accepts connections and keeps them open without a greeting.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let smtp = SmtpServer::start().await;
    let mut config = smtp.config();
    config.port = Some(port);
    config.timeout_secs = 1;
    let sent = tokio::time::timeout(
        Duration::from_secs(10),
        Mailer::new(&config)
            .unwrap()
            .send(&email("elodie@example.org")),
    )
    .await
    .expect("the mailer's own time-out ends the session");
    assert_eq!(sent, Err(DeliveryError::Transient(Cause::Timeout)));
    silent.abort();
}

fn hook(url: String, body: &str) -> Webhook {
    Webhook {
        url,
        event: "rights.request.received".to_owned(),
        delivery_id: "0198a4c2-7f10-7c4e-9d52-1b7f3f0e6a11".to_owned(),
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn webhook_arrives_signed_and_a_tampered_body_fails_verification() {
    let receiver = WebhookReceiver::start().await;
    let body = r#"{"event":"rights.request.received","subject_id":"0198a4c2","note":"reçu à 9 h"}"#;
    let hook = hook(receiver.url("/hooks/custodia?source=test"), body);
    WebhookSender::default()
        .send(&hook, SECRET, NOW)
        .await
        .unwrap();

    let got = &receiver.wait_for(1, WAIT).await[0];
    assert_eq!(got.method, "POST");
    assert_eq!(got.path, "/hooks/custodia?source=test");
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(
        got.header("custodia-event"),
        Some("rights.request.received")
    );
    assert_eq!(
        got.header("custodia-delivery"),
        Some(hook.delivery_id.as_str())
    );
    assert_eq!(got.body_text(), body);
    let signature = got.header(SIGNATURE_HEADER).unwrap();
    assert!(
        signature.starts_with(&format!("t={NOW},v1=")),
        "{signature}"
    );

    assert!(verify_signature(
        SECRET,
        signature,
        &got.body,
        NOW + 30,
        300
    ));
    let tampered = body.replace("0198a4c2", "0198a4c3");
    assert!(!verify_signature(
        SECRET,
        signature,
        tampered.as_bytes(),
        NOW + 30,
        300
    ));
    assert!(!verify_signature(
        b"another secret",
        signature,
        &got.body,
        NOW + 30,
        300
    ));
    // Replayed an hour later.
    assert!(!verify_signature(
        SECRET,
        signature,
        &got.body,
        NOW + 3600,
        300
    ));
}

#[tokio::test]
async fn webhook_500_is_transient_410_permanent_and_retries_keep_the_delivery_id() {
    let receiver = WebhookReceiver::start().await;
    let sender = WebhookSender::default();
    let hook = hook(receiver.url("/hooks"), r#"{"n":1}"#);

    receiver.fail_next(1, 500);
    let err = sender.send(&hook, SECRET, NOW).await.unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::HttpStatus(500)));
    sender.send(&hook, SECRET, NOW + 30).await.unwrap();

    receiver.fail_next(1, 410);
    let err = sender.send(&hook, SECRET, NOW + 60).await.unwrap_err();
    assert_eq!(err, DeliveryError::Permanent(Cause::HttpStatus(410)));

    receiver.fail_next(1, 429);
    let err = sender.send(&hook, SECRET, NOW + 90).await.unwrap_err();
    assert!(err.is_transient(), "{err}");

    let all = receiver.wait_for(4, WAIT).await;
    let statuses: Vec<u16> = all.iter().map(|d| d.status).collect();
    assert_eq!(statuses, [500, 204, 410, 429]);
    for d in &all {
        assert_eq!(
            d.header("custodia-delivery"),
            Some(hook.delivery_id.as_str())
        );
        let signature = d.header(SIGNATURE_HEADER).unwrap();
        assert!(verify_signature(SECRET, signature, &d.body, NOW + 90, 300));
    }
}

#[tokio::test]
async fn webhook_to_a_closed_port_or_a_slow_receiver_is_transient() {
    let sender = WebhookSender::new(Duration::from_millis(500));
    let url = format!("http://127.0.0.1:{}/hooks", closed_port().await);
    let err = sender
        .send(&hook(url, "{}"), SECRET, NOW)
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::Connection));

    let receiver = WebhookReceiver::start().await;
    receiver.set_delay(Duration::from_secs(3));
    let err = sender
        .send(&hook(receiver.url("/slow"), "{}"), SECRET, NOW)
        .await
        .unwrap_err();
    assert_eq!(err, DeliveryError::Transient(Cause::Timeout));
}
