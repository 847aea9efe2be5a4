from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts import services
from contacts.access import get_contact_for_user, get_person_for_user
from contacts.bulk import contacts_bulk
from contacts.filters import ContactFilter
from contacts.forms import ContactForm, ContactPersonForm
from contacts.models import Contact
from crm import slots
from crm.pagination import paginate, query_without

NEW_PERSON_PREFIX = "new"


def person_prefix(person) -> str:
    return f"person-{person.pk}"


def filtered_contacts(request) -> ContactFilter:
    contacts = Contact.objects.select_related("account_manager")
    return ContactFilter(request.GET or None, queryset=contacts)


@permission_required("contacts.view_contact", raise_exception=True)
def contact_list(request):
    """The "Contacts" tab: filters, sort, one page (constant queries, see the tests)."""
    contact_filter = filtered_contacts(request)
    page = paginate(request, contact_filter.qs.defer("search_text", "description", "street"))
    return render(request, "contacts/contact_list.html", {
        "filter": contact_filter,
        "page": page,
        "page_query": query_without(request, "page"),
        "sort_query": query_without(request, "page", "ordering"),
        "ordering": contact_filter.current_ordering,
        "export_query": query_without(request, "page"),
        "list_query": query_without(request, "page"),
        "bulk_actions": contacts_bulk().offered(request.user) if request.user.has_perm("contacts.change_contact") else [],
    })


def render_contact_file(request, contact, *, new_person_form=None, person_form=None):
    """The contact file; a person form that failed validation is shown open with its errors."""
    tabs = slots.panels(slots.CONTACT_TABS)
    active = next((tab for tab in tabs if tab.key == request.GET.get("tab")), tabs[0] if tabs else None)
    people = list(contact.people.all())
    for person in people:
        if person_form is not None and person_form.instance.pk == person.pk:
            person.form, person.form_open = person_form, True
    return render(request, "contacts/contact_detail.html", {
        "contact": contact,
        "people": people,
        "person_form": new_person_form,
        "person_form_open": new_person_form is not None,
        "tabs": tabs,
        "active_tab": active,
        "tab_context": active.get_context(request, contact) if active else {},
    })


@permission_required("contacts.view_contact", raise_exception=True)
def contact_detail(request, pk):
    return render_contact_file(request, get_contact_for_user(request, pk))


def save_contact_form(request, form: ContactForm, *, is_new: bool):
    """Save unless the contact looks like a duplicate and the user has not said 'save anyway'."""
    duplicates = form.likely_duplicates()
    if duplicates and "save_anyway" not in request.POST:
        return None, duplicates
    if is_new:
        contact = services.create_contact(contact=form.save(commit=False), created_by=request.user)
    else:
        contact = form.save_if_current()  # None: someone saved in between, the form explains it
    return contact, []


@permission_required("contacts.add_contact", raise_exception=True)
def contact_create(request):
    form = ContactForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        contact, duplicates = save_contact_form(request, form, is_new=True)
        if contact:
            messages.success(request, _("Contact “%(name)s” created.") % {"name": contact.name})
            return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form, "duplicates": duplicates})


@permission_required("contacts.change_contact", raise_exception=True)
def contact_update(request, pk):
    contact = get_contact_for_user(request, pk)
    # The form writes what was typed onto the instance; the page's title and
    # links keep the saved name until the form is saved.
    saved_name = contact.name
    form = ContactForm(request.POST or None, instance=contact)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        contact, duplicates = save_contact_form(request, form, is_new=False)
        if contact:
            messages.success(request, _("Contact “%(name)s” saved.") % {"name": contact.name})
            return redirect(contact)
    return render(request, "contacts/contact_form.html", {
        "form": form, "duplicates": duplicates, "contact": form.instance, "contact_name": saved_name,
    })


@permission_required("contacts.delete_contact", raise_exception=True)
def contact_delete(request, pk):
    contact = get_contact_for_user(request, pk)
    if request.method == "POST":
        name = contact.name
        try:
            contact.delete()  # with its people and what other apps attach with CASCADE
        except (ProtectedError, RestrictedError):
            messages.error(request, _("“%(name)s” cannot be deleted: other records still refer to it.") % {"name": name})
            return redirect(contact)
        messages.success(request, _("Contact “%(name)s” deleted.") % {"name": name})
        return redirect("contacts:list")
    related = [(_("people"), contact.people.count()), *slots.counts(slots.CONTACT_DELETE, request, contact)]
    return render(request, "contacts/contact_confirm_delete.html", {"contact": contact, "related": related})


def person_form_response(request, contact, form, person=None):
    """A person form on GET: the fragment the file loads in place (htmx), else a page of its own."""
    template = "contacts/_person_form.html" if request.headers.get("HX-Request") else "contacts/person_form.html"
    response = render(request, template, {"contact": contact, "form": form, "person": person})
    patch_vary_headers(response, ["HX-Request"])
    return response


@permission_required("contacts.change_contact", raise_exception=True)
def person_add(request, pk):
    """POST adds; GET is the form (loaded into the file, or its own page without JavaScript)."""
    contact = get_contact_for_user(request, pk)
    form = ContactPersonForm(request.POST or None, prefix=NEW_PERSON_PREFIX)
    if request.method != "POST":
        return person_form_response(request, contact, form)
    if form.is_valid():
        person = form.save(commit=False)
        person.contact = contact
        services.save_person(person=person)
        messages.success(request, _("%(name)s added.") % {"name": person.full_name})
        return redirect(person)
    return render_contact_file(request, contact, new_person_form=form)


@permission_required("contacts.change_contact", raise_exception=True)
def person_update(request, pk, person_pk):
    """POST saves; GET is the form (loaded into the file, or its own page without JavaScript)."""
    contact = get_contact_for_user(request, pk)
    person = get_person_for_user(request, contact, person_pk)
    form = ContactPersonForm(request.POST or None, instance=person, prefix=person_prefix(person))
    if request.method == "POST":
        if form.is_valid():
            if form.save_if_current(lambda person: services.save_person(person=person)):
                messages.success(request, _("%(name)s saved.") % {"name": person.full_name})
                return redirect(person)
        return render_contact_file(request, contact, person_form=form)
    return person_form_response(request, contact, form, person)


@permission_required("contacts.change_contact", raise_exception=True)
@require_POST
def person_delete(request, pk, person_pk):
    contact = get_contact_for_user(request, pk)
    person = get_person_for_user(request, contact, person_pk)
    person.delete()
    messages.success(request, _("%(name)s removed.") % {"name": person.full_name})
    return redirect(contact.get_absolute_url() + "#people")
