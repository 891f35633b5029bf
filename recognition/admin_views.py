"""Recognition pages for HR admins: approvals, anti-gaming review, liability and budgets,
rules, the catalog, adjustments, the newsletter and the review export."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import ADMINS
from advocacy.tenancy.tasks import enqueue_on_commit

from . import selectors, services
from .forms import (
    AdjustmentForm,
    BadgeForm,
    BudgetForm,
    NewsletterForm,
    PeriodForm,
    RewardForm,
    SettingsForm,
    ValueForm,
)
from .models import Badge, CompanyValue, GamingFlag, Newsletter, Redemption, Reward, RewardBudget
from .periods import add_months, local_today, month_start, period_dates
from .tasks import send_newsletter
from .views import RecognitionView, apply_errors, default_period, refuse


class AdminView(RecognitionView):
    allowed_roles = ADMINS


class AdminHomeView(AdminView):
    def get(self, request):
        org = self.organization
        redemptions = self.org_queryset(Redemption).select_related("reward", "membership__user")
        return render(
            request,
            "recognition/admin/home.html",
            {
                "pending": redemptions.filter(status=Redemption.Status.REQUESTED),
                "approved": redemptions.filter(status=Redemption.Status.APPROVED),
                "flags": self.org_queryset(GamingFlag)
                .filter(status=GamingFlag.Status.OPEN)
                .select_related("membership__user", "other_membership__user"),
                "liability": selectors.points_liability(organization=org),
            },
        )


class RedemptionDecideView(AdminView):
    DECISIONS = {
        "approve": (services.redemption_approve, _("The reward request is approved.")),
        "reject": (
            services.redemption_reject,
            _("The reward request is rejected; the points went back to the advocate."),
        ),
        "fulfil": (services.redemption_fulfil, _("The reward request is marked as fulfilled.")),
    }

    def post(self, request, pk, decision):
        redemption = self.get_org_object(Redemption, pk=pk)
        if decision not in self.DECISIONS:
            return redirect(self.url("admin"))
        decide, done = self.DECISIONS[decision]
        try:
            decide(
                organization=self.organization,
                redemption=redemption,
                actor=self.membership,
                note=request.POST.get("note", "")[:500],
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, done)
        return redirect(self.url("admin"))


class FlagReviewView(AdminView):
    def post(self, request, pk, decision):
        flag = self.get_org_object(GamingFlag, pk=pk)
        try:
            services.flag_review(
                organization=self.organization,
                flag=flag,
                confirm=decision == "confirm",
                reviewer=self.membership,
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Review saved."))
        return redirect(self.url("admin"))


class LiabilityView(AdminView):
    def _render(self, request, form=None, status=200):
        org = self.organization
        today = local_today(org)
        month = period_dates("month", today)
        quarter = period_dates("quarter", today)
        budget = selectors.reward_budget_for(organization=org, day=today)
        return render(
            request,
            "recognition/admin/liability.html",
            {
                "liability": selectors.points_liability(organization=org),
                "cost_month": selectors.rewards_cost(
                    organization=org, start=month[0], end=month[1]
                ),
                "cost_quarter": selectors.rewards_cost(
                    organization=org, start=quarter[0], end=quarter[1]
                ),
                "budget": budget,
                "budget_spent": selectors.rewards_cost(
                    organization=org, start=budget.period_start, end=budget.period_end
                )
                if budget
                else None,
                "budgets": self.org_queryset(RewardBudget)[:12],
                "form": form
                or BudgetForm(initial={"period_start": month[0], "period_end": month[1]}),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        form = BudgetForm(request.POST)
        if form.is_valid():
            try:
                services.budget_set(organization=self.organization, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Budget saved."))
                return redirect(self.url("liability"))
        return self._render(request, form, status=400)


class RewardEditView(AdminView):
    def _reward(self, pk):
        return self.get_org_object(Reward, pk=pk) if pk else None

    def get(self, request, pk=None):
        reward = self._reward(pk)
        return render(
            request,
            "recognition/admin/reward_form.html",
            {
                "form": RewardForm(instance=reward),
                "reward": reward,
                "rewards": self.org_queryset(Reward),
            },
        )

    def post(self, request, pk=None):
        reward = self._reward(pk)
        form = RewardForm(request.POST, instance=reward)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in RewardForm.Meta.fields}
            try:
                services.reward_save(organization=self.organization, reward=reward, **fields)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Reward saved."))
                return redirect(self.url("reward_new"))
        return render(
            request,
            "recognition/admin/reward_form.html",
            {"form": form, "reward": reward, "rewards": self.org_queryset(Reward)},
            status=400,
        )


class SettingsView(AdminView):
    def _render(self, request, settings_form=None, badge_form=None, value_form=None, status=200):
        settings = services.settings_ensure(organization=self.organization)
        return render(
            request,
            "recognition/admin/settings.html",
            {
                "settings_form": settings_form or SettingsForm(instance=settings),
                "badge_form": badge_form or BadgeForm(),
                "value_form": value_form or ValueForm(),
                "badges": self.org_queryset(Badge),
                "values": self.org_queryset(CompanyValue),
                "feed_token": settings.feed_token,
            },
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        org = self.organization
        action = request.POST.get("action")
        if action == "rotate":
            services.feed_token_rotate(organization=org)
            messages.success(
                request, _("A new feed address was made; the old one no longer works.")
            )
            return redirect(self.url("settings"))
        forms = {"badge": BadgeForm, "value": ValueForm}
        if action in forms:
            form = forms[action](request.POST)
            create = services.badge_create if action == "badge" else services.company_value_create
            if form.is_valid():
                try:
                    create(organization=org, **form.cleaned_data)
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("The badge is added.") if action == "badge" else _("The value is added."),
                    )
                    return redirect(self.url("settings"))
            return self._render(request, **{f"{action}_form": form}, status=400)
        form = SettingsForm(request.POST, instance=services.settings_ensure(organization=org))
        if form.is_valid():
            try:
                services.settings_update(
                    organization=org,
                    **{name: form.cleaned_data[name] for name in SettingsForm.Meta.fields},
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The program's rules are saved."))
                return redirect(self.url("settings"))
        return self._render(request, settings_form=form, status=400)


class AdjustView(AdminView):
    def _render(self, request, form, status=200):
        return render(
            request,
            "recognition/admin/adjust.html",
            {
                "form": form,
                "recent": selectors.ledger_list(organization=self.organization).filter(
                    cause="adjustment"
                )[:20],
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, AdjustmentForm(organization=self.organization))

    def post(self, request):
        form = AdjustmentForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                services.adjustment_create(
                    organization=self.organization, actor=self.membership, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Points adjusted."))
                return redirect(self.url("adjust"))
        return self._render(request, form, status=400)


class NewsletterView(AdminView):
    def get(self, request):
        org = self.organization
        last_month = add_months(month_start(local_today(org)), -1)
        form = NewsletterForm(request.GET or None, initial={"month": last_month.strftime("%Y-%m")})
        month = form.cleaned_data["month"] if form.is_bound and form.is_valid() else last_month
        newsletter = Newsletter.objects.for_org(org).filter(month=month_start(month)).first()
        preview_letter = newsletter or Newsletter(organization=org, month=month_start(month))
        if (
            form.is_bound
            and form.is_valid()
            and form.cleaned_data["intro"]
            and not preview_letter.sent_at
        ):
            preview_letter.intro = form.cleaned_data["intro"]
        preview = services.newsletter_render(
            organization=org, newsletter=preview_letter, membership=self.membership
        )
        return render(
            request,
            "recognition/admin/newsletter.html",
            {
                "form": form,
                "preview": preview,
                "newsletter": newsletter,
                "month": month_start(month),
                "intro": preview_letter.intro,
                "sent": self.org_queryset(Newsletter)[:12],
            },
        )

    def post(self, request):
        form = NewsletterForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a month."))
            return redirect(self.url("newsletter"))
        newsletter = services.newsletter_prepare(
            organization=self.organization,
            month=form.cleaned_data["month"],
            intro=form.cleaned_data["intro"],
        )
        enqueue_on_commit(
            send_newsletter, organization_id=self.organization.pk, newsletter_id=newsletter.pk
        )
        messages.success(
            request, _("The newsletter is on its way to everyone who has not received it yet.")
        )
        return redirect(self.url("newsletter"))


class SummaryExportView(AdminView):
    """Every active member's advocacy summary for the period, as CSV for reviews."""

    def get(self, request):
        org = self.organization
        start, end = default_period(org)
        form = PeriodForm(request.GET or None)
        if form.is_bound:
            if not form.is_valid():
                return HttpResponse(
                    " ".join(form.errors.get("__all__", [])) or _("Choose a valid period."),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = selectors.advocacy_summaries(organization=org, start=start, end=end)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        last_day = end - datetime.timedelta(days=1)
        response["Content-Disposition"] = (
            f'attachment; filename="advocacy-summary-{start}-{last_day}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Name"),
                _("Email"),
                _("Team"),
                _("From"),
                _("Until"),
                _("Shares"),
                _("Clicks earned"),
                _("Courses completed"),
                _("Pulse surveys answered"),
                _("Points earned"),
                _("Shout-outs received"),
                _("Thanks from leadership"),
                _("Awards"),
                _("Badges earned"),
            ]
        )
        for row in rows:
            person = row["membership"]
            writer.writerow(
                [
                    _safe(person.user.get_full_name()),
                    person.user.email,
                    _safe(person.team.name if person.team else ""),
                    start,
                    last_day,
                    *[row[column] for column in selectors.SUMMARY_COLUMNS],
                ]
            )
        return response


def _safe(text: str) -> str:
    """Neutralize spreadsheet formulas in names people typed themselves (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
