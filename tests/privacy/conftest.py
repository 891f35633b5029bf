import pytest
from django.utils import translation

from tests.analytics.engagement_support import sandbox, sandbox_network  # noqa: F401


@pytest.fixture(autouse=True)
def english_after_each_test():
    yield
    translation.activate("en")
