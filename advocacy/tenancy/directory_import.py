"""The directory CSV: how an HR admin loads (and reloads) a whole company.

Columns: email, name, team, manager email, title, location, hire date, role.
Every row is checked first (each problem reported with its line number); only a
file without a single problem is saved, in one transaction, so an import is
all or nothing. Importing the same file again changes nothing. A column that is
present is the truth for the people in the file (an empty cell clears it,
except name and role, which an empty cell leaves as they are); a column that
is absent is left alone.

People who are new to Chorus get an account without a password; when the
admin asks for it, a welcome email brings them a link to set one (allauth's
password reset link, so the rest of the way is the usual sign-in).
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ImportJob, Membership, Organization, Role, Team
from .services import email_domain_allowed

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = ("email", "name", "team", "manager_email", "title", "location", "hire_date", "role")
REQUIRED_COLUMNS = ("email",)
_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "full_name": "name",
    "department": "team",
    "manager": "manager_email",
    "manager_e_mail": "manager_email",
    "job_title": "title",
    "start_date": "hire_date",
    "hired": "hire_date",
}
TEAM_SEPARATOR = "/"
_LIMITS = {"name": 150, "title": 120, "location": 120}
_CHUNK = 500

ERROR_MESSAGES = {
    "too_big": _("The file is larger than %(limit)s MB. Split it into smaller files."),
    "too_many_rows": _("The file has more than %(limit)s people. Split it into smaller files."),
    "encoding": _(
        "Line %(line)s is not UTF-8 text. Save the file as “CSV UTF-8” from your spreadsheet and try again."
    ),
    "not_csv": _("This does not read as a CSV file: %(detail)s"),
    "empty": _("The file has no header row and no people."),
    "missing_columns": _("Missing column(s): %(columns)s. The first row must name the columns."),
    "duplicate_column": _("The column “%(column)s” appears twice."),
    "missing_email": _("No email address."),
    "invalid_email": _("“%(value)s” is not a valid email address."),
    "domain_not_allowed": _("“%(value)s” is not in a domain this organization allows."),
    "duplicate_email": _("%(value)s also appears on line %(other)s."),
    "invalid_role": _("“%(value)s” is not a role. Use owner, admin, curator, manager or employee."),
    "owner_by_import": _(
        "Owners cannot be made by import; invite them or change their role on their profile."
    ),
    "owner_demoted": _(
        "%(value)s is an owner; change an owner's role on their profile, not by import."
    ),
    "invalid_date": _("“%(value)s” is not a date. Write dates as YYYY-MM-DD, e.g. 2024-03-31."),
    "too_long": _("The %(column)s is longer than %(limit)s characters."),
    "unknown_manager": _("The manager %(value)s is neither in the file nor in the organization."),
    "self_manager": _("A person cannot be their own manager."),
    "manager_cycle": _("The manager chain loops: %(chain)s."),
    "team_name": _("The team name “%(value)s” is too long or empty."),
    "team_taken": _(
        "A team called “%(value)s” already exists elsewhere in the organization; team names are unique, so write its full path or pick another name."
    ),
    "no_rows": _("The file has a header but no people."),
}


@dataclass
class RowError:
    line: int
    code: str
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"line": self.line, "code": self.code, "params": self.params}


def error_message(entry: dict) -> str:
    template = ERROR_MESSAGES.get(entry.get("code", ""), _("Unexpected problem: %(detail)s"))
    params = {"detail": entry.get("code", ""), **entry.get("params", {})}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


@dataclass
class Row:
    line: int
    email: str
    values: dict[str, str]  # normalized column → cell text (only columns the file has)


class FileProblem(Exception):
    def __init__(self, error: RowError):
        super().__init__(error.code)
        self.error = error


def _header_name(cell: str) -> str:
    key = "_".join(cell.strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(RowError(0, "too_big", {"limit": MAX_FILE_BYTES // (1024 * 1024)}))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(RowError(line, "encoding", {"line": line})) from error


def parse(text: str) -> tuple[list[str], list[Row], list[RowError]]:
    """The columns the file has, its rows, and the problems of the file as a whole."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FileProblem(RowError(1, "not_csv", {"detail": str(error)})) from error
    if not header or not any(cell.strip() for cell in header):
        raise FileProblem(RowError(1, "empty"))
    columns = [_header_name(cell) for cell in header]
    known = [c for c in columns if c in COLUMNS]
    for column in set(known):
        if known.count(column) > 1:
            raise FileProblem(RowError(1, "duplicate_column", {"column": column}))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileProblem(RowError(1, "missing_columns", {"columns": ", ".join(missing)}))
    positions = {column: index for index, column in enumerate(columns) if column in COLUMNS}
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem(RowError(start, "too_many_rows", {"limit": MAX_ROWS}))
            values = {
                col: (cells[i].strip() if i < len(cells) else "") for col, i in positions.items()
            }
            rows.append(Row(line=start, email=values.get("email", "").lower(), values=values))
    except csv.Error as error:
        raise FileProblem(RowError(line, "not_csv", {"detail": str(error)})) from error
    if not rows:
        raise FileProblem(RowError(2, "no_rows"))
    return list(positions), rows, []


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Role.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
    lookup["hr admin"] = lookup["hr_admin"] = Role.ADMIN
    return lookup


