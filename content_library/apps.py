from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem, OnboardingStep
from advocacy.tenancy.permissions import CURATORS, EVERYONE


class ContentLibraryConfig(AppConfig):
    name = "content_library"
    verbose_name = _("Content library")
    nav_label = _("Library")
    navigation = [
        NavItem(
            "content_library:library",
            _("Content library"),
            "collection",
            CURATORS,
            order=20,
            landing_for=frozenset({"curator"}),
        ),
        NavItem("content_library:suggest", _("Suggest content"), "lightbulb", EVERYONE, order=60),
        NavItem("content_library:training", _("Training"), "mortarboard", EVERYONE, order=70),
        NavItem("content_library:guidelines", _("Guidelines"), "journal-check", EVERYONE, order=80),
    ]
    onboarding_steps = [
        OnboardingStep("add_content", _("Add approved content to the library"), order=20)
    ]

    @property
    def home_figures(self):
        from advocacy.tenancy.navigation import HomeFigure

        return [
            HomeFigure(
                "awaiting_approval",
                _("Waiting for approval"),
                "content_library.home:awaiting_approval",
                url_name="content_library:review",
                icon="hourglass-split",
                order=40,
                attention=True,
                next_step=_("Review the content waiting for approval."),
            ),
        ]

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        from celery.schedules import crontab

        return {
            "content-library-poll-feeds": {
                "task": "content_library.tasks.feeds_poll_due",
                "schedule": crontab(minute="*/10"),
            },
            "content-library-expire-items": {
                "task": "content_library.tasks.content_expire_due",
                "schedule": crontab(minute="*/5"),
            },
        }
