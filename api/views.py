"""The API's endpoints for contacts, people, notes and their lists (opportunities: api/opportunities.py)."""

from django.conf import settings
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, viewsets
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated

from api import serializers as api
from api.base import RecordViewSet
from api.filters import CONTACT_ORDERINGS, NOTE_ORDERINGS, PERSON_ORDERINGS, ApiContactFilter, NoteFilter, PersonFilter
from api.permissions import ActionPermission
from api.writing import fill, save_form
from contacts import services
from contacts.forms import ContactForm, ContactPersonForm
from contacts.models import Contact, ContactPerson
from notes.forms import NoteForm, UserChoiceField
from notes.models import Note, NoteType

ERRORS = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="Refused: the body names what is wrong, field by field (`non_field_errors` for the whole).")


def record_schema(name: str, write, read):
    """The OpenAPI description of a record endpoint's actions."""
    stale = OpenApiResponse(
        response=inline_serializer(f"Stale{read.Meta.model.__name__}", {
            "detail": serializers.CharField(), "current": read()}),
        description="Stale version: nothing was changed; `current` holds the record as it is now.")
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}"),
        retrieve=extend_schema(summary=f"One of the {name}"),
        create=extend_schema(summary=f"Add to the {name}", request=write, responses={201: read, 400: ERRORS}),
        partial_update=extend_schema(summary=f"Change one of the {name}", request=write,
                                     responses={200: read, 400: ERRORS, 409: stale}),
        destroy=extend_schema(summary=f"Delete one of the {name}", responses={204: None}),
    )


class ApiContactForm(ContactForm):
    """The contact form, plus the Prospection tab's account manager when that module is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.PROSPECTION_ENABLED:
            current = self.instance.account_manager_id
            users = type(self.instance)._meta.get_field("account_manager").related_model.objects
            self.fields["account_manager"] = UserChoiceField(
                queryset=users.filter(Q(is_active=True) | Q(pk=current)), required=False)

    class Meta(ContactForm.Meta):
        fields = [*ContactForm.Meta.fields, *(["account_manager"] if settings.PROSPECTION_ENABLED else [])]


class Undeletable(APIException):
    status_code = 409
    default_code = "protected"


@record_schema("contacts", api.ContactWrite, api.ContactSerializer)
class ContactViewSet(RecordViewSet):
    """Contacts with their people. Everyone who may view contacts sees them all (as on the pages)."""

    serializer_class = api.ContactSerializer
    write_serializer_class = api.ContactWrite
    filterset_class = ApiContactFilter
    orderings = CONTACT_ORDERINGS
    default_ordering = "name"
    action_permissions = {"list": "contacts.view_contact", "retrieve": "contacts.view_contact",
                          "create": "contacts.add_contact", "partial_update": "contacts.change_contact",
                          "destroy": "contacts.delete_contact"}

    def get_queryset(self):
        return Contact.objects.defer("search_text").prefetch_related("people")

    def write(self, values, instance):
        form = fill(ApiContactForm, values, instance=instance)
        if instance is None:
            return save_form(form, lambda form: services.create_contact(
                contact=form.save(commit=False), created_by=self.request.user), self.shown)
        return save_form(form, lambda form: form.save(), self.shown)

    def remove(self, instance):
        try:
            instance.delete()
        except (ProtectedError, RestrictedError):
            raise Undeletable(_("“%(name)s” cannot be deleted: other records still refer to it.")
                              % {"name": instance.name}) from None


def contact_for(values: dict) -> Contact:
    """The contact a new person or note goes on: required, and must exist."""
    contact_id = values.pop("contact", None)
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
    if contact is None:
        raise serializers.ValidationError({"contact": [_("Give the id of an existing contact.")]})
    return contact


def unchanged_contact(values: dict, instance) -> None:
    if "contact" in values and values.pop("contact") != instance.contact_id:
        raise serializers.ValidationError({"contact": [_("A record cannot be moved to another contact.")]})


@record_schema("people", api.PersonWrite, api.PersonSerializer)
class PersonViewSet(RecordViewSet):
    """People at contacts; adding, changing and removing them is changing the contact (as on the file)."""

    serializer_class = api.PersonSerializer
    write_serializer_class = api.PersonWrite
    filterset_class = PersonFilter
    orderings = PERSON_ORDERINGS
    default_ordering = "name"
    action_permissions = {"list": "contacts.view_contact", "retrieve": "contacts.view_contact",
                          "create": ["contacts.view_contact", "contacts.change_contact"],
                          "partial_update": ["contacts.view_contact", "contacts.change_contact"],
                          "destroy": ["contacts.view_contact", "contacts.change_contact"]}

    def get_queryset(self):
        return ContactPerson.objects.all()

    def write(self, values, instance):
        if instance is None:
            contact = contact_for(values)

            def save(form):
                person = form.save(commit=False)
                person.contact = contact
                return services.save_person(person=person)
        else:
            unchanged_contact(values, instance)

            def save(form):
                return services.save_person(person=form.save(commit=False))
        return save_form(fill(ContactPersonForm, values, instance=instance), save, self.shown)

    def remove(self, instance):
        instance.delete()


@record_schema("notes", api.NoteWrite, api.NoteSerializer)
class NoteViewSet(RecordViewSet):
    """Notes under the one visibility rule (Note.objects.visible_to): an admin-only note does not
    exist for whoever may not see it — not in lists, searches, filters, nor by its id (404)."""

    serializer_class = api.NoteSerializer
    write_serializer_class = api.NoteWrite
    filterset_class = NoteFilter
    orderings = NOTE_ORDERINGS
    default_ordering = "-date"
    action_permissions = {"list": "notes.view_note", "retrieve": "notes.view_note",
                          "create": ["notes.view_note", "notes.add_note", "contacts.view_contact"],
                          "partial_update": ["notes.view_note", "notes.change_note"],
                          "destroy": ["notes.view_note", "notes.delete_note"]}

    def get_queryset(self):
        return Note.objects.visible_to(self.request.user)

    def write(self, values, instance):
        user = self.request.user
        if instance is None:
            instance = Note(contact=contact_for(values), created_by=user)
        else:
            unchanged_contact(values, instance)
        form = fill(NoteForm, values, instance=instance, user=user)
        return save_form(form, lambda form: form.save(), self.shown)


class ListViewSet(viewsets.ReadOnlyModelViewSet):
    """A configurable list (admin): read-only, every entry (inactive ones kept by old records),
    for whoever may see the records that use it."""

    pagination_class = None
    permission_classes = [ActionPermission]
    action_permissions = {"list": "notes.view_note"}


@extend_schema_view(list=extend_schema(summary="List the note types"),
                    retrieve=extend_schema(summary="One note type"))
class NoteTypeViewSet(ListViewSet):
    serializer_class = api.NoteTypeSerializer
    queryset = NoteType.objects.all()


@extend_schema(summary="You: the token's user, with your permissions")
class CurrentUserView(generics.RetrieveAPIView):
    serializer_class = api.UserSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return self.request.user

