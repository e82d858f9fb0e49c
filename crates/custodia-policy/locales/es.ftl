# Custodia — textos en español.
# Todo identificador de en.ftl debe existir también aquí (lo comprueba una prueba unitaria).

## Formatting: durations, dates, lists

# Los números pequeños en letras, como los escribe la prosa jurídica («en el plazo de un mes»).
duration-years = { $count ->
    [1] un año
    [2] dos años
    [3] tres años
    [4] cuatro años
    [5] cinco años
    [6] seis años
    [7] siete años
    [8] ocho años
    [9] nueve años
    [one] { $count } año
   *[other] { $count } años
}
duration-months = { $count ->
    [1] un mes
    [2] dos meses
    [3] tres meses
    [4] cuatro meses
    [5] cinco meses
    [6] seis meses
    [7] siete meses
    [8] ocho meses
    [9] nueve meses
    [one] { $count } mes
   *[other] { $count } meses
}
duration-weeks = { $count ->
    [1] una semana
    [2] dos semanas
    [3] tres semanas
    [4] cuatro semanas
    [5] cinco semanas
    [6] seis semanas
    [7] siete semanas
    [8] ocho semanas
    [9] nueve semanas
    [one] { $count } semana
   *[other] { $count } semanas
}
duration-days = { $count ->
    [1] un día
    [2] dos días
    [3] tres días
    [4] cuatro días
    [5] cinco días
    [6] seis días
    [7] siete días
    [8] ocho días
    [9] nueve días
    [one] { $count } día
   *[other] { $count } días
}
date = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
list-separator = {", "}
list-separator-strong = {"; "}
list-and = { $sound ->
    [i] {" e "}
   *[other] {" y "}
}
list-or = { $sound ->
    [o] {" u "}
   *[other] {" o "}
}

## Layout

ui-contents = Índice
ui-label-separator = {": "}
effective-date = Fecha de entrada en vigor: { $date }
last-updated = Última actualización: { $date }

## Cookie banner (shared with the banner itself)

banner-accept-all = Aceptar todo
banner-refuse-all = Rechazar todo
banner-customise = Configurar
banner-preferences-link = Preferencias de cookies
banner-title = Sus opciones sobre las cookies
banner-body = Con su consentimiento, { $controller } y sus socios utilizan rastreadores para las finalidades que se indican a continuación. Puede aceptarlos, rechazarlos o decidir finalidad por finalidad. Rechazar es tan sencillo como aceptar, y puede cambiar de opinión en cualquier momento mediante el enlace «Preferencias de cookies».
banner-save = Guardar mis opciones
banner-back = Volver
banner-services = Servicios
banner-gpc-notice = Su navegador envía una señal Global Privacy Control: la interpretamos como su rechazo a la publicidad y a la venta o cesión de sus datos, por lo que esas finalidades permanecen desactivadas.
banner-changed = Algunas finalidades son nuevas o han cambiado desde su última elección: vuelva a elegir respecto de ellas.
banner-policy-link = Política de cookies

## Subject pages: unsubscribe links and consent preferences

subject-unsubscribe-title = Darse de baja
subject-unsubscribe-confirm = ¿Desea que dejemos de utilizar sus datos para «{ $purpose }»?
subject-unsubscribe-button = Darme de baja
subject-unsubscribe-done = Hecho: sus datos ya no se utilizan para «{ $purpose }».
subject-keep-title = Conservar sus datos
subject-keep-confirm = ¿Desea que { $controller } conserve sus datos? Si lo confirma, los conservaremos y los plazos de conservación de nuestra política de privacidad volverán a contar desde hoy.
subject-keep-button = Conservar mis datos
subject-keep-done = Gracias: conservamos sus datos.
subject-link-invalid = Este enlace no es válido o ha caducado.
subject-erased = No queda nada por modificar: sus datos han sido suprimidos.
subject-preferences-title = Sus consentimientos
subject-preferences-intro = Aquí puede consultar y modificar aquello a lo que ha dado su consentimiento. Retirarlo es tan sencillo como darlo y surte efecto de inmediato.
subject-state-given = Consentimiento otorgado
subject-state-refused = Rechazado
subject-state-withdrawn = Consentimiento retirado
subject-state-expired = Consentimiento caducado
subject-state-none = Sin elección todavía
subject-state-objected = Se ha opuesto
subject-state-not-objected = En uso: puede oponerse en cualquier momento
subject-action-give = Dar mi consentimiento
subject-action-withdraw = Retirar mi consentimiento
subject-action-object = Oponerme

## Shared pieces

service-default = nuestros servicios
site-default = nuestro sitio web
reach-email = por correo electrónico a { $contact }
reach-url = a través de { $contact }
reach-phone = por teléfono, llamando al { $contact }
link-privacy-policy = política de privacidad
link-opt-out = oponerse (opt-out)
role-admin = administradores
role-dpo = delegado de protección de datos
role-auditor = auditores
role-authorised = personal autorizado

## Field labels and column headings

field-legal-name = Denominación social
field-trading-name = Nombre comercial
field-legal-form = Forma jurídica
field-share-capital = Capital social
field-registration = Datos registrales
field-address = Dirección
field-email = Correo electrónico
field-phone = Teléfono
field-website = Sitio web
field-contact-url = Página de contacto
field-service = Ámbito de aplicación
field-name = Nombre
field-legal-basis = Base jurídica
field-legitimate-interest = Interés perseguido
field-legal-reference = Obligación legal
field-subjects = Interesados
field-data-used = Datos tratados
field-data-required = Datos obligatorios
field-data-optional = Datos opcionales
field-requirement = Obligación de facilitar los datos
field-consequence = Consecuencias de no facilitarlos
field-recipients = Destinatarios
field-consent = Consentimiento
field-authority = Autoridad
field-complaint-url = Reclamación en línea
field-logic = Lógica aplicada
field-significance = Consecuencias para usted
field-human-review = Intervención humana e impugnación
col-data = Datos
col-details = Detalles
col-source = Procedencia
col-service = Servicio
col-provider = Proveedor
col-data-collected = Datos recogidos
col-links = Más información
col-recipient = Destinatario
col-role = Función
col-countries = Países
col-country = País
col-safeguard = Garantía
col-copy = Copia de las garantías
col-situation = Situación en la que se realiza la transferencia
col-name = Nombre
col-kind = Tipo
col-purpose = Finalidad
col-lifetime = Duración
col-consent = Consentimiento

## Privacy policy

privacy-title = Política de privacidad
privacy-intro-default = Esta política explica cómo { $controller } recoge y utiliza datos personales cuando usted utiliza { $service }, así como los derechos que le asisten sobre dichos datos.

section-controller = Responsable del tratamiento
controller-intro = { $controller } es el responsable del tratamiento de sus datos personales: determinamos los fines y los medios del tratamiento.
controller-intro-brand = { $legal_name } («{ $brand }») es el responsable del tratamiento de sus datos personales: determinamos los fines y los medios del tratamiento.

section-dpo = Delegado de protección de datos
dpo-intro = Hemos designado un delegado de protección de datos, al que puede dirigirse para cualquier cuestión relativa a sus datos y a sus derechos.
dpo-none = No hemos designado un delegado de protección de datos. Para cualquier cuestión relativa a sus datos o a sus derechos, puede contactarnos { $contact }.

section-representative = Nuestro representante en la Unión Europea
representative-intro = También puede dirigirse a nuestro representante en la Unión Europea.

