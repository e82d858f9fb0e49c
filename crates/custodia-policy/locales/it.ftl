# Custodia — testi in italiano.
# Ogni identificativo di en.ftl deve esistere anche qui (lo verifica un test unitario).

## Formatting: durations, dates, lists

# I numeri piccoli in lettere, come li scrive la prosa giuridica («entro un mese»).
duration-years = { $count ->
    [1] un anno
    [2] due anni
    [3] tre anni
    [4] quattro anni
    [5] cinque anni
    [6] sei anni
    [7] sette anni
    [8] otto anni
    [9] nove anni
    [one] { $count } anno
   *[other] { $count } anni
}
duration-months = { $count ->
    [1] un mese
    [2] due mesi
    [3] tre mesi
    [4] quattro mesi
    [5] cinque mesi
    [6] sei mesi
    [7] sette mesi
    [8] otto mesi
    [9] nove mesi
    [one] { $count } mese
   *[other] { $count } mesi
}
duration-weeks = { $count ->
    [1] una settimana
    [2] due settimane
    [3] tre settimane
    [4] quattro settimane
    [5] cinque settimane
    [6] sei settimane
    [7] sette settimane
    [8] otto settimane
    [9] nove settimane
    [one] { $count } settimana
   *[other] { $count } settimane
}
duration-days = { $count ->
    [1] un giorno
    [2] due giorni
    [3] tre giorni
    [4] quattro giorni
    [5] cinque giorni
    [6] sei giorni
    [7] sette giorni
    [8] otto giorni
    [9] nove giorni
    [one] { $count } giorno
   *[other] { $count } giorni
}
date = { $day ->
    [1] 1º
   *[other] { $day }
} { $month } { $year }
month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre
list-separator = {", "}
list-separator-strong = {"; "}
list-and = {" e "}
list-or = {" o "}

## Layout

ui-contents = Indice
ui-label-separator = {": "}
effective-date = Data di entrata in vigore: { $date }
last-updated = Ultimo aggiornamento: { $date }

## Cookie banner (shared with the banner itself)

banner-accept-all = Accetta tutto
banner-refuse-all = Rifiuta tutto
banner-customise = Personalizza
banner-preferences-link = Preferenze cookie
banner-title = Le Sue scelte sui cookie
banner-body = Con il Suo consenso, { $controller } e i suoi partner utilizzano strumenti di tracciamento per le finalità indicate di seguito. Può accettarli, rifiutarli o scegliere finalità per finalità. Rifiutare è semplice quanto accettare, e può cambiare idea in qualsiasi momento tramite il link «Preferenze cookie».
banner-save = Salva le mie scelte
banner-back = Indietro
banner-services = Servizi
banner-gpc-notice = Il Suo browser invia un segnale Global Privacy Control: lo consideriamo come rifiuto della pubblicità e della vendita o condivisione dei Suoi dati, che restano quindi disattivate.
banner-changed = Alcune finalità sono nuove o sono cambiate dalla Sua ultima scelta: La preghiamo di scegliere nuovamente per queste.
banner-policy-link = Cookie policy

## Subject pages: unsubscribe links and consent preferences

subject-unsubscribe-title = Annulla l'iscrizione
subject-unsubscribe-confirm = Desidera che i Suoi dati non siano più utilizzati per «{ $purpose }»?
subject-unsubscribe-button = Annulla l'iscrizione
subject-unsubscribe-done = Fatto: i Suoi dati non sono più utilizzati per «{ $purpose }».
subject-keep-title = Conservare i Suoi dati
subject-keep-confirm = Desidera che { $controller } conservi i Suoi dati? Se conferma, li conserviamo e i periodi di conservazione della nostra informativa sulla privacy decorrono di nuovo da oggi.
subject-keep-button = Conservare i miei dati
subject-keep-done = Grazie: conserviamo i Suoi dati.
subject-link-invalid = Questo link non è valido o è scaduto.
subject-erased = Non c'è più nulla da modificare: i Suoi dati sono stati cancellati.
subject-preferences-title = I Suoi consensi
subject-preferences-intro = Qui può vedere e modificare i consensi prestati. Revocare il consenso è semplice quanto prestarlo e ha effetto immediato.
subject-state-given = Consenso prestato
subject-state-refused = Rifiutato
subject-state-withdrawn = Consenso revocato
subject-state-expired = Consenso scaduto
subject-state-none = Nessuna scelta ancora
subject-state-objected = Opposizione esercitata
subject-state-not-objected = In uso: può opporsi in qualsiasi momento
subject-action-give = Presta il consenso
subject-action-withdraw = Revoca il consenso
subject-action-object = Opponiti

## Shared pieces

service-default = i nostri servizi
site-default = il nostro sito
reach-email = via e-mail all'indirizzo { $contact }
reach-url = tramite { $contact }
reach-phone = telefonicamente al numero { $contact }
link-privacy-policy = informativa privacy
link-opt-out = opposizione (opt-out)
role-admin = amministratori
role-dpo = responsabile della protezione dei dati
role-auditor = revisori
role-authorised = personale autorizzato

## Field labels and column headings

field-legal-name = Denominazione sociale
field-trading-name = Nome commerciale
field-legal-form = Forma giuridica
field-share-capital = Capitale sociale
field-registration = Iscrizione al registro
field-address = Indirizzo
field-email = E-mail
field-phone = Telefono
field-website = Sito web
field-contact-url = Pagina di contatto
field-service = Servizio interessato
field-name = Nome
field-legal-basis = Base giuridica
field-legitimate-interest = Interesse perseguito
field-legal-reference = Obbligo di legge
field-subjects = Interessati
field-data-used = Dati trattati
field-data-required = Dati obbligatori
field-data-optional = Dati facoltativi
field-requirement = Obbligo di conferimento dei dati
field-consequence = Conseguenze del mancato conferimento
field-recipients = Destinatari
field-consent = Consenso
field-authority = Autorità
field-complaint-url = Reclamo online
field-logic = Logica utilizzata
field-significance = Conseguenze per Lei
field-human-review = Intervento umano e contestazione
col-data = Dati
col-details = Dettagli
col-source = Origine
col-service = Servizio
col-provider = Fornitore
col-data-collected = Dati raccolti
col-links = Ulteriori informazioni
col-recipient = Destinatario
col-role = Ruolo
col-countries = Paesi
col-country = Paese
col-safeguard = Garanzia
col-copy = Copia delle garanzie
col-situation = Situazione in cui avviene il trasferimento
col-name = Nome
col-kind = Tipo
col-purpose = Finalità
col-lifetime = Durata
col-consent = Consenso

## Privacy policy

privacy-title = Informativa sul trattamento dei dati personali
privacy-intro-default = La presente informativa, resa ai sensi degli articoli 13 e 14 del Regolamento (UE) 2016/679 («GDPR»), descrive come { $controller } raccoglie e utilizza i dati personali quando Lei utilizza { $service } e quali diritti Le spettano su tali dati.

section-controller = Titolare del trattamento
controller-intro = { $controller } è il titolare del trattamento dei Suoi dati personali: determina le finalità e i mezzi del trattamento.
controller-intro-brand = { $legal_name } («{ $brand }») è il titolare del trattamento dei Suoi dati personali: determina le finalità e i mezzi del trattamento.

section-dpo = Responsabile della protezione dei dati
dpo-intro = Abbiamo designato un responsabile della protezione dei dati (RPD o DPO), che può contattare per qualsiasi questione relativa ai Suoi dati e ai Suoi diritti.
dpo-none = Non abbiamo designato un responsabile della protezione dei dati. Per qualsiasi questione relativa ai Suoi dati o ai Suoi diritti, può contattarci { $contact }.

section-representative = Il nostro rappresentante nell'Unione europea
representative-intro = Può rivolgersi anche al nostro rappresentante nell'Unione europea.

