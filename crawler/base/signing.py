"""Signed feedback links: a verdict on a story that anyone holding the link may give, nobody may forge.

A token is ``<story>.<verdict>.<route>.<mac>``: the MAC is HMAC-SHA256 over the rest with the
secret in ``SCAMWATCH_FEEDBACK_SECRET`` (shared by the daemon that writes alerts and by
``scamwatch serve`` that records the answers). Without the secret no feedback link is made
and every token is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

SECRET_ENV = "SCAMWATCH_FEEDBACK_SECRET"
VERDICTS = {
    "irrelevant": "Not about scam-compound trafficking",
    "wrong_facts": "Wrong nationality or place",
    "correct": "Correct",
}
_TOKEN = re.compile(r"^(\d{1,12})\.([a-z_]{1,20})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{22,64})$")


@dataclass(frozen=True)
class Feedback:
    story_id: int
    verdict: str
    route: str


def secret_from_env() -> bytes | None:
    """The feedback secret, or None when unset or too short to be one (under 16 characters)."""
    value = os.environ.get(SECRET_ENV, "")
    return value.encode() if len(value) >= 16 else None


def _mac(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(secret: bytes, feedback: Feedback) -> str:
    if feedback.verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {feedback.verdict!r}")
    body = f"{feedback.story_id}.{feedback.verdict}.{feedback.route}"
    return f"{body}.{_mac(secret, body)}"


def verify(secret: bytes | None, token: str) -> Feedback | None:
    """The feedback a token carries, or None when it is malformed, altered or signed with another secret."""
    match = _TOKEN.match(token or "")
    if secret is None or match is None or match.group(2) not in VERDICTS:
        return None
    body = token.rsplit(".", 1)[0]
    if not hmac.compare_digest(_mac(secret, body), match.group(4)):
        return None
    return Feedback(int(match.group(1)), match.group(2), match.group(3))
