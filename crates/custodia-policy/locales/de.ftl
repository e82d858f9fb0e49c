# Custodia — deutsche Texte.
# Jede Kennung aus en.ftl muss hier vorhanden sein (ein Unit-Test prüft das).

## Formatting: durations, dates, lists

# Small numbers in words, as German legal prose writes them. German declines
# "ein" and the dative plural: `$case` is the case the sentence needs
# (nominative, accusative, dative or genitive; see duration_args in ctx.rs).
duration-years = { $count ->
    [1] { $case ->
        [accusative] ein Jahr
        [dative] einem Jahr
        [genitive] eines Jahres
       *[nominative] ein Jahr
    }
    [2] { $case ->
        [dative] zwei Jahren
       *[other] zwei Jahre
    }
    [3] { $case ->
        [dative] drei Jahren
       *[other] drei Jahre
    }
    [4] { $case ->
        [dative] vier Jahren
       *[other] vier Jahre
    }
    [5] { $case ->
        [dative] fünf Jahren
       *[other] fünf Jahre
    }
    [6] { $case ->
        [dative] sechs Jahren
       *[other] sechs Jahre
    }
    [7] { $case ->
        [dative] sieben Jahren
       *[other] sieben Jahre
    }
    [8] { $case ->
        [dative] acht Jahren
       *[other] acht Jahre
    }
    [9] { $case ->
        [dative] neun Jahren
       *[other] neun Jahre
    }
   *[other] { $case ->
        [dative] { $count } Jahren
       *[other] { $count } Jahre
    }
}
duration-months = { $count ->
    [1] { $case ->
        [accusative] einen Monat
        [dative] einem Monat
        [genitive] eines Monats
       *[nominative] ein Monat
    }
    [2] { $case ->
        [dative] zwei Monaten
       *[other] zwei Monate
    }
    [3] { $case ->
        [dative] drei Monaten
       *[other] drei Monate
    }
    [4] { $case ->
        [dative] vier Monaten
       *[other] vier Monate
    }
    [5] { $case ->
        [dative] fünf Monaten
       *[other] fünf Monate
    }
    [6] { $case ->
        [dative] sechs Monaten
       *[other] sechs Monate
    }
    [7] { $case ->
        [dative] sieben Monaten
       *[other] sieben Monate
    }
    [8] { $case ->
        [dative] acht Monaten
       *[other] acht Monate
    }
    [9] { $case ->
        [dative] neun Monaten
       *[other] neun Monate
    }
   *[other] { $case ->
        [dative] { $count } Monaten
       *[other] { $count } Monate
    }
}
duration-weeks = { $count ->
    [1] { $case ->
        [accusative] eine Woche
        [dative] einer Woche
        [genitive] einer Woche
       *[nominative] eine Woche
    }
    [2] zwei Wochen
    [3] drei Wochen
    [4] vier Wochen
    [5] fünf Wochen
    [6] sechs Wochen
    [7] sieben Wochen
    [8] acht Wochen
    [9] neun Wochen
   *[other] { $count } Wochen
}
duration-days = { $count ->
    [1] { $case ->
        [accusative] einen Tag
        [dative] einem Tag
        [genitive] eines Tages
       *[nominative] ein Tag
    }
    [2] { $case ->
        [dative] zwei Tagen
       *[other] zwei Tage
    }
    [3] { $case ->
        [dative] drei Tagen
       *[other] drei Tage
    }
    [4] { $case ->
        [dative] vier Tagen
       *[other] vier Tage
    }
    [5] { $case ->
        [dative] fünf Tagen
       *[other] fünf Tage
    }
    [6] { $case ->
        [dative] sechs Tagen
       *[other] sechs Tage
    }
    [7] { $case ->
        [dative] sieben Tagen
       *[other] sieben Tage
    }
    [8] { $case ->
        [dative] acht Tagen
       *[other] acht Tage
    }
    [9] { $case ->
        [dative] neun Tagen
       *[other] neun Tage
    }
   *[other] { $case ->
        [dative] { $count } Tagen
       *[other] { $count } Tage
    }
}
date = { $day }. { $month } { $year }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
list-separator = {", "}
list-separator-strong = {"; "}
list-and = {" und "}
list-or = {" oder "}

## Layout

ui-contents = Inhalt
ui-label-separator = {": "}
effective-date = Stand: { $date }
last-updated = Zuletzt aktualisiert: { $date }

## Cookie banner (shared with the banner itself)

banner-accept-all = Alle akzeptieren
banner-refuse-all = Alle ablehnen
banner-customise = Einstellungen
banner-preferences-link = Cookie-Einstellungen
banner-title = Ihre Entscheidung über Cookies
banner-body = Mit Ihrer Einwilligung setzen wir ({ $controller }) und unsere Partner für die nachstehenden Zwecke Tracker ein. Sie können alle akzeptieren, alle ablehnen oder für jeden Zweck einzeln entscheiden. Die Ablehnung ist ebenso einfach wie die Zustimmung, und Sie können Ihre Entscheidung jederzeit über den Link „Cookie-Einstellungen“ ändern.
banner-save = Auswahl speichern
banner-back = Zurück
banner-services = Dienste
banner-gpc-notice = Ihr Browser sendet ein Global-Privacy-Control-Signal: Wir werten es als Ablehnung von Werbung sowie des Verkaufs oder der Weitergabe Ihrer Daten; diese Zwecke bleiben daher deaktiviert.
banner-changed = Einige Zwecke sind neu oder haben sich seit Ihrer letzten Entscheidung geändert: Bitte entscheiden Sie für diese erneut.
banner-policy-link = Cookie-Richtlinie

## Subject pages: unsubscribe links and consent preferences

subject-unsubscribe-title = Abmelden
subject-unsubscribe-confirm = Sollen Ihre Daten nicht mehr für „{ $purpose }“ verwendet werden?
subject-unsubscribe-button = Abmelden
subject-unsubscribe-done = Erledigt: Ihre Daten werden nicht mehr für „{ $purpose }“ verwendet.
subject-keep-title = Ihre Daten behalten
subject-keep-confirm = Möchten Sie, dass { $controller } Ihre Daten weiter speichert? Wenn Sie bestätigen, speichern wir sie weiter, und die Speicherfristen unserer Datenschutzerklärung beginnen ab heute von Neuem.
subject-keep-button = Meine Daten behalten
subject-keep-done = Vielen Dank: Wir speichern Ihre Daten weiter.
subject-link-invalid = Dieser Link ist ungültig oder abgelaufen.
subject-erased = Hier gibt es nichts mehr zu ändern: Ihre Daten wurden gelöscht.
subject-preferences-title = Ihre Einwilligungen
subject-preferences-intro = Hier sehen Sie, worin Sie eingewilligt haben, und können dies ändern. Der Widerruf ist ebenso einfach wie die Erteilung der Einwilligung und wirkt sofort.
subject-state-given = Eingewilligt
subject-state-refused = Abgelehnt
subject-state-withdrawn = Einwilligung widerrufen
subject-state-expired = Einwilligung abgelaufen
subject-state-none = Noch keine Entscheidung
subject-state-objected = Widersprochen
subject-state-not-objected = Aktiv: Sie können jederzeit widersprechen
subject-action-give = Einwilligen
subject-action-withdraw = Einwilligung widerrufen
subject-action-object = Widersprechen

## Shared pieces

service-default = unsere Dienste
site-default = unsere Website
reach-email = per E-Mail an { $contact }
reach-url = über { $contact }
reach-phone = telefonisch unter { $contact }
link-privacy-policy = Datenschutzerklärung
link-opt-out = Widerspruch (Opt-out)
role-admin = Administratoren
role-dpo = Datenschutzbeauftragter
role-auditor = Prüfer
role-authorised = befugte Mitarbeiter

## Field labels and column headings

field-legal-name = Firma
field-trading-name = Geschäftsbezeichnung
field-legal-form = Rechtsform
field-share-capital = Stammkapital
field-registration = Registereintrag
field-address = Anschrift
field-email = E-Mail
field-phone = Telefon
field-website = Website
field-contact-url = Kontaktseite
field-service = Geltungsbereich
field-name = Name
field-legal-basis = Rechtsgrundlage
field-legitimate-interest = Verfolgtes Interesse
field-legal-reference = Rechtliche Verpflichtung
field-subjects = Betroffene Personen
field-data-used = Verarbeitete Daten
field-data-required = Pflichtangaben
field-data-optional = Freiwillige Angaben
field-requirement = Pflicht zur Bereitstellung der Daten
field-consequence = Folgen der Nichtbereitstellung
field-recipients = Empfänger
field-consent = Einwilligung
field-authority = Behörde
field-complaint-url = Online-Beschwerde
field-logic = Wie die Entscheidung zustande kommt
field-significance = Tragweite für Sie
field-human-review = Eingreifen einer Person und Anfechtung der Entscheidung
col-data = Daten
col-details = Einzelheiten
col-source = Herkunft
col-service = Dienst
col-provider = Anbieter
col-data-collected = Erhobene Daten
col-links = Weitere Informationen
col-recipient = Empfänger
col-role = Rolle
col-countries = Länder
col-country = Land
col-safeguard = Garantie
col-copy = Kopie der Garantien
col-situation = Fall, in dem die Übermittlung stattfindet
col-name = Name
col-kind = Art
col-purpose = Zweck
col-lifetime = Speicherdauer
col-consent = Einwilligung