section-data = Dati personali trattati
data-subjects-intro = Trattiamo dati personali delle seguenti categorie di interessati:
data-table-intro = La tabella seguente elenca i dati che trattiamo e la loro origine.
source-subject = { $gender ->
    [masculine] Fornito da Lei
    [feminine] Fornita da Lei
    [masculine-plural] Forniti da Lei
   *[feminine-plural] Fornite da Lei
}
source-observed = { $gender ->
    [masculine] Raccolto automaticamente durante l'utilizzo del servizio
    [feminine] Raccolta automaticamente durante l'utilizzo del servizio
    [masculine-plural] Raccolti automaticamente durante l'utilizzo del servizio
   *[feminine-plural] Raccolte automaticamente durante l'utilizzo del servizio
}
source-third-party = { $gender ->
    [masculine] Ricevuto da terzi
    [feminine] Ricevuta da terzi
    [masculine-plural] Ricevuti da terzi
   *[feminine-plural] Ricevute da terzi
}
source-inferred = { $gender ->
    [masculine] Ricavato da noi da altri dati
    [feminine] Ricavata da noi da altri dati
    [masculine-plural] Ricavati da noi da altri dati
   *[feminine-plural] Ricavate da noi da altri dati
}
source-with-detail = { $source } ({ $detail })
data-sensitive-mark = Categoria particolare di dati (art. 9 GDPR)
data-never-stored-mark = { $gender ->
    [masculine] Utilizzato quando necessario, mai conservato
    [feminine] Utilizzata quando necessario, mai conservata
    [masculine-plural] Utilizzati quando necessario, mai conservati
   *[feminine-plural] Utilizzate quando necessario, mai conservate
}
data-sensitive = Alcuni di questi dati rientrano nelle categorie particolari di cui all'art. 9 GDPR e sono oggetto di una protezione rafforzata: { $categories }.
data-no-sensitive = Non trattiamo categorie particolari di dati, quali dati relativi alla salute, opinioni politiche o convinzioni religiose.
data-never-stored = I seguenti dati sono utilizzati solo nel momento in cui servono e non sono mai conservati: { $categories }.

section-purposes = Finalità e base giuridica del trattamento
purposes-intro = Trattiamo i Suoi dati esclusivamente per le finalità indicate di seguito, ciascuna fondata su una delle basi giuridiche previste dal GDPR.
basis-consent = Il Suo consenso (art. 6, par. 1, lett. a) GDPR)
basis-contract = Esecuzione di un contratto di cui Lei è parte o di misure precontrattuali adottate su Sua richiesta (art. 6, par. 1, lett. b) GDPR)
basis-legal-obligation = Adempimento di un obbligo legale (art. 6, par. 1, lett. c) GDPR)
basis-legitimate-interest = Il nostro legittimo interesse (art. 6, par. 1, lett. f) GDPR)
basis-vital-interest = Salvaguardia degli interessi vitali Suoi o di un'altra persona fisica (art. 6, par. 1, lett. d) GDPR)
basis-public-task = Esecuzione di un compito di interesse pubblico (art. 6, par. 1, lett. e) GDPR)
requirement-statutory = Il conferimento di questi dati è un obbligo di legge.
requirement-contractual = Il conferimento di questi dati è un obbligo contrattuale.
requirement-contract-prerequisite = Questi dati sono necessari per concludere un contratto con noi.
requirement-service-prerequisite = Questi dati sono necessari per dare seguito alla Sua richiesta.
requirement-voluntary = Il conferimento di questi dati è facoltativo.
consent-collected = Lei presta il consenso { $methods } e può revocarlo in qualsiasi momento.
consent-by-banner = tramite il banner dei cookie
consent-by-form = selezionando una casella in un modulo
consent-by-api = nella nostra applicazione
consent-lifetime = Il consenso è valido per { $duration }, trascorsi i quali Le verrà richiesto nuovamente.
purpose-direct-marketing = Può opporsi a questo trattamento in qualsiasi momento, senza doverne indicare il motivo, e vi porremo fine.
purpose-direct-marketing-consent = Può revocare il Suo consenso in qualsiasi momento, senza doverne indicare il motivo, e cesseremo il trattamento.
field-purpose-rights = I Suoi diritti per questo trattamento
purpose-rights-consent = Può revocare il Suo consenso in qualsiasi momento, con la stessa facilità con cui lo ha prestato; la revoca non pregiudica la liceità del trattamento effettuato prima. Può inoltre ricevere i dati che ci ha fornito in un formato riutilizzabile.
purpose-rights-contract = Può ricevere i dati che ci ha fornito in un formato riutilizzabile. Poiché il trattamento è necessario all'esecuzione del contratto, non può opporvisi finché il contratto è in corso.
purpose-rights-objection = Può opporsi in qualsiasi momento a questo trattamento per motivi connessi alla Sua situazione particolare.
purpose-rights-legal-obligation = Il trattamento è imposto dalla legge: non può opporvisi e i dati non possono essere cancellati finché siamo tenuti a conservarli.
purpose-services-intro = Per questa finalità utilizziamo i seguenti servizi:

section-recipients = Destinatari dei dati
recipients-intro = I Suoi dati sono comunicati solo ai destinatari indicati di seguito, e ciascuno riceve soltanto i dati di cui ha bisogno.
recipients-internal = Il nostro personale
recipients-internal-intro = All'interno della nostra organizzazione, accede ai dati solo il personale autorizzato al trattamento che ne ha bisogno per svolgere le proprie mansioni.
recipients-processor = I nostri responsabili del trattamento
recipients-processor-intro = Questi fornitori trattano i dati per nostro conto ed esclusivamente secondo le nostre istruzioni.
recipients-processor-contract = Ciascuno di essi ha stipulato con noi un contratto che lo vincola a proteggere i Suoi dati (art. 28 GDPR).
recipients-third-party = Altri soggetti
recipients-third-party-intro = Questi soggetti ricevono i dati e li utilizzano per finalità proprie, in qualità di autonomi titolari del trattamento, secondo le rispettive informative privacy.
recipients-joint-controller = Contitolari del trattamento
recipients-joint-controller-intro = Determiniamo congiuntamente con questi soggetti le finalità e i mezzi del trattamento (art. 26 GDPR). Può esercitare i Suoi diritti nei nostri confronti o nei loro.
recipients-authority = Autorità
recipients-authority-intro = Comunichiamo dati a queste autorità solo quando la legge lo impone o lo consente.
recipients-public = Il pubblico
recipients-public-intro = Ciò che sceglie di pubblicare, come una recensione o un profilo pubblico, può essere letto da chiunque.
recipient-only-when = (solo { $when })
recipient-anonymous-aggregates = Solo statistiche aggregate e anonime: nessun dato personale

section-transfers = Trasferimenti al di fuori dello Spazio economico europeo
transfers-none = I Suoi dati restano nello Spazio economico europeo (SEE): non sono trasferiti al di fuori di esso.
transfers-intro = Alcuni destinatari trattano i Suoi dati al di fuori dello Spazio economico europeo (SEE).
transfers-safeguarded = Ciascuno dei seguenti trasferimenti è assistito da una delle garanzie previste dal GDPR:
transfers-derogations = I seguenti trasferimenti non sono assistiti da una garanzia di questo tipo. Si fondano su una deroga in specifiche situazioni (art. 49 GDPR) e avvengono solo nella situazione indicata:
mechanism-adequacy = Decisione di adeguatezza della Commissione europea (art. 45 GDPR)
mechanism-dpf = EU-U.S. Data Privacy Framework: il destinatario è certificato nell'ambito di questo quadro, oggetto di una decisione di adeguatezza della Commissione europea (art. 45 GDPR).
mechanism-dpf-checked = Certificazione verificata l'ultima volta il { $date }.
mechanism-scc = Clausole contrattuali tipo adottate dalla Commissione europea (decisione di esecuzione 2021/914), modulo { $module }: { $name } (art. 46 GDPR)
mechanism-bcr = Norme vincolanti d'impresa approvate da un'autorità di controllo (art. 47 GDPR)
mechanism-derogation = Deroga in specifiche situazioni (art. 49 GDPR): { $ground }
scc-module-1 = trasferimento da titolare a titolare
scc-module-2 = trasferimento da titolare a responsabile
scc-module-3 = trasferimento da responsabile a responsabile
scc-module-4 = trasferimento da responsabile a titolare
transfers-copy-public = La decisione è pubblicata nella Gazzetta ufficiale dell'Unione europea.
transfers-copy-default = Può richiederne una copia { $contact }.

