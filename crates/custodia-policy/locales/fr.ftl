# Custodia — messages en français.
# Chaque identifiant doit aussi exister dans en.ftl (un test unitaire le vérifie).

## Mise en forme : durées, dates, listes

# Les petits nombres en lettres, comme l'écrit la prose juridique (« dans un délai d'un mois »).
duration-years = { $count ->
    [1] un an
    [2] deux ans
    [3] trois ans
    [4] quatre ans
    [5] cinq ans
    [6] six ans
    [7] sept ans
    [8] huit ans
    [9] neuf ans
    [one] { $count } an
   *[other] { $count } ans
}
duration-months = { $count ->
    [1] un mois
    [2] deux mois
    [3] trois mois
    [4] quatre mois
    [5] cinq mois
    [6] six mois
    [7] sept mois
    [8] huit mois
    [9] neuf mois
    [one] { $count } mois
   *[other] { $count } mois
}
duration-weeks = { $count ->
    [1] une semaine
    [2] deux semaines
    [3] trois semaines
    [4] quatre semaines
    [5] cinq semaines
    [6] six semaines
    [7] sept semaines
    [8] huit semaines
    [9] neuf semaines
    [one] { $count } semaine
   *[other] { $count } semaines
}
duration-days = { $count ->
    [1] un jour
    [2] deux jours
    [3] trois jours
    [4] quatre jours
    [5] cinq jours
    [6] six jours
    [7] sept jours
    [8] huit jours
    [9] neuf jours
    [one] { $count } jour
   *[other] { $count } jours
}
date = { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
list-separator = {", "}
list-separator-strong = {" ; "}
list-and = {" et "}
list-or = {" ou "}

## Mise en page

ui-contents = Sommaire
ui-label-separator = {" : "}
effective-date = Date d'entrée en vigueur : { $date }
last-updated = Dernière mise à jour : { $date }

## Bandeau cookies (partagé avec le bandeau lui-même)

banner-accept-all = Tout accepter
banner-refuse-all = Tout refuser
banner-customise = Personnaliser
banner-preferences-link = Préférences cookies
banner-title = Vos choix sur les cookies
banner-body = Avec votre accord, { $controller } et ses partenaires utilisent des traceurs pour les finalités ci-dessous. Vous pouvez les accepter, les refuser ou choisir finalité par finalité. Refuser est aussi simple qu'accepter, et vous pouvez changer d'avis à tout moment grâce au lien « Préférences cookies ».
banner-save = Enregistrer mes choix
banner-back = Retour
banner-services = Services
banner-gpc-notice = Votre navigateur envoie un signal Global Privacy Control : nous le traitons comme un refus de la publicité ainsi que de la vente ou du partage de vos données, qui restent donc désactivés.
banner-changed = Certaines finalités sont nouvelles ou ont changé depuis votre dernier choix : merci de choisir à nouveau pour celles-ci.
banner-policy-link = Politique cookies

## Pages des personnes : liens de désinscription et préférences

subject-unsubscribe-title = Désinscription
subject-unsubscribe-confirm = Ne plus utiliser vos données pour « { $purpose } » ?
subject-unsubscribe-button = Me désinscrire
subject-unsubscribe-done = C'est fait : vos données ne sont plus utilisées pour « { $purpose } ».
subject-keep-title = Conserver vos données
subject-keep-confirm = Souhaitez-vous que { $controller } conserve vos données ? Si vous confirmez, nous les conservons et les durées de conservation de notre politique de confidentialité courent de nouveau à compter d'aujourd'hui.
subject-keep-button = Conserver mes données
subject-keep-done = Merci : nous conservons vos données.
subject-link-invalid = Ce lien n'est pas valide ou a expiré.
subject-erased = Il n'y a plus rien à modifier : vos données ont été effacées.
subject-preferences-title = Vos choix de consentement
subject-preferences-intro = Vous pouvez voir ici ce que vous avez accepté et le modifier. Retirer votre consentement est aussi simple que le donner et prend effet immédiatement.
subject-state-given = Vous avez accepté
subject-state-refused = Vous avez refusé
subject-state-withdrawn = Vous avez retiré votre consentement
subject-state-expired = Votre consentement a expiré
subject-state-none = Aucun choix pour l'instant
subject-state-objected = Vous vous y êtes opposé
subject-state-not-objected = En cours : vous pouvez vous y opposer à tout moment
subject-action-give = Donner mon consentement
subject-action-withdraw = Retirer mon consentement
subject-action-object = M'y opposer

## Éléments communs

service-default = nos services
site-default = notre site
reach-email = par e-mail à l'adresse { $contact }
reach-url = via la page { $contact }
reach-phone = par téléphone au { $contact }
link-privacy-policy = politique de confidentialité
link-opt-out = désactivation
role-admin = administrateurs
role-dpo = délégué à la protection des données
role-auditor = auditeurs
role-authorised = personnel habilité

## Libellés et en-têtes de colonnes

field-legal-name = Dénomination sociale
field-trading-name = Nom commercial
field-legal-form = Forme juridique
field-share-capital = Capital social
field-registration = Immatriculation
field-address = Adresse
field-email = E-mail
field-phone = Téléphone
field-website = Site web
field-contact-url = Page de contact
field-service = Service concerné
field-name = Nom
field-legal-basis = Base légale
field-legitimate-interest = Intérêt poursuivi
field-legal-reference = Obligation légale
field-subjects = Personnes concernées
field-data-used = Données traitées
field-data-required = Données obligatoires
field-data-optional = Données facultatives
field-requirement = Caractère obligatoire
field-consequence = Si vous ne les fournissez pas
field-recipients = Destinataires
field-consent = Consentement
field-authority = Autorité
field-complaint-url = Plainte en ligne
field-logic = Logique de la décision
field-significance = Portée et conséquences pour vous
field-human-review = Intervention humaine et contestation
col-data = Données
col-details = Précisions
col-source = Origine
col-service = Service
col-provider = Fournisseur
col-data-collected = Données collectées
col-links = En savoir plus
col-recipient = Destinataire
col-role = Rôle
col-countries = Pays
col-country = Pays
col-safeguard = Garantie
col-copy = Copie des garanties
col-situation = Situation dans laquelle le transfert a lieu
col-name = Nom
col-kind = Type
col-purpose = Finalité
col-lifetime = Durée de vie
col-consent = Consentement

## Politique de confidentialité

privacy-title = Politique de confidentialité
privacy-intro-default = Cette politique explique comment { $controller } collecte et utilise des données personnelles lorsque vous utilisez { $service }, et quels sont vos droits sur ces données.

section-controller = Responsable du traitement
controller-intro = { $controller } est responsable du traitement de vos données personnelles : c'est nous qui déterminons pourquoi et comment elles sont utilisées.
controller-intro-brand = { $legal_name } (« { $brand } ») est responsable du traitement de vos données personnelles : c'est nous qui déterminons pourquoi et comment elles sont utilisées.

section-dpo = Délégué à la protection des données
dpo-intro = Nous avons désigné un délégué à la protection des données (DPO), que vous pouvez contacter pour toute question relative à vos données et à vos droits.
dpo-none = Nous n'avons pas désigné de délégué à la protection des données. Pour toute question relative à vos données ou à vos droits, contactez-nous { $contact }.

section-representative = Notre représentant dans l'Union européenne
representative-intro = Vous pouvez également contacter notre représentant dans l'Union européenne.

section-data = Les données personnelles que nous traitons
data-subjects-intro = Nous traitons des données personnelles concernant les personnes suivantes :
data-table-intro = Le tableau ci-dessous présente les données que nous traitons et leur origine.
source-subject = { $gender ->
    [masculine] Fourni par vous
    [feminine] Fournie par vous
    [masculine-plural] Fournis par vous
   *[feminine-plural] Fournies par vous
}
source-observed = { $gender ->
    [masculine] Collecté
    [feminine] Collectée
    [masculine-plural] Collectés
   *[feminine-plural] Collectées
} automatiquement lors de votre utilisation du service
source-third-party = { $gender ->
    [masculine] Reçu
    [feminine] Reçue
    [masculine-plural] Reçus
   *[feminine-plural] Reçues
} de tiers
source-inferred = { $gender ->
    [masculine] Déduit
    [feminine] Déduite
    [masculine-plural] Déduits
   *[feminine-plural] Déduites
} par nous d'autres données
source-with-detail = { $source } ({ $detail })
data-sensitive-mark = Donnée sensible (article 9 du RGPD)
data-never-stored-mark = { $gender ->
    [masculine] Utilisé au moment nécessaire, jamais conservé
    [feminine] Utilisée au moment nécessaire, jamais conservée
    [masculine-plural] Utilisés au moment nécessaire, jamais conservés
   *[feminine-plural] Utilisées au moment nécessaire, jamais conservées
}
data-sensitive = Certaines de ces données relèvent des catégories particulières de l'article 9 du RGPD et bénéficient d'une protection renforcée : { $categories }.
data-no-sensitive = Nous ne traitons aucune donnée sensible, telle que des données de santé, des opinions politiques ou des convictions religieuses.
data-never-stored = Les données suivantes ne sont utilisées qu'au moment où elles sont nécessaires et ne sont jamais conservées : { $categories }.

section-purposes = Finalités et bases légales
purposes-intro = Nous n'utilisons vos données que pour les finalités ci-dessous, chacune reposant sur l'une des bases légales prévues par le RGPD.
basis-consent = Votre consentement (article 6.1.a du RGPD)
basis-contract = L'exécution d'un contrat conclu avec vous ou de mesures précontractuelles prises à votre demande (article 6.1.b du RGPD)
basis-legal-obligation = Le respect d'une obligation légale (article 6.1.c du RGPD)
basis-legitimate-interest = Notre intérêt légitime (article 6.1.f du RGPD)
basis-vital-interest = La sauvegarde de vos intérêts vitaux ou de ceux d'une autre personne (article 6.1.d du RGPD)
basis-public-task = L'exécution d'une mission d'intérêt public (article 6.1.e du RGPD)
requirement-statutory = La fourniture de ces données est imposée par la loi.
requirement-contractual = La fourniture de ces données est une exigence contractuelle.
requirement-contract-prerequisite = Ces données sont nécessaires à la conclusion d'un contrat avec nous.
requirement-service-prerequisite = Ces données sont nécessaires pour donner suite à votre demande.
requirement-voluntary = Vous êtes libre de fournir ou non ces données.
consent-collected = Vous donnez votre consentement { $methods } et pouvez le retirer à tout moment.
consent-by-banner = au moyen du bandeau cookies
consent-by-form = en cochant une case dans un formulaire
consent-by-api = dans notre application
consent-lifetime = Il reste valable { $duration }, après quoi nous vous le redemandons.
purpose-direct-marketing = Vous pouvez vous y opposer à tout moment, sans avoir à vous justifier ; nous y mettrons alors fin.
purpose-direct-marketing-consent = Vous pouvez retirer votre consentement à tout moment, sans avoir à vous justifier ; nous y mettrons alors fin.
field-purpose-rights = Vos droits sur ce traitement
purpose-rights-consent = Vous pouvez retirer votre consentement à tout moment, aussi simplement que vous l'avez donné ; ce retrait ne remet pas en cause ce qui a été fait auparavant. Vous pouvez aussi recevoir les données que vous nous avez fournies dans un format réutilisable.
purpose-rights-contract = Vous pouvez recevoir les données que vous nous avez fournies dans un format réutilisable. Ce traitement étant nécessaire à l'exécution du contrat, vous ne pouvez pas vous y opposer tant que celui-ci est en cours.
purpose-rights-objection = Vous pouvez vous opposer à tout moment à ce traitement, pour des raisons tenant à votre situation particulière.
purpose-rights-legal-obligation = Ce traitement est imposé par la loi : vous ne pouvez pas vous y opposer, et les données ne peuvent pas être effacées tant que nous sommes tenus de les conserver.
purpose-services-intro = Nous utilisons les services suivants pour cette finalité :

section-recipients = Destinataires des données
recipients-intro = Vos données ne sont communiquées qu'aux destinataires ci-dessous, et chacun ne reçoit que les données dont il a besoin.
recipients-internal = Notre personnel
recipients-internal-intro = Au sein de notre organisation, seuls les membres du personnel habilités qui en ont besoin pour leurs missions ont accès aux données.
recipients-processor = Nos sous-traitants
recipients-processor-intro = Ces prestataires traitent les données pour notre compte et uniquement sur nos instructions.
recipients-processor-contract = Chacun d'eux a signé avec nous un contrat qui l'oblige à protéger vos données (article 28 du RGPD).
recipients-third-party = Autres organismes destinataires
recipients-third-party-intro = Ces organismes reçoivent des données et les utilisent pour leur propre compte, en tant que responsables de traitement, selon leur propre politique de confidentialité.
recipients-joint-controller = Responsables conjoints du traitement
recipients-joint-controller-intro = Nous déterminons avec ces organismes les finalités et les moyens du traitement. Vous pouvez exercer vos droits auprès de nous comme auprès d'eux.
recipients-authority = Autorités
recipients-authority-intro = Nous ne communiquons des données à ces autorités que lorsque la loi l'impose ou le permet.
recipients-public = Le public
recipients-public-intro = Ce que vous choisissez de publier, comme un avis ou un profil public, peut être lu par tous.
recipient-only-when = (uniquement { $when })
recipient-anonymous-aggregates = Uniquement des statistiques agrégées et anonymes : aucune donnée personnelle

section-transfers = Transferts hors de l'Espace économique européen
transfers-none = Vos données restent dans l'Espace économique européen (EEE) : elles ne sont pas transférées en dehors.
transfers-intro = Certains destinataires traitent vos données en dehors de l'Espace économique européen (EEE).
transfers-safeguarded = Chacun des transferts suivants est encadré par l'une des garanties prévues par le RGPD :
transfers-derogations = Les transferts suivants ne sont pas encadrés par une telle garantie. Ils reposent sur une dérogation prévue pour des situations particulières (article 49 du RGPD) et n'ont lieu que dans la situation indiquée :
mechanism-adequacy = Décision d'adéquation de la Commission européenne (article 45 du RGPD)
mechanism-dpf = Cadre de protection des données UE–États-Unis (Data Privacy Framework) : le destinataire est certifié au titre de cette décision d'adéquation (article 45 du RGPD).
mechanism-dpf-checked = Certification vérifiée le { $date }.
mechanism-scc = Clauses contractuelles types adoptées par la Commission européenne (décision 2021/914), module { $module } : { $name } (article 46 du RGPD)
mechanism-bcr = Règles d'entreprise contraignantes approuvées par une autorité de contrôle (article 47 du RGPD)
mechanism-derogation = Dérogation pour une situation particulière (article 49 du RGPD) : { $ground }
scc-module-1 = transfert de responsable de traitement à responsable de traitement
scc-module-2 = transfert de responsable de traitement à sous-traitant
scc-module-3 = transfert de sous-traitant à sous-traitant
scc-module-4 = transfert de sous-traitant à responsable de traitement
transfers-copy-public = La décision est publiée au Journal officiel de l'Union européenne.
transfers-copy-default = Vous pouvez en obtenir une copie en nous écrivant { $contact }.

section-retention = Durées de conservation
retention-intro = Nous ne conservons vos données que le temps nécessaire aux finalités pour lesquelles elles ont été collectées. Au-delà, elles sont supprimées ou anonymisées.
retention-before = Nous conservons ces données { $before }.
retention-first = { $duration } { $trigger }
retention-next = Puis pendant { $duration } de plus
retention-active = { $when } : conservation en base active.
retention-active-reason = { $when } : conservation en base active (motif : { $reason }).
retention-archive = { $when } : archivage intermédiaire, séparé des données actives ; accès réservé à : { $roles }.
retention-archive-reason = { $when } : archivage intermédiaire, séparé des données actives ; accès réservé à : { $roles } ; motif : { $reason }.
retention-end-delete = À l'issue de cette durée, les données sont supprimées.
retention-end-anonymise = À l'issue de cette durée, les données sont anonymisées : elles ne permettent plus de vous identifier.
retention-unverified-requests = Une demande d'exercice de droits dont l'adresse électronique n'est jamais confirmée avec le code que nous envoyons (valable { $minutes } minutes) est supprimée, avec l'adresse qu'elle contient, { $hours } heures après l'expiration du code.
trigger-collected = à compter de leur collecte
trigger-last-contact = à compter de votre dernier contact avec nous
trigger-account-opened = à compter de l'ouverture de votre compte
trigger-account-closed = à compter de la clôture de votre compte
trigger-last-connection = à compter de votre dernière connexion
trigger-transaction = à compter de la transaction
trigger-debit = à compter du débit du paiement
trigger-deferred-debit = à compter du débit différé du paiement
trigger-invoice = à compter de l'émission de la facture
trigger-consent-given = à compter du recueil de votre consentement
trigger-identity-verified = à compter de la vérification de votre identité
trigger-request-closed = à compter de la clôture de votre demande
trigger-opposition-recorded = à compter de l'enregistrement de votre opposition
trigger-contract-end = à compter de la fin du contrat
trigger-custom = à compter de l'événement « { $event } »

section-rights = Vos droits
rights-intro = Vous disposez des droits suivants sur vos données personnelles :
right-access = Droit d'accès
right-access-text = Vous pouvez nous demander si nous traitons des données vous concernant et, le cas échéant, en obtenir une copie ainsi que des informations sur l'usage que nous en faisons.
right-rectification = Droit de rectification
right-rectification-text = Vous pouvez faire corriger les données inexactes vous concernant et faire compléter les données incomplètes.
right-erasure = Droit à l'effacement
right-erasure-text = Vous pouvez demander l'effacement de vos données, notamment lorsqu'elles ne sont plus nécessaires, lorsque vous retirez votre consentement ou lorsque vous vous opposez à leur traitement, sauf si nous devons les conserver pour respecter une obligation légale ou pour la constatation, l'exercice ou la défense de droits en justice.
right-restriction = Droit à la limitation du traitement
right-restriction-text = Vous pouvez demander que vos données soient conservées sans être utilisées, par exemple le temps que nous vérifiions leur exactitude ou que nous examinions votre opposition.
right-portability = Droit à la portabilité
right-portability-text = Lorsque le traitement est automatisé et repose sur votre consentement ou sur un contrat, vous pouvez récupérer les données que vous nous avez fournies dans un format structuré, couramment utilisé et lisible par machine, ou nous demander de les transmettre directement à un autre organisme lorsque c'est techniquement possible.
right-objection = Droit d'opposition
right-objection-text = Vous pouvez vous opposer à tout moment, pour des raisons tenant à votre situation particulière, aux traitements fondés sur notre intérêt légitime ou sur une mission d'intérêt public. Nous y mettrons fin, sauf motifs légitimes et impérieux ou nécessité pour la constatation, l'exercice ou la défense de droits en justice.
right-objection-marketing-text = Vous pouvez en outre vous opposer à tout moment, sans avoir à vous justifier, à l'utilisation de vos données à des fins de prospection commerciale ; nous cesserons alors de les utiliser à cette fin.
right-withdraw-consent = Droit de retirer votre consentement
right-withdraw-consent-text = Lorsque le traitement repose sur votre consentement, vous pouvez le retirer à tout moment, aussi simplement que vous l'avez donné. Ce retrait ne remet pas en cause la licéité du traitement effectué auparavant.
right-complaint = Droit d'introduire une réclamation
right-complaint-text = Vous pouvez introduire une réclamation auprès d'une autorité de contrôle (voir ci-dessous).
right-post-mortem = Directives post-mortem
right-post-mortem-text = Vous pouvez nous transmettre des directives relatives à la conservation, à l'effacement et à la communication de vos données personnelles après votre décès, et désigner une personne chargée de leur exécution. Vous pouvez les modifier ou les révoquer à tout moment (article 85 de la loi Informatique et Libertés).
section-rights-california = Droits supplémentaires des résidents de Californie
rights-california-ccpa-intro = Si vous résidez en Californie, le California Consumer Privacy Act (CCPA) vous accorde les droits suivants :
rights-california-shine-intro = Si vous résidez en Californie, l'article 1798.83 du Code civil de Californie (« Shine the Light ») vous accorde en outre le droit suivant :
right-california-know = Droit de savoir
right-california-know-text = Vous pouvez nous demander les catégories et les éléments précis d'informations personnelles que nous avons collectés à votre sujet, les catégories de sources, les finalités de leur utilisation et les catégories de tiers à qui nous les communiquons.
right-california-delete = Droit de suppression
right-california-delete-text = Vous pouvez nous demander de supprimer les informations personnelles collectées auprès de vous, sous réserve des exceptions prévues par la loi.
right-california-correct = Droit de rectification
right-california-correct-text = Vous pouvez nous demander de corriger les informations personnelles inexactes vous concernant.
right-california-opt-out = Droit de refuser la vente ou le partage
right-california-opt-out-text = Vous pouvez nous demander de ne pas vendre vos informations personnelles et de ne pas les partager à des fins de publicité comportementale. Nous traitons le signal Global Privacy Control envoyé par votre navigateur comme une telle demande.
right-shine-the-light = Demande « Shine the Light »
right-shine-the-light-text = Une fois par an et gratuitement, vous pouvez nous demander quelles catégories d'informations personnelles nous avons communiquées à des tiers pour leur propre prospection au cours de l'année civile précédente, ainsi que les noms et adresses de ces tiers (article 1798.83 du Code civil de Californie).
right-shine-the-light-none = Nous ne communiquons pas d'informations personnelles à des tiers pour leur propre prospection.
rights-california-non-discrimination = Comme l'exige le CCPA, nous ne vous réserverons aucun traitement différent parce que vous exercez l'un de ces droits.

section-withdraw-consent = Retrait du consentement
withdraw-consent-intro = Les traitements suivants reposent sur votre consentement :
withdraw-consent-how = Vous pouvez retirer votre consentement à tout moment, aussi simplement que vous l'avez donné, par exemple { $contact }.
withdraw-consent-effect = Le retrait de votre consentement met fin au traitement concerné pour l'avenir ; il ne remet pas en cause la licéité du traitement effectué auparavant.
withdraw-consent-none = Aucun de nos traitements ne repose sur votre consentement.

section-exercise = Comment exercer vos droits
exercise-response = Nous vous répondons dans un délai { $vowel ->
    [yes] d'{ $duration }
   *[no] de { $duration }
} à compter de la réception de votre demande.
exercise-extension = Si votre demande est complexe ou si nous recevons de nombreuses demandes, ce délai peut être prolongé { $vowel ->
    [yes] d'{ $duration }
   *[no] de { $duration }
} ; nous vous en informerons alors, en précisant les motifs, dans le délai initial.
exercise-id-doubt = Nous ne vous demandons un justificatif d'identité qu'en cas de doute raisonnable sur l'identité de l'auteur de la demande.
exercise-free = L'exercice de vos droits est gratuit, sauf demande manifestement infondée ou excessive.

section-complaint = Introduire une réclamation auprès de l'autorité de contrôle
complaint-intro = Si vous estimez que vos droits ne sont pas respectés, vous pouvez à tout moment introduire une réclamation auprès de l'autorité de contrôle, que vous nous ayez contactés au préalable ou non :
complaint-any-authority = Vous pouvez également saisir l'autorité de contrôle de l'État de l'Union européenne où se trouve votre résidence habituelle, votre lieu de travail ou le lieu de la violation alléguée.

section-automated = Décisions automatisées
automated-none = Nous ne prenons aucune décision fondée exclusivement sur un traitement automatisé, y compris le profilage, produisant des effets juridiques vous concernant ou vous affectant de manière significative de façon similaire.
automated-intro = Certaines décisions sont prises de manière entièrement automatisée. Pour chacune d'elles, vous pouvez obtenir une intervention humaine, exprimer votre point de vue et contester la décision.

section-security = Sécurité de vos données
security-intro = Nous mettons en œuvre des mesures techniques et organisationnelles appropriées pour protéger vos données contre la perte, les usages abusifs, les accès non autorisés et la divulgation.
security-organisational = Mesures organisationnelles :
security-technical = Mesures techniques :

section-cookies = Cookies et autres traceurs
cookies-pointer = Nous utilisons des cookies et d'autres traceurs sur { $service }. Notre politique relative aux cookies indique lesquels, à quoi ils servent et comment les accepter ou les refuser.

section-changes = Modification de cette politique
changes-default = Cette politique peut être mise à jour lorsque nos traitements évoluent. Nous vous informerons de toute modification importante avant qu'elle ne s'applique.

## Politique relative aux cookies

cookies-title = Politique relative aux cookies
cookies-intro = Cette politique explique quels cookies et autres traceurs { $controller } utilise sur { $service }, à quoi ils servent et comment les accepter ou les refuser.
section-trackers = Qu'est-ce qu'un cookie ?
trackers-what = Un cookie est un petit fichier texte qu'un site web dépose sur votre terminal (ordinateur, téléphone, tablette) lorsque vous le consultez, et qu'il peut relire lors de vos visites suivantes. D'autres technologies fonctionnent de la même façon : le stockage local de votre navigateur, les pixels (images invisibles) ou les techniques d'empreinte (fingerprinting). Dans cette politique, nous les appelons tous des « traceurs ».
trackers-consent-rule = Les traceurs strictement nécessaires au fonctionnement du site, ou à la fourniture d'un service que vous avez expressément demandé, ne requièrent pas votre consentement. Les autres ne sont utilisés qu'avec votre accord.
section-trackers-used = Les traceurs que nous utilisons
trackers-none = Nous n'utilisons aucun traceur.
trackers-used-intro = Les tableaux ci-dessous présentent, par catégorie, tous les traceurs utilisés sur { $service }.
cookie-category-necessary = Strictement nécessaires
cookie-category-necessary-text = Ces traceurs sont indispensables au fonctionnement et à la sécurité du site. Ils ne peuvent pas être désactivés.
cookie-category-functional = Fonctionnels
cookie-category-functional-text = Ces traceurs mémorisent vos préférences, comme la langue choisie, pour faciliter votre navigation.
cookie-category-personalisation = Personnalisation du contenu
cookie-category-personalisation-text = Ces traceurs adaptent ce que nous vous montrons, par exemple les articles ou produits recommandés, à ce que vous avez consulté. Ils ne sont utilisés qu'avec votre consentement.
cookie-category-analytics = Mesure d'audience
cookie-category-analytics-text = Ces traceurs mesurent la fréquentation et l'utilisation du site afin de l'améliorer.
cookie-category-marketing = Publicité
cookie-category-marketing-text = Ces traceurs servent à vous présenter des publicités et à mesurer leur efficacité.
cookie-category-social = Réseaux sociaux
cookie-category-social-text = Ces traceurs vous permettent de partager des contenus sur les réseaux sociaux, et permettent à ces réseaux de savoir que vous avez consulté le site.
tracker-kind-cookie = Cookie
tracker-kind-local-storage = Stockage local
tracker-kind-pixel = Pixel
tracker-kind-email-pixel = Pixel dans nos e-mails
tracker-kind-fingerprint = Empreinte (fingerprinting)
lifetime-session = durée de la session
lifetime-not-stored = rien n'est stocké sur votre terminal
consent-required = Requis
consent-required-form = Requis, demandé dans le formulaire où vous indiquez votre adresse e-mail
consent-not-required = Non requis
section-choices = Vos choix
choices-banner = Lors de votre première visite, un bandeau vous demande votre choix avant toute utilisation d'un traceur soumis à consentement. Vous pouvez cliquer sur « { $accept } », « { $refuse } » ou « { $customise } » pour choisir catégorie par catégorie. Refuser est aussi simple qu'accepter, et la simple poursuite de la navigation ne vaut pas consentement.
choices-withdraw = Vous pouvez changer d'avis à tout moment, aussi simplement que vous avez donné votre consentement, grâce au lien « { $link } » présent en bas de chaque page. Le retrait de votre consentement ne remet pas en cause ce qui a été fait auparavant.
choices-kept = Nous conservons votre choix pendant { $duration } ; à l'issue de ce délai, nous vous le redemandons.
choices-max-lifetime = Les traceurs soumis à votre consentement sont conservés sur votre terminal { $duration } au maximum.
choices-none-needed = Tous les traceurs que nous utilisons sont exemptés de consentement : nous n'avons donc pas à vous le demander. Si nous ajoutons un jour des traceurs soumis à consentement, nous vous le demanderons au moyen d'un bandeau avant de les utiliser, et vous pourrez refuser aussi simplement qu'accepter.
section-browser = Paramétrer votre navigateur
browser-text = Vous pouvez également configurer votre navigateur pour bloquer ou supprimer les traceurs ; chaque navigateur l'explique dans son aide. Le blocage des traceurs strictement nécessaires peut empêcher certaines parties du site de fonctionner.
section-contact = Nous contacter
contact-text = Pour toute question sur cette politique, contactez-nous { $contact }.
privacy-pointer = Pour savoir comment nous traitons vos données personnelles et comment exercer vos droits, consultez notre politique de confidentialité.

## Pays (ISO 3166-1 alpha-2)

country-AT = Autriche
country-BE = Belgique
country-BG = Bulgarie
country-HR = Croatie
country-CY = Chypre
country-CZ = Tchéquie
country-DK = Danemark
country-EE = Estonie
country-FI = Finlande
country-FR = France
country-EU = l'Union européenne
country-EEA = l'Espace économique européen
country-DE = Allemagne
country-GR = Grèce
country-HU = Hongrie
country-IE = Irlande
country-IT = Italie
country-LV = Lettonie
country-LT = Lituanie
country-LU = Luxembourg
country-MT = Malte
country-NL = Pays-Bas
country-PL = Pologne
country-PT = Portugal
country-RO = Roumanie
country-SK = Slovaquie
country-SI = Slovénie
country-ES = Espagne
country-SE = Suède
country-IS = Islande
country-LI = Liechtenstein
country-NO = Norvège
country-AD = Andorre
country-AR = Argentine
country-CA = Canada
country-CH = Suisse
country-FO = Îles Féroé
country-GB = Royaume-Uni
country-GG = Guernesey
country-IL = Israël
country-IM = Île de Man
country-JE = Jersey
country-JP = Japon
country-KR = Corée du Sud
country-NZ = Nouvelle-Zélande
country-UY = Uruguay
country-US = États-Unis
country-AU = Australie
country-BR = Brésil
country-CN = Chine
country-HK = Hong Kong
country-IN = Inde
country-MA = Maroc
country-MX = Mexique
country-SG = Singapour
country-TN = Tunisie
country-TR = Turquie
country-UA = Ukraine
country-ZA = Afrique du Sud
country-AE = Émirats arabes unis
country-PH = Philippines
country-VN = Viêt Nam
country-SN = Sénégal
country-MU = Maurice
country-RS = Serbie
country-EG = Égypte

## Demandes d'exercice des droits : courriels au demandeur

mail-code-subject = { $controller } : votre code de confirmation
mail-code-body = Votre code est { $code }. Saisissez-le sur la page de la demande dans les { $minutes } minutes pour confirmer que cette adresse est la vôtre. Si vous n'avez rien demandé, ignorez ce courriel.
mail-received-subject = { $controller } : nous avons bien reçu votre demande
mail-received-body = Votre demande est confirmée. Nous y répondrons au plus tard le { $due }.
mail-progress-subject = { $controller } : votre demande est en cours de traitement
mail-progress-body = Votre identité est confirmée et nous traitons votre demande. Nous y répondrons au plus tard le { $due }.
mail-extended-subject = { $controller } : délai prolongé pour votre demande
mail-extended-body = Il nous faut plus de temps pour répondre à votre demande, pour la raison suivante : { $reason }. Nous y répondrons au plus tard le { $due }.
mail-refused-subject = { $controller } : notre réponse à votre demande
mail-refused-body = Nous ne pouvons pas donner suite à votre demande, pour la raison suivante : { $reasons }. Vous pouvez introduire une réclamation auprès de l'autorité de contrôle, { $authority }, et former un recours juridictionnel.
mail-refused-unfounded = Nous considérons cette demande comme manifestement infondée ou excessive.
mail-identity-subject = { $controller } : nous devons vérifier votre identité
mail-identity-body = Pour protéger vos données, nous avons besoin de la copie d'une pièce d'identité avant d'agir. Envoyez-la par cette page : { $link } — nous la supprimons dès votre identité confirmée.
mail-package-subject = { $controller } : vos données sont prêtes
mail-package-body = Vos données sont prêtes. Chaque lien fonctionne une seule fois, jusqu'au { $expires }.
mail-erased-subject = { $controller } : vos données ont été effacées
mail-erased-body = Nous avons effacé vos données personnelles.
mail-erased-kept = La loi nous oblige à en conserver une partie pendant un temps, dans une archive à accès restreint : { $categories }.
mail-notified = Nous avons prévenu les destinataires suivants de vos données : { $recipients }.
mail-completed-subject = { $controller } : votre demande est traitée
mail-completed-body = Nous avons donné suite à votre demande ({ $kind }).
mail-lifted-subject = { $controller } : fin de la limitation
mail-lifted-body = La limitation du traitement de vos données va être levée.
mail-ask-again-subject = { $controller } : souhaitez-vous que nous conservions vos données ?
mail-ask-again-body = Nous n'avons pas eu de contact avec vous depuis longtemps. Nous ne conservons vos données que si vous le souhaitez : pour cela, ouvrez ce lien et confirmez.
    
    { $link }
    
    Sans action de votre part, nous les supprimerons le { $date }.
mail-breach-subject = { $controller } : une violation de données personnelles vous concerne
mail-breach-body = Nous vous informons d'une violation de données personnelles qui concerne vos données : { $description }
mail-breach-consequences = Ce qu'elle peut entraîner : { $consequences }
mail-breach-measures = Ce que nous avons fait, ou allons faire, pour y remédier : { $measures }
mail-breach-contact = Pour en savoir plus, contactez : { $contact }
mail-stl-subject = { $controller } : communications à des fins de prospection
mail-stl-body = Tiers ayant reçu vos informations personnelles pour leur propre prospection en { $year } :
mail-stl-none = Aucun.

## Demandes d'exercice des droits : le dossier d'accès

package-title = Vos données personnelles
package-portable-title = Vos données, pour les emporter ailleurs
package-intro = Préparé le
package-datasets = Données conservées dans nos autres systèmes
package-data = Données de la fiche
package-events = Événements
package-disclosures = Communiquées à
package-consents = Vos choix
package-purposes = Pourquoi nous les utilisons
package-recipients = Qui les reçoit
package-retention = Combien de temps nous les gardons

## Demandes d'exercice des droits : le portail public

portal-title = Exercer vos droits
portal-intro = Choisissez votre demande et indiquez l'adresse électronique sous laquelle nous vous connaissons. Nous envoyons un code à cette adresse pour vérifier que la demande vient bien de vous.
portal-kind = Votre demande
portal-email = Votre adresse électronique
portal-details = Précisions (facultatif)
portal-rectify = Pour une rectification
portal-category = Quelle donnée
portal-none = Aucune
portal-value = La valeur exacte
portal-post-mortem = Pour les directives après le décès
portal-pm-action = Directive
portal-pm-record = Enregistrer ma directive
portal-pm-revoke = Révoquer mes directives
portal-pm-execute = Exécuter la directive d'une personne décédée qui m'a désigné
portal-pm-instructions = Ce que deviennent les données
portal-pm-erase = Les effacer
portal-pm-transmit = En remettre une copie à la personne désignée
portal-pm-keep = Les conserver en l'état
portal-pm-other = Personne désignée pour l'exécuter (ou, pour exécuter une directive, l'adresse de la personne décédée)
portal-send = Envoyer
portal-code-title = Confirmez votre demande
portal-code-intro = Nous avons envoyé un code à votre adresse. Saisissez-le ici pour confirmer votre demande.
portal-code = Code
portal-confirm = Confirmer
portal-done-title = Demande confirmée
portal-done = Merci. Votre demande est confirmée ; nous vous répondrons par courriel.
portal-document-title = Pièce d'identité
portal-document-intro = Envoyez la copie d'une pièce d'identité (PDF, JPEG ou PNG). Nous la supprimons dès votre identité confirmée.
portal-document = Votre document
portal-document-done = Merci : nous avons bien reçu votre document.
portal-download-title = Vos données
portal-download-intro = Une copie de vos données est prête ({ $format }). Le lien ne sert qu'une fois : le fichier se télécharge quand vous appuyez sur le bouton, puis le lien cesse de fonctionner.
portal-download-button = Télécharger mes données
portal-download-invalid = Ce lien n'est pas valide, a déjà servi ou a expiré. Si vous avez encore besoin de vos données, faites une nouvelle demande.
portal-error-title = Votre demande n'a pas pu être envoyée
portal-error-internal = Une erreur s'est produite de notre côté. Veuillez réessayer plus tard.
portal-too-large = Le fichier est trop volumineux : envoyez un fichier de { $mib } Mio au plus.
portal-too-many = Trop de demandes depuis votre adresse. Veuillez patienter une minute avant de réessayer.

