"""Pages of campaigns and sharing: the employee feed, the share composer, my shares,
and the admins' campaigns, failed shares and settings. Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from advocacy.ids import as_id
from advocacy.tenancy.permissions import ADMINS, CURATORS
from advocacy.tenancy.views import OrgView
from content_library.networks import NETWORK_LIMITS
from content_library.selectors import caption_variants, guidelines_acknowledged

from . import composer_flow, services
from .disclosure import disclosure_for, share_text
from .forms import CampaignForm, CampaignSettingsForm, ComposerForm
from .intents import DEVICE_CHANNELS, INTENT_CHANNELS, LINK_AS_CARD, intent_url, post_text
from .links import short_base_url, with_tracked_link
from .models import Campaign, Share
from .selectors import (
    campaign_items,
    campaign_list,
    campaign_results,
    campaign_settings_get,
    campaigns_for_member,
    employee_feed,
    failed_share_list,
    share_list,
    shareable_content_get,
    shares_waiting_for_check,
)
from .services.reposts import failed_repost_list
from .services.shares import counted_length

IN_FLIGHT = {Share.Status.PENDING, Share.Status.PUBLISHING, Share.Status.UNKNOWN}
# A placeholder as long as a real short link, for counting before the link exists.
PLACEHOLDER_CODE = "x" * 11


class IntentRedirect(HttpResponseRedirect):
    """A redirect to a network's share page, or to the mail app."""

    allowed_schemes = ["https", "mailto"]


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def guidelines_url(organization) -> str | None:
    """The content library's guidelines page, where it exists."""
    for name in ("content_library:guidelines", "content_library:guidelines_current"):
        try:
            return reverse(name, kwargs={"org_slug": organization.slug})
        except NoReverseMatch:
            continue
    return None


def _usable_connections(organization, membership) -> list:
    from social.selectors import connection_list

    from .services.shares import USABLE_CONNECTION

    return [
        c
        for c in connection_list(organization=organization, membership=membership)
        if c.status in USABLE_CONNECTION
    ]


# --- the employee side ------------------------------------------------------------------


class FeedView(OrgView):
    def get(self, request):
        try:
            page_number = int(request.GET.get("page", "1"))
        except ValueError:
            page_number = 1
        campaigns = campaigns_for_member(organization=self.organization, membership=self.membership)
        page = employee_feed(
            organization=self.organization,
            membership=self.membership,
            page=page_number,
            campaigns=campaigns,
        )
        context = {
            "page": page,
            "campaigns": campaigns,
            "guidelines_url": guidelines_url(self.organization),
            "needs_guidelines": not guidelines_acknowledged(
                organization=self.organization, membership=self.membership
            ),
            # Someone who has shared before is asked about a new version, not a first share.
            # A callable: the template asks only when the guidelines banner shows.
            "has_shared": share_list(
                organization=self.organization, membership=self.membership
            ).exists,
        }
        if request.headers.get("HX-Request") and page_number > 1:
            return render(request, "campaigns/partials/feed_cards.html", context)
        return render(request, "campaigns/feed.html", context)


class ComposerMixin:
    def content_or_404(self, content_id: int):
        content = shareable_content_get(
            organization=self.organization, membership=self.membership, pk=content_id
        )
        if content is None:
            raise Http404
        return content

    def composer_context(self, content, form, connections) -> dict:
        network = connections[0].network if connections else "linkedin"
        variants = list(
            dict.fromkeys(
                caption_variants(organization=self.organization, content=content, network=network)
            )
        )
        from social import conf as social_conf

        return {
            "content": content,
            "form": form,
            "variants": variants,
            "connections": connections,
            "intent_channels": [(c, Share.Channel(c).label) for c in INTENT_CHANNELS],
            "limits": NETWORK_LIMITS,
            # Facebook's composer gets the text through the clipboard, copied in the browser.
            "facebook_disclosure": disclosure_for(
                organization=self.organization, channel="facebook"
            ),
            # Agreed to inside the composer (shown inline; sharing records the agreement).
            "guidelines": composer_flow.guidelines_to_agree(
                organization=self.organization, membership=self.membership
            ),
            # Networks connectable in one tap from here; the draft survives the round trip.
            "connectable": [
                (key, Share.Channel(key).label)
                for key in social_conf.enabled_networks()
                if social_conf.uses_oauth_redirect(key)
            ],
        }