section-retention = Periodo di conservazione dei dati
retention-intro = Conserviamo i Suoi dati solo per il tempo necessario alle finalità per cui sono stati raccolti. Trascorso tale periodo, sono cancellati o resi anonimi.
retention-before = Conserviamo questi dati { $before }.
retention-first = { $duration } { $trigger }
retention-next = Successivamente, per un periodo ulteriore di { $duration }
retention-active = { $when }: in uso attivo.
retention-active-reason = { $when }: in uso attivo (motivo: { $reason }).
retention-archive = { $when }: archiviati con accesso limitato, separati dai dati in uso; accesso consentito solo a: { $roles }.
retention-archive-reason = { $when }: archiviati con accesso limitato, separati dai dati in uso; accesso consentito solo a: { $roles }; motivo: { $reason }.
retention-end-delete = Al termine di questo periodo, i dati sono cancellati.
retention-end-anonymise = Al termine di questo periodo, i dati sono resi anonimi in modo da non consentire più di identificarLa.
retention-unverified-requests = Una richiesta di esercizio dei diritti il cui indirizzo e-mail non viene mai confermato con il codice che inviamo (valido { $minutes } minuti) è cancellata, insieme all'indirizzo che contiene, { $hours } ore dopo la scadenza del codice.
trigger-collected = dalla raccolta
trigger-last-contact = dal Suo ultimo contatto con noi
trigger-account-opened = dall'apertura del Suo account
trigger-account-closed = dalla chiusura del Suo account
trigger-last-connection = dal Suo ultimo accesso
trigger-transaction = dalla transazione
trigger-debit = dall'addebito del pagamento
trigger-deferred-debit = dall'addebito del pagamento differito
trigger-invoice = dall'emissione della fattura
trigger-consent-given = dalla prestazione del consenso
trigger-identity-verified = dalla verifica della Sua identità
trigger-request-closed = dalla chiusura della Sua richiesta
trigger-opposition-recorded = dalla registrazione della Sua opposizione
trigger-contract-end = dalla cessazione del contratto
trigger-custom = da questo evento: «{ $event }»

section-rights = I Suoi diritti
rights-intro = In relazione ai Suoi dati personali, Le spettano i seguenti diritti:
right-access = Diritto di accesso
right-access-text = Può ottenere la conferma che sia o meno in corso un trattamento di dati che La riguardano e, in tal caso, una copia di tali dati insieme alle informazioni sul loro utilizzo (art. 15 GDPR).
right-rectification = Diritto di rettifica
right-rectification-text = Può ottenere la rettifica dei dati inesatti che La riguardano e l'integrazione dei dati incompleti (art. 16 GDPR).
right-erasure = Diritto alla cancellazione
right-erasure-text = Può chiedere la cancellazione dei Suoi dati, in particolare quando non sono più necessari, quando revoca il consenso o quando si oppone al trattamento, salvo che dobbiamo conservarli per adempiere un obbligo legale o per accertare, esercitare o difendere un diritto in sede giudiziaria (art. 17 GDPR).
right-restriction = Diritto di limitazione del trattamento
right-restriction-text = Può chiedere che conserviamo i Suoi dati senza utilizzarli, ad esempio mentre ne verifichiamo l'esattezza o esaminiamo la Sua opposizione (art. 18 GDPR).
right-portability = Diritto alla portabilità dei dati
right-portability-text = Quando trattiamo i Suoi dati con mezzi automatizzati sulla base del Suo consenso o di un contratto, può ricevere i dati che ci ha fornito in un formato strutturato, di uso comune e leggibile da dispositivo automatico, oppure ottenerne la trasmissione diretta a un altro titolare, se tecnicamente fattibile (art. 20 GDPR).
right-objection = Diritto di opposizione
right-objection-text = Può opporsi in qualsiasi momento, per motivi connessi alla Sua situazione particolare, al trattamento fondato sul nostro legittimo interesse o su un compito di interesse pubblico. In tal caso ci asterremo dal trattare ulteriormente i dati, salvo che dimostriamo l'esistenza di motivi legittimi cogenti o che i dati ci servano per accertare, esercitare o difendere un diritto in sede giudiziaria (art. 21 GDPR).
right-objection-marketing-text = Può inoltre opporsi in qualsiasi momento, senza doverne indicare il motivo, all'utilizzo dei Suoi dati per finalità di marketing diretto; in tal caso cesseremo di utilizzarli per tale finalità.
right-withdraw-consent = Diritto di revocare il consenso
right-withdraw-consent-text = Quando il trattamento si basa sul Suo consenso, può revocarlo in qualsiasi momento, con la stessa facilità con cui lo ha prestato. La revoca non pregiudica la liceità del trattamento basato sul consenso prima della revoca.
right-complaint = Diritto di proporre reclamo
right-complaint-text = Può proporre reclamo a un'autorità di controllo (si veda più avanti).
right-post-mortem = Disposizioni sui Suoi dati dopo la morte
right-post-mortem-text = Può impartirci disposizioni sulla conservazione, cancellazione e comunicazione dei Suoi dati personali dopo la Sua morte e indicare una persona incaricata di eseguirle. Può modificarle o revocarle in qualsiasi momento (articolo 85 della legge francese sulla protezione dei dati, Loi Informatique et Libertés).
section-rights-california = Diritti aggiuntivi per i residenti in California
rights-california-ccpa-intro = Se risiede in California, il California Consumer Privacy Act (CCPA) Le riconosce i seguenti diritti:
rights-california-shine-intro = Se risiede in California, la sezione 1798.83 del Codice civile della California («Shine the Light») Le riconosce inoltre il seguente diritto:
right-california-know = Diritto di sapere (Right to know)
right-california-know-text = Può chiederci di comunicarLe le categorie e gli elementi specifici di informazioni personali che abbiamo raccolto su di Lei, le categorie di fonti, le finalità per cui le utilizziamo e le categorie di terzi a cui le comunichiamo.
right-california-delete = Diritto alla cancellazione (Right to delete)
right-california-delete-text = Può chiederci di cancellare le informazioni personali che abbiamo raccolto presso di Lei, fatte salve le eccezioni previste dalla legge.
right-california-correct = Diritto di rettifica (Right to correct)
right-california-correct-text = Può chiederci di rettificare le informazioni personali inesatte che La riguardano.
right-california-opt-out = Diritto di opporsi alla vendita o alla condivisione (opt-out)
right-california-opt-out-text = Può chiederci di non vendere le Sue informazioni personali e di non condividerle per pubblicità comportamentale tra contesti diversi. Consideriamo un segnale Global Privacy Control inviato dal Suo browser come una richiesta di questo tipo.
right-shine-the-light = Richiesta «Shine the Light»
right-shine-the-light-text = Una volta all'anno e gratuitamente, può chiederci quali categorie di informazioni personali abbiamo comunicato a terzi per il loro marketing diretto nel corso dell'anno solare precedente, nonché il nome e l'indirizzo di tali terzi (California Civil Code, sezione 1798.83).
right-shine-the-light-none = Non comunichiamo informazioni personali a terzi per il loro marketing diretto.
rights-california-non-discrimination = Come richiesto dal CCPA, non La discrimineremo per aver esercitato uno di questi diritti.