## La console du personnel (/console).
console-skip = Aller au contenu
console-role = Connecté en tant que
console-sign-out = Se déconnecter
console-nav = Sections de la console
console-nav-dashboard = Tableau de bord
console-nav-requests = Demandes
console-done = C’est fait.
console-error-title = Cette action n’a pas pu être faite
console-error-internal = Une erreur s’est produite sur le serveur ; son journal en dit plus.
console-back-dashboard = Retour au tableau de bord
console-back-queue = Retour aux demandes
console-requests-title = Demandes d’exercice des droits
console-requests-caption = Demandes, échéance la plus proche en premier
console-requests-none = Aucune demande ne correspond à ces filtres.
console-requests-range = Demandes { $first } à { $last } sur { $total }
console-previous-page = Page précédente
console-next-page = Page suivante
console-filters = Filtres
console-any = Tous
console-apply = Appliquer
console-open-only = Demandes ouvertes seulement
console-request = Demande
console-request-title = Demande d’exercice d’un droit
console-request-kind = Type
console-request-status = État
console-request-received = Reçue le
console-request-due = Échéance légale
console-request-closed = Close le
console-request-handler = Responsable
console-request-email = Adresse du demandeur
console-request-language = Langue
console-request-details = Précisions
console-request-purposes = Finalités visées
console-request-subjects = Personnes trouvées
console-request-doubt = Doute sur l’identité
console-request-document = Pièce d’identité
console-request-extension = Motif de la prolongation
console-request-refusal = Refusée pour
console-request-unfounded = manifestement infondée ou excessive
console-request-outcome = Résultat
console-request-notified = Destinataires informés
console-request-changes = Rectifications demandées
console-request-pending-dpo = Laissé au DPO :
console-request-partly-done = Fait en partie, réessayé automatiquement :
console-request-steps = Étapes suivantes
console-request-closed-steps = Cette demande est close.
console-request-history = Historique
console-request-letters = Courriers et notifications
console-request-no-letters = Aucun courrier pour l’instant.
console-request-requester = le demandeur
console-category = Catégorie
console-value = Valeur
console-when = Quand
console-what = Quoi
console-who = Qui
console-note = Note
console-nobody = Personne pour l’instant
console-overdue = En retard
console-due-soon = Échéance dans les 7 jours
console-letter-to = À
console-letter-channel = Canal
console-letter-state = État
console-letter-attempts = Tentatives
console-letter-delivered = Remis le
console-letter-error = Dernière erreur
console-step-assignee = Responsable (identifiant du compte)
console-step-assign = Attribuer
console-step-confirm-identity = Confirmer l’identité
console-step-complete = Clore la demande
console-step-extend-reason = Motif de la prolongation (communiqué au demandeur)
console-step-extend = Prolonger de deux mois
console-step-doubt-note = Ce qui rend l’identité douteuse
console-step-doubt = Demander une pièce d’identité
console-step-refuse-reasons = Motifs du refus (communiqués au demandeur)
console-step-unfounded = Manifestement infondée ou excessive
console-step-justification = Justification (conservée pour l’autorité)
console-step-refuse = Refuser
console-step-lift = Lever la limitation
console-status-received = En attente du code
console-status-awaiting-identity = En attente d’une pièce d’identité
console-status-verified = Vérifiée
console-status-in-progress = En cours
console-status-extended = Prolongée
console-status-completed = Traitée
console-status-refused = Refusée
console-nav-subjects = Personnes
console-subjects-title = Trouver une personne
console-search = Recherche
console-search-by = Par
console-search-email = Adresse e-mail
console-search-phone = Numéro de téléphone
console-search-login = Identifiant
console-search-value = Valeur
console-search-purpose = Pour la finalité
console-search-button = Rechercher
console-search-audited = Chaque recherche est inscrite au journal d’audit avec la finalité choisie.
console-search-none = Personne ne correspond.
console-search-results = Personnes trouvées
console-subject = Personne
console-subject-title = Personne
console-subject-kind = Type
console-subject-created = Connue depuis le
console-subject-fields = Données que votre rôle peut lire
console-subject-no-fields = Votre rôle ne lit aucune donnée de cette personne.
console-subject-consents = Consentements
console-subject-proof = Exporter la preuve du consentement
console-subject-purpose = Finalité
console-subject-choice = Choix
console-subject-events = Événements
console-subject-disclosures = Communications
console-subject-recipient = Destinataire
console-subject-what = Données communiquées
console-subject-requests = Demandes d'exercice de droits
console-subject-no-requests = Aucune demande ne vise cette personne.
console-subject-retention = Conservation de chaque catégorie
console-subject-retention-caption = Chaque catégorie de données de cette personne, sa phase de conservation actuelle et la prochaine étape
console-subject-phase = Phase actuelle
console-subject-next-step = Prochaine étape
console-subject-no-next-step = Aucune à venir
console-phase-active = En usage courant
console-phase-archive = Archivée (lisible par { $readers })
console-phase-expired = Durée de conservation écoulée : supprimée au prochain passage sauf gel juridique
console-step-archive = archivage
console-step-delete = suppression
console-step-anonymise = anonymisation
console-step-due = { $action } le { $date } (règle { $rule })
console-step-held = suspendue par un gel juridique
console-back-search = Retour à la recherche
console-none = Aucun.
console-consent-given = Donné
console-consent-refused = Refusé
console-consent-withdrawn = Retiré
console-consent-expired = Expiré
console-nav-audit = Journal d’audit
console-audit-title = Journal d’audit
console-audit-caption = Entrées, de la plus ancienne à la plus récente
console-audit-subject = Identifiant de la personne
console-audit-principal = Auteur
console-audit-from = Du (jour, UTC)
console-audit-to = Au (jour, UTC)
console-audit-action = Action
console-audit-categories = Catégories
console-audit-outcome = Résultat
console-audit-none = Aucune entrée ne correspond à ces filtres.
console-audit-next = Entrées suivantes
console-audit-verification = Vérification
console-audit-verify = Vérifier maintenant
console-audit-verified-at = Dernière vérification
console-audit-intact = intact
console-audit-broken = rompu
console-audit-never-verified = Le journal d’audit n’a pas encore été vérifié.
console-audit-any-action = Toute action
console-dashboard-due = Demandes en retard ou à échéance dans les 7 jours
console-dashboard-none-due = Aucune demande ouverte n’est en retard ou à échéance dans les 7 jours.
console-dashboard-all-open = Toutes les demandes ouvertes
console-dashboard-figures-as-of = Chiffres au { $at }, recomptés toutes les cinq minutes.
console-dashboard-due-shown = Les { $shown } plus proches des { $total } sont affichées ; la file les liste toutes.
console-dashboard-retention = Conservation dans les 30 prochains jours
console-dashboard-retention-more = Plus de
console-dashboard-retention-steps = étapes de conservation (archivage, suppression ou anonymisation) arrivent à échéance.
console-dashboard-outbox = Messages non remis
console-dashboard-outbox-none = Chaque lettre et notification a été remise ou est encore en cours d’envoi.
console-dashboard-outbox-count = lettres ou notifications n’ont pu être remises et ne seront plus tentées.
console-dashboard-outbox-latest = Les derniers messages non remis
console-dashboard-outbox-failed-at = Abandonné le
console-dashboard-outbox-no-request = Aucune (notification de violation)
console-dashboard-consents = Consentements des 12 dernières semaines
console-dashboard-consents-legend = Barres par semaine, depuis le bas : donnés (vert), refusés (rouge), retirés (violet). Les nombres sont dans le tableau sous chaque graphique.
console-dashboard-no-consents = Aucun consentement enregistré ces 12 dernières semaines.
console-dashboard-week = Semaine
console-dashboard-given = Donnés
console-dashboard-refused = Refusés
console-dashboard-withdrawn = Retirés
console-dashboard-banner = Choix du bandeau cookies des 12 dernières semaines
console-dashboard-banner-rate = des choix du bandeau acceptent toutes les finalités (barre : tout accepté en vert, une partie en rouge, tout refusé en violet).
console-dashboard-banner-all = Tout accepté
console-dashboard-banner-some = Une partie acceptée
console-dashboard-banner-none = Tout refusé
console-rectify = Corriger une donnée
console-rectify-value = Valeur correcte
console-rectify-button = Corriger
console-erase-link = Effacer cette personne…
console-erase-title = Effacer une personne
console-erase-back = Retour à la personne
console-erase-warning = L’effacement détruit la clé de données de cette personne : chaque donnée devient illisible dans toutes les copies, sauvegardes comprises, sans retour possible.
console-erase-confirm = Je confirme l’effacement de cette personne
console-erase-button = Effacer définitivement
console-nav-register = Registre
console-register-title = Registre des traitements
console-register-versions = Versions publiées des politiques
console-register-diff = Changements entre versions
console-register-purposes = Finalités
console-register-categories = Catégories de données
console-register-recipients = Destinataires
console-register-transfers = Transferts hors de l’EEE
console-register-retention = Règles de conservation
console-register-id = Identifiant
console-register-name = Nom
console-register-basis = Base légale
console-register-sensitive = Sensible
console-register-countries = Pays
console-register-country = Pays
console-register-mechanism = Garantie
console-register-trigger = À compter de
console-register-phases = Phases
console-yes = Oui
console-no = Non
console-register-version = Version
console-register-effective = En vigueur depuis
console-register-in-force = en vigueur
console-nav-retention = Conservation
console-retention-title = Conservation
console-retention-window = Période
console-retention-days = Jours à partir d’aujourd’hui
console-retention-plan = Étapes à venir, la plus proche en premier
console-retention-no-steps = Aucune étape de conservation n’arrive à échéance dans cette période.
console-retention-truncated = D’autres étapes arrivent à échéance que celles listées ici.
console-retention-planned = Selon le plan établi le { $at } : il est refait toutes les cinq minutes, et aussitôt après une purge de conservation ou un changement de gel.
console-retention-rule = Règle
console-retention-action = Action
console-holds = Gels juridiques
console-hold-place = Placer un gel juridique (une personne, une règle, ou les deux)
console-hold-reason = Motif (une référence de dossier, jamais une donnée personnelle)
console-hold-place-button = Placer le gel
console-hold-placed = Placé
console-hold-released = Levé
console-hold-release = Lever
console-nav-breaches = Violations
console-breaches-title = Registre des violations
console-breaches-caption = Violations, ouvertes d’abord, échéance la plus proche d’abord
console-breaches-none = Aucune violation n’est enregistrée.
console-breach = Violation
console-breach-state = État
console-breach-open = Ouverte
console-breach-closed = Close
console-breach-aware = Connue depuis
console-breach-deadline = Échéance de notification à l’autorité
console-breach-clock = Délai de 72 heures
console-breach-hours-left = { $hours } heures restantes
console-breach-decided = Décision sur l’autorité enregistrée
console-breach-notified-late = Autorité notifiée en retard
console-breach-record = Enregistrer une violation
console-breach-aware-at = Date de prise de connaissance (UTC)
console-breach-nature = Nature
console-breach-nature-confidentiality = Confidentialité
console-breach-nature-integrity = Intégrité
console-breach-nature-availability = Disponibilité
console-breach-description = Description
console-breach-categories = Catégories de données concernées
console-breach-people = Nombre approximatif de personnes concernées
console-breach-records = Nombre approximatif d’enregistrements concernés
console-breach-consequences = Conséquences probables
console-breach-measures = Mesures prises ou envisagées
console-breach-subjects = Identifiants des personnes concernées (un par ligne)
console-breach-record-button = Enregistrer la violation
console-back-breaches = Toutes les violations
console-breach-recorded = Enregistrée
console-breach-affected = Personnes concernées listées
console-breach-authority = Autorité de contrôle (art. 33)
console-breach-undecided = Pas encore de décision.
console-breach-notified = Notifiée
console-breach-not-notified = Non notifiée
console-breach-reference = Référence de l’autorité
console-breach-notified-at = Notifiée le (UTC ; vide pour maintenant)
console-breach-late-reason = Motif du retard (obligatoire après l’échéance)
console-breach-notify-button = Enregistrer la notification
console-breach-not-notify-reason = Pourquoi la violation n’est pas susceptible d’engendrer un risque pour les personnes
console-breach-not-notify-button = Enregistrer : non notifiée
console-breach-people-title = Personnes concernées (art. 34)
console-breach-informed = Informées
console-breach-not-informed = Non informées
console-breach-channel = Comment les personnes sont informées
console-breach-channel-email = Par courriel (une lettre à chaque personne concernée, via la file d’envoi)
console-breach-channel-post = Par courrier postal
console-breach-channel-phone = Par téléphone
console-breach-channel-public-notice = Communication publique
console-breach-channel-other = Autre
console-breach-informed-at = Informées le (UTC ; vide pour maintenant)
console-breach-inform-button = Enregistrer : informées
console-breach-reason = Pourquoi les personnes ne sont pas informées
console-breach-reason-no-high-risk = Pas de risque élevé probable (art. 34(1))
console-breach-reason-unintelligible = Données incompréhensibles pour autrui, par exemple chiffrées (art. 34(3)(a))
console-breach-reason-risk-neutralised = Des mesures ultérieures rendent le risque élevé improbable (art. 34(3)(b))
console-breach-reason-disproportionate-effort = Efforts disproportionnés ; une communication publique à la place (art. 34(3)(c))
console-breach-explanation = Pourquoi ce motif s’applique
console-breach-not-inform-button = Enregistrer : non informées
console-breach-letters = { $queued } lettres en file ; { $without } personnes sans adresse électronique
console-breach-close = Clore la violation
console-breach-reopen = Rouvrir la violation
console-breach-timeline = Chronologie
console-breach-detail = Détail
console-breach-export-json = Chronologie en JSON
console-breach-export-csv = Chronologie en CSV
console-dashboard-breaches = Violations ouvertes
console-dashboard-no-breaches = Aucune violation n’est ouverte.
console-dashboard-all-breaches = Le registre des violations

