"""Writes of campaigns and sharing, one module per concern, all reachable from here."""

from .announcements import campaign_announce
from .campaigns import (
    campaign_create,
    campaign_delete,
    campaign_end,
    campaign_launch,
    campaign_settings_update,
    campaign_statuses_advance,
    campaign_update,
)
from .publishing import share_confirm_posted
from .shares import (
    share_cancel,
    share_compose,
    share_record_by_hand,
    share_retry,
    sharing_rules_check,
)

__all__ = [
    "campaign_announce",
    "campaign_create",
    "campaign_delete",
    "campaign_end",
    "campaign_launch",
    "campaign_settings_update",
    "campaign_statuses_advance",
    "campaign_update",
    "share_cancel",
    "share_compose",
    "share_confirm_posted",
    "share_record_by_hand",
    "share_retry",
    "sharing_rules_check",
]