## Privacy policy

privacy-title = Datenschutzerklärung
privacy-intro-default = Diese Datenschutzerklärung informiert Sie darüber, wie wir ({ $controller }) personenbezogene Daten erheben und verwenden, wenn Sie { $service } nutzen, und welche Rechte Ihnen in Bezug auf diese Daten zustehen.

section-controller = Verantwortlicher
controller-intro = Verantwortlicher für die Verarbeitung Ihrer personenbezogenen Daten im Sinne der DSGVO ist { $controller }: Wir entscheiden über die Zwecke und Mittel der Verarbeitung.
controller-intro-brand = Verantwortlicher für die Verarbeitung Ihrer personenbezogenen Daten im Sinne der DSGVO ist { $legal_name } („{ $brand }“): Wir entscheiden über die Zwecke und Mittel der Verarbeitung.

section-dpo = Datenschutzbeauftragter
dpo-intro = Wir haben einen Datenschutzbeauftragten benannt, an den Sie sich mit allen Fragen zu Ihren Daten und Ihren Rechten wenden können.
dpo-none = Wir haben keinen Datenschutzbeauftragten benannt. Bei Fragen zu Ihren Daten oder Ihren Rechten erreichen Sie uns { $contact }.

section-representative = Unser Vertreter in der Europäischen Union
representative-intro = Sie können sich auch an unseren Vertreter in der Europäischen Union wenden.

section-data = Welche personenbezogenen Daten wir verarbeiten
data-subjects-intro = Wir verarbeiten personenbezogene Daten folgender Kategorien betroffener Personen:
data-table-intro = Die folgende Tabelle führt die von uns verarbeiteten Daten und ihre Herkunft auf.
source-subject = Von Ihnen angegeben
source-observed = Bei der Nutzung des Dienstes automatisch erhoben
source-third-party = Von Dritten erhalten
source-inferred = Von uns aus anderen Daten abgeleitet
source-with-detail = { $source } ({ $detail })
data-sensitive-mark = Besondere Kategorie personenbezogener Daten (Art. 9 DSGVO)
data-never-stored-mark = Nur bei Bedarf verwendet, nicht gespeichert
data-sensitive = Einige dieser Daten gehören zu den besonderen Kategorien personenbezogener Daten nach Art. 9 DSGVO und sind besonders geschützt: { $categories }.
data-no-sensitive = Wir verarbeiten keine besonderen Kategorien personenbezogener Daten, etwa Gesundheitsdaten, politische Meinungen oder religiöse Überzeugungen.
data-never-stored = Folgende Daten werden nur verwendet, wenn sie benötigt werden, und nicht gespeichert: { $categories }.

section-purposes = Zwecke und Rechtsgrundlagen der Verarbeitung
purposes-intro = Wir verarbeiten Ihre Daten ausschließlich zu den nachstehenden Zwecken. Jede Verarbeitung stützt sich auf eine der in der DSGVO vorgesehenen Rechtsgrundlagen.
basis-consent = Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)
basis-contract = Erfüllung eines Vertrags mit Ihnen oder Durchführung vorvertraglicher Maßnahmen auf Ihre Anfrage (Art. 6 Abs. 1 lit. b DSGVO)
basis-legal-obligation = Erfüllung einer rechtlichen Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO)
basis-legitimate-interest = Unsere berechtigten Interessen (Art. 6 Abs. 1 lit. f DSGVO)
basis-vital-interest = Schutz lebenswichtiger Interessen Ihrer Person oder einer anderen natürlichen Person (Art. 6 Abs. 1 lit. d DSGVO)
basis-public-task = Wahrnehmung einer Aufgabe im öffentlichen Interesse (Art. 6 Abs. 1 lit. e DSGVO)
requirement-statutory = Die Bereitstellung dieser Daten ist gesetzlich vorgeschrieben.
requirement-contractual = Die Bereitstellung dieser Daten ist vertraglich vorgeschrieben.
requirement-contract-prerequisite = Diese Daten sind für einen Vertragsabschluss mit uns erforderlich.
requirement-service-prerequisite = Diese Daten benötigen wir, um Ihrem Anliegen nachzukommen.
requirement-voluntary = Die Angabe dieser Daten ist freiwillig.
consent-collected = Sie erteilen Ihre Einwilligung { $methods } und können sie jederzeit widerrufen.
consent-by-banner = über das Cookie-Banner
consent-by-form = durch Ankreuzen eines Kästchens in einem Formular
consent-by-api = in unserer Anwendung
consent-lifetime = Die Einwilligung gilt für { $duration_accusative }; danach fragen wir Sie erneut.
purpose-direct-marketing = Sie können dieser Verarbeitung jederzeit ohne Angabe von Gründen widersprechen; wir stellen sie dann ein.
purpose-direct-marketing-consent = Sie können Ihre Einwilligung jederzeit ohne Angabe von Gründen widerrufen; wir stellen die Verarbeitung dann ein.
field-purpose-rights = Ihre Rechte bei dieser Verarbeitung
purpose-rights-consent = Sie können Ihre Einwilligung jederzeit widerrufen, ebenso einfach, wie Sie sie erteilt haben; die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung bleibt davon unberührt. Sie können außerdem die von Ihnen bereitgestellten Daten in einem weiterverwendbaren Format erhalten.
purpose-rights-contract = Sie können die von Ihnen bereitgestellten Daten in einem weiterverwendbaren Format erhalten. Da die Verarbeitung zur Erfüllung des Vertrags erforderlich ist, können Sie ihr nicht widersprechen, solange der Vertrag besteht.
purpose-rights-objection = Sie können dieser Verarbeitung aus Gründen, die sich aus Ihrer besonderen Situation ergeben, jederzeit widersprechen.
purpose-rights-legal-obligation = Diese Verarbeitung ist gesetzlich vorgeschrieben: Sie können ihr nicht widersprechen, und die Daten können nicht gelöscht werden, solange wir zu ihrer Aufbewahrung verpflichtet sind.
purpose-services-intro = Für diesen Zweck setzen wir folgende Dienste ein:

section-recipients = Empfänger Ihrer Daten
recipients-intro = Ihre Daten werden nur an die nachstehenden Empfänger weitergegeben, und jeder erhält nur die Daten, die er benötigt.
recipients-internal = Unsere Mitarbeiter
recipients-internal-intro = Innerhalb unseres Unternehmens haben nur befugte Mitarbeiter Zugriff, die die Daten für ihre Aufgaben benötigen.
recipients-processor = Unsere Auftragsverarbeiter
recipients-processor-intro = Diese Dienstleister verarbeiten Daten in unserem Auftrag und ausschließlich nach unseren Weisungen.
recipients-processor-contract = Mit jedem von ihnen haben wir einen Vertrag geschlossen, der ihn zum Schutz Ihrer Daten verpflichtet (Art. 28 DSGVO).
recipients-third-party = Andere Stellen
recipients-third-party-intro = Diese Stellen erhalten Daten und verwenden sie als eigenständige Verantwortliche für eigene Zwecke, nach Maßgabe ihrer eigenen Datenschutzerklärungen.
recipients-joint-controller = Gemeinsam Verantwortliche
recipients-joint-controller-intro = Mit diesen Stellen legen wir die Zwecke und Mittel der Verarbeitung gemeinsam fest (Art. 26 DSGVO). Sie können Ihre Rechte bei uns oder bei ihnen geltend machen.
recipients-authority = Behörden
recipients-authority-intro = Wir übermitteln Daten an diese Behörden nur, wenn das Gesetz es verlangt oder erlaubt.
recipients-public = Die Öffentlichkeit
recipients-public-intro = Was Sie selbst veröffentlichen, etwa eine Bewertung oder ein öffentliches Profil, kann jeder lesen.
recipient-only-when = (nur { $when })
recipient-anonymous-aggregates = Nur zusammengefasste, anonyme Statistiken: keine personenbezogenen Daten

