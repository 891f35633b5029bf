"""Factories for the content library."""

import factory
from django.utils import timezone

from content_library.models import Caption, ContentItem, GuidelinesVersion, Topic
from tests.factories import OrganizationFactory


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Story {n}")
    url = factory.Sequence(lambda n: f"https://news.example.com/story-{n}")
    status = ContentItem.Status.DRAFT


class ApprovedItemFactory(ContentItemFactory):
    status = ContentItem.Status.APPROVED


class CaptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caption

    content = factory.SubFactory(ContentItemFactory)
    organization = factory.SelfAttribute("content.organization")
    text = factory.Sequence(lambda n: f"Proud of what we shipped #{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class GuidelinesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidelinesVersion

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Social media guidelines"
    body = "<p>Be kind, be honest, say you work here.</p>"
    published_at = factory.LazyFunction(timezone.now)
