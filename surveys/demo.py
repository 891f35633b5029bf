"""Demo data: an engagement pulse with two closed rounds and one open, program feedback,
and a 1:1 series. Idempotent: surveys are found by title, rounds only made once."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from . import services
from .models import (
    AgendaItem,
    Meeting,
    OneOnOne,
    PrivateNote,
    QuestionKind,
    Round,
    Survey,
    SurveySettings,
)

TEXTS = {
    "en": {
        "engagement": "Engagement pulse",
        "program": "Advocacy program feedback",
        "why": [
            "Great team and flexible hours",
            "Too many meetings lately",
            "I learn something new every week",
            "Career paths could be clearer",
            "Proud of what we ship",
        ],
        "improve": [
            "More short posts for LinkedIn",
            "Shout-outs for first shares",
            "A monthly content digest",
        ],
        "agenda_manager": "Quarter goals and the Boston event",
        "agenda_report": "Training budget for the sales course",
        "shared": "Agreed: Emma shares two posts a week from the campaign library.",
        "private": "Emma is ready for a bigger account; raise it at calibration.",
        "action": "Send the course options",
    },
    "id": {
        "engagement": "Survei denyut nadi keterlibatan",
        "program": "Umpan balik program advokasi",
        "why": [
            "Tim yang hebat dan jam kerja fleksibel",
            "Terlalu banyak rapat belakangan ini",
            "Saya belajar hal baru setiap minggu",
            "Jenjang karier bisa lebih jelas",
            "Bangga dengan hasil kerja kita",
        ],
        "improve": [
            "Lebih banyak konten singkat untuk LinkedIn",
            "Apresiasi untuk unggahan pertama",
            "Ringkasan konten bulanan",
        ],
        "agenda_manager": "Target kuartal dan acara di Surabaya",
        "agenda_report": "Anggaran pelatihan untuk kursus penjualan",
        "shared": "Disepakati: Eka membagikan dua unggahan per minggu dari perpustakaan konten.",
        "private": "Eka siap memegang akun yang lebih besar; bahas saat kalibrasi.",
        "action": "Kirim pilihan kursus",
    },
}


def seed(*, organization, people) -> None:
    texts = TEXTS["id" if organization.default_language == "id" else "en"]
    rng = random.Random(organization.slug)
    SurveySettings.objects.get_or_create(organization=organization)
    members = [m for m in people.values() if m.is_active]
    admin = people.get("admin")

    engagement = _survey(organization, texts["engagement"], "engagement", "monthly", admin)
    if not Round.objects.for_org(organization).filter(survey=engagement).exists():
        now = timezone.now()
        for number, days_ago, mood in ((1, 70, 0.55), (2, 40, 0.7)):
            round = _round(
                organization,
                engagement,
                number,
                now - datetime.timedelta(days=days_ago),
                closed=True,
            )
            _answer(organization, round, members, rng, mood, texts)
        _round(organization, engagement, 3, now - datetime.timedelta(days=1), closed=False)
        engagement.next_round_on = timezone.localdate() + datetime.timedelta(days=29)
        engagement.save(update_fields=["next_round_on"])

    program = _survey(organization, texts["program"], "program", "quarterly", admin)
    if not Round.objects.for_org(organization).filter(survey=program).exists():
        round = _round(
            organization, program, 1, timezone.now() - datetime.timedelta(days=20), closed=True
        )
        _answer(organization, round, members, rng, 0.75, texts)
        program.next_round_on = timezone.localdate() + datetime.timedelta(days=70)
        program.save(update_fields=["next_round_on"])

    _one_on_one(organization, people, texts)


def _survey(organization, title, template, recurrence, admin) -> Survey:
    found = Survey.objects.for_org(organization).filter(title=title).first()
    return found or services.survey_create(
        organization=organization,
        title=title,
        template=template,
        recurrence=recurrence,
        window_days=5,
        starts_on=timezone.localdate() - datetime.timedelta(days=70),
        created_by=admin,
    )


def _round(organization, survey, number, opens_at, *, closed: bool) -> Round:
    closes_at = opens_at + datetime.timedelta(days=5)
    round, _created = Round.objects.get_or_create(
        organization=organization,
        survey=survey,
        number=number,
        defaults={
            "opens_at": opens_at,
            "closes_at": closes_at,
            "invited_count": 0,
            # demo rounds announce nothing: no emails from seeding
            "invitations_sent_at": opens_at,
            "reminders_sent_at": opens_at if closed else None,
        },
    )
    return round


def _answer(organization, round, members, rng, mood, texts) -> None:
    """Most people answer; `mood` is the chance of a favourable answer."""
    moment = round.opens_at + datetime.timedelta(hours=2)
    questions = list(round.survey.questions.all())
    for member in members:
        if rng.random() < 0.15:
            continue
        answers = {}
        for question in questions:
            good = rng.random() < mood
            if question.kind == QuestionKind.AGREE5:
                answers[question.pk] = rng.choice([4, 5]) if good else rng.choice([2, 3])
            elif question.kind == QuestionKind.SCALE10:
                answers[question.pk] = rng.choice([9, 10, 8]) if good else rng.choice([5, 6, 7])
            elif question.kind == QuestionKind.SINGLE:
                answers[question.pk] = rng.randrange(len(question.choices))
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.pk] = [rng.randrange(len(question.choices))]
            elif rng.random() < 0.6:
                pool = texts["why"] if question.measure == "enps_why" else texts["improve"]
                answers[question.pk] = rng.choice(pool)
        services.response_submit(
            organization=organization, round=round, membership=member, answers=answers, now=moment
        )
    if round.is_closed():
        services.round_finalize(organization=organization, round=round)


def _one_on_one(organization, people, texts) -> None:
    manager, report = people.get("manager"), people.get("employee1")
    if (
        manager is None
        or report is None
        or OneOnOne.objects.for_org(organization).filter(manager=manager, report=report).exists()
    ):
        return
    first = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=13
    )
    series = services.one_on_one_create(
        organization=organization,
        manager=manager,
        report=report,
        first_meeting_at=first,
        cadence="biweekly",
    )
    past = Meeting.objects.for_org(organization).get(series=series)
    services.shared_notes_save(
        organization=organization, meeting=past, author=manager, text=texts["shared"]
    )
    services.action_item_add(
        organization=organization,
        meeting=past,
        author=manager,
        owner=manager,
        text=texts["action"],
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    upcoming = services.meeting_ensure_next(organization=organization, series=series)
    AgendaItem.objects.create(
        organization=organization, meeting=upcoming, author=manager, text=texts["agenda_manager"]
    )
    AgendaItem.objects.create(
        organization=organization, meeting=upcoming, author=report, text=texts["agenda_report"]
    )
    PrivateNote.objects.create(
        organization=organization, meeting=upcoming, author=manager, text=texts["private"]
    )