## Console : personnel, clés d'API et revue des accès
console-nav-staff = Personnel et clés
console-nav-access-review = Revue des accès
console-staff-title = Comptes du personnel et clés d'API
console-staff-users = Comptes du personnel
console-staff-add = Ajouter un compte
console-staff-add-button = Ajouter le compte
console-staff-email = Courriel
console-staff-role = Rôle
console-staff-created = Créé
console-staff-last-sign-in = Dernière connexion
console-staff-disabled = Désactivé
console-staff-actions = Actions
console-staff-disable = Désactiver
console-staff-enable = Réactiver
console-staff-never = Jamais
console-staff-added = Compte ajouté
console-staff-password-once = Son mot de passe, affiché cette seule fois : transmettez-le à la personne par un canal sûr.
console-staff-back = Retour aux comptes du personnel et aux clés
console-keys = Clés d'API
console-key-create = Créer une clé d'API
console-key-create-button = Créer la clé
console-key-name = Nom (ce qui utilise la clé)
console-key-last-used = Dernière utilisation
console-key-revoked = Révoquée
console-key-revoke = Révoquer
console-key-created = Clé d'API créée
console-key-once = La clé, affichée cette seule fois et plus jamais : copiez-la maintenant dans la configuration du service.
console-unused = Inutilisé
console-review-title = Revue des accès
console-review-due = Prochaine revue prévue le :
console-review-unused-days = Signalé comme inutilisé après ce nombre de jours sans utilisation :
console-reviews = Revues enregistrées
console-review-record = Enregistrer une revue
console-review-record-button = Enregistrer la revue
console-review-notes = Ce que la revue a constaté et changé
console-review-by = Revue par
console-dashboard-review = Revue des accès
console-signin-code-title = Second facteur
console-signin-code-label = Code de votre application d'authentification, ou un code de secours
console-signin-continue = Continuer
console-signin-restart = Recommencer
console-signin-wrong-code = Code erroné, expiré ou déjà utilisé.
console-signin-throttled = Trop de connexions échouées pour ce compte ou depuis cette adresse : réessayez dans { $seconds } s.
console-nav-account = Mon compte
console-account-title = Mon compte
console-factor-title = Second facteur
console-factor-required = Votre rôle exige un second facteur : configurez-en un avant toute chose.
console-factor-add-to-app = Ajoutez ce compte à votre application d'authentification avec le secret ci-dessous (ou l'adresse otpauth), puis saisissez le code qu'elle affiche. Ils ne sont affichés qu'une fois.
console-factor-secret = Secret (base32)
console-factor-uri = Adresse otpauth
console-factor-code = Code de votre application d'authentification
console-factor-confirm = Confirmer
console-factor-codes-once = Vos codes de secours, affichés cette seule fois : gardez-les en lieu sûr. Chacun permet une connexion si vous perdez l'application.
console-factor-codes-saved = Je les ai enregistrés
console-factor-on = Un second facteur protège ce compte.
console-factor-off = Aucun second facteur ne protège encore ce compte.
console-factor-enrol = Configurer un second facteur
console-factor-new-codes = Remplacer les codes de secours
console-factor-disable = Retirer le second facteur
console-sessions = Mes sessions
console-session-expires = Expire
console-session-current = (cette session)
console-session-revoke = Terminer
console-session-revoke-others = Terminer toutes mes autres sessions

