"""Django's own messages that Django REST framework's French catalog words differently.

Every installed app's catalog overrides Django's, so with rest_framework installed the pages
would say « adresse e-mail » instead of Django's « adresse de courriel ». The project's catalog
(LOCALE_PATHS) overrides them all: these messages are listed here so that it holds them, with
Django's French wording. Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

DJANGO_WORDING = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
]
