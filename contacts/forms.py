import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contacts.matching import similar_contacts
from contacts.models import Contact, ContactPerson
from crm.concurrency import VersionedForm

HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = [
            "kind", "name", "status", "email", "phone", "website", "language",
            "street", "city", "region", "postal_code", "country", "description",
            "external_ref",
        ]
        widgets = {
            "street": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True  # the version
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("kind", css_class="col-md-3"),
                Column("status", css_class="col-md-3")),
            Row(Column("email", css_class="col-md-4"), Column("phone", css_class="col-md-4"),
                Column("website", css_class="col-md-4")),
            Fieldset(format_html('<span class="fs-6 fw-semibold">{}</span>', _("Postal address")),
                     Field("street"),
                     Row(Column("city", css_class="col-md-4"), Column("region", css_class="col-md-3"),
                         Column("postal_code", css_class="col-md-2"), Column("country", css_class="col-md-3"))),
            Row(Column("language", css_class="col-md-4"), Column("external_ref", css_class="col-md-4")),
            Field("description"),
        )

    def clean_website(self):
        # "www.example.com" is what people type; the link needs a scheme. Any
        # other scheme (mailto:, javascript:, ftp://) is left for the validator
        # to refuse; "host:8080" is a port, not a scheme.
        website = self.cleaned_data["website"].strip()
        if website and not HAS_SCHEME.match(website):
            website = "https://" + website
        return website

    def clean_external_ref(self):
        # Said on the field; the database constraint is the last line of defence.
        external_ref = self.cleaned_data["external_ref"].strip()
        if external_ref and Contact.objects.filter(external_ref=external_ref).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another contact already has this external reference."), code="unique")
        return external_ref

    def likely_duplicates(self) -> list[Contact]:
        """Other contacts that look like this one (contacts.matching, the rules of the
        duplicates page), best match first; at most 5, 2 queries at most.

        When editing, only a changed name, e-mail or phone is checked again, so that
        a known look-alike does not ask for "save anyway" on every edit.
        """
        checked = {"name", "email", "phone"}
        if self.instance.pk:
            checked &= set(self.changed_data)
            if not checked:
                return []
        values = {name: self.cleaned_data.get(name, "") if name in checked else "" for name in ("name", "email", "phone")}
        return similar_contacts(**values, kind=self.cleaned_data.get("kind") or self.instance.kind,
                                exclude_pk=self.instance.pk)


class ContactPersonForm(VersionedForm):
    class Meta:
        model = ContactPerson
        fields = ["first_name", "last_name", "role", "email", "phone", "mobile", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True  # the version
        self.helper.layout = Layout(
            Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
            Row(Column("role", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            Row(Column("phone", css_class="col-md-6"), Column("mobile", css_class="col-md-6")),
            Div("is_primary"),
        )


class AccountManagerForm(VersionedForm):
    """The "Prospection" tab's prospect info ("Gestionnaire de compte"): a change of the contact,
    refused like any other when the contact changed since the tab was opened."""

    class Meta:
        model = Contact
        fields = ["account_manager"]
