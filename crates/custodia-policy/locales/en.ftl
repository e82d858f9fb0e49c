# Custodia — English messages.
# Every id here must also exist in fr.ftl (a unit test checks it).

## Formatting: durations, dates, lists

# Small numbers in words, as English prose writes them ("within one month").
duration-years = { $count ->
    [1] one year
    [2] two years
    [3] three years
    [4] four years
    [5] five years
    [6] six years
    [7] seven years
    [8] eight years
    [9] nine years
    [one] { $count } year
   *[other] { $count } years
}
duration-months = { $count ->
    [1] one month
    [2] two months
    [3] three months
    [4] four months
    [5] five months
    [6] six months
    [7] seven months
    [8] eight months
    [9] nine months
    [one] { $count } month
   *[other] { $count } months
}
duration-weeks = { $count ->
    [1] one week
    [2] two weeks
    [3] three weeks
    [4] four weeks
    [5] five weeks
    [6] six weeks
    [7] seven weeks
    [8] eight weeks
    [9] nine weeks
    [one] { $count } week
   *[other] { $count } weeks
}
duration-days = { $count ->
    [1] one day
    [2] two days
    [3] three days
    [4] four days
    [5] five days
    [6] six days
    [7] seven days
    [8] eight days
    [9] nine days
    [one] { $count } day
   *[other] { $count } days
}
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
list-separator = {", "}
list-separator-strong = {"; "}
list-and = {" and "}
list-or = {" or "}

## Layout

ui-contents = Contents
ui-label-separator = {": "}
effective-date = Effective date: { $date }
last-updated = Last updated: { $date }

## Cookie banner (shared with the banner itself)

banner-accept-all = Accept all
banner-refuse-all = Refuse all
banner-customise = Customise
banner-preferences-link = Cookie preferences
banner-title = Your choices about cookies
banner-body = With your agreement, { $controller } and its partners use trackers for the purposes below. You can accept them, refuse them, or choose purpose by purpose. Refusing is as easy as accepting, and you can change your mind at any time with the “Cookie preferences” link.
banner-save = Save my choices
banner-back = Back
banner-services = Services
banner-gpc-notice = Your browser sends a Global Privacy Control signal: we take it as your refusal of advertising, and of selling or sharing your data, so those purposes stay off.
banner-changed = Some purposes are new or have changed since your last choice: please choose again for them.
banner-policy-link = Cookie policy

## Subject pages: unsubscribe links and consent preferences

subject-unsubscribe-title = Unsubscribe
subject-unsubscribe-confirm = Stop using your data for “{ $purpose }”?
subject-unsubscribe-button = Unsubscribe
subject-unsubscribe-done = Done: your data is no longer used for “{ $purpose }”.
subject-keep-title = Keep your data
subject-keep-confirm = Do you want { $controller } to keep your data? If you confirm, we keep it and the retention periods of our privacy policy start again from today.
subject-keep-button = Keep my data
subject-keep-done = Thank you: we keep your data.
subject-link-invalid = This link is not valid or has expired.
subject-erased = There is nothing left to change: your data has been erased.
subject-preferences-title = Your consent choices
subject-preferences-intro = Here you can see and change what you agreed to. Withdrawing is as easy as giving consent and takes effect at once.
subject-state-given = You agreed
subject-state-refused = You refused
subject-state-withdrawn = You withdrew your consent
subject-state-expired = Your consent expired
subject-state-none = No choice yet
subject-state-objected = You objected
subject-state-not-objected = In use: you may object at any time
subject-action-give = Give consent
subject-action-withdraw = Withdraw consent
subject-action-object = Object

## Shared pieces

service-default = our services
site-default = our website
reach-email = by e-mail at { $contact }
reach-url = through { $contact }
reach-phone = by phone on { $contact }
link-privacy-policy = privacy policy
link-opt-out = opt out
role-admin = administrators
role-dpo = data protection officer
role-auditor = auditors
role-authorised = authorised staff

## Field labels and column headings

field-legal-name = Legal name
field-trading-name = Trading name
field-legal-form = Legal form
field-share-capital = Share capital
field-registration = Registration
field-address = Address
field-email = E-mail
field-phone = Phone
field-website = Website
field-contact-url = Contact page
field-service = Service covered
field-name = Name
field-legal-basis = Legal basis
field-legitimate-interest = Interest pursued
field-legal-reference = Legal obligation
field-subjects = People concerned
field-data-used = Data used
field-data-required = Required data
field-data-optional = Optional data
field-requirement = Obligation to provide the data
field-consequence = If you do not provide it
field-recipients = Recipients
field-consent = Consent
field-authority = Authority
field-complaint-url = Online complaint
field-logic = How the decision is made
field-significance = What it means for you
field-human-review = Human review and challenge
col-data = Data
col-details = Details
col-source = Source
col-service = Service
col-provider = Provider
col-data-collected = Data collected
col-links = More information
col-recipient = Recipient
col-role = Role
col-countries = Countries
col-country = Country
col-safeguard = Safeguard
col-copy = Copy of the safeguards
col-situation = Situation in which the transfer is made
col-name = Name
col-kind = Type
col-purpose = Purpose
col-lifetime = Lifetime
col-consent = Consent

## Privacy policy

privacy-title = Privacy policy
privacy-intro-default = This policy explains how { $controller } collects and uses personal data when you use { $service }, and the rights you have over that data.

section-controller = Who is responsible for your data
controller-intro = { $controller } is the controller of your personal data: we decide why and how it is used.
controller-intro-brand = { $legal_name } (“{ $brand }”) is the controller of your personal data: we decide why and how it is used.

