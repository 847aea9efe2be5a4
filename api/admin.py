from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from api import webhook_urls
from api.models import ApiToken, Webhook, WebhookDelivery


def offered_events() -> list[tuple[str, str]]:
    """The events this installation can send (none about opportunities without the module)."""
    return [(value, label) for value, label in Webhook.Event.choices
            if settings.PROSPECTION_ENABLED or not value.startswith("opportunity.")]


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(label=_("Events"), choices=offered_events,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ["url", "owner", "events", "is_active", "secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        wrong = webhook_urls.refusal(url)
        if wrong is not None:
            raise forms.ValidationError(wrong, code="forbidden")
        return url


class DeliveryInline(admin.TabularInline):
    """The delivery log: the last responses, read-only."""

    model = WebhookDelivery
    fields = ["created_at", "event", "status", "attempts", "response_status", "response_body", "error",
              "next_attempt_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]
    show_change_link = True

    def get_queryset(self, request):
        # The last 20 only: a busy webhook has thousands.
        queryset = super().get_queryset(request)
        last = queryset.order_by("-created_at", "-pk").values("pk")[:20]
        return queryset.filter(pk__in=last)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["url", "owner", "is_active", "created_at"]
    list_filter = ["is_active"]
    inlines = [DeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "webhook", "event", "status", "attempts", "response_status"]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke tokens; only their owner ever saw a key."""

    list_display = ["name", "user", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    fields = ["user", "name", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
