"""WSGI entry point.

Short links (/r/<code>) are answered by a slim dispatcher ahead of Django's
middleware stack: a click is the hottest path Chorus has and needs none of
sessions, CSRF or authentication. Everything else is plain Django. See
analytics/redirect.py and the "Click pipeline" section of docs/architecture.md.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")

django_application = get_wsgi_application()

from analytics.clicks.redirect import ShortLinkDispatcher  # noqa: E402  (needs Django set up)

application = ShortLinkDispatcher(django_application)
