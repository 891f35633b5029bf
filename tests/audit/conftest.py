import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_after_each_test():
    """Pages asked for in Indonesian leave the thread's language set; later tests expect English."""
    yield
    translation.activate("en")