## Record of processing (Art. 30)

record-title = Registre des activités de traitement (article 30 du RGPD)
record-updated = Mis à jour le { $date }
record-col-id = Identifiant
record-col-activity = Activité de traitement
record-col-controller = Responsable du traitement
record-col-representative = Représentant
record-col-dpo = Délégué à la protection des données
record-col-purpose = Finalité
record-col-legal-basis = Base légale
record-col-subjects = Catégories de personnes concernées
record-col-data = Catégories de données à caractère personnel
record-col-special = Données sensibles (article 9 du RGPD)
record-col-recipients = Destinataires
record-col-transfers = Transferts hors de l'EEE et garanties
record-col-retention = Durées de conservation
record-col-security = Mesures de sécurité
record-col-updated = Dernière mise à jour
record-none = Néant
record-basis-consent = Consentement (article 6.1.a du RGPD)
record-basis-contract = Exécution d'un contrat (article 6.1.b du RGPD)
record-basis-legal-obligation = Obligation légale (article 6.1.c du RGPD)
record-basis-vital-interest = Sauvegarde des intérêts vitaux (article 6.1.d du RGPD)
record-basis-public-task = Mission d'intérêt public (article 6.1.e du RGPD)
record-basis-legitimate-interest = Intérêt légitime (article 6.1.f du RGPD)
record-law = Texte applicable
record-kind-internal = interne
record-kind-processor = sous-traitant
record-kind-third-party = tiers
record-kind-joint-controller = responsable conjoint
record-kind-authority = autorité
record-kind-public = public
record-recipient = { $name } ({ $kind })
record-transfer = { $recipient }, { $country } : { $safeguard }
record-retention = { $categories } ({ $trigger }) : { $phases } ; { $end }
record-phase-active = { $duration } en base active
record-phase-archive = { $duration } en archivage intermédiaire
record-phase-then = {", puis "}
record-end-delete = puis suppression
record-end-anonymise = puis anonymisation

