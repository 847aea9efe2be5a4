"""What the prospection module adds to shared pages (contact file, home)."""

from django.utils.translation import gettext_lazy as _

from crm import slots
from crm.slots import Panel
from prospection.forms import ProspectInfoForm
from prospection.models import DEFAULT_SCOPE, Opportunity


def contact_tab_context(request, contact) -> dict:
    """The account manager form, the contact's opportunities and their sums (3 queries)."""
    context = {"can_view": request.user.has_perm("prospection.view_opportunity")}
    if request.user.has_perm("contacts.change_contact"):
        context["info_form"] = ProspectInfoForm(instance=contact)
    if context["can_view"]:
        opportunities = Opportunity.objects.filter(contact=contact)
        context["opportunities"] = list(
            opportunities.select_related("product", "stage", "representative", "contact_person")
        )
        # Every deal is listed; the sums are of the open ones, as on the dashboard.
        context["figures"] = opportunities.in_scope(DEFAULT_SCOPE).figures() if context["opportunities"] else None
    return context


def contact_opportunity_count(request, contact) -> int:
    return Opportunity.objects.filter(contact=contact).count()


def home_context(request) -> dict | None:
    """My open opportunities: count and summed totals (1 query, an index-only scan on PostgreSQL).

    No panel without the permission.
    """
    if not request.user.has_perm("prospection.view_opportunity"):
        return None
    # What « Mes opportunités » shows by default (the panel links there): the same scope.
    return {"figures": Opportunity.objects.in_scope(DEFAULT_SCOPE).for_representative(request.user).figures()}


slots.register(slots.CONTACT_TABS, Panel(
    key="prospection", label=_("Prospection"), template="prospection/_contact_tab.html",
    get_context=contact_tab_context, order=20,
))
slots.register(slots.CONTACT_DELETE, slots.Count(
    key="prospection", label=_("sales opportunities"), count=contact_opportunity_count, order=20,
))
slots.register(slots.HOME, Panel(
    key="prospection", label=_("My open opportunities"), template="prospection/_home_panel.html",
    get_context=home_context, order=30,
))
