"""Factories for campaigns and sharing."""

import factory
from django.utils import timezone

from campaigns.models import Campaign, CampaignItem, Share
from content_library.models import (
    Caption,
    ContentItem,
    GuidelinesAcknowledgement,
    GuidelinesVersion,
)
from social.models import Connection
from tests.factories import MembershipFactory, OrganizationFactory


class ContentFactory(factory.django.DjangoModelFactory):
    """An approved, shareable item."""

    class Meta:
        model = ContentItem

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Our new plant opens #{n}")
    url = factory.Sequence(lambda n: f"https://news.example.com/story-{n}")
    status = ContentItem.Status.APPROVED


class CaptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caption

    content = factory.SubFactory(ContentFactory)
    organization = factory.SelfAttribute("content.organization")
    text = factory.Sequence(lambda n: f"Proud of the team behind this #{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Spring launch {n}")
    slug = factory.Sequence(lambda n: f"spring-launch-{n}")


class CampaignItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignItem

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SelfAttribute("campaign.organization")
    content = factory.SubFactory(
        ContentFactory, organization=factory.SelfAttribute("..organization")
    )


class ConnectionFactory(factory.django.DjangoModelFactory):
    """A connection row without a usable token (for everything short of publishing)."""

    class Meta:
        model = Connection

    membership = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("membership.organization")
    network = "linkedin"
    external_id = factory.Sequence(lambda n: f"member-{n}")
    handle = factory.Sequence(lambda n: f"advocate{n}")
    followers = 250


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    membership = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("membership.organization")
    content = factory.SubFactory(
        ContentFactory, organization=factory.SelfAttribute("..organization")
    )
    channel = "linkedin"
    text = "Have a look at this"
    status = Share.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def publish_guidelines(organization, *, acknowledged_by=()):
    version = GuidelinesVersion.objects.create(
        organization=organization,
        number=1,
        title="Guidelines",
        body="<p>Be kind.</p>",
        published_at=timezone.now(),
    )
    for membership in acknowledged_by:
        GuidelinesAcknowledgement.objects.create(
            organization=organization, version=version, membership=membership
        )
    return version