## Mineurs
section-children = Mineurs
children-adults = Nos services s'adressent aux adultes. Nous ne collectons pas sciemment de données concernant des mineurs n'ayant pas atteint l'âge du consentement numérique.
children-everyone = Un mineur n'ayant pas atteint l'âge du consentement numérique peut utiliser nos services ; toutefois, lorsqu'un traitement repose sur le consentement, celui d'un titulaire de l'autorité parentale est également requis, et nous n'utilisons pas les données du mineur sur ce fondement tant qu'il n'a pas été recueilli.
children-ages = L'âge du consentement numérique est fixé comme suit :
children-age-country = { $country } : { $age } ans
children-age-elsewhere = Autres pays : { $age } ans
children-found = Si nous apprenons que nous détenons, sans le consentement d'un titulaire de l'autorité parentale, des données concernant un mineur n'ayant pas atteint cet âge, nous cessons de les utiliser sur le fondement du consentement jusqu'à ce que ce consentement soit recueilli.
children-found-erase = Si nous apprenons que nous détenons, sans le consentement d'un titulaire de l'autorité parentale, des données concernant un mineur n'ayant pas atteint cet âge, nous cessons de les utiliser sur le fondement du consentement et sollicitons ce consentement ; s'il n'est pas recueilli dans un délai { $vowel ->
    [yes] d'{ $duration }
   *[no] de { $duration }
}, nous supprimons les données du mineur.

