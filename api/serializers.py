"""What the API shows (read serializers) and what it accepts (write serializers).

Writes are validated twice, each for its own reason: the write serializer checks the JSON's
shape (types, unknown or read-only keys → 400 naming them), then the page's own form checks
the rules (api/writing.py), so a value refused on a page is refused here with the same message.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contacts.models import Contact, ContactPerson
from crm.text import user_name
from notes.models import Note, NoteType


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "14:30",
                      "description": "A local time of day (the site's time zone), without offset."})
class LocalTimeField(serializers.TimeField):
    """A note's time: a wall-clock time in the site's zone (JSON Schema's "time" format wants an offset)."""


# An e-mail may be left empty: shown as a plain string (an "email" format would refuse "").
def email():
    return serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")


class PersonSerializer(serializers.ModelSerializer):
    email = email()

    class Meta:
        model = ContactPerson
        fields = ["id", "contact", "first_name", "last_name", "role", "email", "phone", "is_primary", "version"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    email = email()
    people = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id", "kind", "name", "status", "email", "phone", "website", "street", "city", "region",
            "postal_code", "country", "language", "description", "external_ref",
            *(["account_manager"] if settings.PROSPECTION_ENABLED else []),
            "created_by", "created_at", "updated_at", "version", "people",
        ]
        read_only_fields = fields


class ContactWithoutPeopleSerializer(ContactSerializer):
    """A contact as a webhook sends it after deletion (its people went with it)."""

    class Meta(ContactSerializer.Meta):
        fields = [name for name in ContactSerializer.Meta.fields if name != "people"]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    time = LocalTimeField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(
        choices=["history", "follow_up", "overdue", "today"], read_only=True,
        help_text="history (done), follow_up (to do, later), overdue (to do, past) or today (to do today).")

    class Meta:
        model = Note
        fields = [
            "id", "contact", "assigned_to", "date", "time", "is_pinned", "is_done", "admin_only", "type",
            "description", "done_at", "state", "created_by", "created_at", "updated_at", "version",
        ]
        read_only_fields = fields


class ListEntrySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="In the request's language (Accept-Language).")

    class Meta:
        fields = ["id", "label", "label_fr", "label_en", "order", "is_active", "is_default"]
        read_only_fields = fields


class NoteTypeSerializer(ListEntrySerializer):
    class Meta(ListEntrySerializer.Meta):
        model = NoteType


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    email = serializers.EmailField(read_only=True)
    permissions = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user_name(user)

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class WriteSerializer(serializers.Serializer):
    """The keys a body may hold; anything else is refused by name (no mass assignment)."""

    # Keys that are shown but never written: named as read-only rather than unknown.
    read_only_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        refused = {key: [self.refusal(key)] for key in data if key not in self.fields}
        if refused:
            raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def refusal(self, key: str) -> str:
        return _("This field is read-only.") if key in self.read_only_names else _("Unknown field.")


def text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


def identifier(**kwargs):
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, **kwargs)


VERSION_HELP = "The version you read: required to change a record; a stale one is refused with 409."


class ContactWrite(WriteSerializer):
    read_only_names = ("id", "created_by", "created_at", "updated_at", "people")
    kind = serializers.ChoiceField(choices=Contact.Kind.choices, required=False)
    name = serializers.CharField(required=False, max_length=200)
    status = serializers.ChoiceField(choices=Contact.Status.choices, required=False)
    email = text()
    phone = text()
    website = text()
    street = text()
    city = text()
    region = text()
    postal_code = text()
    country = text()
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    description = text()
    external_ref = text()
    if settings.PROSPECTION_ENABLED:
        account_manager = identifier(help_text="A user's id, or null.")
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)


class PersonWrite(WriteSerializer):
    read_only_names = ("id",)
    contact = identifier(help_text="Required to add a person; cannot be changed afterwards.")
    first_name = text()
    last_name = serializers.CharField(required=False, max_length=100)
    role = text()
    email = text()
    phone = text()
    is_primary = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)


class NoteWrite(WriteSerializer):
    read_only_names = ("id", "done_at", "state", "created_by", "created_at", "updated_at")
    contact = identifier(help_text="Required to add a note; cannot be changed afterwards.")
    assigned_to = identifier(help_text="A user's id; by default, you.")
    date = serializers.DateField(required=False)
    time = LocalTimeField(required=False, allow_null=True)
    is_pinned = serializers.BooleanField(required=False)
    is_done = serializers.BooleanField(required=False)
    admin_only = serializers.BooleanField(
        required=False, help_text="Only for users who may see admin-only notes; others get 400.")
    type = identifier(help_text="A note type's id; by default, the default type.")
    description = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if user is not None and not user.has_perm("notes.view_admin_only_note"):
            del fields["admin_only"]  # not offered means not settable, as on the note form
        return fields

    def refusal(self, key: str) -> str:
        if key == "admin_only":
            return _("Only users who may see admin-only notes can set this flag.")
        return super().refusal(key)