section-transfers = Übermittlungen in Länder außerhalb des Europäischen Wirtschaftsraums
transfers-none = Ihre Daten verbleiben im Europäischen Wirtschaftsraum (EWR): Sie werden nicht in Drittländer übermittelt.
transfers-intro = Einige Empfänger verarbeiten Ihre Daten außerhalb des Europäischen Wirtschaftsraums (EWR).
transfers-safeguarded = Jede der folgenden Übermittlungen ist durch eine der in der DSGVO vorgesehenen Garantien abgesichert:
transfers-derogations = Die folgenden Übermittlungen sind nicht durch eine solche Garantie abgesichert. Sie stützen sich auf eine Ausnahme für bestimmte Fälle (Art. 49 DSGVO) und finden nur in dem jeweils genannten Fall statt:
mechanism-adequacy = Angemessenheitsbeschluss der Europäischen Kommission (Art. 45 DSGVO)
mechanism-dpf = EU-U.S. Data Privacy Framework: Der Empfänger ist nach diesem Rahmen zertifiziert, für den ein Angemessenheitsbeschluss der Europäischen Kommission besteht (Art. 45 DSGVO).
mechanism-dpf-checked = Zertifizierung zuletzt geprüft am { $date }.
mechanism-scc = Von der Europäischen Kommission erlassene Standardvertragsklauseln (Durchführungsbeschluss 2021/914), Modul { $module }: { $name } (Art. 46 DSGVO)
mechanism-bcr = Von einer Aufsichtsbehörde genehmigte verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)
mechanism-derogation = Ausnahme für bestimmte Fälle (Art. 49 DSGVO): { $ground }
scc-module-1 = Übermittlung von Verantwortlichem an Verantwortlichen
scc-module-2 = Übermittlung von Verantwortlichem an Auftragsverarbeiter
scc-module-3 = Übermittlung von Auftragsverarbeiter an Auftragsverarbeiter
scc-module-4 = Übermittlung von Auftragsverarbeiter an Verantwortlichen
transfers-copy-public = Der Beschluss ist im Amtsblatt der Europäischen Union veröffentlicht.
transfers-copy-default = Eine Kopie erhalten Sie auf Anfrage { $contact }.

section-retention = Speicherdauer
retention-intro = Wir speichern Ihre Daten nur so lange, wie es für die Zwecke, zu denen sie erhoben wurden, erforderlich ist. Danach werden sie gelöscht oder anonymisiert.
retention-before = Wir speichern diese Daten { $before }.
retention-first = { $duration } { $trigger }
retention-next = Anschließend zusätzlich { $duration_accusative }
retention-active = { $when }: in aktiver Nutzung.
retention-active-reason = { $when }: in aktiver Nutzung (Grund: { $reason }).
retention-archive = { $when }: gesperrt aufbewahrt, getrennt von den aktiven Daten; Zugriff nur für: { $roles }.
retention-archive-reason = { $when }: gesperrt aufbewahrt, getrennt von den aktiven Daten; Zugriff nur für: { $roles }; Grund: { $reason }.
retention-end-delete = Nach Ablauf dieser Frist werden die Daten gelöscht.
retention-end-anonymise = Nach Ablauf dieser Frist werden die Daten so anonymisiert, dass sie keinen Bezug mehr zu Ihrer Person zulassen.
retention-unverified-requests = Ein Antrag auf Wahrnehmung Ihrer Rechte, dessen E-Mail-Adresse nicht mit dem von uns gesendeten Code ({ $minutes } Minuten gültig) bestätigt wird, wird samt der darin enthaltenen Adresse { $hours } Stunden nach Ablauf des Codes gelöscht.
trigger-collected = ab der Erhebung
trigger-last-contact = ab Ihrem letzten Kontakt mit uns
trigger-account-opened = ab der Eröffnung Ihres Kontos
trigger-account-closed = ab der Schließung Ihres Kontos
trigger-last-connection = ab Ihrer letzten Anmeldung
trigger-transaction = ab der Transaktion
trigger-debit = ab der Abbuchung der Zahlung
trigger-deferred-debit = ab der Abbuchung der aufgeschobenen Zahlung
trigger-invoice = ab der Rechnungsstellung
trigger-consent-given = ab der Erteilung Ihrer Einwilligung
trigger-identity-verified = ab der Überprüfung Ihrer Identität
trigger-request-closed = ab dem Abschluss Ihres Antrags
trigger-opposition-recorded = ab der Erfassung Ihres Widerspruchs
trigger-contract-end = ab dem Ende des Vertrags
trigger-custom = ab diesem Ereignis: „{ $event }“

section-rights = Ihre Rechte
rights-intro = Ihnen stehen in Bezug auf Ihre personenbezogenen Daten folgende Rechte zu:
right-access = Auskunftsrecht
right-access-text = Sie können von uns eine Bestätigung darüber verlangen, ob wir Sie betreffende Daten verarbeiten, und in diesem Fall eine Kopie dieser Daten sowie Informationen über ihre Verwendung erhalten (Art. 15 DSGVO).
right-rectification = Recht auf Berichtigung
right-rectification-text = Sie können die Berichtigung unrichtiger und die Vervollständigung unvollständiger Daten verlangen (Art. 16 DSGVO).
right-erasure = Recht auf Löschung
right-erasure-text = Sie können die Löschung Ihrer Daten verlangen, insbesondere wenn sie nicht mehr benötigt werden, wenn Sie Ihre Einwilligung widerrufen oder wenn Sie der Verarbeitung widersprechen, es sei denn, wir müssen sie zur Erfüllung einer rechtlichen Verpflichtung oder zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen aufbewahren (Art. 17 DSGVO).
right-restriction = Recht auf Einschränkung der Verarbeitung
right-restriction-text = Sie können verlangen, dass wir Ihre Daten nur noch speichern, aber nicht weiter verwenden, etwa solange wir ihre Richtigkeit oder Ihren Widerspruch prüfen (Art. 18 DSGVO).
right-portability = Recht auf Datenübertragbarkeit
right-portability-text = Verarbeiten wir Ihre Daten automatisiert auf Grundlage Ihrer Einwilligung oder eines Vertrags, können Sie die uns bereitgestellten Daten in einem strukturierten, gängigen und maschinenlesbaren Format erhalten oder, soweit technisch machbar, direkt an einen anderen Verantwortlichen übermitteln lassen (Art. 20 DSGVO).
right-objection = Widerspruchsrecht
right-objection-text = Sie können aus Gründen, die sich aus Ihrer besonderen Situation ergeben, jederzeit der Verarbeitung widersprechen, die auf unseren berechtigten Interessen oder auf einer Aufgabe im öffentlichen Interesse beruht. Wir verarbeiten die Daten dann nicht mehr, es sei denn, wir können zwingende schutzwürdige Gründe nachweisen oder die Verarbeitung dient der Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen (Art. 21 DSGVO).
right-objection-marketing-text = Sie können außerdem jederzeit ohne Angabe von Gründen der Verwendung Ihrer Daten für Direktwerbung widersprechen; wir verwenden sie dann nicht mehr für diesen Zweck.
right-withdraw-consent = Recht auf Widerruf der Einwilligung
right-withdraw-consent-text = Beruht eine Verarbeitung auf Ihrer Einwilligung, können Sie diese jederzeit ebenso einfach widerrufen, wie Sie sie erteilt haben. Die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung bleibt davon unberührt (Art. 7 Abs. 3 DSGVO).
right-complaint = Beschwerderecht
right-complaint-text = Sie können sich bei einer Aufsichtsbehörde beschweren (siehe unten).
right-post-mortem = Verfügungen über Ihre Daten nach Ihrem Tod
right-post-mortem-text = Sie können uns Verfügungen darüber erteilen, wie Ihre personenbezogenen Daten nach Ihrem Tod aufbewahrt, gelöscht und weitergegeben werden sollen, und eine Person benennen, die sie umsetzt. Sie können diese Verfügungen jederzeit ändern oder widerrufen (Art. 85 des französischen Datenschutzgesetzes, Loi Informatique et Libertés).
section-rights-california = Zusätzliche Rechte für Einwohner Kaliforniens
rights-california-ccpa-intro = Wenn Sie in Kalifornien wohnen, gewährt Ihnen der California Consumer Privacy Act (CCPA) folgende Rechte:
rights-california-shine-intro = Wenn Sie in Kalifornien wohnen, gewährt Ihnen § 1798.83 des kalifornischen Civil Code („Shine the Light“) außerdem folgendes Recht:
right-california-know = Recht auf Auskunft (Right to know)
right-california-know-text = Sie können verlangen, dass wir Ihnen die Kategorien und die konkreten personenbezogenen Informationen offenlegen, die wir über Sie erhoben haben, ebenso die Kategorien ihrer Quellen, die Zwecke ihrer Verwendung und die Kategorien der Dritten, an die wir sie weitergeben.
right-california-delete = Recht auf Löschung (Right to delete)
right-california-delete-text = Sie können die Löschung der personenbezogenen Informationen verlangen, die wir bei Ihnen erhoben haben, vorbehaltlich der gesetzlichen Ausnahmen.
right-california-correct = Recht auf Berichtigung (Right to correct)
right-california-correct-text = Sie können die Berichtigung unrichtiger personenbezogener Informationen über Sie verlangen.
right-california-opt-out = Recht auf Widerspruch gegen Verkauf oder Weitergabe (Opt-out)
right-california-opt-out-text = Sie können uns untersagen, Ihre personenbezogenen Informationen zu verkaufen oder für kontextübergreifende verhaltensbasierte Werbung weiterzugeben. Ein Global-Privacy-Control-Signal Ihres Browsers behandeln wir als ein solches Verlangen.
right-shine-the-light = Auskunftsverlangen nach „Shine the Light“
right-shine-the-light-text = Einmal jährlich und unentgeltlich können Sie erfragen, welche Kategorien personenbezogener Informationen wir im vorangegangenen Kalenderjahr an Dritte für deren eigene Direktwerbung weitergegeben haben, sowie Namen und Anschriften dieser Dritten (California Civil Code, Section 1798.83).
right-shine-the-light-none = Wir geben keine personenbezogenen Informationen an Dritte für deren eigene Direktwerbung weiter.
rights-california-non-discrimination = Entsprechend dem CCPA benachteiligen wir Sie nicht, weil Sie eines dieser Rechte ausüben.

