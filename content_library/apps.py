from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentLibraryConfig(AppConfig):
    name = "content_library"
    verbose_name = _("Content library")
