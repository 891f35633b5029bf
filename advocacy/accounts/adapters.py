"""allauth adapters: sign-up lands on creating an organization; SSO links by email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse

from advocacy.identity.saml import signin
from advocacy.identity.saml.apps import PREFIX, saml_apps


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        return reverse("organization_create")

    def send_mail(self, template_prefix, email, context):
        # Emails go out in the recipient's language when we know it.
        from django.utils import translation

        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SAML apps come from each organization's settings (advocacy/identity/saml/)."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return apps + saml_apps(provider=provider, client_id=client_id)

    def pre_social_login(self, request, sociallogin):
        signin.pre_social_login(request, sociallogin)

    def is_email_verified(self, provider, email):
        # An organization's identity provider vouches for its people's addresses.
        return provider.sub_id.startswith(PREFIX) or super().is_email_verified(provider, email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        signin.populate_name(user, data)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if signin.is_saml(sociallogin):
            signin.join_after_signup(sociallogin)
        return user
