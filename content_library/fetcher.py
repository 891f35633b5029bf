"""Fetching a page or feed someone typed (link previews, feed imports).

Everything that matters for safety (parse once, resolve and check every address,
connect to the checked address, re-check each redirect, time and size limits) is
the core's outbound gate, `advocacy.outbound`; this module only asks it for a GET
that follows redirects and turns an error status into a FetchError.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy import outbound
from advocacy.outbound import MAX_BYTES, TIMEOUT_SECONDS, TooLarge
from advocacy.outbound import OutboundError as FetchError
from advocacy.outbound import Refused as BlockedAddress
from advocacy.outbound import Response as FetchResult
from advocacy.outbound import Timeout as FetchTimeout

__all__ = ["BlockedAddress", "FetchError", "FetchResult", "FetchTimeout", "TooLarge", "fetch"]

USER_AGENT = "ChorusLinkPreview/1.0 (+https://chorus.example/bot)"


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
) -> FetchResult:
    result = outbound.request(
        "GET",
        url,
        headers={"User-Agent": USER_AGENT, "Accept": accept},
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=outbound.MAX_REDIRECTS,
    )
    if result.status_code >= 400:
        raise FetchError(
            _("The site answered with an error (%(status)s).") % {"status": result.status_code}
        )
    return result
