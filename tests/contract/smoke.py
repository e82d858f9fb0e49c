"""What an integrating developer does first, through the client generated from the
OpenAPI document: every answer must parse into the declared type."""

import os
import sys

from custodia_client import AuthenticatedClient, Client
from custodia_client.api.consent import decide, record_consents
from custodia_client.api.rights import get_request, list_requests, submit_request
from custodia_client.api.subjects import create_subject, get_subject, lookup_subjects
from custodia_client.models import (
    ChoiceState,
    ConsentMethod,
    CreateSubject,
    CreateSubjectData,
    Created,
    DecisionAnswer,
    NewConsents,
    NewRequest,
    RecordedConsents,
    Request,
    RequestList,
    RequestStatus,
    RightKind,
    Subject,
    SubjectList,
    Submitted,
)


def check(response, kind, status):
    parsed = response.parsed
    if response.status_code != status or not isinstance(parsed, kind):
        sys.exit(
            f"smoke: expected {status} {kind.__name__}, got {response.status_code}: "
            f"{response.content[:300]!r}"
        )
    return parsed


def main():
    base = os.environ["CUSTODIA_URL"]
    staff = AuthenticatedClient(base_url=base, token=os.environ["CUSTODIA_DPO_KEY"])
    public = Client(base_url=base)
    email = "ada.lovelace@example.org"

    data = CreateSubjectData.from_dict({"user.contact.email": email, "user.name.first": "Ada"})
    created = check(
        create_subject.sync_detailed(client=staff, body=CreateSubject(kind="customer", data=data)),
        Created,
        201,
    )
    subject = check(get_subject.sync_detailed(id=created.id, client=staff), Subject, 200)
    assert subject.id == created.id and subject.kind == "customer", subject

    found = check(lookup_subjects.sync_detailed(client=staff, email=email), SubjectList, 200)
    assert [s.id for s in found.subjects] == [created.id], found

    recorded = check(
        record_consents.sync_detailed(
            client=staff,
            body=NewConsents(
                subject_id=created.id,
                purpose="newsletter",
                state=ChoiceState.GIVEN,
                method=ConsentMethod.FORM,
            ),
        ),
        RecordedConsents,
        201,
    )
    assert len(recorded.records) == 1, recorded

    answer = check(
        decide.sync_detailed(client=staff, subject_id=created.id, purpose="newsletter"),
        DecisionAnswer,
        200,
    )
    assert answer.allowed, answer

    submitted = check(
        submit_request.sync_detailed(
            client=public, body=NewRequest(kind=RightKind.ACCESS, email=email, language="en")
        ),
        Submitted,
        202,
    )
    assert submitted.status == RequestStatus.RECEIVED, submitted

    listed = check(list_requests.sync_detailed(client=staff), RequestList, 200)
    assert submitted.id in [r.id for r in listed.requests], listed
    request = check(get_request.sync_detailed(id=submitted.id, client=staff), Request, 200)
    assert request.kind == RightKind.ACCESS, request
    print("smoke: subject, lookup, consent, decision, rights request and staff list all typed")


if __name__ == "__main__":
    main()