def _team_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(TEAM_SEPARATOR))


@dataclass
class Plan:
    """What the checked file will do, computed once and then saved."""

    columns: list[str]
    rows: list[Row]
    existing: dict[str, Membership]  # email → membership in this organization
    users: dict[str, int]  # email → user id, for everyone in the file who has an account
    roles: dict[str, str | None]
    dates: dict[str, datetime.date | None]
    teams: set[tuple[str, ...]]


def check(
    *,
    organization: Organization,
    columns: list[str],
    rows: list[Row],
    progress: Callable[[int], None] | None = None,
) -> tuple[Plan, list[RowError]]:
    errors: list[RowError] = []
    User = get_user_model()
    existing = {
        m.user.email.lower(): m
        for m in Membership.objects.for_org(organization).select_related("user")
    }
    emails = [row.email for row in rows if row.email]
    users: dict[str, int] = {}
    for start in range(0, len(emails), 1000):
        chunk = emails[start : start + 1000]
        users.update(
            {
                email.lower(): pk
                for email, pk in User.objects.filter(email__in=chunk).values_list("email", "pk")
            }
        )
    role_of = _role_lookup()
    first_line: dict[str, int] = {}
    roles: dict[str, str | None] = {}
    dates: dict[str, datetime.date | None] = {}
    teams: set[tuple[str, ...]] = set()
    for index, row in enumerate(rows, start=1):
        errors.extend(
            _check_row(organization, row, first_line, existing, role_of, roles, dates, teams)
        )
        if progress is not None and index % _CHUNK == 0:
            progress(index)
    if "manager_email" in columns:
        errors.extend(_check_managers(rows, existing, first_line))
    errors.extend(_check_team_names(organization, rows, teams))
    plan = Plan(
        columns=columns,
        rows=rows,
        existing=existing,
        users=users,
        roles=roles,
        dates=dates,
        teams=teams,
    )
    return plan, sorted(errors, key=lambda e: e.line)


def _check_row(
    organization, row, first_line, existing, role_of, roles, dates, teams
) -> Iterator[RowError]:
    email, values, line = row.email, row.values, row.line
    if not email:
        yield RowError(line, "missing_email")
        return
    try:
        validate_email(email)
    except ValidationError:
        yield RowError(line, "invalid_email", {"value": email})
        return
    if email in first_line:
        yield RowError(line, "duplicate_email", {"value": email, "other": first_line[email]})
        return
    first_line[email] = line
    if not email_domain_allowed(organization=organization, email=email):
        yield RowError(line, "domain_not_allowed", {"value": email})
    for column, limit in _LIMITS.items():
        if len(values.get(column, "")) > limit:
            yield RowError(line, "too_long", {"column": column, "limit": limit})
    current = existing.get(email)
    raw_role = values.get("role", "")
    role = role_of.get(raw_role.lower()) if raw_role else None
    if raw_role and role is None:
        yield RowError(line, "invalid_role", {"value": raw_role})
    elif role == Role.OWNER and (current is None or current.role != Role.OWNER):
        yield RowError(line, "owner_by_import")
    elif current is not None and current.role == Role.OWNER and role not in (None, Role.OWNER):
        yield RowError(line, "owner_demoted", {"value": email})
    roles[email] = role
    raw_date = values.get("hire_date", "")
    dates[email] = None
    if raw_date:
        try:
            dates[email] = datetime.date.fromisoformat(raw_date)
        except ValueError:
            yield RowError(line, "invalid_date", {"value": raw_date})
    team = values.get("team", "")
    if team:
        path = _team_path(team)
        if any(not part or len(part) > 120 for part in path):
            yield RowError(line, "team_name", {"value": team})
        else:
            teams.add(path)


