"""Recurring awards: a round per period, nominations with a reason, optional votes, a winner
announced in the feed (and the newsletter of that month) with points attached."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.permissions import ADMINS

from ..models import AwardProgram, AwardRound, Cause, Nomination, ShoutOut, Vote
from ..names import public_name
from ..periods import local_today, period_dates
from .ledger import points_award

CADENCE_PERIOD = {
    AwardProgram.Cadence.MONTHLY: "month",
    AwardProgram.Cadence.QUARTERLY: "quarter",
    AwardProgram.Cadence.YEARLY: "year",
}


def award_program_create(
    *, organization: Organization, name: str, cadence: str, points: int, voting_enabled: bool
) -> AwardProgram:
    if AwardProgram.objects.for_org(organization).filter(name=name).exists():
        raise ValidationError({"name": _("An award with this name already exists.")})
    program = AwardProgram(
        organization=organization,
        name=name,
        cadence=cadence,
        points=points,
        voting_enabled=voting_enabled,
    )
    program.full_clean(exclude=["organization"])
    program.save()
    return program


def award_round_open(
    *, organization: Organization, program: AwardProgram, day: datetime.date | None = None
) -> AwardRound:
    """The round for the period containing `day` (today by default); opening twice returns the same round."""
    ensure_in_org(organization, program)
    start, end = period_dates(CADENCE_PERIOD[program.cadence], day or local_today(organization))
    award_round, _created = AwardRound.objects.get_or_create(
        organization=organization, program=program, period_start=start, defaults={"period_end": end}
    )
    return award_round


def _open_round(organization, award_round) -> None:
    ensure_in_org(organization, award_round)
    if award_round.status != AwardRound.Status.OPEN:
        raise ValidationError(_("This round is closed."))


def nomination_create(
    *,
    organization: Organization,
    award_round: AwardRound,
    nominee: Membership | None,
    nominated_by: Membership,
    reason: str,
) -> Nomination:
    _open_round(organization, award_round)
    ensure_in_org(organization, nominee, nominated_by)
    if nominee is None or not nominee.is_active:
        raise ValidationError({"nominee": _("Choose a colleague of this organization.")})
    if nominee.pk == nominated_by.pk:
        raise ValidationError({"nominee": _("You cannot nominate yourself.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why they deserve it.")})
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                organization=organization,
                round=award_round,
                nominee=nominee,
                nominated_by=nominated_by,
                reason=reason[:500],
            )
    except IntegrityError:
        raise ValidationError(_("You already nominated this person.")) from None


def vote_cast(
    *, organization: Organization, award_round: AwardRound, voter: Membership, nominee: Membership
) -> Vote:
    _open_round(organization, award_round)
    if not award_round.program.voting_enabled:
        raise ValidationError(_("This award has no employee vote."))
    if not award_round.nominations.filter(nominee=nominee).exists():
        raise ValidationError({"nominee": _("Vote for one of the nominees.")})
    if voter.pk == nominee.pk:
        raise ValidationError({"nominee": _("You cannot vote for yourself.")})
    vote, _created = Vote.objects.update_or_create(
        organization=organization, round=award_round, voter=voter, defaults={"nominee": nominee}
    )
    return vote


def vote_tally(*, organization: Organization, award_round: AwardRound) -> dict[int, int]:
    return dict(
        Vote.objects.for_org(organization)
        .filter(round=award_round)
        .values_list("nominee_id")
        .annotate(n=Count("id"))
    )


def award_round_close(
    *,
    organization: Organization,
    award_round: AwardRound,
    winner: Membership | None,
    actor: Membership,
    message: str = "",
) -> AwardRound:
    _open_round(organization, award_round)
    ensure_in_org(organization, winner, actor)
    if winner is None or not winner.is_active:
        raise ValidationError({"winner": _("Choose a colleague of this organization.")})
    with transaction.atomic():
        award_round = (
            AwardRound.objects.for_org(organization).select_for_update().get(pk=award_round.pk)
        )
        _open_round(organization, award_round)
        award_round.winner, award_round.status = winner, AwardRound.Status.CLOSED
        award_round.announced_at = timezone.now()
        award_round.save(update_fields=["winner", "status", "announced_at"])
        program = award_round.program
        ShoutOut.objects.create(
            organization=organization,
            kind=ShoutOut.Kind.AWARD,
            sender=actor,
            recipient=winner,
            message=(message or "").strip()[:1000]
            or _("%(name)s is our %(award)s!")
            % {"name": public_name(winner), "award": program.name},
        )
        if program.points:
            points_award(
                organization=organization,
                membership=winner,
                cause=Cause.AWARD,
                points=program.points,
                idempotency_key=f"award:{award_round.pk}",
                reference_id=award_round.pk,
                reason=program.name,
                created_by=actor,
            )
    return award_round


def _automatic_winner(organization: Organization, award_round: AwardRound) -> Membership | None:
    """Who a round that closes by itself announces: the most votes when employees vote, else
    the most nominated, else the top suggestion from points and impact in the period."""
    from ..selectors import award_candidates

    eligible = Membership.objects.for_org(organization).filter(is_active=True)
    ranked = None
    if award_round.program.voting_enabled:
        ranked = (
            Vote.objects.for_org(organization)
            .filter(round=award_round, nominee__in=eligible)
            .values("nominee_id")
            .annotate(n=Count("id"))
            .order_by("-n", "nominee_id")
            .first()
        )
    if ranked is None:
        ranked = (
            Nomination.objects.for_org(organization)
            .filter(round=award_round, nominee__in=eligible)
            .values("nominee_id")
            .annotate(n=Count("id"))
            .order_by("-n", "nominee_id")
            .first()
        )
    if ranked is not None:
        return eligible.get(pk=ranked["nominee_id"])
    candidates = award_candidates(organization=organization, award_round=award_round, limit=1)
    return candidates[0]["membership"] if candidates else None


def award_rounds_roll(
    *, organization: Organization, day: datetime.date | None = None
) -> dict[str, int]:
    """The recurring part of every active award: open the round of the period containing
    `day` (once per program and period) and announce the winners of rounds whose period is
    over. Safe to run any number of times a day."""
    day = day or local_today(organization)
    announcer = (
        Membership.objects.for_org(organization)
        .filter(role__in=ADMINS, is_active=True)
        .order_by("pk")
        .first()
    )
    opened = closed = 0
    for program in AwardProgram.objects.for_org(organization).filter(is_active=True):
        award_round = award_round_open(organization=organization, program=program, day=day)
        opened += int(award_round.status == AwardRound.Status.OPEN)
        due = AwardRound.objects.for_org(organization).filter(
            program=program, status=AwardRound.Status.OPEN, period_end__lte=day
        )
        for past in due.select_related("program"):
            winner = _automatic_winner(organization, past)
            # Nobody to announce (or no admin to announce it): the round stays open for a person.
            if winner is None or announcer is None:
                continue
            try:
                award_round_close(
                    organization=organization, award_round=past, winner=winner, actor=announcer
                )
            except ValidationError:
                continue  # a person closed it meanwhile
            closed += 1
    return {"open": opened, "closed": closed}