## Messages envoyés pour une finalité
purpose-unsubscribe-link = Chaque message que nous vous adressons à ce titre comporte un lien qui vous permet, en un clic, de ne plus en recevoir.
purpose-service-messages = Ces messages font partie du service : vous les recevez tant que votre compte existe et vous ne pouvez pas vous en désabonner. Ils ne comportent jamais d'offre commerciale ni de publicité.

## Conservation : plusieurs événements, consentement, durées minimales, nouvelle demande
trigger-consent-ended = à compter de la fin de votre consentement
trigger-whichever-first = { $triggers }, selon l'événement qui survient en premier
trigger-whichever-later = { $triggers }, selon la date la plus tardive
retention-at-least = au moins { $duration }
retention-law = durée imposée par { $law }
retention-reason-law = { $reason }, pendant la durée imposée par { $law }
retention-while-consent = Nous ne conservons ces données que tant que votre consentement à « { $purpose } » est en vigueur ; sans ce consentement, nous ne les conservons pas.
retention-end-ask-again = À l'issue de cette durée, nous vous écrivons pour vous demander si vous souhaitez que nous conservions vos données. Sans réponse de votre part dans un délai { $vowel ->
    [yes] d'{ $duration }
   *[no] de { $duration }
}, nous les supprimons ; si vous répondez, les durées ci-dessus courent de nouveau.
record-end-ask-again = puis nouvelle demande à la personne, et suppression sans réponse sous { $duration }