def _check_team_names(organization, rows, teams) -> Iterator[RowError]:
    """A team the file would create under a name already used elsewhere in the
    organization (or by another new team under another parent) would break
    `team_unique_name`: said per line instead, following `_ensure_teams`'s resolution."""
    nodes: dict[tuple, object] = {
        (team.parent_id, team.name.lower()): team.pk for team in Team.objects.for_org(organization)
    }
    used = {name for _parent, name in nodes}
    taken: dict[tuple[str, ...], str] = {}
    for path in sorted(teams, key=len):
        parent = None
        for depth, name in enumerate(path, start=1):
            lower = name.lower()
            node = nodes.get((parent, lower))
            if node is None and parent is None and len(path) == 1:
                matches = [pk for (_p, n), pk in nodes.items() if n == lower]
                node = matches[0] if len(matches) == 1 else None
            if node is None:
                if lower in used:
                    taken[path] = name
                    break
                node = ("new", path[:depth])
                nodes[(parent, lower)] = node
                used.add(lower)
            parent = node
    for row in rows:
        team = row.values.get("team", "")
        if team and _team_path(team) in taken:
            yield RowError(row.line, "team_taken", {"value": taken[_team_path(team)]})


def _check_managers(
    rows: list[Row], existing: dict[str, Membership], first_line: dict[str, int]
) -> Iterator[RowError]:
    in_file = {
        row.email: row for row in rows if row.email and first_line.get(row.email) == row.line
    }
    email_of_member = {m.pk: email for email, m in existing.items()}
    manager_of: dict[str, str | None] = {
        email: email_of_member.get(m.manager_id) for email, m in existing.items()
    }
    for email, row in in_file.items():
        manager = row.values.get("manager_email", "").lower()
        if manager and manager == email:
            yield RowError(row.line, "self_manager")
            manager = ""
        elif manager and manager not in in_file and manager not in existing:
            yield RowError(row.line, "unknown_manager", {"value": manager})
            manager = ""
        manager_of[email] = manager or None
    reported: set[str] = set()
    for email in in_file:
        chain, current = [email], manager_of.get(email)
        while current is not None and current not in chain:
            chain.append(current)
            current = manager_of.get(current)
        if current is None or current in reported:
            continue
        loop = chain[chain.index(current) :]
        if email not in loop:
            continue  # reported from a person on the loop itself
        reported.update(loop)
        for person in loop:
            if person in in_file:
                text = " → ".join(
                    [*loop[loop.index(person) :], *loop[: loop.index(person)], person]
                )
                yield RowError(in_file[person].line, "manager_cycle", {"chain": text})


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    new_user_ids: list[int] = field(default_factory=list)


def _ensure_teams(
    organization: Organization, paths: set[tuple[str, ...]]
) -> tuple[dict[tuple[str, ...], Team], int]:
    by_parent: dict[tuple[int | None, str], Team] = {
        (team.parent_id, team.name.lower()): team for team in Team.objects.for_org(organization)
    }
    resolved: dict[tuple[str, ...], Team] = {}
    created = 0
    for path in sorted(paths, key=len):
        parent: Team | None = None
        for depth, name in enumerate(path, start=1):
            key = (parent.pk if parent else None, name.lower())
            team = by_parent.get(key)
            if team is None and parent is None and depth == 1 and len(path) == 1:
                # A bare name may point at a team anywhere in the tree when it is unique there.
                matches = [t for (p, n), t in by_parent.items() if n == name.lower()]
                team = matches[0] if len(matches) == 1 else None
            if team is None:
                team = Team.objects.create(organization=organization, name=name, parent=parent)
                by_parent[key] = team
                created += 1
            parent = team
            resolved[path[:depth]] = team
    return resolved, created