class ComposeView(ComposerMixin, OrgView):
    def get(self, request, content_id: int):
        content = self.content_or_404(content_id)
        connections = _usable_connections(self.organization, self.membership)
        variants = caption_variants(
            organization=self.organization,
            content=content,
            network=connections[0].network if connections else "linkedin",
        )
        draft = composer_flow.draft_get(
            request, organization=self.organization, content_id=content.pk
        )
        form = ComposerForm(
            organization=self.organization,
            connections=connections,
            initial={
                "text": draft if draft is not None else (variants[0] if variants else ""),
                "connections": [c.pk for c in connections[:1]],
            },
        )
        return render(
            request, "campaigns/compose.html", self.composer_context(content, form, connections)
        )

    def post(self, request, content_id: int):
        content = self.content_or_404(content_id)
        connections = _usable_connections(self.organization, self.membership)
        form = ComposerForm(request.POST, organization=self.organization, connections=connections)
        if form.is_valid():
            try:
                composer_flow.record_agreement(
                    request, organization=self.organization, membership=self.membership
                )
                shares = services.share_compose(
                    organization=self.organization,
                    membership=self.membership,
                    content=content,
                    text=form.cleaned_data["text"],
                    connections=form.chosen_connections(),
                    scheduled_at=form.scheduled_time(),
                    batch=form.cleaned_data["batch"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                composer_flow.draft_clear(
                    request, organization=self.organization, content_id=content.pk
                )
                networks = ", ".join(share.get_channel_display() for share in shares)
                if shares and shares[0].status == Share.Status.SCHEDULED:
                    messages.success(
                        request, _("Scheduled for %(networks)s.") % {"networks": networks}
                    )
                else:
                    messages.success(
                        request, _("Sharing on %(networks)s. Thank you!") % {"networks": networks}
                    )
                return redirect("campaigns:my_shares", org_slug=self.organization.slug)
        return render(
            request,
            "campaigns/compose.html",
            self.composer_context(content, form, connections),
            status=400,
        )


class ComposePreviewView(ComposerMixin, OrgView):
    """htmx: per-network counters, the preview and the personal-note nudge as the employee types."""

    def post(self, request, content_id: int):
        content = self.content_or_404(content_id)
        connections = _usable_connections(self.organization, self.membership)
        text = request.POST.get("text", "")[:10000]
        chosen = {pk for pk in map(as_id, request.POST.getlist("connections")) if pk}
        url = f"{short_base_url(self.organization)}/r/{PLACEHOLDER_CODE}" if content.url else ""
        networks = list(
            dict.fromkeys([c.network for c in connections if c.pk in chosen] or ["linkedin", "x"])
        )
        display_url = url.replace(PLACEHOLDER_CODE, "…")
        counters = []
        # The text as each network receives it: the organization's disclosure added where
        # required, and the content's own address typed in it turned into the tracked link.
        disclosed = {
            n: share_text(organization=self.organization, channel=n, text=text) for n in networks
        }
        texts = {
            n: with_tracked_link(disclosed[n], destination=content.url, tracked=url)
            for n in networks
        }
        added = sorted(
            {
                disclosure_for(organization=self.organization, channel=n)
                for n in networks
                if disclosed[n] != text.strip()
            }
        )
        for network in networks:
            length = counted_length(texts[network], network=network, url=url)
            limit = NETWORK_LIMITS.get(network)
            counters.append(
                {
                    "network": network,
                    "label": Share.Channel(network).label,
                    "length": length,
                    "limit": limit,
                    "over": limit is not None and length > limit,
                    "card": network in LINK_AS_CARD,
                }
            )
        shown = max(texts.values(), key=len)
        if url:
            shown = shown.replace(url, display_url)  # the code is drawn when the share is made
        variants = set()
        for network in networks:
            variants |= set(
                caption_variants(organization=self.organization, content=content, network=network)
            )
        return render(
            request,
            "campaigns/partials/preview.html",
            {
                "content": content,
                "counters": counters,
                "text": shown,
                "disclosures_added": added if text.strip() else [],
                "url": url,
                "display_url": display_url,
                "unchanged": text.strip() in {v.strip() for v in variants},
            },
        )


class ComposeConnectView(ComposerMixin, OrgView):
    """Connect a network from the composer: keep the draft in the session, then hand the
    same POST (307 keeps method and body, `next` included) to social's connect view,
    which brings the employee back to this composer."""

    def post(self, request, content_id: int, network: str):
        from social import conf as social_conf

        content = self.content_or_404(content_id)
        if not (social_conf.is_enabled(network) and social_conf.uses_oauth_redirect(network)):
            raise Http404
        composer_flow.draft_save(
            request,
            organization=self.organization,
            content_id=content.pk,
            text=request.POST.get("text", ""),
        )
        response = HttpResponseRedirect(
            reverse(
                "social:connect", kwargs={"org_slug": self.organization.slug, "network": network}
            )
        )
        response.status_code = 307
        return response


class ShareByHandView(ComposerMixin, OrgView):
    """Record a by-hand share and hand its text and tracked link over: a redirect to the
    network's share page, or JSON for the copy button and the phone's share sheet."""

    def post(self, request, content_id: int, channel: str):
        wants_json = channel in DEVICE_CHANNELS or "application/json" in request.headers.get(
            "Accept", ""
        )
        content = shareable_content_get(
            organization=self.organization, membership=self.membership, pk=content_id
        )
        try:
            if content is None:
                raise ValidationError(
                    _("This post has expired or is no longer available to share.")
                )
            composer_flow.record_agreement(
                request, organization=self.organization, membership=self.membership
            )
            share, url = services.share_record_by_hand(
                organization=self.organization,
                membership=self.membership,
                content=content,
                channel=channel,
                text=request.POST.get("text", "")[:10000],
            )
        except ValidationError as error:
            if wants_json:
                return JsonResponse({"error": " ".join(error.messages)}, status=400)
            return render(
                request, "campaigns/share_refused.html", {"errors": error.messages}, status=400
            )
        full = post_text(share.text, url)
        if wants_json:
            return JsonResponse(
                {
                    "share": share.pk,
                    "text": share.text,
                    "url": url,
                    "full_text": full,
                    "title": content.display_title,
                }
            )
        return IntentRedirect(
            intent_url(channel, text=share.text, url=url, title=content.display_title)
        )


class MySharesView(OrgView):
    def get(self, request):
        shares = share_list(organization=self.organization, membership=self.membership)
        page = Paginator(shares, 30).get_page(request.GET.get("page"))
        base = short_base_url(self.organization)
        context = {
            "page": page,
            "base": base,
            # Shares waiting for the employee's own check do not change by themselves.
            "polling": any(
                share.status in IN_FLIGHT and not share.waits_for_check
                for share in page.object_list
            ),
        }
        template = (
            "campaigns/partials/my_shares_list.html"
            if request.headers.get("HX-Request")
            else "campaigns/my_shares.html"
        )
        return render(request, template, context)


class ShareCheckView(OrgView):
    """Where the e-mail and the prompt lead: the one share, with its one-tap answer."""

    def get(self, request, pk: int):
        share = self.get_org_object(Share, pk=pk, membership=self.membership)
        page = Paginator([share], 1).get_page(1)
        context = {"page": page, "base": short_base_url(self.organization), "polling": False}
        return render(request, "campaigns/share_check.html", context)


class CheckPromptView(OrgView):
    """The in-app prompt (loaded on every page): posts only their employee can confirm."""

    def get(self, request):
        waiting = shares_waiting_for_check(
            organization=self.organization, membership=self.membership
        )
        return render(request, "campaigns/partials/check_prompt.html", {"waiting": waiting})


class ShareActionView(OrgView):
    action = ""

    def post(self, request, pk: int):
        share = self.get_org_object(Share, pk=pk, membership=self.membership)
        try:
            if self.action == "retry":
                services.share_retry(
                    organization=self.organization, share=share, actor=self.membership
                )
                messages.success(request, _("The share is being published again."))
            elif self.action in ("posted", "not_posted"):
                posted = self.action == "posted"
                services.share_confirm_posted(
                    organization=self.organization, share=share, posted=posted
                )
                messages.success(
                    request,
                    _("Thank you. The share is marked as published.")
                    if posted
                    else _("Thank you. We are sending it again now."),
                )
            else:
                services.share_cancel(
                    organization=self.organization, share=share, actor=self.membership
                )
                messages.success(request, _("The scheduled post is cancelled."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("campaigns:my_shares", org_slug=self.organization.slug)


# --- campaigns ----------------------------------------------------------------------------


class CampaignListView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        status = request.GET.get("status", "")
        if status not in Campaign.Status.values:
            status = ""
        return render(
            request,
            "campaigns/campaign_list.html",
            {
                "campaigns": campaign_list(organization=self.organization, status=status),
                "status": status,
                "statuses": Campaign.Status.choices,
            },
        )


class CampaignFormView(OrgView):
    allowed_roles = CURATORS

    def _campaign(self, pk):
        return self.get_org_object(Campaign, pk=pk) if pk else None

    def get(self, request, pk: int | None = None):
        campaign = self._campaign(pk)
        form = CampaignForm(instance=campaign, organization=self.organization)
        return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk: int | None = None):
        campaign = self._campaign(pk)
        form = CampaignForm(request.POST, instance=campaign, organization=self.organization)
        if form.is_valid():
            try:
                if campaign is None:
                    campaign = services.campaign_create(
                        organization=self.organization,
                        created_by=self.membership,
                        **form.service_kwargs(),
                    )
                else:
                    services.campaign_update(
                        organization=self.organization, campaign=campaign, **form.service_kwargs()
                    )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect(
                    "campaigns:campaign_detail", org_slug=self.organization.slug, pk=campaign.pk
                )
        return render(
            request,
            "campaigns/campaign_form.html",
            {"form": form, "campaign": campaign},
            status=400,
        )


class CampaignDetailView(OrgView):
    def get(self, request, pk: int):
        campaign = self.get_org_object(Campaign, pk=pk)
        is_curator = self.membership.role in CURATORS
        if not is_curator and campaign.pk not in {
            c.pk
            for c in campaigns_for_member(
                organization=self.organization,
                membership=self.membership,
                statuses=[Campaign.Status.ACTIVE, Campaign.Status.ENDED],
            )
        }:
            raise Http404
        return render(
            request,
            "campaigns/campaign_detail.html",
            {
                "campaign": campaign,
                "items": campaign_items(organization=self.organization, campaign=campaign),
                "results": campaign_results(organization=self.organization, campaign=campaign),
                "is_curator": is_curator,
            },
        )


class CampaignActionView(OrgView):
    allowed_roles = CURATORS
    action = ""

    def post(self, request, pk: int):
        campaign = self.get_org_object(Campaign, pk=pk)
        try:
            if self.action == "launch":
                campaign = services.campaign_launch(
                    organization=self.organization, campaign=campaign
                )
                if campaign.status == Campaign.Status.ACTIVE:
                    messages.success(
                        request, _("The campaign is live and its audience is being told.")
                    )
                else:
                    messages.success(
                        request, _("The campaign is scheduled and will start on its start date.")
                    )
            else:
                services.campaign_end(organization=self.organization, campaign=campaign)
                messages.success(request, _("The campaign has ended."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(
            "campaigns:campaign_detail", org_slug=self.organization.slug, pk=campaign.pk
        )


# --- admins ---------------------------------------------------------------------------------


class FailedSharesView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        page = Paginator(failed_share_list(organization=self.organization), 50).get_page(
            request.GET.get("page")
        )
        reposts = failed_repost_list(organization=self.organization)[:50]
        return render(
            request, "campaigns/failed_shares.html", {"page": page, "failed_reposts": reposts}
        )


class SettingsView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        form = CampaignSettingsForm(instance=campaign_settings_get(organization=self.organization))
        return render(request, "campaigns/settings.html", {"form": form})

    def post(self, request):
        form = CampaignSettingsForm(
            request.POST, instance=campaign_settings_get(organization=self.organization)
        )
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.campaign_settings_update(organization=self.organization, **fields)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Sharing settings saved."))
                return redirect("campaigns:settings", org_slug=self.organization.slug)
        return render(request, "campaigns/settings.html", {"form": form}, status=400)