section-dpo = Data protection officer
dpo-intro = We have appointed a data protection officer, whom you can contact about any question on your data and your rights.
dpo-none = We have not appointed a data protection officer. For any question about your data or your rights, contact us { $contact }.

section-representative = Our representative in the European Union
representative-intro = You can also contact our representative in the European Union.

section-data = The personal data we process
data-subjects-intro = We process personal data about the following people:
data-table-intro = The table below lists the data we process and where it comes from.
source-subject = Provided by you
source-observed = Collected automatically as you use the service
source-third-party = Received from third parties
source-inferred = Derived by us from other data
source-with-detail = { $source } ({ $detail })
data-sensitive-mark = Special category of data (Article 9 GDPR)
data-never-stored-mark = Used when needed, never stored
data-sensitive = Some of this data belongs to the special categories of Article 9 of the GDPR and receives enhanced protection: { $categories }.
data-no-sensitive = We do not process any special category of data, such as health data, political opinions or religious beliefs.
data-never-stored = The following data is used only at the moment it is needed and is never stored: { $categories }.

section-purposes = Why we use your data and on what legal basis
purposes-intro = We use your data only for the purposes below. Each relies on one of the legal bases provided by the GDPR.
basis-consent = Your consent (Article 6(1)(a) GDPR)
basis-contract = Performance of a contract with you, or steps taken at your request before entering into one (Article 6(1)(b) GDPR)
basis-legal-obligation = Compliance with a legal obligation (Article 6(1)(c) GDPR)
basis-legitimate-interest = Our legitimate interests (Article 6(1)(f) GDPR)
basis-vital-interest = Protection of your vital interests or those of another person (Article 6(1)(d) GDPR)
basis-public-task = Performance of a task carried out in the public interest (Article 6(1)(e) GDPR)
requirement-statutory = Providing this data is required by law.
requirement-contractual = Providing this data is a contractual requirement.
requirement-contract-prerequisite = This data is needed to enter into a contract with us.
requirement-service-prerequisite = This data is needed to do what you ask of us.
requirement-voluntary = You are free to provide this data or not.
consent-collected = You give your consent { $methods }, and you can withdraw it at any time.
consent-by-banner = through the cookie banner
consent-by-form = by ticking a box in a form
consent-by-api = in our application
consent-lifetime = It remains valid for { $duration }, after which we ask you again.
purpose-direct-marketing = You can object to this at any time, without giving any reason, and we will stop.
purpose-direct-marketing-consent = You can withdraw your consent at any time, without giving any reason, and we will stop.
field-purpose-rights = Your rights here
purpose-rights-consent = You can withdraw your consent at any time, as easily as you gave it; what was done before stays lawful. You can also receive the data you gave us in a reusable format.
purpose-rights-contract = You can receive the data you gave us in a reusable format. This use is needed to perform the contract, so you cannot object to it while the contract runs.
purpose-rights-objection = You can object to this use at any time, on grounds relating to your particular situation.
purpose-rights-legal-obligation = The law requires this use: you cannot object to it, and the data cannot be erased while we must keep it.
purpose-services-intro = We use the following services for this purpose:

section-recipients = Who receives your data
recipients-intro = Your data is shared only with the recipients below, and each receives only the data it needs.
recipients-internal = Our staff
recipients-internal-intro = Within our organisation, only authorised staff who need the data for their work can access it.
recipients-processor = Our processors
recipients-processor-intro = These service providers process data on our behalf and only on our instructions.
recipients-processor-contract = Each of them has signed a contract with us that binds it to protect your data (Article 28 GDPR).
recipients-third-party = Other organisations
recipients-third-party-intro = These organisations receive data and use it for their own purposes, as controllers in their own right, under their own privacy policies.
recipients-joint-controller = Joint controllers
recipients-joint-controller-intro = We decide together with these organisations why and how the data is processed. You can exercise your rights with us or with them.
recipients-authority = Authorities
recipients-authority-intro = We disclose data to these authorities only when the law requires or allows it.
recipients-public = The public
recipients-public-intro = What you choose to publish, such as a review or a public profile, can be read by anyone.
recipient-only-when = (only { $when })
recipient-anonymous-aggregates = Aggregated, anonymous statistics only: no personal data

section-transfers = Transfers outside the European Economic Area
transfers-none = Your data stays in the European Economic Area (EEA): it is not transferred outside it.
transfers-intro = Some recipients process your data outside the European Economic Area (EEA).
transfers-safeguarded = Each of the following transfers is covered by one of the safeguards provided by the GDPR:
transfers-derogations = The following transfers are not covered by such a safeguard. They rely on a derogation for a specific situation (Article 49 GDPR) and are made only in the situation stated:
mechanism-adequacy = Adequacy decision of the European Commission (Article 45 GDPR)
mechanism-dpf = EU-US Data Privacy Framework: the recipient is certified under this adequacy decision (Article 45 GDPR).
mechanism-dpf-checked = Certification last checked on { $date }.
mechanism-scc = Standard contractual clauses adopted by the European Commission (Decision 2021/914), module { $module }: { $name } (Article 46 GDPR)
mechanism-bcr = Binding corporate rules approved by a supervisory authority (Article 47 GDPR)
mechanism-derogation = Derogation for a specific situation (Article 49 GDPR): { $ground }
scc-module-1 = transfer from controller to controller
scc-module-2 = transfer from controller to processor
scc-module-3 = transfer from processor to processor
scc-module-4 = transfer from processor to controller
transfers-copy-public = The decision is published in the Official Journal of the European Union.
transfers-copy-default = Ask us for a copy { $contact }.

