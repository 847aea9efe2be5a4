from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, ContactPerson


class ContactForm(forms.ModelForm):
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
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("kind", css_class="col-md-3"),
                Column("status", css_class="col-md-3")),
            Row(Column("email", css_class="col-md-4"), Column("phone", css_class="col-md-4"),
                Column("website", css_class="col-md-4")),
            Fieldset(_("Postal address"),
                     Field("street"),
                     Row(Column("city", css_class="col-md-4"), Column("region", css_class="col-md-3"),
                         Column("postal_code", css_class="col-md-2"), Column("country", css_class="col-md-3"))),
            Row(Column("language", css_class="col-md-4"), Column("external_ref", css_class="col-md-4")),
            Field("description"),
        )

    def likely_duplicates(self):
        """Other contacts with the same e-mail or the same name (at most 5)."""
        name = self.cleaned_data.get("name", "")
        email = self.cleaned_data.get("email", "")
        match = Q(name__iexact=name)
        if email:
            match |= Q(email__iexact=email)
        others = Contact.objects.filter(match)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return list(others.only("pk", "name", "email", "city")[:5])


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["first_name", "last_name", "role", "email", "phone", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
            Row(Column("role", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            Field("email"),
            Div("is_primary"),
        )


class AccountManagerForm(forms.ModelForm):
    """The "Prospection" tab's prospect info ("Gestionnaire de compte")."""

    class Meta:
        model = Contact
        fields = ["account_manager"]
