"""URL map. Tenant pages live under /o/<org_slug>/, the tenant API under
/api/v1/orgs/<org_slug>/; each product app brings `urls.py` (pages),
`api_urls.py` (API) and, for the few public endpoints, `public_urls.py`."""

from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from advocacy.accounts import views as account_views
from advocacy.health import healthz

PRODUCT_APPS = settings.PRODUCT_APPS

admin.site.site_header = "Chorus platform staff"

org_pages = [
    path("", include("advocacy.tenancy.urls")),
    path("", include("advocacy.accounts.urls")),
    path("", include("advocacy.audit.urls")),
    path("", include("advocacy.privacy.urls")),
    path("", include("advocacy.identity.scim.urls")),
    path("", include("advocacy.identity.saml.org_urls")),
]
org_api = [
    path("", include("advocacy.tenancy.api_urls")),
    path("", include("advocacy.privacy.api_urls")),
]
public = []
for app in PRODUCT_APPS:
    org_pages.append(path("", include(f"{app}.urls")))
    org_api.append(path("", include(f"{app}.api_urls")))
    if find_spec(f"{app}.public_urls"):
        public.append(path("", include(f"{app}.public_urls")))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # SAML sign-in per organization, ahead of allauth's own SAML routes (advocacy/identity/saml/)
    path("accounts/saml/<slug:organization_slug>/", include("advocacy.identity.saml.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/orgs/<slug:org_slug>/", include(org_api)),
    path("o/<slug:org_slug>/", include(org_pages)),
    path("scim/v2/orgs/<slug:org_slug>/", include("advocacy.identity.scim.api_urls")),
    path("", include("advocacy.pwa.urls")),  # manifest, /sw.js at the root scope, offline page
    path("", include("advocacy.tenancy.public_urls")),
    *public,
]

handler404 = "advocacy.errors.handler404"
handler500 = "advocacy.errors.handler500"
handler429 = "advocacy.ratelimit.handler429"  # allauth's rate limits

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