section-retention = How long we keep your data
retention-intro = We keep your data only as long as necessary for the purposes it was collected for. After that, it is deleted or anonymised.
retention-before = We keep this data { $before }.
retention-first = { $duration } { $trigger }
retention-next = Then { $duration } more
retention-active = { $when }: in active use.
retention-active-reason = { $when }: in active use (reason: { $reason }).
retention-archive = { $when }: in intermediate archive, kept apart from active data; access restricted to: { $roles }.
retention-archive-reason = { $when }: in intermediate archive, kept apart from active data; access restricted to: { $roles }; reason: { $reason }.
retention-end-delete = At the end of this period, the data is deleted.
retention-end-anonymise = At the end of this period, the data is anonymised so that it can no longer identify you.
retention-unverified-requests = A rights request whose e-mail address is never confirmed with the code we send (valid { $minutes } minutes) is deleted, with the address it holds, { $hours } hours after the code expires.
trigger-collected = after it is collected
trigger-last-contact = after your last contact with us
trigger-account-opened = after your account is opened
trigger-account-closed = after your account is closed
trigger-last-connection = after your last login
trigger-transaction = after the transaction
trigger-debit = after the payment is debited
trigger-deferred-debit = after the deferred payment is debited
trigger-invoice = after the invoice is issued
trigger-consent-given = after you give your consent
trigger-identity-verified = after your identity is verified
trigger-request-closed = after your request is closed
trigger-opposition-recorded = after your objection is recorded
trigger-contract-end = after the contract ends
trigger-custom = after this event: “{ $event }”

section-rights = Your rights
rights-intro = You have the following rights over your personal data:
right-access = Right of access
right-access-text = You can ask us whether we process data about you and, if we do, obtain a copy of it together with information on how we use it.
right-rectification = Right to rectification
right-rectification-text = You can have inaccurate data about you corrected and incomplete data completed.
right-erasure = Right to erasure
right-erasure-text = You can ask us to delete your data, in particular when it is no longer needed, when you withdraw your consent or when you object to its use, unless we must keep it to comply with a legal obligation or to establish, exercise or defend legal claims.
right-restriction = Right to restriction of processing
right-restriction-text = You can ask us to keep your data without using it, for example while we check its accuracy or examine your objection.
right-portability = Right to data portability
right-portability-text = When we process your data by automated means on the basis of your consent or of a contract, you can receive the data you gave us in a structured, commonly used and machine-readable format, or have us send it directly to another organisation where technically feasible.
right-objection = Right to object
right-objection-text = You can object at any time, on grounds relating to your particular situation, to processing based on our legitimate interests or on a task in the public interest. We will then stop, unless we have compelling legitimate grounds or need the data to establish, exercise or defend legal claims.
right-objection-marketing-text = You can also object at any time, without giving any reason, to the use of your data for direct marketing; we will then stop using it for that purpose.
right-withdraw-consent = Right to withdraw your consent
right-withdraw-consent-text = When processing is based on your consent, you can withdraw it at any time, as easily as you gave it. This does not affect the lawfulness of the processing carried out before.
right-complaint = Right to lodge a complaint
right-complaint-text = You can lodge a complaint with a supervisory authority (see below).
right-post-mortem = Directives about your data after your death
right-post-mortem-text = You can give us directives on how your personal data should be kept, erased and communicated after your death, and name a person to carry them out. You can change or revoke them at any time (article 85 of the French Data Protection Act).
section-rights-california = Additional rights for California residents
rights-california-ccpa-intro = If you live in California, the California Consumer Privacy Act (CCPA) gives you the following rights:
rights-california-shine-intro = If you live in California, section 1798.83 of the California Civil Code (“Shine the Light”) also gives you the following right:
right-california-know = Right to know
right-california-know-text = You can ask us to disclose the categories and specific pieces of personal information we have collected about you, the categories of sources, the purposes for which we use it and the categories of third parties to whom we disclose it.
right-california-delete = Right to delete
right-california-delete-text = You can ask us to delete the personal information we have collected from you, subject to the exceptions provided by law.
right-california-correct = Right to correct
right-california-correct-text = You can ask us to correct inaccurate personal information about you.
right-california-opt-out = Right to opt out of sale or sharing
right-california-opt-out-text = You can tell us not to sell your personal information or share it for cross-context behavioural advertising. We treat a Global Privacy Control signal sent by your browser as such a request.
right-shine-the-light = “Shine the Light” request
right-shine-the-light-text = Once a year and free of charge, you can ask which categories of personal information we disclosed to third parties for their own direct marketing during the previous calendar year, and the names and addresses of those third parties (California Civil Code section 1798.83).
right-shine-the-light-none = We do not disclose personal information to third parties for their own direct marketing.
rights-california-non-discrimination = As the CCPA requires, we will not treat you differently because you exercise any of these rights.

section-withdraw-consent = Withdrawing your consent
withdraw-consent-intro = The following processing relies on your consent:
withdraw-consent-how = You can withdraw your consent at any time, as easily as you gave it, for example { $contact }.
withdraw-consent-effect = Withdrawing your consent stops the processing concerned from then on; it does not affect the lawfulness of the processing carried out before.
withdraw-consent-none = None of our processing relies on your consent.

section-exercise = How to exercise your rights
exercise-response = We answer within { $duration } of receiving your request.
exercise-extension = If your request is complex, or if we receive many requests, this period may be extended by { $duration }; we will then tell you so, and why, within the first period.
exercise-id-doubt = We ask for proof of identity only if we have reasonable doubts about who is making the request.
exercise-free = Exercising your rights is free of charge, unless a request is manifestly unfounded or excessive.

section-complaint = Lodging a complaint with the supervisory authority
complaint-intro = If you believe that your rights are not respected, you can lodge a complaint with the supervisory authority at any time, whether or not you have contacted us first:
complaint-any-authority = You can also complain to the supervisory authority of the European Union country where you live or work, or where the alleged infringement took place.