section-withdraw-consent = Revoca del consenso
withdraw-consent-intro = I seguenti trattamenti si basano sul Suo consenso:
withdraw-consent-how = Può revocare il consenso in qualsiasi momento, con la stessa facilità con cui lo ha prestato, ad esempio { $contact }.
withdraw-consent-effect = La revoca del consenso pone fine al trattamento interessato da quel momento in poi, senza pregiudicare la liceità del trattamento effettuato in precedenza.
withdraw-consent-none = Nessuno dei nostri trattamenti si basa sul Suo consenso.

section-exercise = Come esercitare i Suoi diritti
exercise-response = Le risponderemo entro { $duration } dal ricevimento della richiesta.
exercise-extension = Se la richiesta è complessa o riceviamo un numero elevato di richieste, questo termine può essere prorogato di { $duration }; in tal caso Glielo comunicheremo, indicandone i motivi, entro il primo termine.
exercise-id-doubt = Chiediamo una prova dell'identità solo in presenza di ragionevoli dubbi sull'identità di chi presenta la richiesta.
exercise-free = L'esercizio dei Suoi diritti è gratuito, salvo che la richiesta sia manifestamente infondata o eccessiva.

section-complaint = Reclamo all'autorità di controllo
complaint-intro = Se ritiene che i Suoi diritti non siano stati rispettati, può proporre reclamo all'autorità di controllo in qualsiasi momento, anche senza averci contattato prima:
complaint-any-authority = Può inoltre proporre reclamo all'autorità di controllo dello Stato membro dell'Unione europea in cui risiede abitualmente o lavora, oppure in cui si è verificata la presunta violazione.

section-automated = Processi decisionali automatizzati
automated-none = Non adottiamo decisioni basate unicamente sul trattamento automatizzato, compresa la profilazione, che producano effetti giuridici che La riguardano o che incidano in modo analogo significativamente sulla Sua persona.
automated-intro = Alcune decisioni sono adottate con mezzi esclusivamente automatizzati. Per ciascuna di esse ha diritto di ottenere l'intervento umano, di esprimere la propria opinione e di contestare la decisione.

section-security = Come proteggiamo i Suoi dati
security-intro = Adottiamo misure tecniche e organizzative adeguate per proteggere i Suoi dati da perdita, uso improprio, accesso non autorizzato e divulgazione non autorizzata.
security-organisational = Misure organizzative:
security-technical = Misure tecniche:

section-cookies = Cookie e tecnologie simili
cookies-pointer = Per { $service } utilizziamo cookie e tecnologie simili. La nostra cookie policy spiega quali, a che cosa servono e come accettarli o rifiutarli.

section-changes = Modifiche alla presente informativa
changes-default = Possiamo aggiornare la presente informativa quando cambiano i nostri trattamenti. La informeremo di ogni modifica significativa prima che si applichi.

## Cookie policy

cookies-title = Cookie policy
cookies-intro = La presente cookie policy spiega quali cookie e tecnologie simili { $controller } utilizza per { $service }, a che cosa servono e come può accettarli o rifiutarli.
section-trackers = Che cosa sono i cookie e le tecnologie simili?
trackers-what = Un cookie è un piccolo file di testo che un sito memorizza sul Suo dispositivo (computer, telefono, tablet) quando lo visita e che può rileggere nelle visite successive. Altre tecnologie funzionano allo stesso modo: i dati conservati nella memoria locale del browser, i pixel (minuscole immagini invisibili) e le tecniche di fingerprinting. In questa cookie policy li chiamiamo tutti «strumenti di tracciamento».
trackers-consent-rule = Gli strumenti di tracciamento strettamente necessari al funzionamento del sito, o a fornire un servizio da Lei espressamente richiesto, non richiedono il Suo consenso. Tutti gli altri sono utilizzati solo se Lei acconsente.
section-trackers-used = Gli strumenti di tracciamento che utilizziamo
trackers-none = Non utilizziamo strumenti di tracciamento.
trackers-used-intro = Le tabelle seguenti elencano, per categoria, tutti gli strumenti di tracciamento utilizzati per { $service }.
cookie-category-necessary = Strettamente necessari
cookie-category-necessary-text = Questi strumenti sono indispensabili per il funzionamento e la sicurezza del sito. Non possono essere disattivati.
cookie-category-functional = Funzionali
cookie-category-functional-text = Questi strumenti ricordano le Sue preferenze, come la lingua, per rendere il sito più facile da usare.
cookie-category-personalisation = Personalizzazione dei contenuti
cookie-category-personalisation-text = Questi strumenti di tracciamento adattano ciò che Le mostriamo, ad esempio gli articoli o i prodotti consigliati, a ciò che ha consultato. Sono utilizzati solo con il Suo consenso.
cookie-category-analytics = Misurazione dell'audience
cookie-category-analytics-text = Questi strumenti misurano come viene utilizzato il sito, affinché possiamo migliorarlo.
cookie-category-marketing = Pubblicità
cookie-category-marketing-text = Questi strumenti servono a mostrarLe pubblicità e a misurarne l'efficacia.
cookie-category-social = Social network
cookie-category-social-text = Questi strumenti Le consentono di condividere contenuti sui social network e comunicano a tali network che ha visitato il sito.
tracker-kind-cookie = Cookie
tracker-kind-local-storage = Memoria locale
tracker-kind-pixel = Pixel
tracker-kind-email-pixel = Pixel nelle nostre e-mail
tracker-kind-fingerprint = Fingerprinting
lifetime-session = sessione
lifetime-not-stored = nessuna memorizzazione sul Suo dispositivo
consent-required = Necessario
consent-required-form = Necessario; è richiesto nel modulo in cui indica il Suo indirizzo e-mail
consent-not-required = Non necessario
section-choices = Le Sue scelte
choices-banner = Alla prima visita, un banner Le chiede di scegliere prima che venga utilizzato qualsiasi strumento di tracciamento soggetto a consenso. Può fare clic su «{ $accept }», «{ $refuse }» o «{ $customise }» per scegliere categoria per categoria. Rifiutare è semplice quanto accettare, e la semplice prosecuzione della navigazione non equivale a consenso.
choices-withdraw = Può cambiare idea in qualsiasi momento, con la stessa facilità con cui ha prestato il consenso, tramite il link «{ $link }» in fondo a ogni pagina. La revoca del consenso non pregiudica la liceità del trattamento effettuato in precedenza.
choices-kept = Conserviamo la Sua scelta per { $duration }; trascorso tale periodo, Le verrà chiesto nuovamente.
choices-max-lifetime = Gli strumenti di tracciamento soggetti a consenso restano sul Suo dispositivo per non più di { $duration }.
choices-none-needed = Tutti gli strumenti di tracciamento che utilizziamo sono esenti dal consenso, quindi non abbiamo bisogno di chiederlo. Se in futuro aggiungessimo strumenti che lo richiedono, Le chiederemo il consenso tramite un banner prima di utilizzarli, e potrà rifiutare con la stessa facilità con cui accetta.
section-browser = Impostazioni del browser
browser-text = Può anche impostare il browser in modo da bloccare o eliminare gli strumenti di tracciamento; ogni browser spiega come fare nelle proprie pagine di aiuto. Il blocco degli strumenti strettamente necessari può impedire il funzionamento di alcune parti del sito.
section-contact = Contatti
contact-text = Per qualsiasi domanda sulla presente cookie policy, può contattarci { $contact }.
privacy-pointer = Per sapere come trattiamo i Suoi dati personali e come esercitare i Suoi diritti, consulti la nostra informativa privacy.