section-withdraw-consent = Widerruf Ihrer Einwilligung
withdraw-consent-intro = Folgende Verarbeitungen beruhen auf Ihrer Einwilligung:
withdraw-consent-how = Sie können Ihre Einwilligung jederzeit ebenso einfach widerrufen, wie Sie sie erteilt haben, zum Beispiel { $contact }.
withdraw-consent-effect = Der Widerruf beendet die betreffende Verarbeitung für die Zukunft; die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung bleibt unberührt.
withdraw-consent-none = Keine unserer Verarbeitungen beruht auf Ihrer Einwilligung.

section-exercise = Wie Sie Ihre Rechte ausüben
# "innerhalb eines Monats", but "innerhalb von drei Monaten": numbers without an
# article have no genitive.
exercise-response = { $single ->
    [yes] Wir antworten innerhalb { $duration_genitive } nach Eingang Ihres Antrags.
   *[no] Wir antworten innerhalb von { $duration_dative } nach Eingang Ihres Antrags.
}
exercise-extension = Ist Ihr Antrag komplex oder erhalten wir eine Vielzahl von Anträgen, können wir diese Frist um { $duration_accusative } verlängern; in diesem Fall teilen wir Ihnen dies innerhalb der ersten Frist unter Angabe der Gründe mit.
exercise-id-doubt = Einen Identitätsnachweis verlangen wir nur, wenn begründete Zweifel an der Identität der antragstellenden Person bestehen.
exercise-free = Die Ausübung Ihrer Rechte ist unentgeltlich, es sei denn, ein Antrag ist offenkundig unbegründet oder exzessiv.

section-complaint = Beschwerde bei der Aufsichtsbehörde
complaint-intro = Sind Sie der Ansicht, dass Ihre Rechte nicht gewahrt werden, können Sie jederzeit Beschwerde bei der zuständigen Aufsichtsbehörde einlegen, auch ohne sich zuvor an uns gewandt zu haben:
complaint-any-authority = Sie können sich auch an die Aufsichtsbehörde des Mitgliedstaats der Europäischen Union wenden, in dem Sie Ihren gewöhnlichen Aufenthalt oder Ihren Arbeitsplatz haben oder in dem der mutmaßliche Verstoß begangen wurde.

section-automated = Automatisierte Entscheidungsfindung
automated-none = Wir treffen keine ausschließlich auf einer automatisierten Verarbeitung – einschließlich Profiling – beruhenden Entscheidungen, die Ihnen gegenüber rechtliche Wirkung entfalten oder Sie in ähnlicher Weise erheblich beeinträchtigen.
automated-intro = Einige Entscheidungen werden ausschließlich automatisiert getroffen. Sie haben jeweils das Recht, das Eingreifen einer Person zu erwirken, Ihren Standpunkt darzulegen und die Entscheidung anzufechten.

section-security = Wie wir Ihre Daten schützen
security-intro = Wir treffen geeignete technische und organisatorische Maßnahmen, um Ihre Daten vor Verlust, Missbrauch, unbefugtem Zugriff und unbefugter Offenlegung zu schützen.
security-organisational = Organisatorische Maßnahmen:
security-technical = Technische Maßnahmen:

section-cookies = Cookies und ähnliche Technologien
cookies-pointer = Für { $service } setzen wir Cookies und ähnliche Technologien ein. Unsere Cookie-Richtlinie erläutert, welche dies sind, wozu sie dienen und wie Sie sie akzeptieren oder ablehnen können.

section-changes = Änderungen dieser Datenschutzerklärung
changes-default = Wir können diese Datenschutzerklärung anpassen, wenn sich unsere Verarbeitungen ändern. Über wesentliche Änderungen informieren wir Sie, bevor sie wirksam werden.

## Cookie policy

cookies-title = Cookie-Richtlinie
cookies-intro = Diese Richtlinie erläutert, welche Cookies und ähnlichen Technologien wir ({ $controller }) für { $service } einsetzen, wozu sie dienen und wie Sie sie akzeptieren oder ablehnen können.
section-trackers = Was sind Cookies und ähnliche Technologien?
trackers-what = Ein Cookie ist eine kleine Textdatei, die eine Website beim Besuch auf Ihrem Endgerät (Computer, Smartphone, Tablet) speichert und bei späteren Besuchen wieder auslesen kann. Andere Technologien funktionieren auf dieselbe Weise: im lokalen Speicher Ihres Browsers abgelegte Daten, Pixel (winzige unsichtbare Bilder) und Fingerprinting-Verfahren. In dieser Richtlinie bezeichnen wir sie alle als „Tracker“.
trackers-consent-rule = Tracker, die für den Betrieb der Website oder für die Bereitstellung eines von Ihnen ausdrücklich gewünschten Dienstes unbedingt erforderlich sind, bedürfen keiner Einwilligung. Alle anderen setzen wir nur mit Ihrer Einwilligung ein.
section-trackers-used = Die von uns eingesetzten Tracker
trackers-none = Wir setzen keine Tracker ein.
trackers-used-intro = Die folgenden Tabellen führen alle für { $service } eingesetzten Tracker nach Kategorien auf.
cookie-category-necessary = Unbedingt erforderlich
cookie-category-necessary-text = Diese Tracker sind für den Betrieb und die Sicherheit der Website unerlässlich. Sie können nicht deaktiviert werden.
cookie-category-functional = Funktional
cookie-category-functional-text = Diese Tracker speichern Ihre Einstellungen, etwa Ihre Sprache, um die Nutzung der Website zu erleichtern.
cookie-category-personalisation = Personalisierung von Inhalten
cookie-category-personalisation-text = Diese Tracker passen an, was wir Ihnen zeigen, etwa empfohlene Artikel oder Produkte, je nachdem, was Sie sich angesehen haben. Sie werden nur mit Ihrer Einwilligung eingesetzt.
cookie-category-analytics = Reichweitenmessung
cookie-category-analytics-text = Diese Tracker messen, wie die Website genutzt wird, damit wir sie verbessern können.
cookie-category-marketing = Werbung
cookie-category-marketing-text = Diese Tracker dienen dazu, Ihnen Werbung anzuzeigen und deren Wirksamkeit zu messen.
cookie-category-social = Soziale Netzwerke
cookie-category-social-text = Diese Tracker ermöglichen es Ihnen, Inhalte in sozialen Netzwerken zu teilen, und übermitteln diesen Netzwerken die Information, dass Sie die Website besucht haben.
tracker-kind-cookie = Cookie
tracker-kind-local-storage = Lokaler Speicher
tracker-kind-pixel = Pixel
tracker-kind-email-pixel = Pixel in unseren E-Mails
tracker-kind-fingerprint = Fingerprinting
lifetime-session = Sitzung
lifetime-not-stored = keine Speicherung auf Ihrem Endgerät
consent-required = Erforderlich
consent-required-form = Erforderlich; sie wird in dem Formular eingeholt, in dem Sie Ihre E-Mail-Adresse angeben
consent-not-required = Nicht erforderlich
section-choices = Ihre Wahlmöglichkeiten
choices-banner = Bei Ihrem ersten Besuch fragt ein Banner nach Ihrer Entscheidung, bevor ein einwilligungspflichtiger Tracker eingesetzt wird. Sie können „{ $accept }“ oder „{ $refuse }“ wählen oder über „{ $customise }“ für jede Kategorie einzeln entscheiden. Die Ablehnung ist ebenso einfach wie die Zustimmung, und das bloße Weitersurfen gilt nicht als Einwilligung.
choices-withdraw = Sie können Ihre Entscheidung jederzeit ebenso einfach ändern, wie Sie Ihre Einwilligung erteilt haben, und zwar über den Link „{ $link }“ am Ende jeder Seite. Der Widerruf Ihrer Einwilligung berührt nicht die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung.
choices-kept = Wir speichern Ihre Entscheidung für { $duration_accusative }; danach fragen wir Sie erneut.
choices-max-lifetime = Einwilligungspflichtige Tracker verbleiben höchstens { $duration_accusative } auf Ihrem Endgerät.
choices-none-needed = Alle von uns eingesetzten Tracker sind von der Einwilligungspflicht ausgenommen; wir müssen Sie daher nicht um Ihre Einwilligung bitten. Sollten wir künftig einwilligungspflichtige Tracker einsetzen, fragen wir Sie vorher über ein Banner, und Sie können ebenso einfach ablehnen wie zustimmen.
section-browser = Browsereinstellungen
browser-text = Sie können Ihren Browser auch so einstellen, dass er Tracker blockiert oder löscht; wie das geht, erklärt die Hilfe Ihres Browsers. Werden unbedingt erforderliche Tracker blockiert, funktionieren Teile der Website möglicherweise nicht.
section-contact = Kontakt
contact-text = Bei Fragen zu dieser Richtlinie erreichen Sie uns { $contact }.
privacy-pointer = Wie wir Ihre personenbezogenen Daten verarbeiten und wie Sie Ihre Rechte ausüben können, erfahren Sie in unserer Datenschutzerklärung.