section-automated = Automated decision-making
automated-none = We do not make any decision based solely on automated processing, including profiling, that produces legal effects concerning you or similarly significantly affects you.
automated-intro = Some decisions are made solely by automated means. For each of them, you can obtain human intervention, express your point of view and contest the decision.

section-security = How we protect your data
security-intro = We take appropriate technical and organisational measures to protect your data against loss, misuse, unauthorised access and disclosure.
security-organisational = Organisational measures:
security-technical = Technical measures:

section-cookies = Cookies and similar technologies
cookies-pointer = We use cookies and similar technologies on { $service }. Our cookie policy explains which ones, what they are for, and how to accept or refuse them.

section-changes = Changes to this policy
changes-default = We may update this policy when our processing changes. We will inform you of any significant change before it applies.

## Cookie policy

cookies-title = Cookie policy
cookies-intro = This policy explains which cookies and similar technologies { $controller } uses on { $service }, what they are for, and how you can accept or refuse them.
section-trackers = What are cookies and similar technologies?
trackers-what = A cookie is a small text file that a website stores on your device (computer, phone, tablet) when you visit it and can read back on later visits. Other technologies work the same way: data kept in your browser's local storage, pixels (tiny invisible images) and fingerprinting techniques. In this policy we call them all “trackers”.
trackers-consent-rule = Trackers that are strictly necessary for the site to work, or to provide a service you explicitly ask for, do not need your consent. All others are used only if you agree.
section-trackers-used = The trackers we use
trackers-none = We do not use any trackers.
trackers-used-intro = The tables below list every tracker used on { $service }, by category.
cookie-category-necessary = Strictly necessary
cookie-category-necessary-text = These trackers are essential for the site to work and to keep it secure. They cannot be turned off.
cookie-category-functional = Functional
cookie-category-functional-text = These trackers remember your preferences, such as your language, to make the site easier to use.
cookie-category-personalisation = Content personalisation
cookie-category-personalisation-text = These trackers adapt what we show you, such as recommended articles or products, to what you have viewed. They are used only with your consent.
cookie-category-analytics = Audience measurement
cookie-category-analytics-text = These trackers measure how the site is used so that we can improve it.
cookie-category-marketing = Advertising
cookie-category-marketing-text = These trackers are used to show you advertising and to measure how well it works.
cookie-category-social = Social networks
cookie-category-social-text = These trackers let you share content on social networks, and let those networks know that you visited the site.
tracker-kind-cookie = Cookie
tracker-kind-local-storage = Local storage
tracker-kind-pixel = Pixel
tracker-kind-email-pixel = Pixel in our e-mails
tracker-kind-fingerprint = Fingerprinting
lifetime-session = session
lifetime-not-stored = nothing stored on your device
consent-required = Required
consent-required-form = Required, asked in the form where you give your e-mail address
consent-not-required = Not required
section-choices = Your choices
choices-banner = On your first visit, a banner asks for your choice before any tracker that needs your consent is used. You can click “{ $accept }”, “{ $refuse }” or “{ $customise }” to choose category by category. Refusing is as easy as accepting, and simply continuing to browse does not count as consent.
choices-withdraw = You can change your mind at any time, as easily as you gave your consent, through the “{ $link }” link at the bottom of every page. Withdrawing your consent does not affect what was done before.
choices-kept = We keep your choice for { $duration }; after that, we ask you again.
choices-max-lifetime = Trackers that need your consent stay on your device for { $duration } at most.
choices-none-needed = All the trackers we use are exempt from consent, so we do not need to ask for it. If we ever add trackers that need your consent, we will ask you through a banner before using them, and you will be able to refuse as easily as to accept.
section-browser = Browser settings
browser-text = You can also set your browser to block trackers or to delete them; each browser explains how in its help pages. Blocking strictly necessary trackers may prevent parts of the site from working.
section-contact = Contact
contact-text = For any question about this policy, contact us { $contact }.
privacy-pointer = To learn how we process your personal data and how to exercise your rights, read our privacy policy.

## Countries (ISO 3166-1 alpha-2)

country-AT = Austria
country-BE = Belgium
country-BG = Bulgaria
country-HR = Croatia
country-CY = Cyprus
country-CZ = Czechia
country-DK = Denmark
country-EE = Estonia
country-FI = Finland
country-FR = France
country-EU = the European Union
country-EEA = the European Economic Area
country-DE = Germany
country-GR = Greece
country-HU = Hungary
country-IE = Ireland
country-IT = Italy
country-LV = Latvia
country-LT = Lithuania
country-LU = Luxembourg
country-MT = Malta
country-NL = Netherlands
country-PL = Poland
country-PT = Portugal
country-RO = Romania
country-SK = Slovakia
country-SI = Slovenia
country-ES = Spain
country-SE = Sweden
country-IS = Iceland
country-LI = Liechtenstein
country-NO = Norway
country-AD = Andorra
country-AR = Argentina
country-CA = Canada
country-CH = Switzerland
country-FO = Faroe Islands
country-GB = United Kingdom
country-GG = Guernsey
country-IL = Israel
country-IM = Isle of Man
country-JE = Jersey
country-JP = Japan
country-KR = South Korea
country-NZ = New Zealand
country-UY = Uruguay
country-US = United States
country-AU = Australia
country-BR = Brazil
country-CN = China
country-HK = Hong Kong
country-IN = India
country-MA = Morocco
country-MX = Mexico
country-SG = Singapore
country-TN = Tunisia
country-TR = Türkiye
country-UA = Ukraine
country-ZA = South Africa
country-AE = United Arab Emirates
country-PH = Philippines
country-VN = Vietnam
country-SN = Senegal
country-MU = Mauritius
country-RS = Serbia
country-EG = Egypt

