"""Demo organizations and people; every app adds its own demo data.

Idempotent: running it again changes nothing that is already there. Each
product app may ship `<app>/demo.py` with `seed(*, organization, people)`,
called after the people exist.
"""

from __future__ import annotations

import datetime
import importlib
import os
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from advocacy.accounts.models import User
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Organization, Role, Team

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "chorus-demo-2026")

ORGANIZATIONS = [
    {
        "slug": "acme",
        "name": "Acme Corporation",
        "timezone": "America/New_York",
        "language": "en",
        "teams": {
            "Marketing": None,
            "Sales": None,
            "Sales East": "Sales",
            "Engineering": None,
            "People": None,
        },
        "people": [
            ("admin", "Alice Admin", Role.ADMIN, "People", "HR Director", "New York", None, "en"),
            ("owner", "Oscar Owner", Role.OWNER, None, "CEO", "New York", None, "en"),
            (
                "curator",
                "Cora Curator",
                Role.CURATOR,
                "Marketing",
                "Content Lead",
                "New York",
                None,
                "en",
            ),
            (
                "manager",
                "Max Manager",
                Role.MANAGER,
                "Sales",
                "Head of Sales",
                "Boston",
                None,
                "en",
            ),
            (
                "employee1",
                "Emma Evans",
                Role.EMPLOYEE,
                "Sales",
                "Account Executive",
                "Boston",
                "manager",
                "en",
            ),
            (
                "employee2",
                "Ethan Ellis",
                Role.EMPLOYEE,
                "Sales East",
                "Sales Development Rep",
                "Boston",
                "manager",
                "en",
            ),
            (
                "employee3",
                "Eva Ernst",
                Role.EMPLOYEE,
                "Marketing",
                "Designer",
                "New York",
                "curator",
                "en",
            ),
            (
                "employee4",
                "Eli Edwards",
                Role.EMPLOYEE,
                "Engineering",
                "Engineer",
                "Remote",
                None,
                "en",
            ),
            (
                "employee5",
                "Esme Ito",
                Role.EMPLOYEE,
                "Engineering",
                "Engineer",
                "Remote",
                None,
                "en",
            ),
            (
                "employee6",
                "Ezra Eaton",
                Role.EMPLOYEE,
                "Sales",
                "Account Manager",
                "Boston",
                "manager",
                "en",
            ),
        ],
    },
    {
        "slug": "globex",
        "name": "Globex Indonesia",
        "timezone": "Asia/Jakarta",
        "language": "id",
        "teams": {"Pemasaran": None, "Penjualan": None, "Teknologi": None, "SDM": None},
        "people": [
            ("admin", "Ayu Admin", Role.ADMIN, "SDM", "Kepala SDM", "Jakarta", None, "id"),
            (
                "curator",
                "Citra Kurator",
                Role.CURATOR,
                "Pemasaran",
                "Manajer Konten",
                "Jakarta",
                None,
                "id",
            ),
            (
                "manager",
                "Made Manajer",
                Role.MANAGER,
                "Penjualan",
                "Kepala Penjualan",
                "Surabaya",
                None,
                "id",
            ),
            (
                "employee1",
                "Eka Putri",
                Role.EMPLOYEE,
                "Penjualan",
                "Eksekutif Akun",
                "Surabaya",
                "manager",
                "id",
            ),
            (
                "employee2",
                "Eko Prasetyo",
                Role.EMPLOYEE,
                "Penjualan",
                "Staf Penjualan",
                "Surabaya",
                "manager",
                "id",
            ),
            (
                "employee3",
                "Endah Lestari",
                Role.EMPLOYEE,
                "Pemasaran",
                "Desainer",
                "Jakarta",
                "curator",
                "id",
            ),
            (
                "employee4",
                "Edi Santoso",
                Role.EMPLOYEE,
                "Teknologi",
                "Insinyur",
                "Bandung",
                None,
                "id",
            ),
            (
                "employee5",
                "Evi Wulandari",
                Role.EMPLOYEE,
                "Teknologi",
                "Insinyur",
                "Bandung",
                None,
                "en",
            ),
        ],
    },
]

# A consultant who curates for both organizations, to show switching between them.
SHARED_PERSON = ("agency@chorus.example", "Sam Agency", Role.CURATOR)


def _user(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, name=name, preferred_language=language
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Create the demo organizations acme and globex with their people and data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        staff = _user("staff@chorus.example", "Platform Staff", "en")
        if not staff.is_staff:
            staff.is_staff = staff.is_superuser = True
            staff.save(update_fields=["is_staff", "is_superuser"])
        for spec in ORGANIZATIONS:
            organization, _created = Organization.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "timezone": spec["timezone"],
                    "default_language": spec["language"],
                },
            )
            with org_context(organization):
                people = self._people(organization, spec)
                email, name, role = SHARED_PERSON
                Membership.objects.get_or_create(
                    organization=organization,
                    user=_user(email, name, "en"),
                    defaults={"role": role},
                )
                for app_config in apps.get_app_configs():
                    module_name = f"{app_config.name}.demo"
                    if find_spec(module_name) is not None:
                        importlib.import_module(module_name).seed(
                            organization=organization, people=people
                        )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo password for every demo account: {DEMO_PASSWORD}")
        for spec in ORGANIZATIONS:
            logins = ", ".join(f"{p[0]}@{spec['slug']}.example" for p in spec["people"])
            self.stdout.write(f"  {spec['slug']}: {logins}")
        self.stdout.write(
            f"  both organizations: {SHARED_PERSON[0]}; platform staff: staff@chorus.example"
        )

    def _people(self, organization: Organization, spec: dict) -> dict[str, Membership]:
        teams: dict[str, Team] = {}
        for name, parent in spec["teams"].items():
            teams[name], _ = Team.objects.get_or_create(
                organization=organization, name=name, parent=teams.get(parent) if parent else None
            )
        people: dict[str, Membership] = {}
        hire = datetime.date(2022, 3, 1)
        for index, (local, name, role, team, title, location, _manager, language) in enumerate(
            spec["people"]
        ):
            user = _user(f"{local}@{spec['slug']}.example", name, language)
            membership, _ = Membership.objects.get_or_create(
                organization=organization,
                user=user,
                defaults={
                    "role": role,
                    "team": teams.get(team) if team else None,
                    "job_title": title,
                    "location": location,
                    "hire_date": hire + datetime.timedelta(days=41 * index),
                    "is_executive": title in ("CEO",),
                },
            )
            people[local] = membership
        for local, *_rest, manager, _language in spec["people"]:
            if manager and people[local].manager_id is None:
                people[local].manager = people[manager]
                people[local].save(update_fields=["manager"])
        return people
