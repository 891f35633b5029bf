from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import EVERYONE, MANAGERS

# Click to dashboard within a minute: the flusher runs every few seconds, and a run
# that finds another still at work returns at once.
FLUSH_EVERY_SECONDS = 3.0
POLL_EVERY_SECONDS = 30.0
DASHBOARD_ROLES = MANAGERS | {"curator"}


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")
    nav_label = _("Analytics")
    # Anonymous cross-organization percentiles: no organization column by design.
    global_models = ("analytics.platformbenchmark",)
    # Indexes that deliberately do not start with organization, and why.
    global_lookup_indexes = {
        "pollschedule_due_any_org": "the poll scheduler takes due rows of every organization at once (system context)",
        "webhookdelivery_due_any_org": "the webhook retry sweep finds due deliveries of every organization at once",
        "analyticssettings_public_key": "GET /t/<public key>.js and the pixel name the organization by its public key",
        "conversionkey_prefix": "POST /api/v1/conversions finds the organization from its key",
    }
    navigation = [
        NavItem("analytics:overview", _("Analytics"), "graph-up", DASHBOARD_ROLES, order=60),
        NavItem(
            "analytics:me",
            _("My results"),
            "person-lines-fill",
            EVERYONE - DASHBOARD_ROLES,
            order=61,
        ),
    ]

    @property
    def home_figures(self):
        from advocacy.tenancy.navigation import HomeFigure

        return [
            HomeFigure(
                "clicks_week",
                _("Clicks this week"),
                "analytics.home:clicks_this_week",
                url_name="analytics:overview",
                icon="cursor",
                order=20,
            ),
        ]

    @property
    def item_figures(self):
        """Each item's performance on the library list (the content page's figures)."""
        from advocacy.tenancy.item_figures import ItemFigures
        from analytics.forms import DEFAULT_DAYS

        return [
            ItemFigures(
                "content",
                "analytics.library:content_figures",
                columns=(
                    ("shares", _("Shares")),
                    ("clicks", _("Human clicks")),
                    ("impressions", _("Impressions")),
                ),
                icons=("share", "cursor", "eye"),
                period_days=DEFAULT_DAYS,
                url_name="analytics:content",
            ),
        ]

    def ready(self) -> None:

        from advocacy import events
        from analytics import handlers
        from analytics.clicks import linkcache

        events.subscribe(events.TrackedLinkChanged)(linkcache.on_link_changed)
        events.subscribe(events.SharePublished)(handlers.on_share_published)
        events.subscribe(events.ShareDeleted)(handlers.on_share_deleted)
        events.subscribe(events.ConversionRecorded)(handlers.on_conversion_recorded)
        events.subscribe(events.SocialConnectionNeedsReconnect)(
            handlers.on_connection_needs_reconnect
        )

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        from celery.schedules import crontab

        return {
            "analytics-flush-clicks": {
                "task": "analytics.flush_clicks",
                "schedule": FLUSH_EVERY_SECONDS,
                # A queue of runs piled up while workers were away is worth nothing.
                "options": {"queue": "clicks", "expires": 30},
            },
            "analytics-poll-due": {
                "task": "analytics.poll_due",
                "schedule": POLL_EVERY_SECONDS,
                "options": {"expires": POLL_EVERY_SECONDS},
            },
            "analytics-webhook-retries": {
                "task": "analytics.webhook_retries",
                "schedule": 60.0,
                "options": {"expires": 60},
            },
            "analytics-weekly-summaries": {
                "task": "analytics.weekly_summaries",
                "schedule": crontab(minute=5),
                "options": {"expires": 1800},
            },
            "analytics-platform-benchmarks": {
                "task": "analytics.platform_benchmarks",
                "schedule": crontab(hour=2, minute=30),
                "options": {"expires": 3600},
            },
            "analytics-retention-purge": {
                "task": "analytics.retention_purge",
                "schedule": crontab(hour=3, minute=15),
                "options": {"expires": 3600},
            },
        }