## Countries (ISO 3166-1 alpha-2)

country-AT = Österreich
country-BE = Belgien
country-BG = Bulgarien
country-HR = Kroatien
country-CY = Zypern
country-CZ = Tschechien
country-DK = Dänemark
country-EE = Estland
country-FI = Finnland
country-FR = Frankreich
country-EU = die Europäische Union
country-EEA = der Europäische Wirtschaftsraum
country-DE = Deutschland
country-GR = Griechenland
country-HU = Ungarn
country-IE = Irland
country-IT = Italien
country-LV = Lettland
country-LT = Litauen
country-LU = Luxemburg
country-MT = Malta
country-NL = Niederlande
country-PL = Polen
country-PT = Portugal
country-RO = Rumänien
country-SK = Slowakei
country-SI = Slowenien
country-ES = Spanien
country-SE = Schweden
country-IS = Island
country-LI = Liechtenstein
country-NO = Norwegen
country-AD = Andorra
country-AR = Argentinien
country-CA = Kanada
country-CH = Schweiz
country-FO = Färöer
country-GB = Vereinigtes Königreich
country-GG = Guernsey
country-IL = Israel
country-IM = Insel Man
country-JE = Jersey
country-JP = Japan
country-KR = Republik Korea
country-NZ = Neuseeland
country-UY = Uruguay
country-US = Vereinigte Staaten
country-AU = Australien
country-BR = Brasilien
country-CN = China
country-HK = Hongkong
country-IN = Indien
country-MA = Marokko
country-MX = Mexiko
country-SG = Singapur
country-TN = Tunesien
country-TR = Türkei
country-UA = Ukraine
country-ZA = Südafrika
country-AE = Vereinigte Arabische Emirate
country-PH = Philippinen
country-VN = Vietnam
country-SN = Senegal
country-MU = Mauritius
country-RS = Serbien
country-EG = Ägypten

## Rights requests: e-mails to the requester

mail-code-subject = { $controller }: Ihr Bestätigungscode
mail-code-body = Ihr Code lautet { $code }. Geben Sie ihn innerhalb von { $minutes } Minuten auf der Antragsseite ein, um zu bestätigen, dass diese Adresse Ihnen gehört. Falls Sie keinen Antrag gestellt haben, ignorieren Sie diese E-Mail bitte.
mail-received-subject = { $controller }: Ihr Antrag ist eingegangen
mail-received-body = Ihr Antrag ist bestätigt. Wir antworten Ihnen spätestens am { $due }.
mail-progress-subject = { $controller }: Wir bearbeiten Ihren Antrag
mail-progress-body = Ihre Identität ist bestätigt, und wir bearbeiten Ihren Antrag. Wir antworten Ihnen spätestens am { $due }.
mail-extended-subject = { $controller }: Verlängerung der Frist für Ihren Antrag
mail-extended-body = Wir benötigen aus folgendem Grund mehr Zeit für die Beantwortung Ihres Antrags: { $reason }. Wir antworten Ihnen spätestens am { $due }.
mail-refused-subject = { $controller }: Unsere Antwort auf Ihren Antrag
mail-refused-body = Wir können Ihrem Antrag aus folgenden Gründen nicht nachkommen: { $reasons }. Sie können Beschwerde bei der Aufsichtsbehörde ({ $authority }) einlegen und gerichtlichen Rechtsschutz in Anspruch nehmen.
mail-refused-unfounded = Wir halten diesen Antrag für offenkundig unbegründet oder exzessiv.
mail-identity-subject = { $controller }: Bestätigung Ihrer Identität
mail-identity-body = Zum Schutz Ihrer Daten benötigen wir vor der Bearbeitung eine Kopie eines Ausweisdokuments. Bitte übermitteln Sie es über diese Seite: { $link } – wir löschen es, sobald Ihre Identität bestätigt ist.
mail-package-subject = { $controller }: Ihre Daten stehen bereit
mail-package-body = Ihre Daten stehen bereit. Jeder Link kann einmal und bis zum { $expires } verwendet werden.
mail-erased-subject = { $controller }: Ihre Daten wurden gelöscht
mail-erased-body = Wir haben Ihre personenbezogenen Daten gelöscht.
mail-erased-kept = Aufgrund gesetzlicher Aufbewahrungspflichten müssen wir einige Daten noch eine Zeit lang in einem zugangsbeschränkten Archiv aufbewahren: { $categories }.
mail-notified = Wir haben folgende Empfänger Ihrer Daten benachrichtigt: { $recipients }.
mail-completed-subject = { $controller }: Ihr Antrag ist erledigt
mail-completed-body = Wir haben Ihren Antrag ausgeführt ({ $kind }).
mail-lifted-subject = { $controller }: Aufhebung der Einschränkung
mail-lifted-body = Die Einschränkung der Verarbeitung Ihrer Daten wird aufgehoben.
mail-ask-again-subject = { $controller }: Sollen wir Ihre Daten weiter speichern?
mail-ask-again-body = Wir hatten lange keinen Kontakt mit Ihnen. Wir speichern Ihre Daten nur weiter, wenn Sie es wünschen: Öffnen Sie dazu diesen Link und bestätigen Sie.
    
    { $link }
    
    Andernfalls löschen wir sie am { $date }.
mail-breach-subject = { $controller }: Eine Verletzung des Schutzes personenbezogener Daten betrifft Sie
mail-breach-body = Wir informieren Sie über eine Verletzung des Schutzes personenbezogener Daten, die Ihre Daten betrifft: { $description }
mail-breach-consequences = Mögliche Folgen: { $consequences }
mail-breach-measures = Ergriffene oder geplante Maßnahmen: { $measures }
mail-breach-contact = Für weitere Informationen wenden Sie sich an: { $contact }
mail-stl-subject = { $controller }: Weitergaben für Direktwerbung
mail-stl-body = Dritte, die Ihre personenbezogenen Informationen im Jahr { $year } für ihre eigene Direktwerbung erhalten haben:
mail-stl-none = Keine.

## Rights requests: the access package

package-title = Ihre personenbezogenen Daten
package-portable-title = Ihre Daten zur Übertragung
package-intro = Erstellt am
package-datasets = Daten in unseren weiteren Systemen
package-data = Gespeicherte Daten
package-events = Ereignisse
package-disclosures = Weitergegeben an
package-consents = Ihre Entscheidungen
package-purposes = Verarbeitungszwecke
package-recipients = Empfänger
package-retention = Speicherdauer

## Rights requests: the public portal

