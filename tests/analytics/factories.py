"""Shares and tracked links to click on."""

import factory

from campaigns.links import tracked_link_create
from campaigns.models import Campaign, Share
from tests.content_library.factories import ApprovedItemFactory
from tests.factories import MembershipFactory, OrganizationFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Spring launch {n}")
    slug = factory.Sequence(lambda n: f"spring-launch-{n}")
    status = Campaign.Status.ACTIVE


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    organization = factory.SubFactory(OrganizationFactory)
    membership = factory.SubFactory(
        MembershipFactory, organization=factory.SelfAttribute("..organization")
    )
    content = factory.SubFactory(
        ApprovedItemFactory, organization=factory.SelfAttribute("..organization")
    )
    channel = Share.Channel.LINKEDIN
    text = "Proud of this one"
    status = Share.Status.PUBLISHED


def tracked_link_for(organization, **share_fields):
    share = ShareFactory(organization=organization, **share_fields)
    return tracked_link_create(organization=organization, share=share)
