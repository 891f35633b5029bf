from django.urls import path

from . import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="pwa_manifest"),
    path("sw.js", views.service_worker, name="pwa_service_worker"),
    path("offline/", views.offline, name="pwa_offline"),
]