portal-title = Ihre Rechte wahrnehmen
portal-intro = Wählen Sie Ihr Anliegen und geben Sie die E-Mail-Adresse an, unter der wir Sie kennen. Wir senden einen Code an diese Adresse, um sicherzustellen, dass der Antrag von Ihnen stammt.
portal-kind = Ihr Anliegen
portal-email = Ihre E-Mail-Adresse
portal-details = Einzelheiten (optional)
portal-rectify = Für eine Berichtigung
portal-category = Welche Daten
portal-none = Keine
portal-value = Der richtige Wert
portal-post-mortem = Für Verfügungen für den Todesfall
portal-pm-action = Verfügung
portal-pm-record = Meine Verfügung hinterlegen
portal-pm-revoke = Meine Verfügungen widerrufen
portal-pm-execute = Die Verfügung einer verstorbenen Person umsetzen, die mich benannt hat
portal-pm-instructions = Was mit den Daten geschehen soll
portal-pm-erase = Löschen
portal-pm-transmit = Eine Kopie an die von mir benannte Person übergeben
portal-pm-keep = Unverändert aufbewahren
portal-pm-other = Mit der Umsetzung betraute Person (oder, zur Umsetzung einer Verfügung, die Adresse der verstorbenen Person)
portal-send = Absenden
portal-code-title = Antrag bestätigen
portal-code-intro = Wir haben einen Code an Ihre Adresse gesendet. Geben Sie ihn hier ein, um Ihren Antrag zu bestätigen.
portal-code = Code
portal-confirm = Bestätigen
portal-done-title = Antrag bestätigt
portal-done = Vielen Dank. Ihr Antrag ist bestätigt; wir antworten Ihnen per E-Mail.
portal-document-title = Ausweisdokument
portal-document-intro = Übermitteln Sie eine Kopie eines Ausweisdokuments (PDF, JPEG oder PNG). Wir löschen sie, sobald Ihre Identität bestätigt ist.
portal-document = Ihr Dokument
portal-document-done = Vielen Dank: Ihr Dokument ist bei uns eingegangen.
portal-download-title = Ihre Daten
portal-download-intro = Eine Kopie Ihrer Daten steht bereit ({ $format }). Der Link funktioniert einmal: Die Datei wird heruntergeladen, wenn Sie auf die Schaltfläche klicken, und der Link wird danach ungültig.
portal-download-button = Meine Daten herunterladen
portal-download-invalid = Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen. Wenn Sie Ihre Daten weiterhin benötigen, stellen Sie bitte einen neuen Antrag.
portal-error-title = Ihr Antrag konnte nicht gesendet werden
portal-error-internal = Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.
portal-too-large = Die Datei ist zu groß: Bitte senden Sie eine Datei von höchstens { $mib } MiB.
portal-too-many = Zu viele Anfragen von Ihrer Adresse. Bitte warten Sie eine Minute und versuchen Sie es erneut.

