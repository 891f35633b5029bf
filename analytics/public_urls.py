"""Analytics endpoints outside any organization: the /r/ short links, and the
conversion snippet, pixel and server API the company's own site and servers call."""

from django.urls import path, re_path

from analytics import views
from analytics.conversions import views as conversion_views

urlpatterns = [
    # Anything under /r/, so malformed codes get the same friendly 404.
    re_path(r"^r/(?P<code>.*)$", views.short_link, name="short_link"),
    path("t/p.gif", conversion_views.conversion_pixel, name="conversion_pixel"),
    re_path(
        r"^t/(?P<public_key>[A-Za-z0-9_-]{8,24})\.js$",
        conversion_views.conversion_snippet,
        name="conversion_snippet",
    ),
    path("api/v1/conversions", conversion_views.conversions_api, name="conversions_api"),
]
