"""The sign-in guard's rules, plugged into django-axes (the AXES_* block in crm/settings.py).

Failures are rows in the database (axes's AccessAttempt), counted per user name and
address together, so every process and every app server shares them, with or without
Redis. The forms that check a password (crm/forms.py) show a lock as their own error.
"""

import unicodedata

from axes.apps import AppConfig as AxesConfig
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

# django-axes shows these in the admin, but its French catalogue lacks them: marked here so
# that makemessages keeps their translation in ours (LOCALE_PATHS comes before a package's).
AXES_STRINGS_WE_TRANSLATE = [gettext_noop("Locked Out"), gettext_noop("access attempt expiration")]

# The ValidationError code of "too many failures": a page whose form carries it answers 429.
LOCKED_OUT = "locked_out"
# AccessAttempt.username is a 255-character column.
USERNAME_MAX_LENGTH = 255


class SignInGuardConfig(AxesConfig):
    """django-axes under a name administrators understand (INSTALLED_APPS)."""

    verbose_name = gettext_lazy("Sign-in locks")


def username_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name failures are counted under.

    Django's sign-in forms authenticate the NFKC form of what was typed, stripped, so
    `ｖictim` and `𝐯ictim` sign in as `victim` (the admin's user forms and create_user()
    store names NFKC-normalised, so no second account holds a look-alike). Counting under the same form,
    with case folded too, makes every spelling that reaches an account share its lock
    (`Victim` and `victim`, two accounts if both exist, share one: the safe side).
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if username is None:
        return None
    name = unicodedata.normalize("NFKC", str(username)).casefold()
    # Case folding can undo NFKC (e.g. ligatures), so normalise once more.
    return unicodedata.normalize("NFKC", name).strip()[:USERNAME_MAX_LENGTH]


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address of the connection, REMOTE_ADDR.

    X-Forwarded-For is not read: it is whatever the client typed unless our own proxy
    rewrites it, and a forged one would give each guess a fresh address (five more tries)
    or lock someone else out. Behind a proxy every visitor has the proxy's address, so
    locks fall back to one per user name; a proxy that speaks the PROXY protocol
    (gunicorn --proxy-protocol) puts the visitor's real address into REMOTE_ADDR.
    """
    return request.META.get("REMOTE_ADDR")


def lock_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out_message() -> str:
    return _(
        "Too many failed sign-in attempts. For your security, wait %(minutes)d minutes and try again."
    ) % {"minutes": lock_minutes()}


def shows_lock(form) -> bool:
    """Whether this form refused because of the lock (its error says so)."""
    return any(
        error.code == LOCKED_OUT for errors in form.errors.as_data().values() for error in errors
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the answer to a request axes refused, status 429.

    The sign-in page, the admin login and the password page re-show their form with the
    lock as its error (crm/forms.py): that page is kept, in its own look. Anything else
    gets the message on a page of its own.
    """
    form = (getattr(original_response, "context_data", None) or {}).get("form")
    if form is not None and shows_lock(form):
        original_response.status_code = 429
        return original_response
    return render(request, "registration/locked_out.html", {"message": locked_out_message()}, status=429)
