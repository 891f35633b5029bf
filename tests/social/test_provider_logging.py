"""Tokens never reach the logs, even with every logger at DEBUG."""

from __future__ import annotations

import logging

import pytest

from social.providers.logsafe import redact

from .conftest import connect


@pytest.mark.parametrize("key", ["x", "linkedin", "facebook", "mastodon", "bluesky"])
def test_no_token_text_in_debug_logs(sandbox, key, caplog):
    caplog.set_level(logging.DEBUG)  # root and everything below it
    for name in ("oauthlib", "requests_oauthlib", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        provider, token, _ = connect(sandbox, key)
        secrets = [token.access_token]
        if token.refresh_token:
            refreshed = provider.refresh(token)
            secrets += [token.refresh_token, refreshed.access_token, refreshed.refresh_token or ""]
    finally:
        for name in ("oauthlib", "requests_oauthlib", "urllib3"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert caplog.records, "expected some DEBUG logging to have been captured"
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in filter(None, secrets):
        assert secret not in text
    assert "chorus-" + key + "-secret" not in text  # nor the client secret


def test_redact_masks_common_shapes():
    line = 'POST /token code=abc123&client_secret=s3cr3t {"access_token": "t0k3n", "refreshJwt": "jwt"} Bearer xyz.abc'
    clean = redact(line)
    for secret in ("abc123", "s3cr3t", "t0k3n", "jwt", "xyz.abc"):
        assert secret not in clean
