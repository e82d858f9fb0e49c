//! German, Spanish and Italian through the server: a register published in those
//! languages (examples/werkstatt.toml, a German controller whose Land authority is
//! defaulted) answers pages in the browser's language, and the banner speaks them.

use crate::install::init_data_dir;
use crate::support::{Server, example};

/// A server on examples/werkstatt.toml; the server stops before its directory goes.
fn serve_werkstatt() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init_data_dir(&data);
    std::fs::copy(example("werkstatt.toml"), data.join("register.toml")).unwrap();
    let args = [
        "--data-dir",
        data.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ];
    (Server::start(dir.path(), &args), dir)
}

#[test]
fn pages_answer_in_german_spanish_and_italian() {
    let (s, _dir) = serve_werkstatt();
    let cases = [
        (
            "de-DE,de;q=0.9,en;q=0.5",
            "de",
            [
                "Datenschutzerklärung",
                "Verantwortlicher",
                "Zum Inhalt springen",
                "Ihre Rechte wahrnehmen",
            ],
        ),
        (
            "es-ES,es;q=0.9",
            "es",
            [
                "Política de privacidad",
                "responsable del tratamiento",
                "Ir al contenido",
                "Ejercer sus derechos",
            ],
        ),
        (
            "it-IT,it;q=0.9,en;q=0.8",
            "it",
            [
                "Informativa sul trattamento dei dati personali",
                "titolare del trattamento",
                "Vai al contenuto",
                "Eserciti i Suoi diritti",
            ],
        ),
    ];
    for (accept, code, [title, controller, skip, portal_title]) in cases {
        let headers = [("accept-language", accept)];
        let policy = s.get_with("/privacy-policy", &headers);
        assert_eq!(policy.status, 200, "{code}: {}", policy.body);
        assert!(
            policy.body.contains(&format!("<html lang=\"{code}\"")),
            "{code}"
        );
        assert!(
            policy.body.contains(title) && policy.body.contains(controller),
            "{code}: {}",
            policy.body
        );
        // The Land authority defaulted from the controller's `region`.
        assert!(
            policy
                .body
                .contains("Bayerisches Landesamt für Datenschutzaufsicht"),
            "{code}"
        );
        let portal = s.get_with("/portal", &headers);
        assert_eq!(portal.status, 200, "{code}: {}", portal.body);
        assert!(
            portal.body.contains(&format!("<html lang=\"{code}\"")),
            "{code}"
        );
        assert!(
            portal.body.contains(skip) && portal.body.contains(portal_title),
            "{code}: {}",
            portal.body
        );
    }
    // English is not published: an English browser gets the register's first language.
    let english = s.get_with("/privacy-policy", &[("accept-language", "en")]);
    assert!(
        english.body.contains("<html lang=\"de\""),
        "{}",
        english.body
    );
}

#[test]
fn the_banner_speaks_german_spanish_and_italian() {
    let (s, _dir) = serve_werkstatt();
    let script = s.get("/banner.js");
    assert_eq!(script.status, 200);
    for text in [
        "Ihre Entscheidung über Cookies",
        "Alle ablehnen",
        "Sus opciones sobre las cookies",
        "Rechazar todo",
        "Le Sue scelte sui cookie",
        "Rifiuta tutto",
        "Reichweitenmessung",
        "Medición de audiencia",
    ] {
        assert!(script.body.contains(text), "{text} not in banner.js");
    }
    let demo = s.get("/banner/demo?lang=it");
    assert_eq!(demo.status, 200, "{}", demo.body);
    assert!(demo.body.contains("<html lang=\"it\""));
    assert_eq!(s.get("/banner/demo?lang=pt").status, 400);
}
