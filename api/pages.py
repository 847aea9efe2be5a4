"""The pages around the API: the documentation (session, read-only) and the personal tokens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from api.auth import TokenAuthentication
from api.forms import TokenForm
from api.models import ApiToken


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: for a token, or for a signed-in user reading the documentation page."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


def docs(request):
    """Swagger UI from the drf-spectacular sidecar (no CDN); its start-up script is static/js/api_docs.js."""
    return render(request, "api/docs.html")


def tokens(request):
    """The user's tokens; a new one's key is shown on this response only (never stored, never again)."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"],
                                        expires_at=form.expires_at())
        form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "new_key": new_key, "tokens": ApiToken.objects.filter(user=request.user),
    }, status=400 if request.method == "POST" and form.errors else 200)
    response["Cache-Control"] = "no-store"  # the key must not stay in any cache
    return response


@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    messages.success(request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("api:tokens")
