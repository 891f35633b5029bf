"""The service provider's endpoints, at the paths allauth's SAML provider uses, served by
Chorus's views (they come before allauth's in the URL map): /accounts/saml/<org>/..."""

from allauth.socialaccount.providers.saml import views as allauth_saml
from django.urls import path

from . import views

urlpatterns = [
    path("metadata/", views.metadata, name="saml_metadata"),
    path("login/", views.login, name="saml_login"),
    # allauth's first step only parks the cross-site POST and redirects to finish/.
    path("acs/", allauth_saml.acs, name="saml_acs"),
    path("acs/finish/", views.finish, name="saml_finish_acs"),
    # Single logout is not offered; allauth's view would fail without its own settings.
    path("sls/", views.not_offered, name="saml_sls"),
]