section-data = Datos personales que tratamos
data-subjects-intro = Tratamos datos personales de las siguientes categorías de interesados:
data-table-intro = La tabla siguiente enumera los datos que tratamos y su procedencia.
source-subject = { $gender ->
    [masculine] Facilitado por usted
    [feminine] Facilitada por usted
    [masculine-plural] Facilitados por usted
   *[feminine-plural] Facilitadas por usted
}
source-observed = { $gender ->
    [masculine] Recogido automáticamente durante el uso del servicio
    [feminine] Recogida automáticamente durante el uso del servicio
    [masculine-plural] Recogidos automáticamente durante el uso del servicio
   *[feminine-plural] Recogidas automáticamente durante el uso del servicio
}
source-third-party = { $gender ->
    [masculine] Recibido de terceros
    [feminine] Recibida de terceros
    [masculine-plural] Recibidos de terceros
   *[feminine-plural] Recibidas de terceros
}
source-inferred = { $gender ->
    [masculine] Deducido por nosotros a partir de otros datos
    [feminine] Deducida por nosotros a partir de otros datos
    [masculine-plural] Deducidos por nosotros a partir de otros datos
   *[feminine-plural] Deducidas por nosotros a partir de otros datos
}
source-with-detail = { $source } ({ $detail })
data-sensitive-mark = Categoría especial de datos (artículo 9 del RGPD)
data-never-stored-mark = { $gender ->
    [masculine] Utilizado cuando es necesario, nunca conservado
    [feminine] Utilizada cuando es necesario, nunca conservada
    [masculine-plural] Utilizados cuando es necesario, nunca conservados
   *[feminine-plural] Utilizadas cuando es necesario, nunca conservadas
}
data-sensitive = Algunos de estos datos pertenecen a las categorías especiales del artículo 9 del RGPD y gozan de una protección reforzada: { $categories }.
data-no-sensitive = No tratamos ninguna categoría especial de datos, como datos relativos a la salud, opiniones políticas o convicciones religiosas.
data-never-stored = Los siguientes datos se utilizan únicamente en el momento en que son necesarios y nunca se conservan: { $categories }.

section-purposes = Finalidades y base jurídica del tratamiento
purposes-intro = Tratamos sus datos únicamente para las finalidades que se indican a continuación, cada una de ellas amparada en una de las bases jurídicas previstas en el RGPD.
basis-consent = Su consentimiento (artículo 6.1.a del RGPD)
basis-contract = Ejecución de un contrato en el que usted es parte o aplicación, a petición suya, de medidas precontractuales (artículo 6.1.b del RGPD)
basis-legal-obligation = Cumplimiento de una obligación legal (artículo 6.1.c del RGPD)
basis-legitimate-interest = Nuestro interés legítimo (artículo 6.1.f del RGPD)
basis-vital-interest = Protección de sus intereses vitales o de los de otra persona física (artículo 6.1.d del RGPD)
basis-public-task = Cumplimiento de una misión realizada en interés público (artículo 6.1.e del RGPD)
requirement-statutory = La comunicación de estos datos es un requisito legal.
requirement-contractual = La comunicación de estos datos es un requisito contractual.
requirement-contract-prerequisite = Estos datos son necesarios para celebrar un contrato con nosotros.
requirement-service-prerequisite = Estos datos son necesarios para atender su solicitud.
requirement-voluntary = La comunicación de estos datos es voluntaria.
consent-collected = Usted presta su consentimiento { $methods } y puede retirarlo en cualquier momento.
consent-by-banner = mediante el banner de cookies
consent-by-form = marcando una casilla en un formulario
consent-by-api = en nuestra aplicación
consent-lifetime = Su consentimiento es válido durante { $duration }; transcurrido ese plazo, se lo volveremos a solicitar.
purpose-direct-marketing = Puede oponerse a este tratamiento en cualquier momento, sin necesidad de justificación, y dejaremos de realizarlo.
purpose-direct-marketing-consent = Puede retirar su consentimiento en cualquier momento, sin necesidad de justificarlo, y dejaremos de hacerlo.
field-purpose-rights = Sus derechos respecto de este tratamiento
purpose-rights-consent = Puede retirar su consentimiento en cualquier momento, con la misma facilidad con que lo otorgó; la retirada no afecta a la licitud del tratamiento anterior. También puede recibir los datos que nos ha facilitado en un formato reutilizable.
purpose-rights-contract = Puede recibir los datos que nos ha facilitado en un formato reutilizable. Como este tratamiento es necesario para la ejecución del contrato, no puede oponerse a él mientras el contrato esté vigente.
purpose-rights-objection = Puede oponerse en cualquier momento a este tratamiento por motivos relacionados con su situación particular.
purpose-rights-legal-obligation = Este tratamiento lo exige la ley: no puede oponerse a él y los datos no pueden suprimirse mientras estemos obligados a conservarlos.
purpose-services-intro = Para esta finalidad utilizamos los siguientes servicios:

section-recipients = Destinatarios de sus datos
recipients-intro = Sus datos solo se comunican a los destinatarios que se indican a continuación, y cada uno recibe únicamente los datos que necesita.
recipients-internal = Nuestro personal
recipients-internal-intro = Dentro de nuestra organización, solo puede acceder a los datos el personal autorizado que los necesita para el desempeño de sus funciones.
recipients-processor = Nuestros encargados del tratamiento
recipients-processor-intro = Estos proveedores tratan datos por cuenta nuestra y siguiendo únicamente nuestras instrucciones.
recipients-processor-contract = Cada uno de ellos ha suscrito con nosotros un contrato que le obliga a proteger sus datos (artículo 28 del RGPD).
recipients-third-party = Otras entidades
recipients-third-party-intro = Estas entidades reciben datos y los utilizan para sus propios fines, en calidad de responsables del tratamiento independientes, conforme a sus propias políticas de privacidad.
recipients-joint-controller = Corresponsables del tratamiento
recipients-joint-controller-intro = Determinamos conjuntamente con estas entidades los fines y los medios del tratamiento (artículo 26 del RGPD). Puede ejercer sus derechos frente a nosotros o frente a ellas.
recipients-authority = Autoridades
recipients-authority-intro = Solo comunicamos datos a estas autoridades cuando la ley lo exige o lo permite.
recipients-public = El público
recipients-public-intro = Lo que usted decida publicar, como una opinión o un perfil público, puede leerlo cualquier persona.
recipient-only-when = (solo { $when })
recipient-anonymous-aggregates = Solo estadísticas agregadas y anónimas: ningún dato personal

section-transfers = Transferencias internacionales fuera del Espacio Económico Europeo
transfers-none = Sus datos permanecen en el Espacio Económico Europeo (EEE): no se transfieren fuera de él.
transfers-intro = Algunos destinatarios tratan sus datos fuera del Espacio Económico Europeo (EEE).
transfers-safeguarded = Cada una de las siguientes transferencias está amparada por una de las garantías previstas en el RGPD:
transfers-derogations = Las siguientes transferencias no están amparadas por una garantía de ese tipo. Se basan en una excepción para situaciones específicas (artículo 49 del RGPD) y solo se realizan en la situación indicada:
mechanism-adequacy = Decisión de adecuación de la Comisión Europea (artículo 45 del RGPD)
mechanism-dpf = Marco de Privacidad de Datos UE-EE. UU.: el destinatario está certificado conforme a este marco, objeto de una decisión de adecuación de la Comisión Europea (artículo 45 del RGPD).
mechanism-dpf-checked = Certificación comprobada por última vez el { $date }.
mechanism-scc = Cláusulas contractuales tipo adoptadas por la Comisión Europea (Decisión de Ejecución 2021/914), módulo { $module }: { $name } (artículo 46 del RGPD)
mechanism-bcr = Normas corporativas vinculantes aprobadas por una autoridad de control (artículo 47 del RGPD)
mechanism-derogation = Excepción para situaciones específicas (artículo 49 del RGPD): { $ground }
scc-module-1 = transferencia de responsable a responsable
scc-module-2 = transferencia de responsable a encargado
scc-module-3 = transferencia de encargado a encargado
scc-module-4 = transferencia de encargado a responsable
transfers-copy-public = La decisión está publicada en el Diario Oficial de la Unión Europea.
transfers-copy-default = Puede solicitarnos una copia { $contact }.

