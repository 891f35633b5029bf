"""Recognition pages for everyone: the feed, profiles, leaderboards, rewards, awards, summaries,
and the leaders' thank-you page. Thin: forms in, services called, selectors out."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.ids import as_id
from advocacy.tenancy.models import Membership
from advocacy.tenancy.permissions import ADMINS
from advocacy.tenancy.views import OrgView

from . import selectors, services
from .forms import (
    AwardProgramForm,
    CloseRoundForm,
    CommentForm,
    NominationForm,
    PeriodForm,
    PreferenceForm,
    ShoutOutForm,
    ThanksForm,
    ThankYouForm,
)
from .models import (
    AwardProgram,
    AwardRound,
    Reaction,
    Redemption,
    RepostRequest,
    Reward,
    ShoutOut,
    ThankYouNote,
)
from .periods import PERIODS, local_today, moment_range, month_start, period_dates


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form, next to the field it is about when there is one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def refuse(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class RecognitionView(OrgView):
    def url(self, name: str, **kwargs) -> str:
        return reverse(f"recognition:{name}", kwargs={"org_slug": self.organization.slug, **kwargs})


def decorate_feed(items, membership) -> None:
    """Reaction counts and 'did I react' from the prefetched rows, without a query per item."""
    for item in items:
        counts = {emoji: 0 for emoji in Reaction.Emoji.values}
        mine = set()
        for reaction in item.reactions.all():
            counts[reaction.emoji] += 1
            if reaction.membership_id == membership.pk:
                mine.add(reaction.emoji)
        item.reaction_list = [
            {"emoji": emoji, "symbol": label, "count": counts[emoji], "mine": emoji in mine}
            for emoji, label in Reaction.Emoji.choices
        ]
        # A consented repost's outcome is news for everyone; why it failed only concerns the
        # leader who asked and the advocate.
        repost = next(iter(item.repost_requests.all()), None)
        item.repost = repost if repost and repost.status == RepostRequest.Status.CONSENTED else None
        item.repost_concerns_me = membership.pk in (item.sender_id, item.recipient_id)


class FeedView(RecognitionView):
    def _render(self, request, form, status=200):
        page = Paginator(selectors.feed_list(organization=self.organization), 20).get_page(
            request.GET.get("page")
        )
        decorate_feed(page.object_list, self.membership)
        context = {
            "form": form,
            "page": page,
            "balance": selectors.balance_get(
                organization=self.organization, membership=self.membership
            ),
            "badges": selectors.member_badges(
                organization=self.organization, membership=self.membership
            ),
            "reposts": RepostRequest.objects.for_org(self.organization)
            .filter(membership=self.membership, status=RepostRequest.Status.WAITING)
            .select_related("requested_by__user"),
            "comment_form": CommentForm(),
        }
        return render(request, "recognition/feed.html", context, status=status)

    def get(self, request):
        return self._render(
            request, ShoutOutForm(organization=self.organization, membership=self.membership)
        )

    def post(self, request):
        form = ShoutOutForm(
            request.POST, organization=self.organization, membership=self.membership
        )
        if form.is_valid():
            try:
                services.shoutout_send(
                    organization=self.organization, sender=self.membership, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Your shout-out is in the feed."))
                return redirect(self.url("feed"))
        return self._render(request, form, status=400)


class _ShoutOutAction(RecognitionView):
    def item_response(self, request, shoutout):
        if not request.headers.get("HX-Request"):
            return redirect(self.url("feed"))
        item = selectors.feed_list(organization=self.organization).get(pk=shoutout.pk)
        decorate_feed([item], self.membership)
        return render(
            request,
            "recognition/partials/feed_item.html",
            {"item": item, "comment_form": CommentForm()},
        )


class ReactView(_ShoutOutAction):
    def post(self, request, pk):
        shoutout = self.get_org_object(ShoutOut, pk=pk)
        try:
            services.reaction_toggle(
                organization=self.organization,
                shoutout=shoutout,
                membership=self.membership,
                emoji=request.POST.get("emoji", ""),
            )
        except ValidationError as error:
            refuse(request, error)
        return self.item_response(request, shoutout)


class CommentView(_ShoutOutAction):
    def post(self, request, pk):
        shoutout = self.get_org_object(ShoutOut, pk=pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment_add(
                    organization=self.organization,
                    shoutout=shoutout,
                    author=self.membership,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                refuse(request, error)
        return self.item_response(request, shoutout)


class RepostAnswerView(RecognitionView):
    def post(self, request, pk):
        repost = self.get_org_object(RepostRequest, pk=pk)
        try:
            services.repost_answer(
                organization=self.organization,
                request=repost,
                membership=self.membership,
                consent=request.POST.get("consent") == "yes",
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
        return redirect(self.url("feed"))


class MeView(RecognitionView):
    def get(self, request):
        preference = services.preference_get(
            organization=self.organization, membership=self.membership
        )
        form = PreferenceForm(
            initial={
                "show_on_leaderboards": preference.show_on_leaderboards,
                "receive_newsletter": preference.receive_newsletter,
            }
        )
        return self._render(request, form)

    def post(self, request):
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_update(
                organization=self.organization, membership=self.membership, **form.cleaned_data
            )
            messages.success(request, _("Your preferences are saved."))
            return redirect(self.url("me"))
        return self._render(request, form)

    def _render(self, request, form):
        org, me = self.organization, self.membership
        notes = list(
            ThankYouNote.objects.for_org(org)
            .filter(recipient=me)
            .select_related("sender__user")[:20]
        )
        for note in notes:
            services.thank_you_mark_read(organization=org, note=note, membership=me)
        return render(
            request,
            "recognition/me.html",
            {
                "form": form,
                "balance": selectors.balance_get(organization=org, membership=me),
                "held": selectors.held_points_get(organization=org, membership=me),
                "badges": selectors.member_badges(organization=org, membership=me),
                "metrics": selectors.member_metrics(organization=org, membership=me),
                "entries": selectors.ledger_list(organization=org, membership=me)[:50],
                "notes": notes,
            },
        )


class ProfileView(RecognitionView):
    def get(self, request, pk):
        person = self.get_org_object(Membership, pk=pk)
        org = self.organization
        received = selectors.feed_list(organization=org).filter(recipient=person)[:10]
        decorate_feed(received, self.membership)
        return render(
            request,
            "recognition/profile.html",
            {
                "person": person,
                "badges": selectors.member_badges(organization=org, membership=person),
                "metrics": selectors.member_metrics(organization=org, membership=person),
                "received": received,
                "comment_form": CommentForm(),
            },
        )


class LeaderboardsView(RecognitionView):
    def get(self, request):
        params = request.GET
        is_manager = self.membership.role != "employee"
        board = selectors.leaderboard(
            organization=self.organization,
            viewer=self.membership,
            period=params.get("period") if params.get("period") in PERIODS else "month",
            segment=params.get("segment")
            if params.get("segment") in selectors.SEGMENTS
            else "people",
            board="executives" if params.get("board") == "executives" else "everyone",
            per_active_advocate=params.get("per_active_advocate") == "1",
            my_tree=is_manager and params.get("my_tree") == "1",
        )
        hidden = self.membership.pk in selectors.hidden_member_ids(organization=self.organization)
        return render(
            request,
            "recognition/leaderboards.html",
            {
                "board": board,
                "periods": PERIODS,
                "is_manager": is_manager,
                "hidden": hidden,
                "my_tree": is_manager and params.get("my_tree") == "1",
                "segments": [
                    ("people", _("People")),
                    ("team", _("Teams")),
                    ("location", _("Locations")),
                    ("role", _("Roles")),
                ],
            },
        )


class RewardsView(RecognitionView):
    def get(self, request):
        org = self.organization
        return render(
            request,
            "recognition/rewards.html",
            {
                "rewards": Reward.objects.for_org(org).filter(is_available=True),
                "balance": selectors.balance_get(organization=org, membership=self.membership),
                "redemptions": self.org_queryset(Redemption)
                .filter(membership=self.membership)
                .select_related("reward")[:20],
                "today": local_today(org),
            },
        )


class RedeemView(RecognitionView):
    def post(self, request, pk):
        reward = self.get_org_object(Reward, pk=pk)
        try:
            services.reward_redeem(
                organization=self.organization, membership=self.membership, reward=reward
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(
                request,
                _("Your request for “%(reward)s” was sent to the admins.") % {"reward": reward},
            )
        return redirect(self.url("rewards"))


class LeadersView(RecognitionView):
    """A leader thanks top advocates: a personal note (email and in-app) and public thanks in the feed."""

    def _check(self):
        if not services.is_leader(self.membership):
            raise PermissionDenied

    def _render(self, request, note_form=None, thanks_form=None, status=200):
        org = self.organization
        today = local_today(org)
        start, end = moment_range(org, month_start(today), today + datetime.timedelta(days=1))
        top = selectors.top_advocates(
            organization=org, start=start, end=end, limit=10, public=False
        )
        if note_form is None:
            subject, body = services.thank_you_template()
            note_form = ThankYouForm(
                organization=org,
                membership=self.membership,
                initial={
                    "subject": subject,
                    "body": body,
                    "recipients": [
                        row["membership"].pk
                        for row in top[:3]
                        if row["membership"] != self.membership
                    ],
                },
            )
        sent = ThankYouNote.objects.for_org(org).select_related("recipient__user", "sender__user")
        if self.membership.role not in ADMINS:
            sent = sent.filter(sender=self.membership)
        return render(
            request,
            "recognition/leaders.html",
            {
                "top": top,
                "note_form": note_form,
                "thanks_form": thanks_form
                or ThanksForm(organization=org, membership=self.membership),
                "sent": sent[:50],
            },
            status=status,
        )

    def get(self, request):
        self._check()
        return self._render(request)

    def post(self, request):
        self._check()
        org = self.organization
        if request.POST.get("action") == "thanks":
            form = ThanksForm(request.POST, organization=org, membership=self.membership)
            if form.is_valid():
                try:
                    services.thanks_post(
                        organization=org, sender=self.membership, **form.cleaned_data
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Your thanks are in the recognition feed."))
                    return redirect(self.url("leaders"))
            return self._render(request, thanks_form=form, status=400)
        form = ThankYouForm(request.POST, organization=org, membership=self.membership)
        if form.is_valid():
            try:
                notes = services.thank_you_send(
                    organization=org,
                    sender=self.membership,
                    recipients=list(form.cleaned_data["recipients"]),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s thank-you note sent.",
                        "%(count)s thank-you notes sent.",
                        len(notes),
                    )
                    % {"count": len(notes)},
                )
                return redirect(self.url("leaders"))
        return self._render(request, note_form=form, status=400)


class AwardsView(RecognitionView):
    def get(self, request, form=None, status=200):
        org = self.organization
        return render(
            request,
            "recognition/awards.html",
            {
                "programs": AwardProgram.objects.for_org(org).filter(is_active=True),
                "rounds": AwardRound.objects.for_org(org).select_related("program", "winner__user")[
                    :24
                ],
                "form": form or AwardProgramForm(),
                "is_admin": self.membership.role in ADMINS,
            },
            status=status,
        )

    def post(self, request):
        if self.membership.role not in ADMINS:
            raise PermissionDenied
        if "open" in request.POST:
            program = self.get_org_object(AwardProgram, pk=request.POST.get("open") or 0)
            award_round = services.award_round_open(organization=self.organization, program=program)
            return redirect(self.url("award_round", pk=award_round.pk))
        form = AwardProgramForm(request.POST)
        if form.is_valid():
            try:
                services.award_program_create(organization=self.organization, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The award program is ready. Open its first round."))
                return redirect(self.url("awards"))
        return self.get(request, form=form, status=400)


class AwardRoundView(RecognitionView):
    def get(self, request, pk, nomination_form=None, close_form=None, status=200):
        org = self.organization
        award_round = self.get_org_object(AwardRound, pk=pk)
        is_admin = self.membership.role in ADMINS
        tally = services.vote_tally(organization=org, award_round=award_round)
        nominations = award_round.nominations.select_related("nominee__user", "nominated_by__user")
        return render(
            request,
            "recognition/award_round.html",
            {
                "round": award_round,
                "is_admin": is_admin,
                "tally": tally,
                "nominations": nominations,
                "nominees": [
                    {"membership": person, "votes": tally.get(pk, 0)}
                    for pk, person in {n.nominee_id: n.nominee for n in nominations}.items()
                ],
                "candidates": selectors.award_candidates(organization=org, award_round=award_round)
                if is_admin
                else [],
                "nomination_form": nomination_form
                or NominationForm(organization=org, membership=self.membership),
                "close_form": close_form or CloseRoundForm(organization=org),
                "my_vote": award_round.votes.filter(voter=self.membership)
                .values_list("nominee_id", flat=True)
                .first(),
            },
            status=status,
        )

    def post(self, request, pk):
        org = self.organization
        award_round = self.get_org_object(AwardRound, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "vote":
                nominee = self.get_org_object(Membership, pk=request.POST.get("nominee") or 0)
                services.vote_cast(
                    organization=org,
                    award_round=award_round,
                    voter=self.membership,
                    nominee=nominee,
                )
                messages.success(request, _("Your vote is counted."))
            elif action == "close":
                if self.membership.role not in ADMINS:
                    raise PermissionDenied
                form = CloseRoundForm(request.POST, organization=org)
                if not form.is_valid():
                    return self.get(request, pk, close_form=form, status=400)
                services.award_round_close(
                    organization=org,
                    award_round=award_round,
                    actor=self.membership,
                    **form.cleaned_data,
                )
                messages.success(request, _("The winner is announced in the recognition feed."))
            else:
                form = NominationForm(request.POST, organization=org, membership=self.membership)
                if not form.is_valid():
                    return self.get(request, pk, nomination_form=form, status=400)
                services.nomination_create(
                    organization=org,
                    award_round=award_round,
                    nominated_by=self.membership,
                    **form.cleaned_data,
                )
                messages.success(request, _("Thank you for your nomination."))
        except ValidationError as error:
            refuse(request, error)
        return redirect(self.url("award_round", pk=award_round.pk))


def default_period(organization) -> tuple[datetime.date, datetime.date]:
    start, _end = period_dates("quarter", local_today(organization))
    return start, local_today(organization) + datetime.timedelta(days=1)


class SummaryView(RecognitionView):
    """An advocate's summary for a review period; admins may look at anyone's."""

    def get(self, request):
        org = self.organization
        start, end = default_period(org)
        form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        person = self.membership
        wanted = as_id(request.GET.get("membership"))
        if self.membership.role in ADMINS and wanted:
            person = self.get_org_object(Membership, pk=wanted)
        rows = selectors.advocacy_summaries(
            organization=org, start=start, end=end, member_ids={person.pk}
        )
        return render(
            request,
            "recognition/summary.html",
            {
                "form": form,
                "row": rows[0] if rows else None,
                "person": person,
                "start": start,
                "end": end,
                "is_admin": self.membership.role in ADMINS,
                "people": Membership.objects.for_org(org)
                .filter(is_active=True)
                .select_related("user")
                if self.membership.role in ADMINS
                else [],
            },
        )
