"""How policycheck fetches policy pages (:class:`FetchSettings`) and the User-Agent it sends: kept apart from
:mod:`policycheck.policies.fetch` so that the command line can show the defaults without importing httpx."""

from __future__ import annotations

from dataclasses import dataclass

from policycheck import __version__
from policycheck.errors import PolicycheckError

MiB = 1 << 20


def user_agent(contact: str | None = None) -> str:
    """The User-Agent policycheck sends: product token, version, purpose and (when given) a contact URL/e-mail."""
    extra = f"; +{contact}" if contact else ""
    return f"policycheck/{__version__} (privacy-policy research{extra})"



@dataclass(frozen=True)
class FetchSettings:
    """How to fetch. Times in seconds, sizes in bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence while waiting for the headers or the next piece of the body
    deadline: float = 120.0  # wall time of one fetch: connect to last byte, redirects and retries included
    retries: int = 3  # retries after the first attempt
    backoff: float = 1.0  # first backoff wait; doubles each retry
    max_wait: float = 60.0  # cap on one wait (backoff or Retry-After)
    delay: float = 2.0  # minimum gap between two requests to the same host
    max_bytes: int = 8 * MiB  # bytes downloaded (as sent, compressed or not)
    max_decoded_bytes: int = 16 * MiB  # bytes after Content-Encoding is undone
    max_redirects: int = 10
    contact: str | None = None  # URL or e-mail added to the User-Agent
    chromium: str | None = None  # browser for executeClientScripts sources (None: $POLICYCHECK_CHROMIUM or PATH)
    render_wait: float = 30.0  # how long a browser waits for the page's scripts to fill the `select`ed parts

    def __post_init__(self) -> None:
        """Refuse a ``contact`` the User-Agent header cannot carry: a field value is visible ASCII and spaces (RFC
        9110 section 5.5; a line break would start another header). Raises :class:`PolicycheckError`."""
        if self.contact is not None and not all(" " <= c <= "~" for c in self.contact):
            raise PolicycheckError("--contact", "not printable ASCII: an HTTP header carries only ASCII letters, "
                                                "digits, punctuation and spaces (write a URL or e-mail address, "
                                                "international parts percent- or punycode-encoded)")