section-retention = Plazo de conservación de sus datos
retention-intro = Conservamos sus datos únicamente durante el tiempo necesario para los fines para los que fueron recogidos. Transcurrido ese plazo, se suprimen o se anonimizan.
retention-before = Conservamos estos datos { $before }.
retention-first = { $duration } { $trigger }
retention-next = A continuación, { $duration } más
retention-active = { $when }: en uso activo.
retention-active-reason = { $when }: en uso activo (motivo: { $reason }).
retention-archive = { $when }: bloqueados, separados de los datos activos; acceso restringido a: { $roles }.
retention-archive-reason = { $when }: bloqueados, separados de los datos activos; acceso restringido a: { $roles }; motivo: { $reason }.
retention-end-delete = Al término de este plazo, los datos se suprimen.
retention-end-anonymise = Al término de este plazo, los datos se anonimizan de forma que ya no permitan identificarle.
retention-unverified-requests = Una solicitud de ejercicio de derechos cuya dirección de correo electrónico no se confirme nunca con el código que enviamos (válido durante { $minutes } minutos) se suprime, junto con la dirección que contiene, { $hours } horas después de que caduque el código.
trigger-collected = desde su recogida
trigger-last-contact = desde su último contacto con nosotros
trigger-account-opened = desde la apertura de su cuenta
trigger-account-closed = desde el cierre de su cuenta
trigger-last-connection = desde su último inicio de sesión
trigger-transaction = desde la transacción
trigger-debit = desde el cargo del pago
trigger-deferred-debit = desde el cargo del pago aplazado
trigger-invoice = desde la emisión de la factura
trigger-consent-given = desde que presta su consentimiento
trigger-identity-verified = desde la verificación de su identidad
trigger-request-closed = desde el cierre de su solicitud
trigger-opposition-recorded = desde el registro de su oposición
trigger-contract-end = desde la finalización del contrato
trigger-custom = desde este acontecimiento: «{ $event }»

section-rights = Sus derechos
rights-intro = Le asisten los siguientes derechos sobre sus datos personales:
right-access = Derecho de acceso
right-access-text = Puede obtener confirmación de si estamos tratando datos que le conciernen y, en tal caso, una copia de ellos junto con información sobre su uso (artículo 15 del RGPD).
right-rectification = Derecho de rectificación
right-rectification-text = Puede obtener la rectificación de los datos inexactos que le conciernan y que se completen los que estén incompletos (artículo 16 del RGPD).
right-erasure = Derecho de supresión
right-erasure-text = Puede solicitar la supresión de sus datos, en particular cuando ya no sean necesarios, cuando retire su consentimiento o cuando se oponga a su tratamiento, salvo que debamos conservarlos para cumplir una obligación legal o para la formulación, el ejercicio o la defensa de reclamaciones (artículo 17 del RGPD).
right-restriction = Derecho a la limitación del tratamiento
right-restriction-text = Puede solicitar que conservemos sus datos sin utilizarlos, por ejemplo mientras verificamos su exactitud o examinamos su oposición (artículo 18 del RGPD).
right-portability = Derecho a la portabilidad de los datos
right-portability-text = Cuando tratemos sus datos por medios automatizados sobre la base de su consentimiento o de un contrato, puede recibir los datos que nos haya facilitado en un formato estructurado, de uso común y lectura mecánica, o pedirnos que los transmitamos directamente a otro responsable cuando sea técnicamente posible (artículo 20 del RGPD).
right-objection = Derecho de oposición
right-objection-text = Puede oponerse en cualquier momento, por motivos relacionados con su situación particular, al tratamiento basado en nuestro interés legítimo o en una misión de interés público. Dejaremos entonces de tratar sus datos, salvo que acreditemos motivos legítimos imperiosos o que los necesitemos para la formulación, el ejercicio o la defensa de reclamaciones (artículo 21 del RGPD).
right-objection-marketing-text = También puede oponerse en cualquier momento, sin necesidad de justificación, al uso de sus datos con fines de mercadotecnia directa; en ese caso dejaremos de utilizarlos para dicho fin.
right-withdraw-consent = Derecho a retirar el consentimiento
right-withdraw-consent-text = Cuando el tratamiento se base en su consentimiento, puede retirarlo en cualquier momento, de forma tan sencilla como lo otorgó, sin que ello afecte a la licitud del tratamiento basado en el consentimiento previo a su retirada.
right-complaint = Derecho a presentar una reclamación
right-complaint-text = Puede presentar una reclamación ante una autoridad de control (véase más abajo).
right-post-mortem = Instrucciones sobre sus datos tras su fallecimiento
right-post-mortem-text = Puede darnos instrucciones sobre la conservación, supresión y comunicación de sus datos personales tras su fallecimiento, y designar a una persona encargada de ejecutarlas. Puede modificarlas o revocarlas en cualquier momento (artículo 85 de la Ley francesa de protección de datos, Loi Informatique et Libertés).
section-rights-california = Derechos adicionales de los residentes en California
rights-california-ccpa-intro = Si reside en California, la California Consumer Privacy Act (CCPA) le reconoce los siguientes derechos:
rights-california-shine-intro = Si reside en California, el artículo 1798.83 del Código Civil de California («Shine the Light») le reconoce además el siguiente derecho:
right-california-know = Derecho a saber (Right to know)
right-california-know-text = Puede solicitarnos que le revelemos las categorías y los elementos concretos de información personal que hemos recabado sobre usted, las categorías de fuentes, los fines para los que la utilizamos y las categorías de terceros a los que la comunicamos.
right-california-delete = Derecho de supresión (Right to delete)
right-california-delete-text = Puede solicitarnos que suprimamos la información personal que hemos recabado de usted, con las excepciones previstas por la ley.
right-california-correct = Derecho de rectificación (Right to correct)
right-california-correct-text = Puede solicitarnos que rectifiquemos la información personal inexacta que le concierne.
right-california-opt-out = Derecho a oponerse a la venta o cesión (opt-out)
right-california-opt-out-text = Puede indicarnos que no vendamos su información personal ni la cedamos con fines de publicidad comportamental entre contextos. Consideramos una señal Global Privacy Control enviada por su navegador como una solicitud de este tipo.
right-shine-the-light = Solicitud «Shine the Light»
right-shine-the-light-text = Una vez al año y de forma gratuita, puede preguntarnos qué categorías de información personal comunicamos a terceros para su propia mercadotecnia directa durante el año natural anterior, así como el nombre y la dirección de dichos terceros (artículo 1798.83 del Código Civil de California).
right-shine-the-light-none = No comunicamos información personal a terceros para su propia mercadotecnia directa.
rights-california-non-discrimination = Tal como exige la CCPA, no le discriminaremos por ejercer cualquiera de estos derechos.