## Rights requests: e-mails to the requester

mail-code-subject = { $controller }: your confirmation code
mail-code-body = Your code is { $code }. Enter it on the request page within { $minutes } minutes to confirm that this address is yours. If you did not make a request, ignore this e-mail.
mail-received-subject = { $controller }: we have your request
mail-received-body = Your request is confirmed. We will answer by { $due } at the latest.
mail-progress-subject = { $controller }: we are working on your request
mail-progress-body = Your identity is confirmed and we are working on your request. We will answer by { $due } at the latest.
mail-extended-subject = { $controller }: more time for your request
mail-extended-body = We need more time to answer your request, because: { $reason }. We will answer by { $due } at the latest.
mail-refused-subject = { $controller }: our answer to your request
mail-refused-body = We cannot act on your request, because: { $reasons }. You may complain to the supervisory authority, { $authority }, and you may go to court.
mail-refused-unfounded = We consider this request manifestly unfounded or excessive.
mail-identity-subject = { $controller }: we need to confirm who you are
mail-identity-body = To protect your data, we need a copy of an identity document before we act. Send it through this page: { $link } — we delete it as soon as your identity is confirmed.
mail-package-subject = { $controller }: your data is ready
mail-package-body = Your data is ready. Each link works once and until { $expires }.
mail-erased-subject = { $controller }: your data has been erased
mail-erased-body = We have erased your personal data.
mail-erased-kept = The law obliges us to keep some of it for a while, in a restricted archive: { $categories }.
mail-notified = We told the following recipients of your data: { $recipients }.
mail-completed-subject = { $controller }: your request is done
mail-completed-body = We have carried out your request ({ $kind }).
mail-lifted-subject = { $controller }: end of the restriction
mail-lifted-body = The restriction of the processing of your data is being lifted.
mail-ask-again-subject = { $controller }: shall we keep your data?
mail-ask-again-body = We have not heard from you for a long time. We keep your data only if you still want us to: to keep it, open this link and confirm.
    
    { $link }
    
    If you do nothing, we will delete it on { $date }.
mail-breach-subject = { $controller }: a personal data breach concerns you
mail-breach-body = We are writing to tell you about a personal data breach that concerns your data: { $description }
mail-breach-consequences = What it may lead to: { $consequences }
mail-breach-measures = What we have done, or will do, about it: { $measures }
mail-breach-contact = For more information, contact: { $contact }
mail-stl-subject = { $controller }: disclosures for direct marketing
mail-stl-body = Third parties that received your personal information for their own direct marketing in { $year }:
mail-stl-none = None.

## Rights requests: the access package

package-title = Your personal data
package-portable-title = Your data, to take elsewhere
package-intro = Prepared on
package-datasets = Data held in our other systems
package-data = Data held in record
package-events = Events
package-disclosures = Disclosed to
package-consents = Your choices
package-purposes = Why we use it
package-recipients = Who receives it
package-retention = How long we keep it

## Rights requests: the public portal

