"""The server the contract scripts talk to: CUSTODIA_URL, and a DPO key."""

import os
import urllib.error
import urllib.request

BASE = os.environ["CUSTODIA_URL"]
KEY = os.environ["CUSTODIA_DPO_KEY"]


def fetch(path, key=None):
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(BASE + path)
    if key:
        request.add_header("Authorization", "Bearer " + key)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read().decode()