section-withdraw-consent = Retirada del consentimiento
withdraw-consent-intro = Los siguientes tratamientos se basan en su consentimiento:
withdraw-consent-how = Puede retirar su consentimiento en cualquier momento, de forma tan sencilla como lo otorgó, por ejemplo { $contact }.
withdraw-consent-effect = La retirada del consentimiento pone fin al tratamiento correspondiente a partir de ese momento, sin afectar a la licitud del tratamiento realizado con anterioridad.
withdraw-consent-none = Ninguno de nuestros tratamientos se basa en su consentimiento.

section-exercise = Cómo ejercer sus derechos
exercise-response = Le responderemos en el plazo de { $duration } a partir de la recepción de su solicitud.
exercise-extension = Si su solicitud es compleja o recibimos un gran número de solicitudes, este plazo podrá prorrogarse { $duration } más; en tal caso, se lo comunicaremos, indicando los motivos, dentro del primer plazo.
exercise-id-doubt = Solo le pediremos que acredite su identidad si tenemos dudas razonables sobre quién formula la solicitud.
exercise-free = El ejercicio de sus derechos es gratuito, salvo que la solicitud sea manifiestamente infundada o excesiva.

section-complaint = Reclamación ante la autoridad de control
complaint-intro = Si considera que no se han respetado sus derechos, puede presentar en cualquier momento una reclamación ante la autoridad de control, se haya dirigido antes a nosotros o no:
complaint-any-authority = También puede presentar una reclamación ante la autoridad de control del Estado miembro de la Unión Europea en el que tenga su residencia habitual o su lugar de trabajo, o en el que se haya producido la supuesta infracción.

section-automated = Decisiones automatizadas
automated-none = No tomamos ninguna decisión basada únicamente en el tratamiento automatizado, incluida la elaboración de perfiles, que produzca efectos jurídicos en usted o le afecte significativamente de modo similar.
automated-intro = Algunas decisiones se adoptan de forma exclusivamente automatizada. Respecto de cada una de ellas, tiene derecho a obtener intervención humana, a expresar su punto de vista y a impugnar la decisión.

section-security = Cómo protegemos sus datos
security-intro = Aplicamos las medidas técnicas y organizativas apropiadas para proteger sus datos frente a la pérdida, el uso indebido, el acceso no autorizado y la divulgación no autorizada.
security-organisational = Medidas organizativas:
security-technical = Medidas técnicas:

section-cookies = Cookies y tecnologías similares
cookies-pointer = Utilizamos cookies y tecnologías similares en { $service }. Nuestra política de cookies explica cuáles, para qué sirven y cómo aceptarlas o rechazarlas.

section-changes = Modificaciones de esta política
changes-default = Podemos actualizar esta política cuando cambien nuestros tratamientos. Le informaremos de cualquier cambio significativo antes de que se aplique.

## Cookie policy

cookies-title = Política de cookies
cookies-intro = Esta política explica qué cookies y tecnologías similares utiliza { $controller } en { $service }, para qué sirven y cómo puede aceptarlas o rechazarlas.
section-trackers = ¿Qué son las cookies y las tecnologías similares?
trackers-what = Una cookie es un pequeño archivo de texto que un sitio web almacena en su dispositivo (ordenador, teléfono, tableta) cuando lo visita y que puede volver a leer en visitas posteriores. Otras tecnologías funcionan del mismo modo: los datos guardados en el almacenamiento local de su navegador, los píxeles (pequeñas imágenes invisibles) y las técnicas de huella digital del dispositivo (fingerprinting). En esta política los denominamos a todos «rastreadores».
trackers-consent-rule = Los rastreadores estrictamente necesarios para el funcionamiento del sitio, o para prestar un servicio que usted ha solicitado expresamente, no requieren su consentimiento. Todos los demás solo se utilizan si usted lo acepta.
section-trackers-used = Los rastreadores que utilizamos
trackers-none = No utilizamos ningún rastreador.
trackers-used-intro = Las tablas siguientes enumeran, por categoría, todos los rastreadores utilizados en { $service }.
cookie-category-necessary = Estrictamente necesarios
cookie-category-necessary-text = Estos rastreadores son imprescindibles para el funcionamiento y la seguridad del sitio. No pueden desactivarse.
cookie-category-functional = Funcionales
cookie-category-functional-text = Estos rastreadores recuerdan sus preferencias, como el idioma, para facilitar el uso del sitio.
cookie-category-personalisation = Personalización del contenido
cookie-category-personalisation-text = Estos rastreadores adaptan lo que le mostramos, como los artículos o productos recomendados, a lo que ha consultado. Solo se utilizan con su consentimiento.
cookie-category-analytics = Medición de audiencia
cookie-category-analytics-text = Estos rastreadores miden cómo se utiliza el sitio para que podamos mejorarlo.
cookie-category-marketing = Publicidad
cookie-category-marketing-text = Estos rastreadores sirven para mostrarle publicidad y medir su eficacia.
cookie-category-social = Redes sociales
cookie-category-social-text = Estos rastreadores le permiten compartir contenidos en redes sociales e informan a dichas redes de que ha visitado el sitio.
tracker-kind-cookie = Cookie
tracker-kind-local-storage = Almacenamiento local
tracker-kind-pixel = Píxel
tracker-kind-email-pixel = Píxel en nuestros correos electrónicos
tracker-kind-fingerprint = Huella digital del dispositivo
lifetime-session = sesión
lifetime-not-stored = no se almacena nada en su dispositivo
consent-required = Necesario
consent-required-form = Necesario; se solicita en el formulario en el que indica su dirección de correo electrónico
consent-not-required = No necesario
section-choices = Sus opciones
choices-banner = En su primera visita, un banner le pide que elija antes de utilizar cualquier rastreador que requiera su consentimiento. Puede pulsar «{ $accept }», «{ $refuse }» o «{ $customise }» para elegir categoría por categoría. Rechazar es tan sencillo como aceptar, y seguir navegando no equivale a prestar el consentimiento.
choices-withdraw = Puede cambiar de opinión en cualquier momento, de forma tan sencilla como prestó su consentimiento, mediante el enlace «{ $link }» situado al pie de cada página. La retirada del consentimiento no afecta a la licitud del tratamiento realizado con anterioridad.
choices-kept = Conservamos su elección durante { $duration }; transcurrido ese plazo, se la volveremos a pedir.
choices-max-lifetime = Los rastreadores que requieren su consentimiento permanecen en su dispositivo durante { $duration } como máximo.
choices-none-needed = Todos los rastreadores que utilizamos están exentos de consentimiento, por lo que no necesitamos solicitarlo. Si en el futuro añadimos rastreadores que lo requieran, se lo pediremos mediante un banner antes de utilizarlos, y podrá rechazarlos tan fácilmente como aceptarlos.
section-browser = Configuración del navegador
browser-text = También puede configurar su navegador para bloquear o eliminar los rastreadores; cada navegador explica cómo hacerlo en su ayuda. Bloquear los rastreadores estrictamente necesarios puede impedir que algunas partes del sitio funcionen.
section-contact = Contacto
contact-text = Para cualquier pregunta sobre esta política, puede contactarnos { $contact }.
privacy-pointer = Para saber cómo tratamos sus datos personales y cómo ejercer sus derechos, consulte nuestra política de privacidad.

## Countries (ISO 3166-1 alpha-2)