def save(*, organization: Organization, plan: Plan) -> Outcome:
    """Write the checked plan. Call inside one transaction."""
    User = get_user_model()
    from allauth.account.models import EmailAddress

    outcome = Outcome()
    columns = set(plan.columns)
    teams, outcome.teams_created = _ensure_teams(organization, plan.teams)

    new_users = [
        User(
            email=row.email,
            name=row.values.get("name", ""),
            password="!" + secrets.token_urlsafe(30),
            preferred_language="",
        )
        for row in plan.rows
        if row.email not in plan.users
    ]
    if new_users:
        User.objects.bulk_create(new_users, batch_size=1000)
        created_ids = dict(
            User.objects.filter(email__in=[u.email for u in new_users]).values_list("email", "pk")
        )
        plan.users.update(created_ids)
        outcome.new_user_ids = list(created_ids.values())
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(
                    user_id=created_ids[u.email], email=u.email, verified=True, primary=True
                )
                for u in new_users
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    # A person's name is theirs across organizations: fill it in only where it is empty.
    if "name" in columns:
        blank = set(
            User.objects.filter(pk__in=list(plan.users.values()), name="").values_list(
                "email", flat=True
            )
        )
        to_name = [
            User(pk=plan.users[row.email], name=row.values["name"])
            for row in plan.rows
            if row.email in blank and row.values.get("name")
        ]
        User.objects.bulk_update(to_name, ["name"], batch_size=1000)

    to_create: list[Membership] = []
    to_update: dict[str, Membership] = {}
    changed_fields: set[str] = set()
    for row in plan.rows:
        wanted = _wanted_fields(row, columns, plan, teams)
        membership = plan.existing.get(row.email)
        if membership is None:
            wanted.setdefault("role", Role.EMPLOYEE)
            to_create.append(
                Membership(organization=organization, user_id=plan.users[row.email], **wanted)
            )
            continue
        diff = {name: value for name, value in wanted.items() if getattr(membership, name) != value}
        if not membership.is_active:
            diff["is_active"] = True
            diff["leave_date"] = None
        for name, value in diff.items():
            setattr(membership, name, value)
        if diff:
            to_update[row.email] = membership
            changed_fields |= set(diff)
        else:
            outcome.unchanged += 1
    Membership.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Membership.objects.bulk_update(
            list(to_update.values()), sorted(changed_fields), batch_size=200
        )
    outcome.created, outcome.updated = len(to_create), len(to_update)

    if "manager_email" in columns:
        outcome = _save_managers(organization, plan, to_update, outcome)
    return outcome


def _wanted_fields(row: Row, columns: set[str], plan: Plan, teams: dict) -> dict:
    values = row.values
    wanted: dict = {}
    if plan.roles.get(row.email):
        wanted["role"] = plan.roles[row.email]
    if "team" in columns:
        wanted["team_id"] = teams[_team_path(values["team"])].pk if values.get("team") else None
    if "title" in columns:
        wanted["job_title"] = values.get("title", "")
    if "location" in columns:
        wanted["location"] = values.get("location", "")
    if "hire_date" in columns:
        wanted["hire_date"] = plan.dates.get(row.email)
    return wanted