## Countries (ISO 3166-1 alpha-2)

country-AT = Austria
country-BE = Belgio
country-BG = Bulgaria
country-HR = Croazia
country-CY = Cipro
country-CZ = Cechia
country-DK = Danimarca
country-EE = Estonia
country-FI = Finlandia
country-FR = Francia
country-EU = l'Unione europea
country-EEA = lo Spazio economico europeo
country-DE = Germania
country-GR = Grecia
country-HU = Ungheria
country-IE = Irlanda
country-IT = Italia
country-LV = Lettonia
country-LT = Lituania
country-LU = Lussemburgo
country-MT = Malta
country-NL = Paesi Bassi
country-PL = Polonia
country-PT = Portogallo
country-RO = Romania
country-SK = Slovacchia
country-SI = Slovenia
country-ES = Spagna
country-SE = Svezia
country-IS = Islanda
country-LI = Liechtenstein
country-NO = Norvegia
country-AD = Andorra
country-AR = Argentina
country-CA = Canada
country-CH = Svizzera
country-FO = Isole Fær Øer
country-GB = Regno Unito
country-GG = Guernsey
country-IL = Israele
country-IM = Isola di Man
country-JE = Jersey
country-JP = Giappone
country-KR = Repubblica di Corea
country-NZ = Nuova Zelanda
country-UY = Uruguay
country-US = Stati Uniti
country-AU = Australia
country-BR = Brasile
country-CN = Cina
country-HK = Hong Kong
country-IN = India
country-MA = Marocco
country-MX = Messico
country-SG = Singapore
country-TN = Tunisia
country-TR = Turchia
country-UA = Ucraina
country-ZA = Sudafrica
country-AE = Emirati Arabi Uniti
country-PH = Filippine
country-VN = Vietnam
country-SN = Senegal
country-MU = Mauritius
country-RS = Serbia
country-EG = Egitto

## Rights requests: e-mails to the requester

mail-code-subject = { $controller }: il Suo codice di conferma
mail-code-body = Il Suo codice è { $code }. Lo inserisca nella pagina della richiesta entro { $minutes } minuti per confermare che questo indirizzo Le appartiene. Se non ha presentato alcuna richiesta, ignori questa e-mail.
mail-received-subject = { $controller }: abbiamo ricevuto la Sua richiesta
mail-received-body = La Sua richiesta è confermata. Le risponderemo entro il { $due }.
mail-progress-subject = { $controller }: stiamo trattando la Sua richiesta
mail-progress-body = La Sua identità è confermata e stiamo dando seguito alla Sua richiesta. Le risponderemo entro il { $due }.
mail-extended-subject = { $controller }: proroga del termine per la Sua richiesta
mail-extended-body = Abbiamo bisogno di più tempo per rispondere alla Sua richiesta, per il seguente motivo: { $reason }. Le risponderemo entro il { $due }.
mail-refused-subject = { $controller }: riscontro alla Sua richiesta
mail-refused-body = Non possiamo dare seguito alla Sua richiesta per i seguenti motivi: { $reasons }. Può proporre reclamo all'autorità di controllo, { $authority }, e ricorso giurisdizionale.
mail-refused-unfounded = Riteniamo questa richiesta manifestamente infondata o eccessiva.
mail-identity-subject = { $controller }: dobbiamo verificare la Sua identità
mail-identity-body = Per proteggere i Suoi dati, prima di procedere abbiamo bisogno di una copia di un documento d'identità. La invii tramite questa pagina: { $link }; la cancelleremo non appena la Sua identità sarà confermata.
mail-package-subject = { $controller }: i Suoi dati sono pronti
mail-package-body = I Suoi dati sono pronti. Ogni link funziona una sola volta e fino al { $expires }.
mail-erased-subject = { $controller }: i Suoi dati sono stati cancellati
mail-erased-body = Abbiamo cancellato i Suoi dati personali.
mail-erased-kept = La legge ci obbliga a conservarne alcuni per un certo periodo, in un archivio ad accesso limitato: { $categories }.
mail-notified = Abbiamo informato i seguenti destinatari dei Suoi dati: { $recipients }.
mail-completed-subject = { $controller }: la Sua richiesta è stata evasa
mail-completed-body = Abbiamo dato seguito alla Sua richiesta ({ $kind }).
mail-lifted-subject = { $controller }: fine della limitazione
mail-lifted-body = La limitazione del trattamento dei Suoi dati sta per essere revocata.
mail-ask-again-subject = { $controller }: desidera che conserviamo i Suoi dati?
mail-ask-again-body = Non abbiamo Sue notizie da molto tempo. Conserveremo i Suoi dati solo se lo desidera: per farlo, apra questo link e confermi.
    
    { $link }
    
    In mancanza di riscontro, li cancelleremo il { $date }.
mail-breach-subject = { $controller }: una violazione dei dati personali La riguarda
mail-breach-body = La informiamo di una violazione dei dati personali che riguarda i Suoi dati: { $description }
mail-breach-consequences = Possibili conseguenze: { $consequences }
mail-breach-measures = Misure adottate o previste: { $measures }
mail-breach-contact = Per ulteriori informazioni, contatti: { $contact }
mail-stl-subject = { $controller }: comunicazioni per finalità di marketing diretto
mail-stl-body = Terzi che hanno ricevuto le Sue informazioni personali per il loro marketing diretto nel { $year }:
mail-stl-none = Nessuno.

## Rights requests: the access package

package-title = I Suoi dati personali
package-portable-title = I Suoi dati in formato portabile
package-intro = Preparato il
package-datasets = Dati conservati nei nostri altri sistemi
package-data = Dati registrati
package-events = Eventi
package-disclosures = Comunicati a
package-consents = Le Sue scelte
package-purposes = Perché li utilizziamo
package-recipients = Chi li riceve
package-retention = Per quanto tempo li conserviamo

## Rights requests: the public portal

portal-title = Eserciti i Suoi diritti
portal-intro = Scelga che cosa richiede e indichi l'indirizzo e-mail con cui La conosciamo. Invieremo un codice a tale indirizzo per accertarci che la richiesta provenga da Lei.
portal-kind = La Sua richiesta
portal-email = Il Suo indirizzo e-mail
portal-details = Dettagli (facoltativo)
portal-rectify = Per una rettifica
portal-category = Quali dati
portal-none = Nessuna
portal-value = Il valore corretto
portal-post-mortem = Per disposizioni dopo la morte
portal-pm-action = Disposizione
portal-pm-record = Registra la mia disposizione
portal-pm-revoke = Revoca le mie disposizioni
portal-pm-execute = Eseguire la disposizione di una persona defunta che mi ha indicato
portal-pm-instructions = Che cosa deve accadere ai dati
portal-pm-erase = Cancellarli
portal-pm-transmit = Consegnarne una copia alla persona che indico
portal-pm-keep = Conservarli così come sono
portal-pm-other = Persona incaricata dell'esecuzione (oppure, per eseguire una disposizione, l'indirizzo della persona defunta)
portal-send = Invia
portal-code-title = Confermi la Sua richiesta
portal-code-intro = Abbiamo inviato un codice al Suo indirizzo. Lo inserisca qui per confermare la richiesta.
portal-code = Codice
portal-confirm = Conferma
portal-done-title = Richiesta confermata
portal-done = Grazie. La Sua richiesta è confermata; Le risponderemo via e-mail.
portal-document-title = Documento d'identità
portal-document-intro = Invii una copia di un documento d'identità (PDF, JPEG o PNG). La cancelleremo non appena la Sua identità sarà confermata.
portal-document = Il Suo documento
portal-document-done = Grazie: abbiamo ricevuto il Suo documento.
portal-download-title = I Suoi dati
portal-download-intro = Una copia dei Suoi dati è pronta ({ $format }). Il link funziona una sola volta: il file viene scaricato quando preme il pulsante, dopodiché il link non funziona più.
portal-download-button = Scarica i miei dati
portal-download-invalid = Questo link non è valido, è già stato utilizzato o è scaduto. Se ha ancora bisogno dei Suoi dati, presenti una nuova richiesta.
portal-error-title = Non è stato possibile inviare la Sua richiesta
portal-error-internal = Si è verificato un errore da parte nostra. Riprovi più tardi.
portal-too-large = Il file è troppo grande: invii un file di { $mib } MiB al massimo.
portal-too-many = Troppe richieste dal Suo indirizzo. Attenda un minuto e riprovi.