country-AT = Austria
country-BE = Bélgica
country-BG = Bulgaria
country-HR = Croacia
country-CY = Chipre
country-CZ = Chequia
country-DK = Dinamarca
country-EE = Estonia
country-FI = Finlandia
country-FR = Francia
country-EU = la Unión Europea
country-EEA = el Espacio Económico Europeo
country-DE = Alemania
country-GR = Grecia
country-HU = Hungría
country-IE = Irlanda
country-IT = Italia
country-LV = Letonia
country-LT = Lituania
country-LU = Luxemburgo
country-MT = Malta
country-NL = Países Bajos
country-PL = Polonia
country-PT = Portugal
country-RO = Rumanía
country-SK = Eslovaquia
country-SI = Eslovenia
country-ES = España
country-SE = Suecia
country-IS = Islandia
country-LI = Liechtenstein
country-NO = Noruega
country-AD = Andorra
country-AR = Argentina
country-CA = Canadá
country-CH = Suiza
country-FO = Islas Feroe
country-GB = Reino Unido
country-GG = Guernesey
country-IL = Israel
country-IM = Isla de Man
country-JE = Jersey
country-JP = Japón
country-KR = República de Corea
country-NZ = Nueva Zelanda
country-UY = Uruguay
country-US = Estados Unidos
country-AU = Australia
country-BR = Brasil
country-CN = China
country-HK = Hong Kong
country-IN = India
country-MA = Marruecos
country-MX = México
country-SG = Singapur
country-TN = Túnez
country-TR = Turquía
country-UA = Ucrania
country-ZA = Sudáfrica
country-AE = Emiratos Árabes Unidos
country-PH = Filipinas
country-VN = Vietnam
country-SN = Senegal
country-MU = Mauricio
country-RS = Serbia
country-EG = Egipto

## Rights requests: e-mails to the requester

mail-code-subject = { $controller }: su código de confirmación
mail-code-body = Su código es { $code }. Introdúzcalo en la página de la solicitud en un plazo de { $minutes } minutos para confirmar que esta dirección le pertenece. Si no ha presentado ninguna solicitud, ignore este mensaje.
mail-received-subject = { $controller }: hemos recibido su solicitud
mail-received-body = Su solicitud ha quedado confirmada. Le responderemos a más tardar el { $due }.
mail-progress-subject = { $controller }: estamos tramitando su solicitud
mail-progress-body = Su identidad ha quedado acreditada y estamos tramitando su solicitud. Le responderemos a más tardar el { $due }.
mail-extended-subject = { $controller }: prórroga del plazo de su solicitud
mail-extended-body = Necesitamos más tiempo para responder a su solicitud, por el siguiente motivo: { $reason }. Le responderemos a más tardar el { $due }.
mail-refused-subject = { $controller }: respuesta a su solicitud
mail-refused-body = No podemos atender su solicitud por los siguientes motivos: { $reasons }. Puede presentar una reclamación ante la autoridad de control, { $authority }, y ejercitar acciones judiciales.
mail-refused-unfounded = Consideramos que esta solicitud es manifiestamente infundada o excesiva.
mail-identity-subject = { $controller }: necesitamos verificar su identidad
mail-identity-body = Para proteger sus datos, necesitamos una copia de un documento de identidad antes de actuar. Envíela a través de esta página: { $link }. La suprimiremos en cuanto hayamos verificado su identidad.
mail-package-subject = { $controller }: sus datos están disponibles
mail-package-body = Sus datos están disponibles. Cada enlace funciona una sola vez y hasta el { $expires }.
mail-erased-subject = { $controller }: sus datos han sido suprimidos
mail-erased-body = Hemos suprimido sus datos personales.
mail-erased-kept = La ley nos obliga a conservar algunos de ellos durante un tiempo, bloqueados en un archivo de acceso restringido: { $categories }.
mail-notified = Hemos informado a los siguientes destinatarios de sus datos: { $recipients }.
mail-completed-subject = { $controller }: su solicitud ha sido atendida
mail-completed-body = Hemos atendido su solicitud ({ $kind }).
mail-lifted-subject = { $controller }: fin de la limitación
mail-lifted-body = Se va a levantar la limitación del tratamiento de sus datos.
mail-ask-again-subject = { $controller }: ¿desea que conservemos sus datos?
mail-ask-again-body = Hace tiempo que no tenemos contacto con usted. Solo conservaremos sus datos si así lo desea: para ello, abra este enlace y confirme.
    
    { $link }
    
    Si no hace nada, los suprimiremos el { $date }.
mail-breach-subject = { $controller }: una violación de la seguridad de los datos personales le afecta
mail-breach-body = Le informamos de una violación de la seguridad de los datos personales que afecta a sus datos: { $description }
mail-breach-consequences = Posibles consecuencias: { $consequences }
mail-breach-measures = Medidas adoptadas o previstas: { $measures }
mail-breach-contact = Para más información, diríjase a: { $contact }
mail-stl-subject = { $controller }: comunicaciones con fines de mercadotecnia directa
mail-stl-body = Terceros que recibieron su información personal para su propia mercadotecnia directa en { $year }:
mail-stl-none = Ninguno.

## Rights requests: the access package

package-title = Sus datos personales
package-portable-title = Sus datos en un formato portable
package-intro = Elaborado el
package-datasets = Datos conservados en nuestros otros sistemas
package-data = Datos registrados
package-events = Acontecimientos
package-disclosures = Comunicados a
package-consents = Sus elecciones
package-purposes = Para qué los utilizamos
package-recipients = Quién los recibe
package-retention = Cuánto tiempo los conservamos

## Rights requests: the public portal

portal-title = Ejercer sus derechos
portal-intro = Elija lo que solicita e indique la dirección de correo electrónico con la que le conocemos. Le enviaremos un código a esa dirección para asegurarnos de que la solicitud procede de usted.
portal-kind = Su solicitud
portal-email = Su dirección de correo electrónico
portal-details = Detalles (opcional)
portal-rectify = Para una rectificación
portal-category = Qué datos
portal-none = Ninguna
portal-value = El valor correcto
portal-post-mortem = Para instrucciones tras el fallecimiento
portal-pm-action = Instrucción
portal-pm-record = Registrar mi instrucción
portal-pm-revoke = Revocar mis instrucciones
portal-pm-execute = Ejecutar la instrucción de una persona fallecida que me designó
portal-pm-instructions = Qué debe hacerse con los datos
portal-pm-erase = Suprimirlos
portal-pm-transmit = Entregar una copia a la persona que designo
portal-pm-keep = Conservarlos tal como están
portal-pm-other = Persona designada para ejecutarla (o, para ejecutar una instrucción, la dirección de la persona fallecida)
portal-send = Enviar
portal-code-title = Confirme su solicitud
portal-code-intro = Hemos enviado un código a su dirección. Introdúzcalo aquí para confirmar su solicitud.
portal-code = Código
portal-confirm = Confirmar
portal-done-title = Solicitud confirmada
portal-done = Gracias. Su solicitud ha quedado confirmada; le responderemos por correo electrónico.
portal-document-title = Documento de identidad
portal-document-intro = Envíe una copia de un documento de identidad (PDF, JPEG o PNG). La suprimiremos en cuanto hayamos verificado su identidad.
portal-document = Su documento
portal-document-done = Gracias: hemos recibido su documento.
portal-download-title = Sus datos
portal-download-intro = Hay una copia de sus datos disponible ({ $format }). El enlace funciona una sola vez: el archivo se descarga al pulsar el botón y, a partir de ese momento, el enlace deja de funcionar.
portal-download-button = Descargar mis datos
portal-download-invalid = Este enlace no es válido, ya se ha utilizado o ha caducado. Si sigue necesitando sus datos, presente una nueva solicitud.
portal-error-title = No se ha podido enviar su solicitud
portal-error-internal = Se ha producido un error por nuestra parte. Vuelva a intentarlo más tarde.
portal-too-large = El archivo es demasiado grande: envíe un archivo de { $mib } MiB como máximo.
portal-too-many = Demasiadas solicitudes desde su dirección. Espere un minuto y vuelva a intentarlo.