## The staff console (/console).
console-skip = Zum Inhalt springen
console-role = Angemeldet als
console-sign-out = Abmelden
console-nav = Bereiche der Konsole
console-nav-dashboard = Übersicht
console-nav-requests = Anträge
console-done = Erledigt.
console-error-title = Dies konnte nicht ausgeführt werden
console-error-internal = Auf dem Server ist ein Fehler aufgetreten; Näheres steht in seinem Protokoll.
console-back-dashboard = Zurück zur Übersicht
console-back-queue = Zurück zu den Anträgen
console-requests-title = Anträge betroffener Personen
console-requests-caption = Anträge, nächste Frist zuerst
console-requests-none = Kein Antrag entspricht diesen Filtern.
console-requests-range = Anträge { $first } bis { $last } von { $total }
console-previous-page = Vorherige Seite
console-next-page = Nächste Seite
console-filters = Filter
console-any = Alle
console-apply = Anwenden
console-open-only = Nur offene Anträge
console-request = Antrag
console-request-title = Antrag einer betroffenen Person
console-request-kind = Art
console-request-status = Stand
console-request-received = Eingegangen
console-request-due = Gesetzliche Frist
console-request-closed = Abgeschlossen
console-request-handler = Bearbeiter
console-request-email = Adresse der antragstellenden Person
console-request-language = Sprache
console-request-details = Einzelheiten
console-request-purposes = Genannte Zwecke
console-request-subjects = Gefundene Personen
console-request-doubt = Zweifel an der Identität
console-request-document = Ausweisdokument
console-request-extension = Grund der Verlängerung
console-request-refusal = Abgelehnt, weil
console-request-unfounded = offenkundig unbegründet oder exzessiv
console-request-outcome = Ergebnis
console-request-notified = Benachrichtigte Empfänger
console-request-changes = Verlangte Berichtigungen
console-request-pending-dpo = Dem Datenschutzbeauftragten überlassen:
console-request-partly-done = Teilweise erledigt, wird automatisch erneut versucht:
console-request-steps = Nächste Schritte
console-request-closed-steps = Dieser Antrag ist abgeschlossen.
console-request-history = Verlauf
console-request-letters = Schreiben und Mitteilungen
console-request-no-letters = Noch kein Schreiben.
console-request-requester = die antragstellende Person
console-category = Kategorie
console-value = Wert
console-when = Wann
console-what = Was
console-who = Wer
console-note = Vermerk
console-nobody = Noch niemand
console-overdue = Überfällig
console-due-soon = Fällig innerhalb von 7 Tagen
console-letter-to = An
console-letter-channel = Kanal
console-letter-state = Stand
console-letter-attempts = Versuche
console-letter-delivered = Zugestellt
console-letter-error = Letzter Fehler
console-step-assignee = Bearbeiter (Kennung des Mitarbeiters)
console-step-assign = Zuweisen
console-step-confirm-identity = Identität bestätigen
console-step-complete = Antrag abschließen
console-step-extend-reason = Grund der Verlängerung (wird der antragstellenden Person mitgeteilt)
console-step-extend = Um zwei Monate verlängern
console-step-doubt-note = Was an der Identität zweifeln lässt
console-step-doubt = Ausweisdokument anfordern
console-step-refuse-reasons = Gründe der Ablehnung (werden der antragstellenden Person mitgeteilt)
console-step-unfounded = Offenkundig unbegründet oder exzessiv
console-step-justification = Begründung (für die Aufsichtsbehörde aufbewahrt)
console-step-refuse = Ablehnen
console-step-lift = Einschränkung aufheben
console-status-received = Wartet auf den Code
console-status-awaiting-identity = Wartet auf ein Ausweisdokument
console-status-verified = Bestätigt
console-status-in-progress = In Bearbeitung
console-status-extended = Verlängert
console-status-completed = Erledigt
console-status-refused = Abgelehnt
console-nav-subjects = Personen
console-subjects-title = Person suchen
console-search = Suche
console-search-by = Nach
console-search-email = E-Mail-Adresse
console-search-phone = Telefonnummer
console-search-login = Benutzername
console-search-value = Wert
console-search-purpose = Zu welchem Zweck
console-search-button = Suchen
console-search-audited = Jede Suche wird mit dem gewählten Zweck im Prüfprotokoll erfasst.
console-search-none = Niemand gefunden.
console-search-results = Gefundene Personen
console-subject = Person
console-subject-title = Person
console-subject-kind = Art
console-subject-created = Bekannt seit
console-subject-fields = Daten, die Ihre Rolle lesen darf
console-subject-no-fields = Ihre Rolle darf keine Daten dieser Person lesen.
console-subject-consents = Einwilligungen
console-subject-proof = Einwilligungsnachweis exportieren
console-subject-purpose = Zweck
console-subject-choice = Entscheidung
console-subject-events = Ereignisse
console-subject-disclosures = Weitergaben
console-subject-recipient = Empfänger
console-subject-what = Was weitergegeben wurde
console-subject-requests = Anträge
console-subject-no-requests = Kein Antrag betrifft diese Person.
console-subject-retention = Speicherdauer je Kategorie
console-subject-retention-caption = Jede Datenkategorie dieser Person, ihre aktuelle Speicherphase und der nächste Schritt
console-subject-phase = Aktuelle Phase
console-subject-next-step = Nächster Schritt
console-subject-no-next-step = Keiner mehr
console-phase-active = In aktiver Nutzung
console-phase-archive = Archiviert (lesbar für { $readers })
console-phase-expired = Speicherdauer abgelaufen: beim nächsten Durchlauf gelöscht, sofern nicht gesperrt
console-step-archive = archivieren
console-step-delete = löschen
console-step-anonymise = anonymisieren
console-step-due = { $action } am { $date } (Regel { $rule })
console-step-held = durch eine Aufbewahrungsanordnung ausgesetzt
console-back-search = Zurück zur Suche
console-none = Keine.
console-consent-given = Erteilt
console-consent-refused = Abgelehnt
console-consent-withdrawn = Widerrufen
console-consent-expired = Abgelaufen
console-nav-audit = Prüfprotokoll
console-audit-title = Prüfprotokoll
console-audit-caption = Einträge, älteste zuerst
console-audit-subject = Kennung der Person
console-audit-principal = Handelnder
console-audit-from = Von (Tag, UTC)
console-audit-to = Bis (Tag, UTC)
console-audit-action = Aktion
console-audit-categories = Kategorien
console-audit-outcome = Ergebnis
console-audit-none = Kein Eintrag entspricht diesen Filtern.
console-audit-next = Weitere Einträge
console-audit-verification = Prüfung
console-audit-verify = Jetzt prüfen
console-audit-verified-at = Zuletzt geprüft
console-audit-intact = unversehrt
console-audit-broken = beschädigt
console-audit-never-verified = Das Prüfprotokoll wurde noch nicht geprüft.
console-audit-any-action = Alle Aktionen
console-dashboard-due = Überfällige oder innerhalb von 7 Tagen fällige Anträge
console-dashboard-none-due = Kein offener Antrag ist überfällig oder innerhalb von 7 Tagen fällig.
console-dashboard-all-open = Alle offenen Anträge
console-dashboard-figures-as-of = Zahlen mit Stand { $at }, alle fünf Minuten neu berechnet.
console-dashboard-due-shown = Die { $shown } dringendsten von { $total } werden angezeigt; die Antragsliste enthält alle.
console-dashboard-retention = Speicherfristen in den nächsten 30 Tagen
console-dashboard-retention-more = Mehr als
console-dashboard-retention-steps = Schritte der Speicherdauer (Archivierung, Löschung oder Anonymisierung) werden fällig.
console-dashboard-outbox = Nicht zugestellte Nachrichten
console-dashboard-outbox-none = Jedes Schreiben und jede Mitteilung wurde zugestellt oder wird noch versucht.
console-dashboard-outbox-count = Schreiben oder Mitteilungen konnten nicht zugestellt werden und werden nicht erneut versucht.
console-dashboard-outbox-latest = Die letzten nicht zugestellten Nachrichten
console-dashboard-outbox-failed-at = Aufgegeben
console-dashboard-outbox-no-request = Keiner (Mitteilung einer Datenschutzverletzung)
console-dashboard-consents = Einwilligungen der letzten 12 Wochen
console-dashboard-consents-legend = Balken je Woche, von unten: erteilt (grün), abgelehnt (rot), widerrufen (violett). Die Zahlen stehen in der Tabelle unter jedem Diagramm.
console-dashboard-no-consents = In den letzten 12 Wochen wurde keine Einwilligung erfasst.
console-dashboard-week = Woche
console-dashboard-given = Erteilt
console-dashboard-refused = Abgelehnt
console-dashboard-withdrawn = Widerrufen
console-dashboard-banner = Entscheidungen im Cookie-Banner der letzten 12 Wochen
console-dashboard-banner-rate = der Entscheidungen im Banner akzeptierten alle Zwecke (Balken: alle akzeptiert grün, einige rot, alle abgelehnt violett).
console-dashboard-banner-all = Alle akzeptiert
console-dashboard-banner-some = Einige akzeptiert
console-dashboard-banner-none = Alle abgelehnt
console-rectify = Feld berichtigen
console-rectify-value = Richtiger Wert
console-rectify-button = Berichtigen
console-erase-link = Diese Person löschen …
console-erase-title = Person löschen
console-erase-back = Zurück zur Person
console-erase-warning = Die Löschung vernichtet den Datenschlüssel dieser Person: Jedes Feld wird in jeder Kopie, Sicherungen eingeschlossen, unlesbar und kann nicht wiederhergestellt werden.
console-erase-confirm = Ich bestätige die Löschung dieser Person
console-erase-button = Endgültig löschen
console-nav-register = Verzeichnis
console-register-title = Verzeichnis von Verarbeitungstätigkeiten
console-register-versions = Veröffentlichte Fassungen der Erklärungen
console-register-diff = Änderungen zwischen Fassungen
console-register-purposes = Zwecke
console-register-categories = Datenkategorien
console-register-recipients = Empfänger
console-register-transfers = Übermittlungen außerhalb des EWR
console-register-retention = Speicherregeln
console-register-id = Kennung
console-register-name = Name
console-register-basis = Rechtsgrundlage
console-register-sensitive = Sensibel
console-register-countries = Länder
console-register-country = Land
console-register-mechanism = Garantie
console-register-trigger = Berechnet ab
console-register-phases = Phasen
console-yes = Ja
console-no = Nein
console-register-version = Fassung
console-register-effective = In Kraft seit
console-register-in-force = in Kraft
console-nav-retention = Speicherdauer
console-retention-title = Speicherdauer
console-retention-window = Zeitraum
console-retention-days = Tage ab heute
console-retention-plan = Fällig werdende Schritte, nächste zuerst
console-retention-no-steps = In diesem Zeitraum wird kein Schritt fällig.
console-retention-truncated = Es werden mehr Schritte fällig, als hier aufgeführt sind.
console-retention-planned = Geplant am { $at }: Der Plan wird alle fünf Minuten neu erstellt, und sofort nach einem Löschdurchlauf oder einer Änderung einer Aufbewahrungsanordnung.
console-retention-rule = Regel
console-retention-action = Aktion
console-holds = Aufbewahrungsanordnungen
console-hold-place = Aufbewahrungsanordnung erlassen (für eine Person, eine Regel oder beides)
console-hold-reason = Grund (ein Aktenzeichen, niemals personenbezogene Daten)
console-hold-place-button = Anordnung erlassen
console-hold-placed = Erlassen
console-hold-released = Aufgehoben
console-hold-release = Aufheben
console-nav-breaches = Datenschutzverletzungen
console-breaches-title = Verzeichnis der Datenschutzverletzungen
console-breaches-caption = Verletzungen, offene zuerst, nächste Frist zuerst
console-breaches-none = Keine Verletzung erfasst.
console-breach = Verletzung
console-breach-state = Stand
console-breach-open = Offen
console-breach-closed = Abgeschlossen
console-breach-aware = Bekannt seit
console-breach-deadline = Frist zur Meldung an die Aufsichtsbehörde
console-breach-clock = 72-Stunden-Frist
console-breach-hours-left = noch { $hours } Stunden
console-breach-decided = Entscheidung zur Meldung erfasst
console-breach-notified-late = Aufsichtsbehörde verspätet benachrichtigt
console-breach-record = Verletzung erfassen
console-breach-aware-at = Zeitpunkt der Kenntnisnahme (UTC)
console-breach-nature = Art
console-breach-nature-confidentiality = Vertraulichkeit
console-breach-nature-integrity = Integrität
console-breach-nature-availability = Verfügbarkeit
console-breach-description = Beschreibung
console-breach-categories = Betroffene Datenkategorien
console-breach-people = Ungefähre Zahl der betroffenen Personen
console-breach-records = Ungefähre Zahl der betroffenen Datensätze
console-breach-consequences = Wahrscheinliche Folgen
console-breach-measures = Ergriffene oder vorgeschlagene Maßnahmen
console-breach-subjects = Kennungen der betroffenen Personen (eine je Zeile)
console-breach-record-button = Verletzung erfassen
console-back-breaches = Alle Verletzungen
console-breach-recorded = Erfasst
console-breach-affected = Betroffene Personen erfasst
console-breach-authority = Aufsichtsbehörde (Art. 33)
console-breach-undecided = Noch keine Entscheidung.
console-breach-notified = Gemeldet
console-breach-not-notified = Nicht gemeldet
console-breach-reference = Aktenzeichen der Behörde
console-breach-notified-at = Gemeldet am (UTC; leer für jetzt)
console-breach-late-reason = Grund der Verzögerung (nach Fristablauf erforderlich)
console-breach-notify-button = Meldung erfassen
console-breach-not-notify-reason = Warum die Verletzung voraussichtlich nicht zu einem Risiko für die Personen führt
console-breach-not-notify-button = Erfassen: nicht gemeldet
console-breach-people-title = Betroffene Personen (Art. 34)
console-breach-informed = Benachrichtigt
console-breach-not-informed = Nicht benachrichtigt
console-breach-channel = Wie die Personen benachrichtigt werden
console-breach-channel-email = Per E-Mail (ein Schreiben an jede betroffene Person, über den Postausgang)
console-breach-channel-post = Per Post
console-breach-channel-phone = Telefonisch
console-breach-channel-public-notice = Öffentliche Bekanntmachung
console-breach-channel-other = Sonstiges
console-breach-informed-at = Benachrichtigt am (UTC; leer für jetzt)
console-breach-inform-button = Erfassen: benachrichtigt
console-breach-reason = Warum die Personen nicht benachrichtigt werden
console-breach-reason-no-high-risk = Voraussichtlich kein hohes Risiko (Art. 34 Abs. 1)
console-breach-reason-unintelligible = Die Daten sind für Unbefugte unzugänglich, z. B. verschlüsselt (Art. 34 Abs. 3 lit. a)
console-breach-reason-risk-neutralised = Nachfolgende Maßnahmen stellen sicher, dass das hohe Risiko aller Wahrscheinlichkeit nach nicht mehr besteht (Art. 34 Abs. 3 lit. b)
console-breach-reason-disproportionate-effort = Unverhältnismäßiger Aufwand; stattdessen öffentliche Bekanntmachung (Art. 34 Abs. 3 lit. c)
console-breach-explanation = Warum dieser Grund vorliegt
console-breach-not-inform-button = Erfassen: nicht benachrichtigt
console-breach-letters = { $queued } Schreiben in der Warteschlange; { $without } Personen ohne E-Mail-Adresse
console-breach-close = Verletzung abschließen
console-breach-reopen = Verletzung wieder öffnen
console-breach-timeline = Zeitleiste
console-breach-detail = Einzelheiten
console-breach-export-json = Zeitleiste als JSON
console-breach-export-csv = Zeitleiste als CSV
console-dashboard-breaches = Offene Verletzungen
console-dashboard-no-breaches = Keine Verletzung ist offen.
console-dashboard-all-breaches = Das Verzeichnis der Verletzungen