portal-title = Exercise your rights
portal-intro = Choose what you ask for and give the e-mail address we know you by. We send a code to that address to make sure the request is yours.
portal-kind = Your request
portal-email = Your e-mail address
portal-details = Details (optional)
portal-rectify = For a correction
portal-category = Which data
portal-none = None
portal-value = The correct value
portal-post-mortem = For directives after death
portal-pm-action = Directive
portal-pm-record = Record my directive
portal-pm-revoke = Revoke my directives
portal-pm-execute = Carry out the directive of a deceased person who named me
portal-pm-instructions = What should happen to the data
portal-pm-erase = Erase it
portal-pm-transmit = Give a copy to the person I name
portal-pm-keep = Keep it as it is
portal-pm-other = Person named to carry it out (or, to carry out a directive, the deceased person's address)
portal-send = Send
portal-code-title = Confirm your request
portal-code-intro = We sent a code to your address. Enter it here to confirm your request.
portal-code = Code
portal-confirm = Confirm
portal-done-title = Request confirmed
portal-done = Thank you. Your request is confirmed; we will answer by e-mail.
portal-document-title = Identity document
portal-document-intro = Send a copy of an identity document (PDF, JPEG or PNG). We delete it as soon as your identity is confirmed.
portal-document = Your document
portal-document-done = Thank you: we received your document.
portal-download-title = Your data
portal-download-intro = A copy of your data is ready ({ $format }). The link works once: the file downloads when you press the button, and the link stops working then.
portal-download-button = Download my data
portal-download-invalid = This link is not valid, was used already or has expired. If you still need your data, make a new request.
portal-error-title = Your request could not be sent
portal-error-internal = Something went wrong on our side. Please try again later.
portal-too-large = The file is too large: send a file of at most { $mib } MiB.
portal-too-many = Too many requests from your address. Please wait a minute and try again.

## The staff console (/console).
console-skip = Skip to content
console-role = Signed in as
console-sign-out = Sign out
console-nav = Console sections
console-nav-dashboard = Dashboard
console-nav-requests = Requests
console-done = Done.
console-error-title = This could not be done
console-error-internal = Something went wrong on the server; its log says more.
console-back-dashboard = Back to the dashboard
console-back-queue = Back to the requests
console-requests-title = Rights requests
console-requests-caption = Requests, soonest deadline first
console-requests-none = No request matches these filters.
console-requests-range = Requests { $first } to { $last } of { $total }
console-previous-page = Previous page
console-next-page = Next page
console-filters = Filters
console-any = Any
console-apply = Apply
console-open-only = Open requests only
console-request = Request
console-request-title = Rights request
console-request-kind = Type
console-request-status = State
console-request-received = Received
console-request-due = Legal deadline
console-request-closed = Closed
console-request-handler = Handler
console-request-email = Requester's address
console-request-language = Language
console-request-details = Details
console-request-purposes = Purposes named
console-request-subjects = Subjects found
console-request-doubt = Identity doubt
console-request-document = ID document
console-request-extension = Extension reason
console-request-refusal = Refused because
console-request-unfounded = manifestly unfounded or excessive
console-request-outcome = Outcome
console-request-notified = Recipients notified
console-request-changes = Corrections asked
console-request-pending-dpo = Left for the DPO:
console-request-partly-done = Partly done, retried on its own:
console-request-steps = Next steps
console-request-closed-steps = This request is closed.
console-request-history = History
console-request-letters = Letters and notices
console-request-no-letters = No letter yet.
console-request-requester = the requester
console-category = Category
console-value = Value
console-when = When
console-what = What
console-who = Who
console-note = Note
console-nobody = Nobody yet
console-overdue = Overdue
console-due-soon = Due within 7 days
console-letter-to = To
console-letter-channel = Channel
console-letter-state = State
console-letter-attempts = Attempts
console-letter-delivered = Delivered
console-letter-error = Last error
console-step-assignee = Handler (staff user id)
console-step-assign = Assign
console-step-confirm-identity = Confirm identity
console-step-complete = Complete the request
console-step-extend-reason = Reason for the extension (told to the requester)
console-step-extend = Extend by two months
console-step-doubt-note = What makes the identity doubtful
console-step-doubt = Ask for an ID document
console-step-refuse-reasons = Reasons for refusing (told to the requester)
console-step-unfounded = Manifestly unfounded or excessive
console-step-justification = Justification (kept for the authority)
console-step-refuse = Refuse
console-step-lift = Lift the restriction
console-status-received = Awaiting the code
console-status-awaiting-identity = Awaiting an ID document
console-status-verified = Verified
console-status-in-progress = In progress
console-status-extended = Extended
console-status-completed = Completed
console-status-refused = Refused
console-nav-subjects = Subjects
console-subjects-title = Find a person
console-search = Search
console-search-by = By
console-search-email = E-mail address
console-search-phone = Phone number
console-search-login = Login
console-search-value = Value
console-search-purpose = For the purpose of
console-search-button = Search
console-search-audited = Each search is recorded in the audit log with the purpose chosen.
console-search-none = Nobody matches.
console-search-results = People found
console-subject = Person
console-subject-title = Person
console-subject-kind = Kind
console-subject-created = Known since
console-subject-fields = Data your role may read
console-subject-no-fields = Your role reads none of this person's data.
console-subject-consents = Consents
console-subject-proof = Export the proof of consent
console-subject-purpose = Purpose
console-subject-choice = Choice
console-subject-events = Events
console-subject-disclosures = Disclosures
console-subject-recipient = Recipient
console-subject-what = What was disclosed
console-subject-requests = Rights requests
console-subject-no-requests = No rights request names this person.
console-subject-retention = Retention of each category
console-subject-retention-caption = Each category this person's data holds, its retention phase now and the next step
console-subject-phase = Phase now
console-subject-next-step = Next step
console-subject-no-next-step = None to come
console-phase-active = In active use
console-phase-archive = Archived (readable by { $readers })
console-phase-expired = Retention ended: deleted at the next sweep unless held
console-step-archive = archive
console-step-delete = delete
console-step-anonymise = anonymise
console-step-due = { $action } on { $date } (rule { $rule })
console-step-held = suspended by a legal hold
console-back-search = Back to the search
console-none = None.
console-consent-given = Given
console-consent-refused = Refused
console-consent-withdrawn = Withdrawn
console-consent-expired = Expired
console-nav-audit = Audit log
console-audit-title = Audit log
console-audit-caption = Entries, oldest first
console-audit-subject = Subject id
console-audit-principal = Principal
console-audit-from = From (day, UTC)
console-audit-to = To (day, UTC)
console-audit-action = Action
console-audit-categories = Categories
console-audit-outcome = Outcome
console-audit-none = No entry matches these filters.
console-audit-next = Next entries
console-audit-verification = Verification
console-audit-verify = Verify now
console-audit-verified-at = Last verified
console-audit-intact = intact
console-audit-broken = broken
console-audit-never-verified = The audit log has not been verified yet.
console-audit-any-action = Any action
console-dashboard-due = Requests overdue or due within 7 days
console-dashboard-none-due = No open request is overdue or due within 7 days.
console-dashboard-all-open = All open requests
console-dashboard-figures-as-of = Figures as of { $at }, counted again every five minutes.
console-dashboard-due-shown = The { $shown } soonest of { $total } are shown; the queue lists them all.
console-dashboard-retention = Retention in the next 30 days
console-dashboard-retention-more = More than
console-dashboard-retention-steps = retention steps (archiving, deletion or anonymisation) fall due.
console-dashboard-outbox = Messages not delivered
console-dashboard-outbox-none = Every letter and notice was delivered or is still being tried.
console-dashboard-outbox-count = letters or notices could not be delivered and will not be tried again.
console-dashboard-outbox-latest = The latest messages not delivered
console-dashboard-outbox-failed-at = Given up
console-dashboard-outbox-no-request = None (breach notice)
console-dashboard-consents = Consents over the last 12 weeks
console-dashboard-consents-legend = Bars per week, from the bottom: given (green), refused (red), withdrawn (violet). The numbers are in the table under each chart.
console-dashboard-no-consents = No consent was recorded in the last 12 weeks.
console-dashboard-week = Week
console-dashboard-given = Given
console-dashboard-refused = Refused
console-dashboard-withdrawn = Withdrawn
console-dashboard-banner = Cookie banner choices over the last 12 weeks
console-dashboard-banner-rate = of banner choices accepted every purpose (bar: all accepted in green, some in red, all refused in violet).
console-dashboard-banner-all = All accepted
console-dashboard-banner-some = Some accepted
console-dashboard-banner-none = All refused
console-rectify = Correct a field
console-rectify-value = Correct value
console-rectify-button = Correct
console-erase-link = Erase this person…
console-erase-title = Erase a person
console-erase-back = Back to the person
console-erase-warning = Erasure destroys this person's data key: every field becomes unreadable in every copy, backups included, and cannot be restored.
console-erase-confirm = I confirm the erasure of this person
console-erase-button = Erase for good
console-nav-register = Register
console-register-title = Register of processing
console-register-versions = Published policy versions
console-register-diff = Changes between versions
console-register-purposes = Purposes
console-register-categories = Categories of data
console-register-recipients = Recipients
console-register-transfers = Transfers outside the EEA
console-register-retention = Retention rules
console-register-id = Id
console-register-name = Name
console-register-basis = Legal basis
console-register-sensitive = Sensitive
console-register-countries = Countries
console-register-country = Country
console-register-mechanism = Safeguard
console-register-trigger = Counted from
console-register-phases = Phases
console-yes = Yes
console-no = No
console-register-version = Version
console-register-effective = In force from
console-register-in-force = in force
console-nav-retention = Retention
console-retention-title = Retention
console-retention-window = Window
console-retention-days = Days from now
console-retention-plan = Steps falling due, soonest first
console-retention-no-steps = No retention step falls due in this window.
console-retention-truncated = More steps fall due than are listed here.
console-retention-planned = As planned at { $at }: the plan is made again every five minutes, and at once after a retention sweep or a change of legal hold.
console-retention-rule = Rule
console-retention-action = Action
console-holds = Legal holds
console-hold-place = Place a legal hold (a subject, a rule, or both)
console-hold-reason = Reason (a case reference, never personal data)
console-hold-place-button = Place the hold
console-hold-placed = Placed
console-hold-released = Released
console-hold-release = Release
console-nav-breaches = Breaches
console-breaches-title = Breach register
console-breaches-caption = Breaches, open ones first, soonest deadline first
console-breaches-none = No breach is recorded.
console-breach = Breach
console-breach-state = State
console-breach-open = Open
console-breach-closed = Closed
console-breach-aware = Known since
console-breach-deadline = Deadline to notify the authority
console-breach-clock = 72-hour clock
console-breach-hours-left = { $hours } hours left
console-breach-decided = Authority decision recorded
console-breach-notified-late = Authority notified late
console-breach-record = Record a breach
console-breach-aware-at = When it became known (UTC)
console-breach-nature = Nature
console-breach-nature-confidentiality = Confidentiality
console-breach-nature-integrity = Integrity
console-breach-nature-availability = Availability
console-breach-description = Description
console-breach-categories = Categories of data concerned
console-breach-people = Approximate number of people concerned
console-breach-records = Approximate number of records concerned
console-breach-consequences = Likely consequences
console-breach-measures = Measures taken or proposed
console-breach-subjects = Affected subject ids (one per line)
console-breach-record-button = Record the breach
console-back-breaches = All breaches
console-breach-recorded = Recorded
console-breach-affected = Affected subjects listed
console-breach-authority = Supervisory authority (Art. 33)
console-breach-undecided = No decision yet.
console-breach-notified = Notified
console-breach-not-notified = Not notified
console-breach-reference = The authority's reference
console-breach-notified-at = Notified at (UTC; empty for now)
console-breach-late-reason = Reason for the delay (required after the deadline)
console-breach-notify-button = Record the notification
console-breach-not-notify-reason = Why the breach is unlikely to result in a risk to people
console-breach-not-notify-button = Record: not notified
console-breach-people-title = People concerned (Art. 34)
console-breach-informed = Informed
console-breach-not-informed = Not informed
console-breach-channel = How the people are told
console-breach-channel-email = By e-mail (a letter to each affected subject, through the outbox)
console-breach-channel-post = By post
console-breach-channel-phone = By phone
console-breach-channel-public-notice = Public communication
console-breach-channel-other = Other
console-breach-informed-at = Informed at (UTC; empty for now)
console-breach-inform-button = Record: informed
console-breach-reason = Why the people are not told
console-breach-reason-no-high-risk = No likely high risk (Art. 34(1))
console-breach-reason-unintelligible = The data is unintelligible to others, e.g. encrypted (Art. 34(3)(a))
console-breach-reason-risk-neutralised = Later measures make the high risk no longer likely (Art. 34(3)(b))
console-breach-reason-disproportionate-effort = Disproportionate effort; a public communication instead (Art. 34(3)(c))
console-breach-explanation = Why this reason applies
console-breach-not-inform-button = Record: not informed
console-breach-letters = { $queued } letters queued; { $without } people without an e-mail address
console-breach-close = Close the breach
console-breach-reopen = Reopen the breach
console-breach-timeline = Timeline
console-breach-detail = Detail
console-breach-export-json = Timeline as JSON
console-breach-export-csv = Timeline as CSV
console-dashboard-breaches = Open breaches
console-dashboard-no-breaches = No breach is open.
console-dashboard-all-breaches = The breach register

## Console: staff, API keys and the access review
console-nav-staff = Staff and keys
console-nav-access-review = Access review
console-staff-title = Staff accounts and API keys
console-staff-users = Staff accounts
console-staff-add = Add an account
console-staff-add-button = Add the account
console-staff-email = E-mail
console-staff-role = Role
console-staff-created = Created
console-staff-last-sign-in = Last sign-in
console-staff-disabled = Disabled
console-staff-actions = Actions
console-staff-disable = Disable
console-staff-enable = Enable
console-staff-never = Never
console-staff-added = Account added
console-staff-password-once = Its password, shown this once: give it to the person over a safe channel.
console-staff-back = Back to the staff accounts and keys
console-keys = API keys
console-key-create = Create an API key
console-key-create-button = Create the key
console-key-name = Name (what uses the key)
console-key-last-used = Last used
console-key-revoked = Revoked
console-key-revoke = Revoke
console-key-created = API key created
console-key-once = The key, shown this once and never again: copy it into the service's configuration now.
console-unused = Unused
console-review-title = Access review
console-review-due = Next review due:
console-review-unused-days = Flagged as unused after this many days without use:
console-reviews = Reviews recorded
console-review-record = Record a review
console-review-record-button = Record the review
console-review-notes = What the review found and changed
console-review-by = Reviewed by
console-dashboard-review = Access review
console-signin-code-title = Second factor
console-signin-code-label = Code from your authenticator app, or a recovery code
console-signin-continue = Continue
console-signin-restart = Start again
console-signin-wrong-code = Wrong, expired or already used code.
console-signin-throttled = Too many failed sign-ins for this account or from this address: try again in { $seconds } s.
console-nav-account = My account
console-account-title = My account
console-factor-title = Second factor
console-factor-required = Your role requires a second factor: enrol one before anything else.
console-factor-add-to-app = Add this account to your authenticator app with the secret below (or the otpauth address), then type the code it shows. Both are shown this once.
console-factor-secret = Secret (base32)
console-factor-uri = otpauth address
console-factor-code = Code from your authenticator app
console-factor-confirm = Confirm
console-factor-codes-once = Your recovery codes, shown this once: keep them somewhere safe. Each signs you in once if you lose the app.
console-factor-codes-saved = I have saved them
console-factor-on = A second factor protects this account.
console-factor-off = No second factor protects this account yet.
console-factor-enrol = Set up a second factor
console-factor-new-codes = Replace the recovery codes
console-factor-disable = Remove the second factor
console-sessions = My sessions
console-session-expires = Expires
console-session-current = (this session)
console-session-revoke = End
console-session-revoke-others = End all my other sessions

## Record of processing (Art. 30)

record-title = Record of processing activities (Article 30 GDPR)
record-updated = Updated on { $date }
record-col-id = Id
record-col-activity = Processing activity
record-col-controller = Controller
record-col-representative = Representative
record-col-dpo = Data protection officer
record-col-purpose = Purpose
record-col-legal-basis = Legal basis
record-col-subjects = Categories of data subjects
record-col-data = Categories of personal data
record-col-special = Special categories of data (Article 9 GDPR)
record-col-recipients = Recipients
record-col-transfers = Transfers outside the EEA and safeguards
record-col-retention = Retention periods
record-col-security = Security measures
record-col-updated = Last updated
record-none = None
record-basis-consent = Consent (Article 6(1)(a) GDPR)
record-basis-contract = Contract (Article 6(1)(b) GDPR)
record-basis-legal-obligation = Legal obligation (Article 6(1)(c) GDPR)
record-basis-vital-interest = Vital interests (Article 6(1)(d) GDPR)
record-basis-public-task = Public task (Article 6(1)(e) GDPR)
record-basis-legitimate-interest = Legitimate interests (Article 6(1)(f) GDPR)
record-law = Law
record-kind-internal = internal
record-kind-processor = processor
record-kind-third-party = third party
record-kind-joint-controller = joint controller
record-kind-authority = authority
record-kind-public = the public
record-recipient = { $name } ({ $kind })
record-transfer = { $recipient }, { $country }: { $safeguard }
record-retention = { $categories } ({ $trigger }): { $phases }; { $end }
record-phase-active = { $duration } in active use
record-phase-archive = { $duration } in intermediate archive
record-phase-then = {", then "}
record-end-delete = then deleted
record-end-anonymise = then anonymised

## Children
section-children = Children
children-adults = Our services are meant for adults. We do not knowingly collect data about children below the age of digital consent.
children-everyone = Children below the age of digital consent may use our services, but where we rely on consent, the consent of a parent or guardian is needed as well: until it is given, we do not use the child's data on that basis.
children-ages = The age of digital consent is:
children-age-country = { $country }: { $age } years
children-age-elsewhere = Other countries: { $age } years
children-found = If we learn that we hold data about a child below that age without the consent of a parent or guardian, we stop using it on the basis of consent until that consent is given.
children-found-erase = If we learn that we hold data about a child below that age without the consent of a parent or guardian, we stop using it on the basis of consent and ask for that consent; if it is not given within { $duration }, we delete the child's data.

## Messages a purpose sends
purpose-unsubscribe-link = Every message we send you for this purpose contains a link that stops them in one click.
purpose-service-messages = These messages are part of the service: you receive them for as long as your account exists and cannot unsubscribe from them. They never carry offers or advertising.

## Retention: several events, consent, minimums, asking again
trigger-consent-ended = after your consent ends
trigger-whichever-first = { $triggers }, whichever comes first
trigger-whichever-later = { $triggers }, whichever is later
retention-at-least = at least { $duration }
retention-law = as long as { $law } requires
retention-reason-law = { $reason }, for as long as { $law } requires
retention-while-consent = We keep this data only while your consent to “{ $purpose }” is in force; without it, we do not keep it.
retention-end-ask-again = At the end of this period, we write to ask whether you want us to keep your data. If you do not answer within { $duration }, we delete it; if you answer, the periods above start again.
record-end-ask-again = then the person is asked again, and the data deleted without an answer within { $duration }
