from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.forms import AccountManagerForm
from crm.amounts import AmountError, parse_amount
from crm.concurrency import VersionedForm
from crm.formatting import format_number
from crm.text import user_name
from prospection.models import Category, LostReason, Opportunity, Product, Stage


def users_offered(current_id=None):
    """Active users, plus the one already chosen even if they left."""
    users = get_user_model().objects.filter(Q(is_active=True) | Q(pk=current_id) if current_id else Q(is_active=True))
    return users.order_by("first_name", "last_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_name(obj)


class MoneyField(forms.DecimalField):
    """An amount typed the way people write it in French or English."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_amount(value, language=get_language() or "fr")
            except AmountError as error:
                if error.code == "ambiguous":
                    raise forms.ValidationError(str(error), code="ambiguous") from None
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, places=2)
        return value

    def widget_attrs(self, widget):
        # No min/max/step: the server says what is wrong, in the user's language.
        return {}


class ProspectInfoForm(AccountManagerForm):
    """The "Prospection" tab's own form: the account manager ("Gestionnaire de compte")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager"] = UserChoiceField(
            queryset=users_offered(self.instance.account_manager_id),
            required=False,
            label=_("Account manager"),
            empty_label=_("(nobody)"),
        )


# Read-only: the total the database computed once saved, and static/js/total.js's as values are typed.
TOTAL_FIELD = HTML('{% include "prospection/_total_field.html" %}')


class OpportunityForm(VersionedForm):
    class Meta:
        model = Opportunity
        fields = [
            "subject", "product", "stage", "contact_person", "category",
            "value", "purchase_costs", "success_percent", "representative", "expected_close_date",
            "lost_reason", "lost_comment",
        ]
        field_classes = {"value": MoneyField, "purchase_costs": MoneyField, "representative": UserChoiceField}
        widgets = {
            "success_percent": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lost_comment": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "success_percent": _("The percentage follows the stage as long as you do not change it; "
                                 "a won opportunity is at 100 %, a lost one at 0 %."),
            "lost_reason": _("Required when the stage is a lost one."),
        }

    def __init__(self, *args, contact, user, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.instance
        opportunity.contact = contact
        fields = self.fields
        fields["product"].queryset = Product.objects.offered(opportunity.product_id)
        fields["stage"].queryset = Stage.objects.offered(opportunity.stage_id)
        fields["category"].queryset = Category.objects.offered(opportunity.category_id)
        fields["lost_reason"].queryset = LostReason.objects.offered(opportunity.lost_reason_id)
        fields["lost_reason"].empty_label = _("(choose a reason)")
        fields["contact_person"].queryset = contact.people.all()
        fields["representative"].queryset = users_offered(opportunity.representative_id)
        fields["representative"].required = False
        fields["representative"].help_text = _("By default the contact’s account manager, else you.")
        fields["success_percent"].widget.attrs.pop("min", None)
        fields["success_percent"].widget.attrs.pop("max", None)
        if opportunity.pk is None:
            fields["representative"].initial = Opportunity.default_representative(contact, user)
            # What the admin marked default, never "the first by order" (adding a value changes that).
            for name, model in [("product", Product), ("stage", Stage), ("category", Category)]:
                fields[name].initial = model.objects.default()
            if fields["stage"].initial is not None:
                fields["success_percent"].initial = fields["stage"].initial.probability
        self.default_representative = Opportunity.default_representative(contact, user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True  # the version
        self.helper.layout = Layout(
            Row(Column("subject", css_class="col-md-8"), Column("product", css_class="col-md-4")),
            Row(Column("stage", css_class="col-md-4"), Column("contact_person", css_class="col-md-4"),
                Column("category", css_class="col-md-4")),
            Row(Column("value", css_class="col-md-3"), Column("purchase_costs", css_class="col-md-3"),
                Column("success_percent", css_class="col-md-2"),
                Column(TOTAL_FIELD, css_class="col-md-4")),
            Row(Column("representative", css_class="col-md-6"), Column("expected_close_date", css_class="col-md-6")),
            # Shown by static/js/lost_reason.js only for a lost stage; always there without JavaScript.
            Row(Column("lost_reason", css_class="col-md-4"), Column("lost_comment", css_class="col-md-8"),
                css_id="lost-fields", data_lost_stages=" ".join(
                    str(pk) for pk in Stage.objects.filter(outcome=Stage.Outcome.LOST).values_list("pk", flat=True))),
        )

    def clean_representative(self):
        return self.cleaned_data.get("representative") or self.default_representative

    def clean(self):
        cleaned_data = super().clean()
        stage = cleaned_data.get("stage")
        if self.instance.pk is None and stage is not None and "success_percent" not in self.changed_data:
            # The % shown was the default stage's: left alone, it follows the stage chosen.
            cleaned_data["success_percent"] = stage.probability
        return cleaned_data


class BoardMoveForm(forms.Form):
    """A card's move on the board: the new stage, with the version the board was drawn with.

    The same POST comes from a drag and drop (htmx) and from the card's own menu and button.
    """

    stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label=_("Stage"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    lost_reason = forms.ModelChoiceField(
        queryset=LostReason.objects.active(), required=False, label=_("Lost reason"),
        empty_label=_("(choose a reason)"),
    )
    lost_comment = forms.CharField(
        required=False, label=_("Comment on the loss"), widget=forms.Textarea(attrs={"rows": 2}),
    )
    board_query = forms.CharField(required=False, widget=forms.HiddenInput)  # the board's filters

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.offered(opportunity.stage_id)
