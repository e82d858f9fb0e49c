"""The Art. 30 record as W3C DPV: the JSON-LD the server answers, parsed by rdflib's
JSON-LD processor into triples, with the facts of the SaaS example register checked
as triples (not as JSON keys)."""

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from server import KEY, fetch

DPV = Namespace("https://w3id.org/dpv#")
DPV_PD = Namespace("https://w3id.org/dpv/pd#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
NODE = "urn:custodia:"


def main():
    assert fetch("/v1/register/record?format=dpv")[0] == 401
    status, headers, text = fetch("/v1/register/record?format=dpv&lang=en", KEY)
    assert status == 200, (status, text)
    assert headers["Content-Type"] == "application/ld+json", headers
    graph = Graph()
    graph.parse(data=text, format="json-ld")

    processes = set(graph.subjects(RDF.type, DPV.Process))
    assert processes, "no dpv:Process"
    controller = URIRef(NODE + "controller")
    assert (controller, RDF.type, DPV.DataController) in graph
    assert (controller, RDFS.label, Literal("Pivoine Cloud")) in graph, list(
        graph.objects(controller, RDFS.label)
    )
    for process in processes:
        assert (process, DPV.hasDataController, controller) in graph, process
        purposes = list(graph.objects(process, DPV.hasPurpose))
        assert len(purposes) == 1, (process, purposes)
        assert (purposes[0], RDF.type, DPV.Purpose) in graph
        assert len(list(graph.objects(process, DPV.hasLegalBasis))) == 1, process

    # Registration: a contract (Art. 6(1)(b)), the e-mail address among its data
    # (typed with DPV-PD), Microsoft (hosting) a recipient and a processor.
    service = URIRef(NODE + "process:registration")
    assert service in processes, sorted(processes)
    assert (service, DPV.hasLegalBasis, GDPR["A6-1-b"]) in graph
    assert (service, DPV.hasPurpose, URIRef(NODE + "purpose:registration")) in graph
    email = URIRef(NODE + "category:user.contact.email")
    assert (service, DPV.hasPersonalData, email) in graph
    assert (email, RDF.type, DPV_PD.EmailAddress) in graph
    recipients = set(graph.objects(service, DPV.hasRecipient))
    processors = set(graph.objects(service, DPV.hasProcessor))
    microsoft = URIRef(NODE + "recipient:microsoft")
    assert microsoft in processors and processors <= recipients, (recipients, processors)
    for processor in processors:
        assert (processor, RDF.type, DPV.DataProcessor) in graph
    assert set(graph.objects(service, DPV.hasDataSubject))
    assert set(graph.objects(service, DPV.hasTechnicalOrganisationalMeasure))
    # A consent purpose names Art. 6(1)(a).
    assert any(
        (p, DPV.hasLegalBasis, GDPR["A6-1-a"]) in graph for p in processes
    ), "no consent-based process"
    print(f"record.py: {len(graph)} triples, {len(processes)} processes")


if __name__ == "__main__":
    main()