## The staff console (/console).
console-skip = Ir al contenido
console-role = Sesión iniciada como
console-sign-out = Cerrar sesión
console-nav = Secciones de la consola
console-nav-dashboard = Panel
console-nav-requests = Solicitudes
console-done = Hecho.
console-error-title = No se ha podido realizar
console-error-internal = Se ha producido un error en el servidor; su registro ofrece más detalles.
console-back-dashboard = Volver al panel
console-back-queue = Volver a las solicitudes
console-requests-title = Solicitudes de ejercicio de derechos
console-requests-caption = Solicitudes, primero el plazo más próximo
console-requests-none = Ninguna solicitud coincide con estos filtros.
console-requests-range = Solicitudes { $first } a { $last } de { $total }
console-previous-page = Página anterior
console-next-page = Página siguiente
console-filters = Filtros
console-any = Cualquiera
console-apply = Aplicar
console-open-only = Solo solicitudes abiertas
console-request = Solicitud
console-request-title = Solicitud de ejercicio de derechos
console-request-kind = Tipo
console-request-status = Estado
console-request-received = Recibida
console-request-due = Plazo legal
console-request-closed = Cerrada
console-request-handler = Tramitador
console-request-email = Dirección del solicitante
console-request-language = Idioma
console-request-details = Detalles
console-request-purposes = Finalidades indicadas
console-request-subjects = Interesados encontrados
console-request-doubt = Duda sobre la identidad
console-request-document = Documento de identidad
console-request-extension = Motivo de la prórroga
console-request-refusal = Denegada porque
console-request-unfounded = manifiestamente infundada o excesiva
console-request-outcome = Resultado
console-request-notified = Destinatarios informados
console-request-changes = Rectificaciones solicitadas
console-request-pending-dpo = Pendiente del delegado de protección de datos:
console-request-partly-done = Hecha en parte, se reintenta automáticamente:
console-request-steps = Próximos pasos
console-request-closed-steps = Esta solicitud está cerrada.
console-request-history = Historial
console-request-letters = Cartas y avisos
console-request-no-letters = Todavía no hay cartas.
console-request-requester = el solicitante
console-category = Categoría
console-value = Valor
console-when = Cuándo
console-what = Qué
console-who = Quién
console-note = Nota
console-nobody = Nadie todavía
console-overdue = Vencida
console-due-soon = Vence en 7 días
console-letter-to = Para
console-letter-channel = Canal
console-letter-state = Estado
console-letter-attempts = Intentos
console-letter-delivered = Entregada
console-letter-error = Último error
console-step-assignee = Tramitador (identificador del usuario)
console-step-assign = Asignar
console-step-confirm-identity = Confirmar la identidad
console-step-complete = Completar la solicitud
console-step-extend-reason = Motivo de la prórroga (se comunica al solicitante)
console-step-extend = Prorrogar dos meses
console-step-doubt-note = Qué hace dudar de la identidad
console-step-doubt = Pedir un documento de identidad
console-step-refuse-reasons = Motivos de la denegación (se comunican al solicitante)
console-step-unfounded = Manifiestamente infundada o excesiva
console-step-justification = Justificación (conservada para la autoridad)
console-step-refuse = Denegar
console-step-lift = Levantar la limitación
console-status-received = Pendiente del código
console-status-awaiting-identity = Pendiente de un documento de identidad
console-status-verified = Verificada
console-status-in-progress = En trámite
console-status-extended = Prorrogada
console-status-completed = Completada
console-status-refused = Denegada
console-nav-subjects = Interesados
console-subjects-title = Buscar a una persona
console-search = Buscar
console-search-by = Por
console-search-email = Dirección de correo electrónico
console-search-phone = Número de teléfono
console-search-login = Usuario
console-search-value = Valor
console-search-purpose = Con la finalidad de
console-search-button = Buscar
console-search-audited = Cada búsqueda queda registrada en el registro de auditoría con la finalidad elegida.
console-search-none = No hay coincidencias.
console-search-results = Personas encontradas
console-subject = Persona
console-subject-title = Persona
console-subject-kind = Tipo
console-subject-created = Conocida desde
console-subject-fields = Datos que su función puede consultar
console-subject-no-fields = Su función no puede consultar ningún dato de esta persona.
console-subject-consents = Consentimientos
console-subject-proof = Exportar la prueba del consentimiento
console-subject-purpose = Finalidad
console-subject-choice = Elección
console-subject-events = Acontecimientos
console-subject-disclosures = Comunicaciones
console-subject-recipient = Destinatario
console-subject-what = Qué se comunicó
console-subject-requests = Solicitudes de ejercicio de derechos
console-subject-no-requests = Ninguna solicitud se refiere a esta persona.
console-subject-retention = Conservación de cada categoría
console-subject-retention-caption = Cada categoría de datos de esta persona, su fase de conservación actual y el siguiente paso
console-subject-phase = Fase actual
console-subject-next-step = Siguiente paso
console-subject-no-next-step = Ninguno pendiente
console-phase-active = En uso activo
console-phase-archive = Archivados (accesibles para { $readers })
console-phase-expired = Plazo de conservación vencido: se suprimirán en la próxima pasada salvo bloqueo
console-step-archive = archivar
console-step-delete = suprimir
console-step-anonymise = anonimizar
console-step-due = { $action } el { $date } (regla { $rule })
console-step-held = suspendido por una retención legal
console-back-search = Volver a la búsqueda
console-none = Ninguno.
console-consent-given = Otorgado
console-consent-refused = Rechazado
console-consent-withdrawn = Retirado
console-consent-expired = Caducado
console-nav-audit = Registro de auditoría
console-audit-title = Registro de auditoría
console-audit-caption = Entradas, de la más antigua a la más reciente
console-audit-subject = Identificador del interesado
console-audit-principal = Autor
console-audit-from = Desde (día, UTC)
console-audit-to = Hasta (día, UTC)
console-audit-action = Acción
console-audit-categories = Categorías
console-audit-outcome = Resultado
console-audit-none = Ninguna entrada coincide con estos filtros.
console-audit-next = Entradas siguientes
console-audit-verification = Verificación
console-audit-verify = Verificar ahora
console-audit-verified-at = Última verificación
console-audit-intact = íntegro
console-audit-broken = alterado
console-audit-never-verified = El registro de auditoría aún no se ha verificado.
console-audit-any-action = Cualquier acción
console-dashboard-due = Solicitudes vencidas o que vencen en 7 días
console-dashboard-none-due = Ninguna solicitud abierta está vencida ni vence en 7 días.
console-dashboard-all-open = Todas las solicitudes abiertas
console-dashboard-figures-as-of = Cifras a { $at }, recalculadas cada cinco minutos.
console-dashboard-due-shown = Se muestran las { $shown } más urgentes de { $total }; la lista de solicitudes las incluye todas.
console-dashboard-retention = Conservación en los próximos 30 días
console-dashboard-retention-more = Más de
console-dashboard-retention-steps = pasos de conservación (archivo, supresión o anonimización) vencen.
console-dashboard-outbox = Mensajes no entregados
console-dashboard-outbox-none = Todas las cartas y avisos se han entregado o se siguen intentando.
console-dashboard-outbox-count = cartas o avisos no han podido entregarse y no se volverán a intentar.
console-dashboard-outbox-latest = Los últimos mensajes no entregados
console-dashboard-outbox-failed-at = Abandonado
console-dashboard-outbox-no-request = Ninguna (aviso de violación de seguridad)
console-dashboard-consents = Consentimientos de las últimas 12 semanas
console-dashboard-consents-legend = Barras por semana, de abajo arriba: otorgados (verde), rechazados (rojo), retirados (violeta). Las cifras figuran en la tabla bajo cada gráfico.
console-dashboard-no-consents = No se ha registrado ningún consentimiento en las últimas 12 semanas.
console-dashboard-week = Semana
console-dashboard-given = Otorgados
console-dashboard-refused = Rechazados
console-dashboard-withdrawn = Retirados
console-dashboard-banner = Elecciones en el banner de cookies en las últimas 12 semanas
console-dashboard-banner-rate = de las elecciones en el banner aceptaron todas las finalidades (barra: todo aceptado en verde, parte en rojo, todo rechazado en violeta).
console-dashboard-banner-all = Todo aceptado
console-dashboard-banner-some = Parte aceptada
console-dashboard-banner-none = Todo rechazado
console-rectify = Rectificar un campo
console-rectify-value = Valor correcto
console-rectify-button = Rectificar
console-erase-link = Suprimir a esta persona…
console-erase-title = Suprimir a una persona
console-erase-back = Volver a la persona
console-erase-warning = La supresión destruye la clave de datos de esta persona: todos sus campos quedan ilegibles en todas las copias, incluidas las copias de seguridad, y no pueden recuperarse.
console-erase-confirm = Confirmo la supresión de esta persona
console-erase-button = Suprimir definitivamente
console-nav-register = Registro
console-register-title = Registro de actividades de tratamiento
console-register-versions = Versiones publicadas de las políticas
console-register-diff = Cambios entre versiones
console-register-purposes = Finalidades
console-register-categories = Categorías de datos
console-register-recipients = Destinatarios
console-register-transfers = Transferencias fuera del EEE
console-register-retention = Reglas de conservación
console-register-id = Identificador
console-register-name = Nombre
console-register-basis = Base jurídica
console-register-sensitive = Sensible
console-register-countries = Países
console-register-country = País
console-register-mechanism = Garantía
console-register-trigger = Computado desde
console-register-phases = Fases
console-yes = Sí
console-no = No
console-register-version = Versión
console-register-effective = En vigor desde
console-register-in-force = en vigor
console-nav-retention = Conservación
console-retention-title = Conservación
console-retention-window = Periodo
console-retention-days = Días a partir de hoy
console-retention-plan = Pasos que vencen, primero los más próximos
console-retention-no-steps = Ningún paso de conservación vence en este periodo.
console-retention-truncated = Vencen más pasos de los que se muestran aquí.
console-retention-planned = Planificado el { $at }: el plan se rehace cada cinco minutos, y de inmediato tras una pasada de conservación o un cambio de retención legal.
console-retention-rule = Regla
console-retention-action = Acción
console-holds = Retenciones legales
console-hold-place = Establecer una retención legal (sobre un interesado, una regla o ambos)
console-hold-reason = Motivo (una referencia de expediente, nunca datos personales)
console-hold-place-button = Establecer la retención
console-hold-placed = Establecida
console-hold-released = Levantada
console-hold-release = Levantar
console-nav-breaches = Violaciones de seguridad
console-breaches-title = Registro de violaciones de seguridad
console-breaches-caption = Violaciones, primero las abiertas y el plazo más próximo
console-breaches-none = No hay ninguna violación registrada.
console-breach = Violación
console-breach-state = Estado
console-breach-open = Abierta
console-breach-closed = Cerrada
console-breach-aware = Conocida desde
console-breach-deadline = Plazo para notificar a la autoridad
console-breach-clock = Plazo de 72 horas
console-breach-hours-left = quedan { $hours } horas
console-breach-decided = Decisión sobre la autoridad registrada
console-breach-notified-late = Autoridad notificada fuera de plazo
console-breach-record = Registrar una violación
console-breach-aware-at = Momento en que se tuvo conocimiento (UTC)
console-breach-nature = Naturaleza
console-breach-nature-confidentiality = Confidencialidad
console-breach-nature-integrity = Integridad
console-breach-nature-availability = Disponibilidad
console-breach-description = Descripción
console-breach-categories = Categorías de datos afectadas
console-breach-people = Número aproximado de interesados afectados
console-breach-records = Número aproximado de registros afectados
console-breach-consequences = Consecuencias probables
console-breach-measures = Medidas adoptadas o propuestas
console-breach-subjects = Identificadores de los interesados afectados (uno por línea)
console-breach-record-button = Registrar la violación
console-back-breaches = Todas las violaciones
console-breach-recorded = Registrada
console-breach-affected = Interesados afectados registrados
console-breach-authority = Autoridad de control (art. 33)
console-breach-undecided = Sin decisión todavía.
console-breach-notified = Notificada
console-breach-not-notified = No notificada
console-breach-reference = Referencia de la autoridad
console-breach-notified-at = Notificada el (UTC; vacío para ahora)
console-breach-late-reason = Motivo del retraso (obligatorio una vez vencido el plazo)
console-breach-notify-button = Registrar la notificación
console-breach-not-notify-reason = Por qué es improbable que la violación constituya un riesgo para las personas
console-breach-not-notify-button = Registrar: no notificada
console-breach-people-title = Interesados afectados (art. 34)
console-breach-informed = Informados
console-breach-not-informed = No informados
console-breach-channel = Cómo se comunica a los interesados
console-breach-channel-email = Por correo electrónico (una carta a cada interesado afectado, a través de la bandeja de salida)
console-breach-channel-post = Por correo postal
console-breach-channel-phone = Por teléfono
console-breach-channel-public-notice = Comunicación pública
console-breach-channel-other = Otro
console-breach-informed-at = Informados el (UTC; vacío para ahora)
console-breach-inform-button = Registrar: informados
console-breach-reason = Por qué no se informa a los interesados
console-breach-reason-no-high-risk = Sin probabilidad de alto riesgo (art. 34.1)
console-breach-reason-unintelligible = Los datos son ininteligibles para terceros, p. ej. cifrados (art. 34.3.a)
console-breach-reason-risk-neutralised = Medidas posteriores garantizan que ya no es probable que se materialice el alto riesgo (art. 34.3.b)
console-breach-reason-disproportionate-effort = Esfuerzo desproporcionado; en su lugar, comunicación pública (art. 34.3.c)
console-breach-explanation = Por qué se aplica este motivo
console-breach-not-inform-button = Registrar: no informados
console-breach-letters = { $queued } cartas en cola; { $without } personas sin dirección de correo electrónico
console-breach-close = Cerrar la violación
console-breach-reopen = Reabrir la violación
console-breach-timeline = Cronología
console-breach-detail = Detalle
console-breach-export-json = Cronología en JSON
console-breach-export-csv = Cronología en CSV
console-dashboard-breaches = Violaciones abiertas
console-dashboard-no-breaches = No hay ninguna violación abierta.
console-dashboard-all-breaches = El registro de violaciones

