"""Bulk changes on the contacts list (crm/bulk.py): the status, and the account manager (prospection on)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext_lazy, ngettext

from contacts.filters import ContactFilter, UserChoiceField, active_users
from contacts.models import Contact
from crm import bulk
from crm.text import user_name


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Contact.Status.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        return {"status": self.cleaned_data["status"]}

    def done_message(self, count: int) -> str:
        return ngettext("%(count)d contact is now “%(status)s”.", "%(count)d contacts are now “%(status)s”.",
                        count) % {"count": count, "status": Contact.Status(self.cleaned_data["status"]).label}


class AccountManagerForm(forms.Form):
    account_manager = UserChoiceField(label=gettext_lazy("New account manager"), queryset=active_users(),
                                      required=False, empty_label=gettext_lazy("(nobody)"),
                                      widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        return {"account_manager": self.cleaned_data["account_manager"]}

    def done_message(self, count: int) -> str:
        manager = self.cleaned_data["account_manager"]
        if manager is None:
            return ngettext("%(count)d contact no longer has an account manager.",
                            "%(count)d contacts no longer have an account manager.", count) % {"count": count}
        return ngettext("%(count)d contact is now managed by %(name)s.", "%(count)d contacts are now managed by %(name)s.",
                        count) % {"count": count, "name": user_name(manager)}


def changeable_contacts(user):
    """Every contact is visible to whoever may see contacts (contacts/access.py); changing needs the permission."""
    if not (user.has_perm("contacts.view_contact") and user.has_perm("contacts.change_contact")):
        return Contact.objects.none()
    return Contact.objects.all()


def matching_contacts(user, query):
    """The list's own filters (contacts.views.filtered_contacts) on the saved query string."""
    return ContactFilter(query or None, queryset=changeable_contacts(user)).qs


def contacts_bulk() -> bulk.BulkList:
    """Built when asked: the account manager exists only with the prospection module on."""
    actions = [bulk.Action("status", gettext_lazy("Change the status"), StatusForm, "contacts.change_contact")]
    if settings.PROSPECTION_ENABLED:
        actions.append(bulk.Action("account_manager", gettext_lazy("Change the account manager"), AccountManagerForm,
                                   "contacts.change_contact"))
    return bulk.BulkList(
        model=Contact, allowed=changeable_contacts, matching=matching_contacts, actions=actions,
        list_url="contacts:list", title=gettext_lazy("Contacts"),
        noun=lambda count: ngettext("%(count)d contact", "%(count)d contacts", count) % {"count": count},
    )


@permission_required("contacts.change_contact", raise_exception=True)
def contact_bulk(request):
    return bulk.bulk_view(request, contacts_bulk())
