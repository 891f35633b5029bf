"""The read-only recognition feed for an intranet: an embeddable HTML widget, RSS and JSON.

Reached by an organization-specific secret token instead of a sign-in. The token is looked
up in the audited system context (it is the one thing that names the organization); the
rest runs in that organization's context. People who opted out of public boards are left out.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from advocacy.tenancy.context import org_context, system_context

from . import selectors
from .models import RecognitionSettings
from .names import public_name

FEED_SIZE = 30


def _resolve(token: str):
    if len(token) < 20:
        raise Http404
    with system_context("recognition: public feed by token"):
        settings = (
            RecognitionSettings.objects.filter(feed_token=token, organization__is_active=True)
            .select_related("organization")
            .first()
        )
    if settings is None:
        raise Http404
    return settings.organization


def _items(organization) -> list:
    return list(selectors.feed_list(organization=organization, public=True)[:FEED_SIZE])


def _title(item) -> str:
    return _("%(sender)s → %(recipient)s") % {
        "sender": public_name(item.sender),
        "recipient": public_name(item.recipient),
    }


@require_GET
@xframe_options_exempt
@cache_control(max_age=300, public=True)
def feed_widget(request, token: str):
    organization = _resolve(token)
    with org_context(organization), translation.override(organization.default_language):
        response = render(
            request,
            "recognition/embed.html",
            {"organization": organization, "items": _items(organization)},
        )
    # An intranet page may frame this, nothing else about it is interactive.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


@require_GET
@cache_control(max_age=300, public=True)
def feed_rss(request, token: str):
    organization = _resolve(token)
    with org_context(organization), translation.override(organization.default_language):
        link = request.build_absolute_uri(
            reverse("recognition_public:widget", kwargs={"token": token})
        )
        feed = feedgenerator.Rss201rev2Feed(
            title=_("%(organization)s recognition") % {"organization": organization.name},
            link=link,
            description=_("Shout-outs, thanks and awards of our advocacy program."),
            language=organization.default_language,
        )
        for item in _items(organization):
            feed.add_item(
                title=_title(item),
                link=f"{link}#item-{item.pk}",
                description=item.message,
                pubdate=item.created_at,
                unique_id=f"{link}#item-{item.pk}",
            )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8"
    )


@require_GET
@cache_control(max_age=300, public=True)
def feed_json(request, token: str):
    organization = _resolve(token)
    with org_context(organization):
        items = [
            {
                "id": item.pk,
                "kind": item.kind,
                "from": public_name(item.sender),
                "to": public_name(item.recipient),
                "value": item.value.name if item.value else None,
                "message": item.message,
                "created_at": item.created_at.isoformat(),
            }
            for item in _items(organization)
        ]
    return JsonResponse({"organization": organization.name, "items": items})