## The staff console (/console).
console-skip = Vai al contenuto
console-role = Accesso effettuato come
console-sign-out = Esci
console-nav = Sezioni della console
console-nav-dashboard = Cruscotto
console-nav-requests = Richieste
console-done = Fatto.
console-error-title = Non è stato possibile eseguire l'operazione
console-error-internal = Si è verificato un errore sul server; il suo log contiene maggiori dettagli.
console-back-dashboard = Torna al cruscotto
console-back-queue = Torna alle richieste
console-requests-title = Richieste di esercizio dei diritti
console-requests-caption = Richieste, prima la scadenza più vicina
console-requests-none = Nessuna richiesta corrisponde a questi filtri.
console-requests-range = Richieste da { $first } a { $last } di { $total }
console-previous-page = Pagina precedente
console-next-page = Pagina successiva
console-filters = Filtri
console-any = Qualsiasi
console-apply = Applica
console-open-only = Solo richieste aperte
console-request = Richiesta
console-request-title = Richiesta di esercizio dei diritti
console-request-kind = Tipo
console-request-status = Stato
console-request-received = Ricevuta
console-request-due = Termine di legge
console-request-closed = Chiusa
console-request-handler = Incaricato
console-request-email = Indirizzo del richiedente
console-request-language = Lingua
console-request-details = Dettagli
console-request-purposes = Finalità indicate
console-request-subjects = Interessati trovati
console-request-doubt = Dubbio sull'identità
console-request-document = Documento d'identità
console-request-extension = Motivo della proroga
console-request-refusal = Respinta perché
console-request-unfounded = manifestamente infondata o eccessiva
console-request-outcome = Esito
console-request-notified = Destinatari informati
console-request-changes = Rettifiche richieste
console-request-pending-dpo = Lasciato al responsabile della protezione dei dati:
console-request-partly-done = Eseguita in parte, ritentata automaticamente:
console-request-steps = Passi successivi
console-request-closed-steps = Questa richiesta è chiusa.
console-request-history = Cronologia
console-request-letters = Lettere e comunicazioni
console-request-no-letters = Ancora nessuna lettera.
console-request-requester = il richiedente
console-category = Categoria
console-value = Valore
console-when = Quando
console-what = Che cosa
console-who = Chi
console-note = Nota
console-nobody = Ancora nessuno
console-overdue = Scaduta
console-due-soon = In scadenza entro 7 giorni
console-letter-to = A
console-letter-channel = Canale
console-letter-state = Stato
console-letter-attempts = Tentativi
console-letter-delivered = Consegnata
console-letter-error = Ultimo errore
console-step-assignee = Incaricato (identificativo dell'utente)
console-step-assign = Assegna
console-step-confirm-identity = Conferma l'identità
console-step-complete = Completa la richiesta
console-step-extend-reason = Motivo della proroga (comunicato al richiedente)
console-step-extend = Proroga di due mesi
console-step-doubt-note = Che cosa rende dubbia l'identità
console-step-doubt = Chiedi un documento d'identità
console-step-refuse-reasons = Motivi del rifiuto (comunicati al richiedente)
console-step-unfounded = Manifestamente infondata o eccessiva
console-step-justification = Motivazione (conservata per l'autorità)
console-step-refuse = Respingi
console-step-lift = Revoca la limitazione
console-status-received = In attesa del codice
console-status-awaiting-identity = In attesa di un documento d'identità
console-status-verified = Verificata
console-status-in-progress = In lavorazione
console-status-extended = Prorogata
console-status-completed = Evasa
console-status-refused = Respinta
console-nav-subjects = Interessati
console-subjects-title = Cerca una persona
console-search = Ricerca
console-search-by = Per
console-search-email = Indirizzo e-mail
console-search-phone = Numero di telefono
console-search-login = Nome utente
console-search-value = Valore
console-search-purpose = Per la finalità di
console-search-button = Cerca
console-search-audited = Ogni ricerca è registrata nel registro di audit con la finalità scelta.
console-search-none = Nessun risultato.
console-search-results = Persone trovate
console-subject = Persona
console-subject-title = Persona
console-subject-kind = Tipo
console-subject-created = Nota dal
console-subject-fields = Dati che il Suo ruolo può leggere
console-subject-no-fields = Il Suo ruolo non può leggere alcun dato di questa persona.
console-subject-consents = Consensi
console-subject-proof = Esporta la prova del consenso
console-subject-purpose = Finalità
console-subject-choice = Scelta
console-subject-events = Eventi
console-subject-disclosures = Comunicazioni
console-subject-recipient = Destinatario
console-subject-what = Che cosa è stato comunicato
console-subject-requests = Richieste di esercizio dei diritti
console-subject-no-requests = Nessuna richiesta riguarda questa persona.
console-subject-retention = Conservazione di ciascuna categoria
console-subject-retention-caption = Ogni categoria di dati di questa persona, la fase di conservazione attuale e il passo successivo
console-subject-phase = Fase attuale
console-subject-next-step = Passo successivo
console-subject-no-next-step = Nessuno
console-phase-active = In uso attivo
console-phase-archive = Archiviati (leggibili da { $readers })
console-phase-expired = Conservazione terminata: cancellati al prossimo passaggio, salvo blocco
console-step-archive = archiviazione
console-step-delete = cancellazione
console-step-anonymise = anonimizzazione
console-step-due = { $action } il { $date } (regola { $rule })
console-step-held = sospeso da un blocco per finalità legali
console-back-search = Torna alla ricerca
console-none = Nessuno.
console-consent-given = Prestato
console-consent-refused = Rifiutato
console-consent-withdrawn = Revocato
console-consent-expired = Scaduto
console-nav-audit = Registro di audit
console-audit-title = Registro di audit
console-audit-caption = Voci, dalla più vecchia
console-audit-subject = Identificativo dell'interessato
console-audit-principal = Autore
console-audit-from = Dal (giorno, UTC)
console-audit-to = Al (giorno, UTC)
console-audit-action = Azione
console-audit-categories = Categorie
console-audit-outcome = Esito
console-audit-none = Nessuna voce corrisponde a questi filtri.
console-audit-next = Voci successive
console-audit-verification = Verifica
console-audit-verify = Verifica ora
console-audit-verified-at = Ultima verifica
console-audit-intact = integro
console-audit-broken = alterato
console-audit-never-verified = Il registro di audit non è ancora stato verificato.
console-audit-any-action = Qualsiasi azione
console-dashboard-due = Richieste scadute o in scadenza entro 7 giorni
console-dashboard-none-due = Nessuna richiesta aperta è scaduta o in scadenza entro 7 giorni.
console-dashboard-all-open = Tutte le richieste aperte
console-dashboard-figures-as-of = Dati aggiornati al { $at }, ricalcolati ogni cinque minuti.
console-dashboard-due-shown = Sono mostrate le { $shown } più urgenti su { $total }; l'elenco delle richieste le contiene tutte.
console-dashboard-retention = Conservazione nei prossimi 30 giorni
console-dashboard-retention-more = Più di
console-dashboard-retention-steps = passi di conservazione (archiviazione, cancellazione o anonimizzazione) giungono a scadenza.
console-dashboard-outbox = Messaggi non consegnati
console-dashboard-outbox-none = Ogni lettera e comunicazione è stata consegnata o è ancora in corso di invio.
console-dashboard-outbox-count = lettere o comunicazioni non hanno potuto essere consegnate e non saranno ritentate.
console-dashboard-outbox-latest = Gli ultimi messaggi non consegnati
console-dashboard-outbox-failed-at = Abbandonato
console-dashboard-outbox-no-request = Nessuna (comunicazione di violazione)
console-dashboard-consents = Consensi nelle ultime 12 settimane
console-dashboard-consents-legend = Barre per settimana, dal basso: prestati (verde), rifiutati (rosso), revocati (viola). I numeri sono nella tabella sotto ogni grafico.
console-dashboard-no-consents = Nessun consenso registrato nelle ultime 12 settimane.
console-dashboard-week = Settimana
console-dashboard-given = Prestati
console-dashboard-refused = Rifiutati
console-dashboard-withdrawn = Revocati
console-dashboard-banner = Scelte nel banner dei cookie nelle ultime 12 settimane
console-dashboard-banner-rate = delle scelte nel banner hanno accettato tutte le finalità (barra: tutto accettato in verde, in parte in rosso, tutto rifiutato in viola).
console-dashboard-banner-all = Tutto accettato
console-dashboard-banner-some = Accettato in parte
console-dashboard-banner-none = Tutto rifiutato
console-rectify = Rettifica un campo
console-rectify-value = Valore corretto
console-rectify-button = Rettifica
console-erase-link = Cancella questa persona…
console-erase-title = Cancella una persona
console-erase-back = Torna alla persona
console-erase-warning = La cancellazione distrugge la chiave dei dati di questa persona: ogni campo diventa illeggibile in ogni copia, backup compresi, e non può essere ripristinato.
console-erase-confirm = Confermo la cancellazione di questa persona
console-erase-button = Cancella definitivamente
console-nav-register = Registro
console-register-title = Registro delle attività di trattamento
console-register-versions = Versioni pubblicate delle informative
console-register-diff = Modifiche tra versioni
console-register-purposes = Finalità
console-register-categories = Categorie di dati
console-register-recipients = Destinatari
console-register-transfers = Trasferimenti al di fuori del SEE
console-register-retention = Regole di conservazione
console-register-id = Identificativo
console-register-name = Nome
console-register-basis = Base giuridica
console-register-sensitive = Particolare
console-register-countries = Paesi
console-register-country = Paese
console-register-mechanism = Garanzia
console-register-trigger = Decorrenza
console-register-phases = Fasi
console-yes = Sì
console-no = No
console-register-version = Versione
console-register-effective = In vigore dal
console-register-in-force = in vigore
console-nav-retention = Conservazione
console-retention-title = Conservazione
console-retention-window = Periodo
console-retention-days = Giorni da oggi
console-retention-plan = Passi in scadenza, prima i più vicini
console-retention-no-steps = Nessun passo di conservazione scade in questo periodo.
console-retention-truncated = Scadono più passi di quelli elencati qui.
console-retention-planned = Pianificato il { $at }: il piano è ricalcolato ogni cinque minuti, e subito dopo un passaggio di conservazione o una modifica di un blocco per finalità legali.
console-retention-rule = Regola
console-retention-action = Azione
console-holds = Blocchi per finalità legali
console-hold-place = Disponi un blocco per finalità legali (su un interessato, una regola o entrambi)
console-hold-reason = Motivo (un riferimento di pratica, mai dati personali)
console-hold-place-button = Disponi il blocco
console-hold-placed = Disposto
console-hold-released = Revocato
console-hold-release = Revoca
console-nav-breaches = Violazioni
console-breaches-title = Registro delle violazioni
console-breaches-caption = Violazioni, prima quelle aperte e la scadenza più vicina
console-breaches-none = Nessuna violazione registrata.
console-breach = Violazione
console-breach-state = Stato
console-breach-open = Aperta
console-breach-closed = Chiusa
console-breach-aware = Nota dal
console-breach-deadline = Termine per la notifica all'autorità
console-breach-clock = Termine di 72 ore
console-breach-hours-left = { $hours } ore rimanenti
console-breach-decided = Decisione sulla notifica registrata
console-breach-notified-late = Autorità notificata in ritardo
console-breach-record = Registra una violazione
console-breach-aware-at = Momento in cui se ne è venuti a conoscenza (UTC)
console-breach-nature = Natura
console-breach-nature-confidentiality = Riservatezza
console-breach-nature-integrity = Integrità
console-breach-nature-availability = Disponibilità
console-breach-description = Descrizione
console-breach-categories = Categorie di dati interessate
console-breach-people = Numero approssimativo di interessati
console-breach-records = Numero approssimativo di registrazioni interessate
console-breach-consequences = Probabili conseguenze
console-breach-measures = Misure adottate o proposte
console-breach-subjects = Identificativi degli interessati coinvolti (uno per riga)
console-breach-record-button = Registra la violazione
console-back-breaches = Tutte le violazioni
console-breach-recorded = Registrata
console-breach-affected = Interessati coinvolti registrati
console-breach-authority = Autorità di controllo (art. 33)
console-breach-undecided = Ancora nessuna decisione.
console-breach-notified = Notificata
console-breach-not-notified = Non notificata
console-breach-reference = Riferimento dell'autorità
console-breach-notified-at = Notificata il (UTC; vuoto per adesso)
console-breach-late-reason = Motivo del ritardo (obbligatorio dopo la scadenza)
console-breach-notify-button = Registra la notifica
console-breach-not-notify-reason = Perché è improbabile che la violazione presenti un rischio per le persone
console-breach-not-notify-button = Registra: non notificata
console-breach-people-title = Interessati (art. 34)
console-breach-informed = Informati
console-breach-not-informed = Non informati
console-breach-channel = Come sono informati gli interessati
console-breach-channel-email = Via e-mail (una lettera a ciascun interessato coinvolto, tramite la coda di invio)
console-breach-channel-post = Per posta
console-breach-channel-phone = Per telefono
console-breach-channel-public-notice = Comunicazione pubblica
console-breach-channel-other = Altro
console-breach-informed-at = Informati il (UTC; vuoto per adesso)
console-breach-inform-button = Registra: informati
console-breach-reason = Perché gli interessati non sono informati
console-breach-reason-no-high-risk = Nessun rischio elevato probabile (art. 34, par. 1)
console-breach-reason-unintelligible = I dati sono incomprensibili a chiunque non sia autorizzato ad accedervi, ad es. cifrati (art. 34, par. 3, lett. a)
console-breach-reason-risk-neutralised = Misure successive scongiurano il sopraggiungere di un rischio elevato (art. 34, par. 3, lett. b)
console-breach-reason-disproportionate-effort = Sforzo sproporzionato; al suo posto, comunicazione pubblica (art. 34, par. 3, lett. c)
console-breach-explanation = Perché si applica questo motivo
console-breach-not-inform-button = Registra: non informati
console-breach-letters = { $queued } lettere in coda; { $without } persone senza indirizzo e-mail
console-breach-close = Chiudi la violazione
console-breach-reopen = Riapri la violazione
console-breach-timeline = Cronologia
console-breach-detail = Dettaglio
console-breach-export-json = Cronologia in JSON
console-breach-export-csv = Cronologia in CSV
console-dashboard-breaches = Violazioni aperte
console-dashboard-no-breaches = Nessuna violazione è aperta.
console-dashboard-all-breaches = Il registro delle violazioni

## Console: staff, API keys and the access review
console-nav-staff = Personale e chiavi
console-nav-access-review = Revisione degli accessi
console-staff-title = Account del personale e chiavi API
console-staff-users = Account del personale
console-staff-add = Aggiungi un account
console-staff-add-button = Aggiungi l'account
console-staff-email = E-mail
console-staff-role = Ruolo
console-staff-created = Creato
console-staff-last-sign-in = Ultimo accesso
console-staff-disabled = Disattivato
console-staff-actions = Azioni
console-staff-disable = Disattiva
console-staff-enable = Attiva
console-staff-never = Mai
console-staff-added = Account aggiunto
console-staff-password-once = La sua password, mostrata solo questa volta: la consegni alla persona tramite un canale sicuro.
console-staff-back = Torna agli account del personale e alle chiavi
console-keys = Chiavi API
console-key-create = Crea una chiave API
console-key-create-button = Crea la chiave
console-key-name = Nome (che cosa usa la chiave)
console-key-last-used = Ultimo utilizzo
console-key-revoked = Revocata
console-key-revoke = Revoca
console-key-created = Chiave API creata
console-key-once = La chiave, mostrata solo questa volta e mai più: la copi ora nella configurazione del servizio.
console-unused = Inutilizzata
console-review-title = Revisione degli accessi
console-review-due = Prossima revisione prevista:
console-review-unused-days = Segnalata come inutilizzata dopo questo numero di giorni senza utilizzo:
console-reviews = Revisioni registrate
console-review-record = Registra una revisione
console-review-record-button = Registra la revisione
console-review-notes = Che cosa ha rilevato e modificato la revisione
console-review-by = Revisione di
console-dashboard-review = Revisione degli accessi
console-signin-code-title = Secondo fattore
console-signin-code-label = Codice dell'app di autenticazione, o un codice di recupero
console-signin-continue = Continua
console-signin-restart = Ricomincia
console-signin-wrong-code = Codice errato, scaduto o già utilizzato.
console-signin-throttled = Troppi accessi non riusciti per questo account o da questo indirizzo: riprovi tra { $seconds } s.
console-nav-account = Il mio account
console-account-title = Il mio account
console-factor-title = Secondo fattore
console-factor-required = Il Suo ruolo richiede un secondo fattore: lo configuri prima di ogni altra cosa.
console-factor-add-to-app = Aggiunga questo account alla Sua app di autenticazione con il segreto qui sotto (o l'indirizzo otpauth), poi digiti il codice che mostra. Entrambi sono mostrati solo questa volta.
console-factor-secret = Segreto (base32)
console-factor-uri = Indirizzo otpauth
console-factor-code = Codice dell'app di autenticazione
console-factor-confirm = Conferma
console-factor-codes-once = I Suoi codici di recupero, mostrati solo questa volta: li conservi in un luogo sicuro. Ciascuno consente un accesso se perde l'app.
console-factor-codes-saved = Li ho salvati
console-factor-on = Un secondo fattore protegge questo account.
console-factor-off = Nessun secondo fattore protegge ancora questo account.
console-factor-enrol = Configura un secondo fattore
console-factor-new-codes = Sostituisci i codici di recupero
console-factor-disable = Rimuovi il secondo fattore
console-sessions = Le mie sessioni
console-session-expires = Scade
console-session-current = (questa sessione)
console-session-revoke = Termina
console-session-revoke-others = Termina tutte le mie altre sessioni
record-title = Registro delle attività di trattamento (art. 30 GDPR)
record-updated = Aggiornato al { $date }
record-col-id = Identificativo
record-col-activity = Attività di trattamento
record-col-controller = Titolare del trattamento
record-col-representative = Rappresentante
record-col-dpo = Responsabile della protezione dei dati
record-col-purpose = Finalità
record-col-legal-basis = Base giuridica
record-col-subjects = Categorie di interessati
record-col-data = Categorie di dati personali
record-col-special = Categorie particolari di dati (art. 9 GDPR)
record-col-recipients = Destinatari
record-col-transfers = Trasferimenti fuori dal SEE e garanzie
record-col-retention = Termini di cancellazione
record-col-security = Misure di sicurezza
record-col-updated = Ultimo aggiornamento
record-none = Nessuno
record-basis-consent = Consenso (art. 6, par. 1, lett. a) GDPR)
record-basis-contract = Contratto (art. 6, par. 1, lett. b) GDPR)
record-basis-legal-obligation = Obbligo legale (art. 6, par. 1, lett. c) GDPR)
record-basis-vital-interest = Interessi vitali (art. 6, par. 1, lett. d) GDPR)
record-basis-public-task = Compito di interesse pubblico (art. 6, par. 1, lett. e) GDPR)
record-basis-legitimate-interest = Legittimo interesse (art. 6, par. 1, lett. f) GDPR)
record-law = Norma di riferimento
record-kind-internal = interno
record-kind-processor = responsabile del trattamento
record-kind-third-party = terzo
record-kind-joint-controller = contitolare
record-kind-authority = autorità
record-kind-public = pubblico
record-recipient = { $name } ({ $kind })
record-transfer = { $recipient }, { $country }: { $safeguard }
record-retention = { $categories } ({ $trigger }): { $phases }; { $end }
record-phase-active = { $duration } in uso attivo
record-phase-archive = { $duration } in archivio con accesso limitato
record-phase-then = {", poi "}
record-end-delete = poi cancellazione
record-end-anonymise = poi anonimizzazione

