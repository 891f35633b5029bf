"""Demo data for recognition: rules, rewards, shares on the ledger, shout-outs, an award,
a reward request and a leader's thank-you. Idempotent; in the organization's language."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from .models import (
    AwardProgram,
    AwardRound,
    Cause,
    CompanyValue,
    Redemption,
    Reward,
    ShoutOut,
    ThankYouNote,
)
from .periods import add_months, local_today, month_start
from .services import (
    award_program_create,
    award_round_close,
    award_round_open,
    nomination_create,
    points_award,
    reward_redeem,
    settings_ensure,
    shoutout_send,
)

# (person, shares per week for the last six weeks, network)
SHARERS = [
    ("employee1", 3, "linkedin"),
    ("employee2", 2, "x"),
    ("employee3", 2, "linkedin"),
    ("employee4", 1, "mastodon"),
    ("manager", 1, "linkedin"),
]


def _rewards() -> list[dict]:
    return [
        {
            "name": _("Coffee gift card"),
            "kind": Reward.Kind.GIFT_CARD,
            "cost_points": 150,
            "value": Decimal("10"),
            "stock": 20,
            "description": _("A gift card for your favourite coffee place."),
        },
        {
            "name": _("Extra day off"),
            "kind": Reward.Kind.DAY_OFF,
            "cost_points": 1500,
            "value": Decimal("250"),
            "stock": 5,
            "description": _("One extra day of paid leave, agreed with your manager."),
        },
        {
            "name": _("Company hoodie"),
            "kind": Reward.Kind.SWAG,
            "cost_points": 400,
            "value": Decimal("35"),
            "stock": 30,
            "description": _("The hoodie everyone asks about."),
        },
        {
            "name": _("Charity donation"),
            "kind": Reward.Kind.DONATION,
            "cost_points": 200,
            "value": Decimal("20"),
            "stock": None,
            "description": _("We donate to a charity of the month in your name."),
        },
    ]


def seed(*, organization: Organization, people: dict[str, Membership]) -> None:
    with translation.override(organization.default_language):
        settings_ensure(organization=organization)
        for spec in _rewards():
            Reward.objects.get_or_create(
                organization=organization, name=spec.pop("name"), defaults=spec
            )
        _ledger(organization, people)
        _shoutouts(organization, people)
        _award(organization, people)
        _requests(organization, people)


def _ledger(organization, people) -> None:
    now = timezone.now()
    for local, per_week, network in SHARERS:
        person = people.get(local)
        if person is None:
            continue
        for week in range(6):
            for n in range(per_week):
                moment = now - datetime.timedelta(weeks=week, days=n, hours=3)
                points_award(
                    organization=organization,
                    membership=person,
                    cause=Cause.SHARE,
                    points=10,
                    idempotency_key=f"demo:share:{person.pk}:{week}:{n}",
                    network=network,
                    created_at=moment,
                )
                points_award(
                    organization=organization,
                    membership=person,
                    cause=Cause.CLICKS,
                    points=5,
                    quantity=10,
                    idempotency_key=f"demo:clicks:{person.pk}:{week}:{n}",
                    created_at=moment,
                )


def _shoutouts(organization, people) -> None:
    if ShoutOut.objects.for_org(organization).exists():
        return
    values = list(CompanyValue.objects.for_org(organization))
    pairs = [
        (
            "manager",
            "employee1",
            _("Your LinkedIn post about the launch brought three demo requests. Thank you!"),
        ),
        ("employee3", "employee2", _("Thanks for helping me write my first post!")),
        ("employee1", "employee3", _("Your visuals made our campaign shine.")),
        ("curator", "employee4", _("Great questions in the advocacy training.")),
    ]
    for index, (sender, recipient, message) in enumerate(pairs):
        if sender in people and recipient in people:
            shoutout_send(
                organization=organization,
                sender=people[sender],
                recipient=people[recipient],
                message=message,
                value=values[index % len(values)] if values else None,
            )


def _award(organization, people) -> None:
    program = AwardProgram.objects.for_org(organization).first() or award_program_create(
        organization=organization,
        name=_("Advocate of the Month"),
        cadence=AwardProgram.Cadence.MONTHLY,
        points=200,
        voting_enabled=True,
    )
    last_month = add_months(month_start(local_today(organization)), -1)
    award_round = award_round_open(organization=organization, program=program, day=last_month)
    if award_round.status == AwardRound.Status.OPEN and {"employee1", "manager", "admin"} <= set(
        people
    ):
        nomination_create(
            organization=organization,
            award_round=award_round,
            nominee=people["employee1"],
            nominated_by=people["manager"],
            reason=_("Shared every launch and trained two colleagues."),
        )
        award_round_close(
            organization=organization,
            award_round=award_round,
            winner=people["employee1"],
            actor=people["admin"],
        )
    award_round_open(organization=organization, program=program)


def _requests(organization, people) -> None:
    if "employee1" in people and not Redemption.objects.for_org(organization).exists():
        reward = Reward.objects.for_org(organization).order_by("cost_points").first()
        reward_redeem(organization=organization, membership=people["employee1"], reward=reward)
    if {"manager", "employee1"} <= set(people) and not ThankYouNote.objects.for_org(
        organization
    ).exists():
        ThankYouNote.objects.create(
            organization=organization,
            sender=people["manager"],
            recipient=people["employee1"],
            subject=_("Thank you, {first_name}!").replace(
                "{first_name}", people["employee1"].user.get_short_name()
            ),
            body=_("Your shares this month made a real difference. Thank you!"),
        )
