from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.navigation import NavItem
from advocacy.tenancy.permissions import EVERYONE, MANAGERS


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Pulse surveys")
    nav_label = _("Listening")
    navigation = [
        NavItem("surveys:inbox", _("Surveys"), "chat-heart", EVERYONE, order=60),
        NavItem("surveys:manage", _("Listening"), "clipboard-data", MANAGERS, order=61),
        NavItem("surveys:one_on_ones", _("1:1s"), "people", EVERYONE, order=62),
    ]
    # The in-app pulse prompt, shown on every page of the organization (templates/base.html).
    page_prompts = ["surveys:prompt"]

    @property
    def home_figures(self):
        from advocacy.tenancy.navigation import HomeFigure

        return [
            HomeFigure(
                "surveys_open",
                _("Surveys open now"),
                "surveys.home:surveys_open",
                url_name="surveys:manage",
                icon="chat-heart",
                order=60,
            ),
        ]

    def periodic_jobs(self) -> dict:
        """Celery beat entries of this app; the Celery wiring collects them."""
        from .tasks import TICK_SECONDS

        return {"surveys-tick": {"task": "surveys.tick", "schedule": TICK_SECONDS}}

    def ready(self) -> None:
        from . import handlers  # noqa: F401  (registers the event subscriptions)
