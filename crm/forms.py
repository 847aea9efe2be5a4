from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError

from crm import signin
from crm.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language", "email_reminders", "calendar_alarm"]


def locked_out_error() -> ValidationError:
    return ValidationError(signin.locked_out_message(), code=signin.LOCKED_OUT)


class LockAwareSignInMixin:
    """A refused sign-in says so when the sign-in guard refused it (or this failure locked it).

    authenticate() goes through axes's backend first: once a user name + address has
    five failures it refuses without checking the password, and flags the request.
    """

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return locked_out_error()
        return super().get_invalid_login_error()


class SignInForm(LockAwareSignInMixin, auth_forms.AuthenticationForm):
    pass


class AdminSignInForm(LockAwareSignInMixin, AdminAuthenticationForm):
    pass


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; a wrong current password counts as a failed sign-in for this user
    name + address, and once locked the current password is not even checked."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            self._refuse()
        try:
            return super().clean_old_password()
        except ValidationError:
            # Axes records the failure (and flags the request when it is the fifth).
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            if self.request.axes_locked_out:
                self._refuse()
            raise

    def _refuse(self):
        # As axes's backend does: AxesMiddleware then answers with crm.signin.lockout_response.
        self.request.axes_locked_out = True
        raise locked_out_error()
