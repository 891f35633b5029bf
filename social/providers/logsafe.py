"""Keep OAuth secrets out of logs.

oauthlib and requests_oauthlib log whole token requests and responses at
DEBUG ("Obtained token {...}", "Request body was code=..."), and urllib3 logs
every URL with its query string. Settings set the ``oauthlib`` and
``requests_oauthlib`` loggers to INFO; these filters are the second lock, so
turning DEBUG on while chasing a bug still never writes a token down.
"""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(
    r"(?i)\b(access_token|refresh_token|id_token|code|code_verifier|client_secret|fb_exchange_token|"
    r"password|accessJwt|refreshJwt)(=|\"?\s*:\s*\"?|'\s*:\s*')([^&\s\"',}]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    text = _SECRET_PARAMS.sub(lambda m: f"{m[1]}{m[2]}[redacted]", text)
    return _BEARER.sub(lambda m: f"{m[1]} [redacted]", text)


class DropOAuthDebug(logging.Filter):
    """oauthlib's DEBUG lines are mostly token dumps: drop them whole."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not ours
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_installed: set[str] = set()


def install() -> None:
    """Attach the filters to every oauthlib/requests_oauthlib logger that
    exists (filters on a parent logger do not see its children's records)."""
    import oauthlib  # noqa: F401  (imports create the loggers we protect)
    import requests_oauthlib  # noqa: F401

    names = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in ("oauthlib", "requests_oauthlib")
    ]
    for name in [*names, "oauthlib", "requests_oauthlib"]:
        if name not in _installed:
            logging.getLogger(name).addFilter(DropOAuthDebug())
            logging.getLogger(name).addFilter(RedactSecrets())
            _installed.add(name)
    for name in ("urllib3.connectionpool", "requests"):
        if name not in _installed:
            logging.getLogger(name).addFilter(RedactSecrets())
            _installed.add(name)
