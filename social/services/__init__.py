"""Writes of the social app: connections, tokens, publishing and metrics.

Other apps import from here: `publication_create`, `publication_execute`,
`publication_reconcile`, `metrics_fetch`, `connection_token`, `with_token`."""

from .attempts import (
    connect_attempt_error,
    connect_attempt_finish,
    connect_attempt_is_stale,
    connect_attempt_login,
    connect_attempt_register,
    connect_attempt_run,
)
from .connections import (
    AUTH_STATE_MAX_AGE,
    connection_auth_finish,
    connection_auth_start,
    connection_connect_bluesky,
    connection_disconnect,
    connection_event_record,
    connection_expiry_warn,
    connection_mark_reauth,
    connection_save,
    mastodon_app_for,
    mastodon_app_known,
    mastodon_instance_clean,
    mastodon_instance_parse,
)
from .metrics import app_reads_refused, metrics_fetch
from .publishing import (
    publication_create,
    publication_execute,
    publication_reconcile,
    publication_resolve,
)
from .tokens import connection_provider, connection_token, with_token

__all__ = [
    "AUTH_STATE_MAX_AGE",
    "app_reads_refused",
    "connect_attempt_error",
    "connect_attempt_finish",
    "connect_attempt_is_stale",
    "connect_attempt_login",
    "connect_attempt_register",
    "connect_attempt_run",
    "connection_auth_finish",
    "connection_auth_start",
    "connection_connect_bluesky",
    "connection_disconnect",
    "connection_event_record",
    "connection_expiry_warn",
    "connection_mark_reauth",
    "connection_provider",
    "connection_save",
    "connection_token",
    "mastodon_app_for",
    "mastodon_app_known",
    "mastodon_instance_clean",
    "mastodon_instance_parse",
    "metrics_fetch",
    "publication_create",
    "publication_execute",
    "publication_reconcile",
    "publication_resolve",
    "with_token",
]
