"""The embeddable recognition feed, outside any organization's URL (reached by a secret token)."""

from django.urls import include, path

from . import public_views

patterns = [
    path("<str:token>/", public_views.feed_widget, name="widget"),
    path("<str:token>/feed.rss", public_views.feed_rss, name="rss"),
    path("<str:token>/feed.json", public_views.feed_json, name="json"),
]

urlpatterns = [path("recognition/embed/", include((patterns, "recognition_public")))]
