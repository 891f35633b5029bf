"""Factories and helpers for people and access."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from advocacy.tenancy.invitations import _new_token
from advocacy.tenancy.models import ImportJob, Invitation, Role
from tests.factories import OrganizationFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation whose raw link nobody knows; use `make_invitation` to get one you can open."""

    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.EMPLOYEE
    token_hash = factory.LazyAttribute(lambda o: _new_token(o.organization)[1])
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def make_invitation(organization, **fields) -> tuple[Invitation, str]:
    raw, token_hash = _new_token(organization)
    invitation = InvitationFactory(organization=organization, token_hash=token_hash, **fields)
    return invitation, raw


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    organization = factory.SubFactory(OrganizationFactory)
    filename = factory.Sequence(lambda n: f"directory-{n}.csv")
    status = ImportJob.Status.SUCCEEDED


def csv_bytes(
    *rows: str, header: str = "email,name,team,manager_email,title,location,hire_date,role"
) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()
