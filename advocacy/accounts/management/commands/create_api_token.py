from django.core.management.base import BaseCommand, CommandError

from advocacy.accounts.models import User
from advocacy.accounts.services import api_token_create
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Organization


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL in organization ORG_SLUG and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("org_slug")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, org_slug, name, **options):
        organization = Organization.objects.filter(slug=org_slug).first()
        if organization is None:
            raise CommandError(f"No organization with slug {org_slug!r}.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        with org_context(organization):
            if (
                not Membership.objects.for_org(organization)
                .filter(user=user, is_active=True)
                .exists()
            ):
                raise CommandError(f"{email} is not a member of {org_slug}.")
            _token, raw = api_token_create(organization=organization, user=user, name=name)
        self.stdout.write(raw)