def _save_managers(
    organization: Organization, plan: Plan, updated: dict[str, Membership], outcome: Outcome
) -> Outcome:
    member_of: dict[str, int] = {}
    current: dict[int, int | None] = {}
    for email, pk, manager_id in Membership.objects.for_org(organization).values_list(
        "user__email", "pk", "manager_id"
    ):
        member_of[email.lower()] = pk
        current[pk] = manager_id
    rows_by_email = {row.email: row for row in plan.rows}
    # Set managers with one UPDATE per manager (a company has far fewer managers than
    # people), which is much cheaper than a CASE per row of bulk_update.
    by_manager: dict[int | None, list[int]] = {}
    for email, row in rows_by_email.items():
        manager_email = row.values.get("manager_email", "").lower()
        manager_id = member_of.get(manager_email) if manager_email else None
        pk = member_of[email]
        if current.get(pk) != manager_id:
            by_manager.setdefault(manager_id, []).append(pk)
            if email in plan.existing and email not in updated:
                outcome.unchanged -= 1
                outcome.updated += 1
                updated[email] = plan.existing[email]
    for manager_id, pks in by_manager.items():
        for start in range(0, len(pks), 500):
            Membership.objects.for_org(organization).filter(pk__in=pks[start : start + 500]).update(
                manager_id=manager_id
            )
    return outcome


def export_rows(*, organization: Organization) -> Iterator[list[str]]:
    """The directory as the import reads it, so exporting and importing is a no-op."""
    yield ["email", "name", "team", "manager_email", "title", "location", "hire_date", "role"]
    teams = {team.pk: team for team in Team.objects.for_org(organization)}

    def path(team_id: int | None) -> str:
        parts, seen = [], set()
        while team_id is not None and team_id in teams and team_id not in seen:
            seen.add(team_id)
            parts.append(teams[team_id].name)
            team_id = teams[team_id].parent_id
        return f" {TEAM_SEPARATOR} ".join(reversed(parts))

    email_of = dict(Membership.objects.for_org(organization).values_list("pk", "user__email"))
    members = (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .values_list(
            "user__email",
            "user__name",
            "team_id",
            "manager_id",
            "job_title",
            "location",
            "hire_date",
            "role",
        )
        .order_by("user__email")
    )
    for email, name, team_id, manager_id, title, location, hire_date, role in members.iterator(
        chunk_size=2000
    ):
        yield [
            _safe_cell(email),
            _safe_cell(name),
            _safe_cell(path(team_id)),
            email_of.get(manager_id, ""),
            _safe_cell(title),
            _safe_cell(location),
            hire_date.isoformat() if hire_date else "",
            role,
        ]


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; quote them."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


# --- the job --------------------------------------------------------------


def import_job_create(
    *, organization: Organization, created_by, filename: str, data: bytes, send_welcome: bool
) -> ImportJob:
    """Store the upload; the caller enqueues `directory_import_task` for it."""
    problem = None
    try:
        text = decode(data)
    except FileProblem as error:
        text, problem = "", error.error
    job = ImportJob.objects.create(
        organization=organization,
        created_by=created_by,
        filename=filename[:255],
        content=text,
        send_welcome=send_welcome,
    )
    if problem is not None:
        _finish(job, errors=[problem])
    return job


def _finish(
    job: ImportJob, *, errors: list[RowError] | None = None, outcome: Outcome | None = None
) -> None:
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.SUCCEEDED
    job.errors = [e.as_json() for e in errors or []]
    job.content = ""
    job.finished_at = timezone.now()
    fields = ["status", "errors", "content", "finished_at"]
    if outcome is not None:
        job.created_count, job.updated_count = outcome.created, outcome.updated
        job.unchanged_count, job.teams_created = outcome.unchanged, outcome.teams_created
        job.processed_rows = job.total_rows
        fields += [
            "created_count",
            "updated_count",
            "unchanged_count",
            "teams_created",
            "processed_rows",
        ]
    job.save(update_fields=fields)


def import_job_run(*, organization: Organization, job: ImportJob) -> Outcome | None:
    """Check every row, then save all or nothing. Safe to run twice: a finished job is left alone."""
    if job.is_finished:
        return None
    try:
        columns, rows, _problems = parse(job.content)
    except FileProblem as error:
        _finish(job, errors=[error.error])
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, total_rows=len(rows)
    )
    job.total_rows = len(rows)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    plan, errors = check(organization=organization, columns=columns, rows=rows, progress=progress)
    if errors:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(rows))
        _finish(job, errors=errors)
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.SAVING, processed_rows=len(rows)
    )
    with transaction.atomic():
        outcome = save(organization=organization, plan=plan)
        _finish(job, outcome=outcome)
    return outcome