## Console: staff, API keys and the access review
console-nav-staff = Mitarbeiter und Schlüssel
console-nav-access-review = Zugriffsüberprüfung
console-staff-title = Mitarbeiterkonten und API-Schlüssel
console-staff-users = Mitarbeiterkonten
console-staff-add = Konto hinzufügen
console-staff-add-button = Konto hinzufügen
console-staff-email = E-Mail
console-staff-role = Rolle
console-staff-created = Angelegt
console-staff-last-sign-in = Letzte Anmeldung
console-staff-disabled = Deaktiviert
console-staff-actions = Aktionen
console-staff-disable = Deaktivieren
console-staff-enable = Aktivieren
console-staff-never = Nie
console-staff-added = Konto hinzugefügt
console-staff-password-once = Das Passwort, nur dieses eine Mal angezeigt: Geben Sie es der Person über einen sicheren Kanal weiter.
console-staff-back = Zurück zu Mitarbeiterkonten und Schlüsseln
console-keys = API-Schlüssel
console-key-create = API-Schlüssel erstellen
console-key-create-button = Schlüssel erstellen
console-key-name = Name (was den Schlüssel verwendet)
console-key-last-used = Zuletzt verwendet
console-key-revoked = Widerrufen
console-key-revoke = Widerrufen
console-key-created = API-Schlüssel erstellt
console-key-once = Der Schlüssel, nur dieses eine Mal angezeigt: Übernehmen Sie ihn jetzt in die Konfiguration des Dienstes.
console-unused = Unbenutzt
console-review-title = Zugriffsüberprüfung
console-review-due = Nächste Überprüfung fällig:
console-review-unused-days = Als unbenutzt markiert nach so vielen Tagen ohne Nutzung:
console-reviews = Erfasste Überprüfungen
console-review-record = Überprüfung erfassen
console-review-record-button = Überprüfung erfassen
console-review-notes = Was die Überprüfung ergeben und geändert hat
console-review-by = Geprüft von
console-dashboard-review = Zugriffsüberprüfung
console-signin-code-title = Zweiter Faktor
console-signin-code-label = Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode
console-signin-continue = Weiter
console-signin-restart = Neu beginnen
console-signin-wrong-code = Falscher, abgelaufener oder bereits verwendeter Code.
console-signin-throttled = Zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von dieser Adresse: Versuchen Sie es in { $seconds } s erneut.
console-nav-account = Mein Konto
console-account-title = Mein Konto
console-factor-title = Zweiter Faktor
console-factor-required = Ihre Rolle erfordert einen zweiten Faktor: Richten Sie ihn zuerst ein.
console-factor-add-to-app = Fügen Sie dieses Konto mit dem folgenden Geheimnis (oder der otpauth-Adresse) Ihrer Authenticator-App hinzu und geben Sie dann den angezeigten Code ein. Beides wird nur dieses eine Mal angezeigt.
console-factor-secret = Geheimnis (Base32)
console-factor-uri = otpauth-Adresse
console-factor-code = Code aus Ihrer Authenticator-App
console-factor-confirm = Bestätigen
console-factor-codes-once = Ihre Wiederherstellungscodes, nur dieses eine Mal angezeigt: Bewahren Sie sie sicher auf. Jeder meldet Sie einmal an, falls Sie die App verlieren.
console-factor-codes-saved = Ich habe sie gespeichert
console-factor-on = Ein zweiter Faktor schützt dieses Konto.
console-factor-off = Noch schützt kein zweiter Faktor dieses Konto.
console-factor-enrol = Zweiten Faktor einrichten
console-factor-new-codes = Wiederherstellungscodes ersetzen
console-factor-disable = Zweiten Faktor entfernen
console-sessions = Meine Sitzungen
console-session-expires = Läuft ab
console-session-current = (diese Sitzung)
console-session-revoke = Beenden
console-session-revoke-others = Alle meine anderen Sitzungen beenden
record-title = Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)
record-updated = Stand: { $date }
record-col-id = Kennung
record-col-activity = Verarbeitungstätigkeit
record-col-controller = Verantwortlicher
record-col-representative = Vertreter
record-col-dpo = Datenschutzbeauftragter
record-col-purpose = Zweck
record-col-legal-basis = Rechtsgrundlage
record-col-subjects = Kategorien betroffener Personen
record-col-data = Kategorien personenbezogener Daten
record-col-special = Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO)
record-col-recipients = Empfänger
record-col-transfers = Übermittlungen in Drittländer und Garantien
record-col-retention = Fristen für die Löschung
record-col-security = Technische und organisatorische Maßnahmen
record-col-updated = Zuletzt aktualisiert
record-none = Keine
record-basis-consent = Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)
record-basis-contract = Vertrag (Art. 6 Abs. 1 lit. b DSGVO)
record-basis-legal-obligation = Rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO)
record-basis-vital-interest = Lebenswichtige Interessen (Art. 6 Abs. 1 lit. d DSGVO)
record-basis-public-task = Aufgabe im öffentlichen Interesse (Art. 6 Abs. 1 lit. e DSGVO)
record-basis-legitimate-interest = Berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO)
record-law = Rechtsvorschrift
record-kind-internal = intern
record-kind-processor = Auftragsverarbeiter
record-kind-third-party = Dritter
record-kind-joint-controller = gemeinsam Verantwortlicher
record-kind-authority = Behörde
record-kind-public = Öffentlichkeit
record-recipient = { $name } ({ $kind })
record-transfer = { $recipient }, { $country }: { $safeguard }
record-retention = { $categories } ({ $trigger }): { $phases }; { $end }
record-phase-active = { $duration } im aktiven Bestand
record-phase-archive = { $duration } gesperrt aufbewahrt
record-phase-then = {", danach "}
record-end-delete = danach gelöscht
record-end-anonymise = danach anonymisiert

## Kinder
section-children = Kinder
children-adults = Unsere Dienste richten sich an Erwachsene. Wir erheben nicht wissentlich Daten von Kindern, die das Alter der digitalen Einwilligung noch nicht erreicht haben.
children-everyone = Kinder, die das Alter der digitalen Einwilligung noch nicht erreicht haben, dürfen unsere Dienste nutzen. Beruht eine Verarbeitung auf einer Einwilligung, ist jedoch zusätzlich die Einwilligung des Trägers der elterlichen Verantwortung erforderlich; bis sie vorliegt, verarbeiten wir die Daten des Kindes nicht auf dieser Grundlage.
children-ages = Das Alter der digitalen Einwilligung beträgt:
children-age-country = { $country }: { $age } Jahre
children-age-elsewhere = Übrige Länder: { $age } Jahre
children-found = Erfahren wir, dass wir ohne Einwilligung des Trägers der elterlichen Verantwortung Daten eines Kindes unter diesem Alter verarbeiten, verarbeiten wir sie nicht mehr auf Grundlage einer Einwilligung, bis diese vorliegt.
children-found-erase = Erfahren wir, dass wir ohne Einwilligung des Trägers der elterlichen Verantwortung Daten eines Kindes unter diesem Alter verarbeiten, verarbeiten wir sie nicht mehr auf Grundlage einer Einwilligung und bitten um diese Einwilligung. Liegt sie nicht fristgerecht vor, löschen wir die Daten des Kindes (Frist: { $duration }).

## Nachrichten eines Zwecks
purpose-unsubscribe-link = Jede Nachricht, die wir Ihnen zu diesem Zweck senden, enthält einen Link, mit dem Sie weitere Nachrichten mit einem Klick abbestellen können.
purpose-service-messages = Diese Nachrichten sind Teil des Dienstes: Sie erhalten sie, solange Ihr Konto besteht, und können sie nicht abbestellen. Sie enthalten nie Angebote oder Werbung.

## Speicherdauer: mehrere Ereignisse, Einwilligung, Mindestfristen, erneute Nachfrage
trigger-consent-ended = nach dem Ende Ihrer Einwilligung
trigger-whichever-first = { $triggers }, je nachdem, was zuerst eintritt
trigger-whichever-later = { $triggers }, je nachdem, was später eintritt
retention-at-least = mindestens { $duration }
retention-law = solange { $law } es vorschreibt
retention-reason-law = { $reason }, solange { $law } es vorschreibt
retention-while-consent = Diese Daten speichern wir nur, solange Ihre Einwilligung in „{ $purpose }“ besteht; ohne sie speichern wir sie nicht.
retention-end-ask-again = Nach Ablauf dieser Frist fragen wir Sie schriftlich, ob wir Ihre Daten weiter speichern sollen. Antworten Sie nicht innerhalb der Frist ({ $duration }), löschen wir sie; antworten Sie, beginnen die obigen Fristen von Neuem.
record-end-ask-again = danach erneute Nachfrage bei der betroffenen Person und Löschung, wenn binnen der Frist ({ $duration }) keine Antwort eingeht
