"""Reads about recognition. Everything is derived from the ledger and the rows of this app;
figures that start elsewhere (shares, clicks, courses) come from the ledger entries their
events created, each of which knows its cause and the id it refers to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from advocacy.tenancy.models import Membership, Organization, Role
from advocacy.tenancy.selectors import membership_tree_ids

from .models import (
    AwardRound,
    BadgeAward,
    Cause,
    Comment,
    EntryStatus,
    PointEntry,
    Reaction,
    RecognitionPreference,
    RecognitionSettings,
    Redemption,
    RepostRequest,
    RewardBudget,
    ShoutOut,
    ThankYouNote,
)
from .names import public_name
from .periods import add_months, local_today, moment_range, organization_tz, period_dates

# Points that count as "earned" on boards and in summaries: not spending, not refunds of spending.
EARNING = Q(status=EntryStatus.COUNTED, points__gt=0) & ~Q(cause=Cause.REFUND)


def settings_get(*, organization: Organization) -> RecognitionSettings:
    return RecognitionSettings.objects.for_org(organization).first() or RecognitionSettings(
        organization=organization
    )


def balance_get(*, organization: Organization, membership: Membership) -> int:
    return (
        PointEntry.objects.for_org(organization)
        .filter(membership=membership, status=EntryStatus.COUNTED)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )


def held_points_get(*, organization: Organization, membership: Membership) -> int:
    return (
        PointEntry.objects.for_org(organization)
        .filter(membership=membership, status=EntryStatus.HELD)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )


def ledger_list(
    *, organization: Organization, membership: Membership | None = None
) -> QuerySet[PointEntry]:
    entries = PointEntry.objects.for_org(organization).select_related("membership__user", "flag")
    return entries.filter(membership=membership) if membership is not None else entries


def _longest_weekly_streak(moments: list[datetime.datetime], tz) -> int:
    mondays = sorted(
        {
            (d := timezone.localtime(m, tz).date()) - datetime.timedelta(days=d.weekday())
            for m in moments
        }
    )
    best = run = 0
    previous = None
    for monday in mondays:
        run = run + 1 if previous and monday - previous == datetime.timedelta(days=7) else 1
        best, previous = max(best, run), monday
    return best


def member_metrics(*, organization: Organization, membership: Membership) -> dict[str, int]:
    """Everything the review export counts, over all time, plus the sharing streak."""
    totals = review_figures(organization=organization, member_ids={membership.pk})[membership.pk]
    share_moments = list(
        PointEntry.objects.for_org(organization)
        .filter(membership=membership, status=EntryStatus.COUNTED, cause=Cause.SHARE)
        .values_list("created_at", flat=True)
    )
    totals["streak_weeks"] = _longest_weekly_streak(share_moments, organization_tz(organization))
    totals["shoutouts_sent"] = (
        ShoutOut.objects.for_org(organization)
        .filter(sender=membership, kind=ShoutOut.Kind.PEER)
        .count()
    )
    return totals


def member_badges(*, organization: Organization, membership: Membership) -> QuerySet[BadgeAward]:
    return (
        BadgeAward.objects.for_org(organization)
        .filter(membership=membership)
        .select_related("badge")
    )


def hidden_member_ids(*, organization: Organization) -> set[int]:
    """People who opted out of public boards and the feed shown outside Chorus."""
    return set(
        RecognitionPreference.objects.for_org(organization)
        .filter(show_on_leaderboards=False)
        .values_list("membership_id", flat=True)
    )


def feed_list(*, organization: Organization, public: bool = False) -> QuerySet[ShoutOut]:
    items = ShoutOut.objects.for_org(organization).select_related(
        "sender__user", "recipient__user", "value"
    )
    if public:
        hidden = hidden_member_ids(organization=organization)
        return items.exclude(recipient_id__in=hidden).exclude(sender_id__in=hidden)
    return items.prefetch_related(
        Prefetch("reactions", queryset=Reaction.objects.for_org(organization)),
        Prefetch(
            "comments",
            queryset=Comment.objects.for_org(organization).select_related("author__user"),
        ),
        Prefetch("repost_requests", queryset=RepostRequest.objects.for_org(organization)),
    )


# --- leaderboards -------------------------------------------------------------


SEGMENTS = ("people", "team", "location", "role")


@dataclass
class BoardRow:
    label: str
    points: int = 0
    active_advocates: int = 0
    members: int = 0
    membership_id: int | None = None
    rank: int = 0

    @property
    def per_active_advocate(self) -> float:
        return round(self.points / self.active_advocates, 1) if self.active_advocates else 0.0


@dataclass
class Board:
    period: str
    segment: str
    board: str
    per_active_advocate: bool
    rows: list[BoardRow] = field(default_factory=list)


def _earned_by_member(organization, start, end) -> tuple[dict[int, int], set[int]]:
    entries = PointEntry.objects.for_org(organization)
    if start is not None:
        entries = entries.filter(created_at__gte=start, created_at__lt=end)
    points = dict(
        entries.filter(EARNING).values_list("membership_id").annotate(total=Sum("points"))
    )
    sharers = set(
        entries.filter(cause=Cause.SHARE, status=EntryStatus.COUNTED).values_list(
            "membership_id", flat=True
        )
    )
    return points, sharers


def leaderboard(
    *,
    organization: Organization,
    viewer: Membership,
    period: str = "month",
    segment: str = "people",
    board: str = "everyone",
    per_active_advocate: bool = False,
    my_tree: bool = False,
    limit: int = 50,
) -> Board:
    """Ranked points earned in the period.

    Public boards leave out people who opted out. Team, location and role boards can
    rank by points per active advocate (someone who shared in the period), so a big
    team does not win by headcount. With `executives_on_own_board`, executives are
    ranked only among themselves. `my_tree` is a manager's private view of their
    reports and team tree, opt-outs included.
    """
    settings = settings_get(organization=organization)
    start, end = moment_range(organization, *period_dates(period, local_today(organization)))
    people = Membership.objects.for_org(organization).filter(is_active=True)
    if settings.executives_on_own_board:
        people = people.filter(is_executive=(board == "executives"))
    if my_tree:
        people = people.filter(
            pk__in=membership_tree_ids(organization=organization, manager=viewer)
        )
    elif segment == "people":
        people = people.exclude(pk__in=hidden_member_ids(organization=organization))
    people_rows = list(people.values_list("id", "user__name", "team__name", "location", "role"))
    points, sharers = _earned_by_member(organization, start, end)
    result = Board(
        period=period, segment=segment, board=board, per_active_advocate=per_active_advocate
    )
    roles = dict(Role.choices)
    if segment == "people":
        rows = [
            BoardRow(
                label=public_name(name),
                points=points[pk],
                membership_id=pk,
                members=1,
                active_advocates=int(pk in sharers),
            )
            for pk, name, *_rest in people_rows
            if points.get(pk)
        ]
        rows.sort(key=lambda row: (-row.points, row.label))
    else:
        groups: dict[str, BoardRow] = {}
        for pk, _name, team, location, role in people_rows:
            key = {"team": team, "location": location, "role": str(roles.get(role, role))}[
                segment
            ] or "—"
            row = groups.setdefault(key, BoardRow(label=key))
            row.members += 1
            row.points += points.get(pk, 0)
            row.active_advocates += int(pk in sharers)
        rows = [row for row in groups.values() if row.points or row.active_advocates]
        if per_active_advocate:
            rows.sort(key=lambda row: (-row.per_active_advocate, -row.points, row.label))
        else:
            rows.sort(key=lambda row: (-row.points, row.label))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    result.rows = rows[:limit]
    return result


# --- rewards, for this app and for analytics -----------------------------------


def _as_moment(organization, value):
    if value is None or isinstance(value, datetime.datetime):
        return value
    return moment_range(organization, value, None)[0]


def rewards_cost(*, organization: Organization, start, end) -> Decimal:
    """What approved redemptions decided in [start, end) cost, in the organization's currency.
    `start`/`end` are aware datetimes, or dates read in the organization's time zone."""
    start, end = _as_moment(organization, start), _as_moment(organization, end)
    spent = Redemption.objects.for_org(organization).filter(
        status__in=[Redemption.Status.APPROVED, Redemption.Status.FULFILLED],
        decided_at__gte=start,
        decided_at__lt=end,
    )
    return Decimal(spent.aggregate(total=Sum("value"))["total"] or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Liability:
    points: int
    value: Decimal
    currency: str
    held_points: int
    pending_points: int  # requested redemptions not yet decided


def points_liability(*, organization: Organization) -> Liability:
    """Points earned and not yet redeemed, and what they would cost at the point value."""
    settings = settings_get(organization=organization)
    totals = PointEntry.objects.for_org(organization).aggregate(
        counted=Sum("points", filter=Q(status=EntryStatus.COUNTED)),
        held=Sum("points", filter=Q(status=EntryStatus.HELD)),
    )
    points = totals["counted"] or 0
    pending = (
        Redemption.objects.for_org(organization)
        .filter(status=Redemption.Status.REQUESTED)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    return Liability(
        points=points,
        value=(Decimal(points) * settings.point_value).quantize(Decimal("0.01")),
        currency=organization.currency,
        held_points=totals["held"] or 0,
        pending_points=pending,
    )


def reward_budget_for(*, organization: Organization, day: datetime.date) -> RewardBudget | None:
    return (
        RewardBudget.objects.for_org(organization)
        .filter(period_start__lte=day, period_end__gt=day)
        .first()
    )


# --- summaries ----------------------------------------------------------------------


SUMMARY_COLUMNS = (
    "shares",
    "clicks",
    "courses",
    "pulses",
    "points",
    "shoutouts",
    "thanks",
    "awards",
    "badges",
)


def _between(field_name: str, since, until) -> Q:
    window = Q()
    if since is not None:
        window &= Q(**{f"{field_name}__gte": since})
    if until is not None:
        window &= Q(**{f"{field_name}__lt": until})
    return window


def review_figures(
    *, organization: Organization, member_ids: set[int], since=None, until=None
) -> dict[int, dict[str, int]]:
    """The review columns per member for [since, until) (aware datetimes; None is open).

    One definition for the person's recognition page, their summary, the API and the
    review export, so they cannot disagree:
    shares, clicks, courses, pulses and shout-outs are the counted ledger entries those
    activities created (a course once however often it is retaken; held or voided
    entries are left out, as the page leaves them out); points are the points earned;
    thanks from leadership are public thanks in the feed plus private thank-you notes;
    awards are rounds won; badges are badges earned."""
    ids = sorted(member_ids)
    figures = {pk: dict.fromkeys(SUMMARY_COLUMNS, 0) for pk in ids}
    entries = (
        PointEntry.objects.for_org(organization)
        .filter(_between("created_at", since, until), membership_id__in=ids)
        .filter(status=EntryStatus.COUNTED)
        .values("membership_id")
        .annotate(
            shares=Count("id", filter=Q(cause=Cause.SHARE)),
            clicks=Sum("quantity", filter=Q(cause=Cause.CLICKS)),
            courses=Count("reference_id", filter=Q(cause=Cause.COURSE), distinct=True),
            pulses=Count("id", filter=Q(cause=Cause.PULSE)),
            shoutouts=Count("id", filter=Q(cause=Cause.SHOUTOUT)),
            points=Sum("points", filter=EARNING),
        )
        .order_by()
    )
    for row in entries:
        pk = row.pop("membership_id")
        figures[pk].update({key: value or 0 for key, value in row.items()})
    counts = (
        (
            "thanks",
            ShoutOut.objects.for_org(organization).filter(
                _between("created_at", since, until), kind=ShoutOut.Kind.THANKS
            ),
            "recipient_id",
        ),
        (
            "thanks",
            ThankYouNote.objects.for_org(organization).filter(_between("sent_at", since, until)),
            "recipient_id",
        ),
        (
            "awards",
            AwardRound.objects.for_org(organization).filter(
                _between("announced_at", since, until), winner__isnull=False
            ),
            "winner_id",
        ),
        (
            "badges",
            BadgeAward.objects.for_org(organization).filter(_between("awarded_at", since, until)),
            "membership_id",
        ),
    )
    for column, rows, person_field in counts:
        for pk, n in (
            rows.filter(**{f"{person_field}__in": ids})
            .values_list(person_field)
            .annotate(n=Count("id"))
            .order_by()
        ):
            figures[pk][column] += n
    return figures


def advocacy_summaries(
    *,
    organization: Organization,
    start: datetime.date,
    end: datetime.date,
    member_ids: set[int] | None = None,
) -> list[dict]:
    """One row per active member for [start, end): what goes into a performance review."""
    since, until = moment_range(organization, start, end)
    people = (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .select_related("user", "team")
    )
    if member_ids is not None:
        people = people.filter(pk__in=sorted(member_ids))
    people = list(people)
    figures = review_figures(
        organization=organization,
        member_ids={person.pk for person in people},
        since=since,
        until=until,
    )
    return [{"membership": person, **figures[person.pk]} for person in people]


def top_advocates(
    *, organization: Organization, start, end, limit: int = 5, public: bool = True
) -> list[dict]:
    """Top earners in [start, end) (aware datetimes), for leaders and the newsletter."""
    points, _sharers = _earned_by_member(organization, start, end)
    hidden = hidden_member_ids(organization=organization) if public else set()
    ranked = sorted(((p, pk) for pk, p in points.items() if pk not in hidden), reverse=True)[:limit]
    people = (
        Membership.objects.for_org(organization)
        .select_related("user")
        .in_bulk([pk for _p, pk in ranked])
    )
    return [
        {"membership": people[pk], "points": p}
        for p, pk in ranked
        if pk in people and people[pk].is_active
    ]


def newsletter_content(*, organization: Organization, month: datetime.date) -> dict:
    start, end = moment_range(organization, month, add_months(month, 1))
    in_month = PointEntry.objects.for_org(organization).filter(
        created_at__gte=start, created_at__lt=end, status=EntryStatus.COUNTED
    )
    results = in_month.aggregate(
        shares=Count("id", filter=Q(cause=Cause.SHARE)),
        clicks=Sum("quantity", filter=Q(cause=Cause.CLICKS)),
        courses=Count("id", filter=Q(cause=Cause.COURSE)),
        points=Sum("points", filter=EARNING),
        advocates=Count("membership", filter=Q(cause=Cause.SHARE), distinct=True),
    )
    results["shoutouts"] = (
        ShoutOut.objects.for_org(organization)
        .filter(kind=ShoutOut.Kind.PEER, created_at__gte=start, created_at__lt=end)
        .count()
    )
    hidden = hidden_member_ids(organization=organization)
    best_shares = list(
        in_month.filter(cause=Cause.CLICKS)
        .exclude(membership_id__in=hidden)
        .values("reference_id", "membership_id")
        .annotate(clicks=Sum("quantity"))
        .order_by("-clicks")[:3]
    )
    names = (
        Membership.objects.for_org(organization)
        .select_related("user")
        .in_bulk([row["membership_id"] for row in best_shares])
    )
    shared = {
        reference_id: (network, title)
        for reference_id, network, title in PointEntry.objects.for_org(organization)
        .filter(cause=Cause.SHARE, reference_id__in=[row["reference_id"] for row in best_shares])
        .values_list("reference_id", "network", "content_title")
    }
    for row in best_shares:
        row["membership"] = names.get(row["membership_id"])
        row["network"], row["title"] = shared.get(row["reference_id"], ("", ""))
    return {
        "month": month,
        "results": {key: value or 0 for key, value in results.items()},
        "top_advocates": top_advocates(organization=organization, start=start, end=end),
        "new_badges": list(
            BadgeAward.objects.for_org(organization)
            .filter(awarded_at__gte=start, awarded_at__lt=end)
            .exclude(membership_id__in=hidden)
            .select_related("badge", "membership__user")[:12]
        ),
        "award_winners": list(
            AwardRound.objects.for_org(organization)
            .filter(announced_at__gte=start, announced_at__lt=end, winner__isnull=False)
            .select_related("program", "winner__user")
        ),
        "best_shares": best_shares,
    }


def award_candidates(
    *, organization: Organization, award_round: AwardRound, limit: int = 5
) -> list[dict]:
    """Suggested from points earned in the round's period and the clicks their shares earned."""
    start, end = moment_range(organization, award_round.period_start, award_round.period_end)
    candidates = top_advocates(
        organization=organization, start=start, end=end, limit=limit, public=False
    )
    clicks = dict(
        PointEntry.objects.for_org(organization)
        .filter(
            created_at__gte=start,
            created_at__lt=end,
            cause=Cause.CLICKS,
            status=EntryStatus.COUNTED,
        )
        .values_list("membership_id")
        .annotate(total=Sum("quantity"))
    )
    for candidate in candidates:
        candidate["clicks"] = clicks.get(candidate["membership"].pk, 0)
    return candidates
