"""What the header search finds among contacts and their people (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from contacts.filters import search_words as contact_list_words
from contacts.models import Contact, ContactPerson
from search.matching import Searchable, matching, singular
from search.registry import Source, register

# Indexed in search/migrations/0001_initial.py on exactly these columns.
PEOPLE = Searchable(fields=("first_name", "last_name", "email", "role"), config="simple")


def find_contacts(user, query):
    """Like the contact list's own search (search_text: name, e-mail, phones, people), plurals folded."""
    contacts = Contact.objects.select_related("account_manager").defer("search_text", "description", "street")
    for word in contact_list_words(query.text):
        contacts = contacts.filter(search_text__contains=singular(word))
    return contacts.order_by("name", "pk")


def find_people(user, query):
    people = ContactPerson.objects.select_related("contact").defer("contact__search_text", "contact__description")
    return matching(people, PEOPLE, query.words).order_by("last_name", "first_name", "pk")


register(Source(key="contacts", label=_("Contacts"), find=find_contacts, template="search/hits/contact.html",
                allowed=lambda user: user.has_perm("contacts.view_contact"), order=10))
register(Source(key="people", label=_("People"), find=find_people, template="search/hits/person.html",
                allowed=lambda user: user.has_perm("contacts.view_contactperson"), order=20))
