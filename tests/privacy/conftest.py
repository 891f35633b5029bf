from tests.analytics.engagement_support import sandbox, sandbox_network  # noqa: F401