## Console: staff, API keys and the access review
console-nav-staff = Personal y claves
console-nav-access-review = Revisión de accesos
console-staff-title = Cuentas del personal y claves de API
console-staff-users = Cuentas del personal
console-staff-add = Añadir una cuenta
console-staff-add-button = Añadir la cuenta
console-staff-email = Correo electrónico
console-staff-role = Función
console-staff-created = Creada
console-staff-last-sign-in = Último inicio de sesión
console-staff-disabled = Desactivada
console-staff-actions = Acciones
console-staff-disable = Desactivar
console-staff-enable = Activar
console-staff-never = Nunca
console-staff-added = Cuenta añadida
console-staff-password-once = Su contraseña, mostrada solo esta vez: entréguela a la persona por un canal seguro.
console-staff-back = Volver a las cuentas del personal y claves
console-keys = Claves de API
console-key-create = Crear una clave de API
console-key-create-button = Crear la clave
console-key-name = Nombre (qué utiliza la clave)
console-key-last-used = Último uso
console-key-revoked = Revocada
console-key-revoke = Revocar
console-key-created = Clave de API creada
console-key-once = La clave, mostrada solo esta vez y nunca más: cópiela ahora en la configuración del servicio.
console-unused = Sin uso
console-review-title = Revisión de accesos
console-review-due = Próxima revisión:
console-review-unused-days = Marcada como sin uso tras este número de días sin utilizarse:
console-reviews = Revisiones registradas
console-review-record = Registrar una revisión
console-review-record-button = Registrar la revisión
console-review-notes = Qué detectó y cambió la revisión
console-review-by = Revisada por
console-dashboard-review = Revisión de accesos
console-signin-code-title = Segundo factor
console-signin-code-label = Código de su aplicación de autenticación, o un código de recuperación
console-signin-continue = Continuar
console-signin-restart = Volver a empezar
console-signin-wrong-code = Código erróneo, caducado o ya utilizado.
console-signin-throttled = Demasiados inicios de sesión fallidos para esta cuenta o desde esta dirección: vuelva a intentarlo dentro de { $seconds } s.
console-nav-account = Mi cuenta
console-account-title = Mi cuenta
console-factor-title = Segundo factor
console-factor-required = Su función exige un segundo factor: configúrelo antes de nada.
console-factor-add-to-app = Añada esta cuenta a su aplicación de autenticación con el secreto siguiente (o la dirección otpauth) y escriba el código que muestre. Ambos se muestran solo esta vez.
console-factor-secret = Secreto (base32)
console-factor-uri = Dirección otpauth
console-factor-code = Código de su aplicación de autenticación
console-factor-confirm = Confirmar
console-factor-codes-once = Sus códigos de recuperación, mostrados solo esta vez: guárdelos en un lugar seguro. Cada uno le permite iniciar sesión una vez si pierde la aplicación.
console-factor-codes-saved = Los he guardado
console-factor-on = Un segundo factor protege esta cuenta.
console-factor-off = Ningún segundo factor protege aún esta cuenta.
console-factor-enrol = Configurar un segundo factor
console-factor-new-codes = Sustituir los códigos de recuperación
console-factor-disable = Eliminar el segundo factor
console-sessions = Mis sesiones
console-session-expires = Caduca
console-session-current = (esta sesión)
console-session-revoke = Cerrar
console-session-revoke-others = Cerrar todas mis demás sesiones
record-title = Registro de actividades de tratamiento (artículo 30 del RGPD)
record-updated = Actualizado el { $date }
record-col-id = Identificador
record-col-activity = Actividad de tratamiento
record-col-controller = Responsable del tratamiento
record-col-representative = Representante
record-col-dpo = Delegado de protección de datos
record-col-purpose = Finalidad
record-col-legal-basis = Base jurídica
record-col-subjects = Categorías de interesados
record-col-data = Categorías de datos personales
record-col-special = Categorías especiales de datos (artículo 9 del RGPD)
record-col-recipients = Destinatarios
record-col-transfers = Transferencias fuera del EEE y garantías
record-col-retention = Plazos de supresión
record-col-security = Medidas de seguridad
record-col-updated = Última actualización
record-none = Ninguno
record-basis-consent = Consentimiento (artículo 6.1.a del RGPD)
record-basis-contract = Contrato (artículo 6.1.b del RGPD)
record-basis-legal-obligation = Obligación legal (artículo 6.1.c del RGPD)
record-basis-vital-interest = Intereses vitales (artículo 6.1.d del RGPD)
record-basis-public-task = Misión de interés público (artículo 6.1.e del RGPD)
record-basis-legitimate-interest = Interés legítimo (artículo 6.1.f del RGPD)
record-law = Norma aplicable
record-kind-internal = interno
record-kind-processor = encargado del tratamiento
record-kind-third-party = tercero
record-kind-joint-controller = corresponsable
record-kind-authority = autoridad
record-kind-public = público
record-recipient = { $name } ({ $kind })
record-transfer = { $recipient }, { $country }: { $safeguard }
record-retention = { $categories } ({ $trigger }): { $phases }; { $end }
record-phase-active = { $duration } en uso activo
record-phase-archive = { $duration } bloqueados
record-phase-then = {", y después "}
record-end-delete = después, supresión
record-end-anonymise = después, anonimización

