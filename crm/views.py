import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm import slots, unavailable
from crm.forms import PasswordChangeForm, ProfileForm, SignInForm
from crm.models import Profile


def home(request):
    """'My day': whatever the installed apps register on the home page."""
    panels = []
    for panel in slots.panels(slots.HOME):
        data = panel.get_context(request)
        if data is not None:  # None: nothing for this user (e.g. no permission)
            panels.append({"panel": panel, "data": data})
    return render(request, "crm/home.html", {"panels": panels})


def safe_next(request, fallback: str) -> str:
    """The `next` URL if it stays on this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# The language a visitor picked on the sign-in page, kept in their (anonymous) session.
SIGN_IN_LANGUAGE = "sign_in_language"


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_not_required
@require_POST
def set_language(request):
    """Switch French / English; a signed-in user keeps the choice on every device."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, reverse("home")))
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        profile = Profile.for_user(request.user)
        profile.language = language
        profile.save(update_fields=["language"])
    else:
        # Chosen on the sign-in page: it becomes the preference of whoever signs in next
        # here. A cookie alone is not a choice (it may be left from an earlier visit).
        request.session[SIGN_IN_LANGUAGE] = language
    set_language_cookie(response, language)
    return response


class LoginView(auth_views.LoginView):
    """Django's login behind the sign-in guard (django-axes, see crm/signin.py);
    then the user's own language comes back with them, unless they chose one on this page."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        chosen = self.request.session.pop(SIGN_IN_LANGUAGE, None)
        response = super().form_valid(form)
        profile = Profile.for_user(form.get_user())
        if chosen in dict(settings.LANGUAGES) and chosen != profile.language:
            profile.language = chosen
            profile.save(update_fields=["language"])
        if profile.language:
            set_language_cookie(response, profile.language)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; a wrong current password counts towards the sign-in lock."""

    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def profile(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        response = redirect("profile")
        if profile.language:
            activate(profile.language)
            set_language_cookie(response, profile.language)
        messages.success(request, _("Your preferences were saved."))
        return response
    return render(request, "crm/profile.html", {"form": form})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    # A connection lost after the view (atomic_writes' commit, the session's save)
    # escapes DatabaseUnavailableMiddleware.process_exception: still "busy", not a bug.
    if unavailable.is_lost_connection(sys.exception()):
        return unavailable.busy_response()
    # Rendered without the request: no context processor may touch the
    # database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
