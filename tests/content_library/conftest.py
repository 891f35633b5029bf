import pytest

from .pages import LocalSite


@pytest.fixture
def site():
    local = LocalSite()
    yield local
    local.close()


@pytest.fixture
def allow_site(settings, site):
    """Let the fetcher reach the local site's port on loopback, and nothing else there."""
    settings.CONTENT_FETCHER_ALLOW_LOOPBACK = {site.port}
    return site