## Menores
section-children = Menores
children-adults = Nuestros servicios están dirigidos a personas adultas. No recabamos a sabiendas datos de menores que no hayan alcanzado la edad de consentimiento digital.
children-everyone = Los menores que no hayan alcanzado la edad de consentimiento digital pueden utilizar nuestros servicios; no obstante, cuando el tratamiento se base en el consentimiento, se requiere además el de quien ejerza la patria potestad o la tutela, y hasta que se preste no tratamos los datos del menor sobre esa base.
children-ages = La edad de consentimiento digital es la siguiente:
children-age-country = { $country }: { $age } años
children-age-elsewhere = Otros países: { $age } años
children-found = Si tenemos conocimiento de que tratamos datos de un menor por debajo de esa edad sin el consentimiento de quien ejerza la patria potestad o la tutela, dejamos de tratarlos sobre la base del consentimiento hasta que este se preste.
children-found-erase = Si tenemos conocimiento de que tratamos datos de un menor por debajo de esa edad sin el consentimiento de quien ejerza la patria potestad o la tutela, dejamos de tratarlos sobre la base del consentimiento y solicitamos dicho consentimiento; si no se presta en el plazo de { $duration }, suprimimos los datos del menor.

## Mensajes de una finalidad
purpose-unsubscribe-link = Cada mensaje que le enviamos con esta finalidad incluye un enlace para darse de baja con un solo clic.
purpose-service-messages = Estos mensajes forman parte del servicio: los recibirá mientras su cuenta exista y no puede darse de baja de ellos. Nunca contienen ofertas ni publicidad.

## Conservación: varios hechos, consentimiento, plazos mínimos, nueva consulta
trigger-consent-ended = desde el fin de su consentimiento
trigger-whichever-first = { $triggers }, lo que ocurra primero
trigger-whichever-later = { $triggers }, lo que ocurra después
retention-at-least = al menos { $duration }
retention-law = el tiempo que exige { $law }
retention-reason-law = { $reason }, durante el tiempo que exige { $law }
retention-while-consent = Solo conservamos estos datos mientras esté vigente su consentimiento para «{ $purpose }»; sin él, no los conservamos.
retention-end-ask-again = Al término de este plazo, le escribimos para preguntarle si desea que conservemos sus datos. Si no responde en el plazo de { $duration }, los suprimimos; si responde, los plazos anteriores vuelven a empezar.
record-end-ask-again = después, nueva consulta al interesado y supresión si no responde en el plazo de { $duration }
