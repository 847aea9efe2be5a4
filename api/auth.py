"""Personal tokens for the API: `Authorization: Bearer rlk_…`. No session: a page's cookie
never authorizes an API call (the documentation page uses the session only to read the schema)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling

from api.models import ApiToken, hash_token

# last_used_at is written at most this often per token: not one UPDATE per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give “Bearer” and the token."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        """One query (the token with its user), plus one UPDATE a minute for the last-used date."""
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword  # makes DRF answer 401 (not 403) without credentials


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]), counted in the shared cache."""

    scope = "token"

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # the schema read with a session: not throttled here
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
