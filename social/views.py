"""Pages: an employee's connections, connecting and disconnecting, the
OAuth callback, and the admins' health screen."""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.permissions import ADMINS, EVERYONE
from advocacy.tenancy.views import OrgView
from social import conf, selectors, services
from social.forms import BlueskyConnectForm, MastodonConnectForm
from social.messages import explain
from social.models import (
    ConnectAttempt,
    Connection,
    ConnectionEvent,
    MastodonInstanceApp,
    Network,
)
from social.providers.base import ProviderError
from social.services.connections import INSTANCE_ERRORS

log = logging.getLogger(__name__)

SESSION_KEY = "social_oauth"
MAX_PENDING = 5  # connection attempts kept per browser session

ICONS = {
    "linkedin": "linkedin",
    "x": "twitter-x",
    "facebook": "facebook",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
}


def _connections_url(organization: Organization) -> str:
    return reverse("social:connections", kwargs={"org_slug": organization.slug})


def _return_to(request: HttpRequest, organization: Organization) -> str:
    """Where to come back after connecting: a page of the same organization on this
    site named by the form's `next` (the composer), else the connections page."""
    next_url = request.POST.get("next", "")
    if (
        next_url.startswith(f"/o/{organization.slug}/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
        and len(next_url) <= 500
    ):
        return next_url
    return _connections_url(organization)


def _callback_uri(request: HttpRequest, network: str) -> str:
    # One fixed URL per network for every organization: the networks only
    # accept redirect URIs registered in advance.
    return request.build_absolute_uri(reverse("social_callback", kwargs={"network": network}))


def _connections_page(view: OrgView, request, *, mastodon_form=None, bluesky_form=None):
    connections = list(
        selectors.connection_list(organization=view.organization, membership=view.membership)
    )
    by_network: dict[str, Connection] = {}
    for connection in connections:
        by_network.setdefault(connection.network, connection)
    networks = [
        {
            "key": key,
            "label": label,
            "icon": ICONS[key],
            "connection": by_network.get(key),
            "redirect": conf.uses_oauth_redirect(key),
        }
        for key, label in Network.choices
        # production offers only networks with credentials (existing connections stay
        # listed so they can be disconnected)
        if conf.is_enabled(key) or key in by_network
    ]
    return render(
        request,
        "social/connections.html",
        {
            "networks": networks,
            "broken": [c for c in connections if c.status == Connection.Status.REAUTH_REQUIRED],
            "expiring": [c for c in connections if c.status == Connection.Status.EXPIRING],
            "mastodon_form": mastodon_form
            or MastodonConnectForm(initial={"instance_url": conf.default_mastodon_instance()}),
            "bluesky_form": bluesky_form or BlueskyConnectForm(),
            "is_admin": view.membership.role in ADMINS,
        },
        status=400 if (mastodon_form or bluesky_form) else 200,
    )


class ConnectionsView(OrgView):
    allowed_roles = EVERYONE

    def get(self, request):
        return _connections_page(self, request)


class ConnectView(OrgView):
    """Start connecting one network: OAuth networks go to their consent page,
    Bluesky logs in with an app password. Nothing here calls the network: a call
    to an address a person chose (a new Mastodon instance, a Bluesky server) is
    queued as a connect attempt, and the browser waits on the attempt's page."""

    allowed_roles = EVERYONE

    def post(self, request, network: str):
        if network not in conf.NETWORKS:
            raise Http404
        next_url = _return_to(request, self.organization)
        if network == Network.BLUESKY:
            return self._bluesky(request, next_url)
        instance_app = None
        if network == Network.MASTODON:
            form = MastodonConnectForm(request.POST)
            if not form.is_valid():
                return _connections_page(self, request, mastodon_form=form)
            redirect_uri = _callback_uri(request, network)
            try:
                instance_url = services.mastodon_instance_parse(
                    instance_url=form.cleaned_data["instance_url"]
                )
            except ValidationError as err:
                for message in err.message_dict.get("instance_url", err.messages):
                    form.add_error("instance_url", message)
                return _connections_page(self, request, mastodon_form=form)
            instance_app = services.mastodon_app_known(
                instance_url=instance_url, redirect_uri=redirect_uri
            )
            if instance_app is None:  # a new instance: Chorus registers there first
                attempt = services.connect_attempt_register(
                    organization=self.organization,
                    membership=self.membership,
                    instance_url=instance_url,
                    redirect_uri=redirect_uri,
                    next_url=next_url,
                )
                return redirect(_attempt_url(self.organization, attempt))
        return _to_consent(
            request,
            organization=self.organization,
            membership=self.membership,
            network=network,
            instance_app=instance_app,
            next_url=next_url,
        )

    def _bluesky(self, request, next_url: str):
        form = BlueskyConnectForm(request.POST)
        if not form.is_valid():
            return _connections_page(self, request, bluesky_form=form)
        attempt = services.connect_attempt_login(
            organization=self.organization,
            membership=self.membership,
            handle=form.cleaned_data["handle"],
            app_password=form.cleaned_data["app_password"],
            next_url=next_url,
        )
        return redirect(_attempt_url(self.organization, attempt))


def _to_consent(
    request: HttpRequest,
    *,
    organization: Organization,
    membership: Membership,
    network: str,
    instance_app: MastodonInstanceApp | None,
    next_url: str,
) -> HttpResponse:
    """On to the network's consent page (building its URL calls nothing)."""
    try:
        url, pending = services.connection_auth_start(
            organization=organization,
            membership=membership,
            network=network,
            redirect_uri=_callback_uri(request, network),
            instance_app=instance_app,
        )
    except ProviderError as err:
        services.connection_event_record(
            organization=organization,
            membership=membership,
            network=network,
            kind=ConnectionEvent.Kind.ERROR,
            message=_("Connecting failed: %(reason)s") % {"reason": err.message},
        )
        messages.error(request, explain(err, Network(network).label))
        return redirect(next_url or _connections_url(organization))
    pending["next"] = next_url
    _remember(request, pending)
    return redirect(url)


def _attempt_url(organization: Organization, attempt: ConnectAttempt) -> str:
    return reverse("social:attempt", kwargs={"org_slug": organization.slug, "pk": attempt.pk})


def _attempt_failure(attempt: ConnectAttempt) -> str:
    """What went wrong, in words: never the address's own answer, nor whether
    something listens there."""
    label = Network(attempt.network).label
    if attempt.error_kind == "expired" or services.connect_attempt_is_stale(attempt):
        return _(
            "Connecting to %(network)s took too long. Nothing was connected; please try again."
        ) % {"network": label}
    if attempt.error_kind == "instance":
        words = INSTANCE_ERRORS.get(attempt.error_code, INSTANCE_ERRORS["invalid"])()
        return _("Mastodon could not be connected: %(reason)s") % {"reason": words}
    if attempt.error_code == "not_public":
        return _(
            "Your %(network)s account lives on a server that is not a public address, so "
            "Chorus cannot connect to it."
        ) % {"network": label}
    err = services.connect_attempt_error(attempt)
    return explain(err or ProviderError(attempt.error_message), label)


class AttemptView(OrgView):
    """The waiting step: a small page while a task makes the call, then on to
    the consent page (a new Mastodon instance) or back where the person came from."""

    allowed_roles = EVERYONE

    def get(self, request, pk: int):
        # Only one's own attempts: someone else's reads as missing.
        attempt = self.get_org_object(ConnectAttempt, pk=pk, membership=self.membership)
        back = attempt.next_url or _connections_url(self.organization)
        status = attempt.status
        if status == ConnectAttempt.Status.PENDING and services.connect_attempt_is_stale(attempt):
            status = ConnectAttempt.Status.FAILED
        if status == ConnectAttempt.Status.FAILED:
            messages.error(request, _attempt_failure(attempt))
            return redirect(back)
        if status == ConnectAttempt.Status.DONE:
            if attempt.step == ConnectAttempt.Step.REGISTER:
                return _to_consent(
                    request,
                    organization=self.organization,
                    membership=self.membership,
                    network=attempt.network,
                    instance_app=attempt.instance_app,
                    next_url=back,
                )
            if attempt.step != ConnectAttempt.Step.REVOKE and attempt.connection is not None:
                messages.success(request, _connected_message(attempt.connection))
            return redirect(back)
        return render(
            request,
            "social/attempt.html",
            {
                "attempt": attempt,
                "network_label": Network(attempt.network).label,
                "status_url": reverse(
                    "social:attempt_status",
                    kwargs={"org_slug": self.organization.slug, "pk": attempt.pk},
                ),
                "back": back,
            },
        )


class AttemptStatusView(OrgView):
    """What the waiting page asks: pending, done or failed (nothing else)."""

    allowed_roles = EVERYONE

    def get(self, request, pk: int):
        attempt = self.get_org_object(ConnectAttempt, pk=pk, membership=self.membership)
        status = attempt.status
        if status == ConnectAttempt.Status.PENDING and services.connect_attempt_is_stale(attempt):
            status = ConnectAttempt.Status.FAILED
        response = JsonResponse({"status": status})
        response["Cache-Control"] = "no-store"
        return response


class DisconnectView(OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk: int):
        # Only one's own accounts: someone else's reads as missing.
        connection = self.get_org_object(Connection, pk=pk, membership=self.membership)
        services.connection_disconnect(
            organization=self.organization,
            connection=connection,
            actor=self.membership,
            revoke_in_task=True,
        )
        messages.success(
            request,
            _("Your %(network)s account is disconnected. Chorus no longer has access to it.")
            % {"network": connection.get_network_display()},
        )
        return redirect(_connections_url(self.organization))


class HealthView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        return render(
            request,
            "social/health.html",
            {
                "health": selectors.connection_health(
                    organization=self.organization, no_team_label=_("No team")
                ),
                "broken": selectors.broken_connection_list(organization=self.organization)[:100],
                "errors": selectors.connection_error_list(organization=self.organization),
                "to_check": selectors.publications_to_check(organization=self.organization)[:50],
            },
        )


def _connected_message(connection: Connection) -> str:
    return _("Your %(network)s account %(handle)s is connected.") % {
        "network": connection.get_network_display(),
        # LinkedIn's handle is an opaque member id unless the e-mail scope was granted.
        "handle": connection.display_name or connection.handle,
    }


def _remember(request: HttpRequest, pending: dict) -> None:
    pendings = dict(request.session.get(SESSION_KEY) or {})
    pendings[pending["state"]] = pending
    newest = sorted(pendings.values(), key=lambda p: p["started"])[-MAX_PENDING:]
    request.session[SESSION_KEY] = {p["state"]: p for p in newest}


def _take(request: HttpRequest, state: str) -> tuple[dict | None, list[dict]]:
    """The attempt this state belongs to (single use), and the others still open."""
    pendings = dict(request.session.get(SESSION_KEY) or {})
    pending = pendings.pop(state, None) if state else None
    request.session[SESSION_KEY] = pendings
    fresh = [
        p for p in pendings.values() if time.time() - p["started"] < services.AUTH_STATE_MAX_AGE
    ]
    if pending and time.time() - pending["started"] >= services.AUTH_STATE_MAX_AGE:
        return None, fresh
    return pending, fresh


@require_GET
@login_required
def oauth_callback(request: HttpRequest, network: str) -> HttpResponse:
    """Where every organization's consent pages send the employee back."""
    if network not in conf.NETWORKS:
        raise Http404
    label = Network(network).label
    pending, others = _take(request, request.GET.get("state", ""))
    if pending is None or pending["network"] != network:
        # Tampered, replayed, expired or started elsewhere: store nothing.
        context = others[-1] if others else None
        membership = _membership(request, context) if context else None
        if membership is not None:
            with org_context(membership.organization):
                services.connection_event_record(
                    organization=membership.organization,
                    membership=membership,
                    network=network,
                    kind=ConnectionEvent.Kind.ERROR,
                    message="OAuth callback with an unknown or expired state; nothing stored",
                )
        messages.error(
            request,
            _(
                "We could not verify this %(network)s connection (the link was changed, already "
                "used or too old). Nothing was connected; please start again."
            )
            % {"network": label},
        )
        return redirect(_connections_url(membership.organization) if membership else "home")
    membership = _membership(request, pending)
    if membership is None:
        raise Http404
    organization = membership.organization
    back = redirect(pending.get("next") or _connections_url(organization))
    with org_context(organization):
        error = request.GET.get("error")
        if error or not request.GET.get("code"):
            services.connection_event_record(
                organization=organization,
                membership=membership,
                network=network,
                kind=ConnectionEvent.Kind.ERROR,
                message=f"consent not given: {error or 'no code'}",
            )
            if error == "access_denied":
                messages.warning(
                    request,
                    _(
                        "You did not allow Chorus to use your %(network)s account, so nothing was connected."
                    )
                    % {"network": label},
                )
            else:
                messages.error(
                    request,
                    _(
                        "%(network)s did not complete the connection. Nothing was connected; please try again."
                    )
                    % {"network": label},
                )
            return back
        # The exchange calls the network (for Mastodon, a server a person chose): a
        # task makes it while the browser waits on the attempt's page.
        attempt = services.connect_attempt_finish(
            organization=organization,
            membership=membership,
            pending=pending,
            code=request.GET["code"],
        )
    return redirect(_attempt_url(organization, attempt))


def _membership(request: HttpRequest, pending: dict) -> Membership | None:
    """The membership the attempt was started for, if it is still this person's."""
    return (
        Membership.objects.select_related("organization")
        .filter(
            pk=pending.get("membership_id"),
            organization_id=pending.get("organization_id"),
            user=request.user,
            is_active=True,
            organization__is_active=True,
        )
        .first()
    )
