"""Speak each person's own language: their saved preference wins over the browser's."""

from django.conf import settings


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = settings.LANGUAGE_COOKIE_NAME
        if cookie not in request.COOKIES:
            user = getattr(request, "user", None)
            # AuthenticationMiddleware runs later; read the session's user lazily only if needed.
            if (
                user is None
                and hasattr(request, "session")
                and request.session.get("_auth_user_id")
            ):
                from django.contrib.auth import get_user

                user = get_user(request)
                request._cached_user = user
            language = getattr(user, "preferred_language", "") if user else ""
            if language:
                request.COOKIES[cookie] = language
        return self.get_response(request)