## Minori
section-children = Minori
children-adults = I nostri servizi sono destinati agli adulti. Non raccogliamo consapevolmente dati di minori che non abbiano raggiunto l'età del consenso digitale.
children-everyone = I minori che non abbiano raggiunto l'età del consenso digitale possono utilizzare i nostri servizi; tuttavia, quando il trattamento si basa sul consenso, occorre anche quello di chi esercita la responsabilità genitoriale e, finché non è prestato, non trattiamo i dati del minore su tale base.
children-ages = L'età del consenso digitale è la seguente:
children-age-country = { $country }: { $age } anni
children-age-elsewhere = Altri paesi: { $age } anni
children-found = Se veniamo a sapere di trattare, senza il consenso di chi esercita la responsabilità genitoriale, dati di un minore al di sotto di tale età, smettiamo di trattarli sulla base del consenso finché tale consenso non è prestato.
children-found-erase = Se veniamo a sapere di trattare, senza il consenso di chi esercita la responsabilità genitoriale, dati di un minore al di sotto di tale età, smettiamo di trattarli sulla base del consenso e chiediamo tale consenso; se non è prestato entro { $duration }, cancelliamo i dati del minore.

## Messaggi di una finalità
purpose-unsubscribe-link = Ogni messaggio che Le inviamo per questa finalità contiene un link per annullare l'iscrizione con un clic.
purpose-service-messages = Questi messaggi fanno parte del servizio: li riceve finché il Suo account esiste e non può annullarne l'iscrizione. Non contengono mai offerte né pubblicità.

## Conservazione: più eventi, consenso, periodi minimi, nuova richiesta
trigger-consent-ended = dalla cessazione del Suo consenso
trigger-whichever-first = { $triggers }, a seconda di quale evento si verifichi per primo
trigger-whichever-later = { $triggers }, a seconda di quale evento si verifichi per ultimo
retention-at-least = almeno { $duration }
retention-law = per il tempo prescritto da { $law }
retention-reason-law = { $reason }, per il tempo prescritto da { $law }
retention-while-consent = Conserviamo questi dati solo finché è valido il Suo consenso a «{ $purpose }»; senza di esso, non li conserviamo.
retention-end-ask-again = Al termine di questo periodo, Le scriviamo per chiederLe se desidera che conserviamo i Suoi dati. Se non risponde entro { $duration }, li cancelliamo; se risponde, i periodi sopra indicati ricominciano a decorrere.
record-end-ask-again = poi nuova richiesta all'interessato e cancellazione in assenza di risposta entro { $duration }
