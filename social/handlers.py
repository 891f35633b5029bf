"""Reactions to other apps' events; registered when SocialConfig.ready() imports this module."""

from __future__ import annotations

from advocacy import events

from . import tasks

# A person deleted their account: revoke and forget their connections (network calls: a task).
events.forward(events.AccountErased, tasks.erase_member_connections)
