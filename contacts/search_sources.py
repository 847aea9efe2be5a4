"""What the header search finds among contacts and their people (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from contacts.filters import search_words as contact_list_words
from contacts.models import Contact, ContactPerson
from search.matching import Searchable, matching, singular
from search.registry import Source, register

# Indexed in search/migrations/0001_initial.py on exactly these columns.
PEOPLE = Searchable(fields=("first_name", "last_name", "email", "role"), config="simple")
# What a person's hit shows.
PERSON_COLUMNS = ["first_name", "last_name", "email", "role", "contact", "contact__name"]


def contacts(user):
    return Contact.objects.defer("search_text", "description", "street").order_by("name", "pk")


def match_contacts(contacts, query):
    """Like the contact list's own search (search_text: name, e-mail, phones, people), plurals folded."""
    for word in contact_list_words(query.text):
        contacts = contacts.filter(search_text__contains=singular(word))
    return contacts


def people(user):
    return (ContactPerson.objects.select_related("contact").only(*PERSON_COLUMNS)
            .order_by("last_name", "first_name", "pk"))

register(Source(key="contacts", label=_("Contacts"), rows=contacts, match=match_contacts,
                template="search/hits/contact.html",
                allowed=lambda user: user.has_perm("contacts.view_contact"), order=10))
register(Source(key="people", label=_("People"), rows=people,
                match=lambda rows, query: matching(rows, PEOPLE, query.words),
                template="search/hits/person.html",
                allowed=lambda user: user.has_perm("contacts.view_contactperson"), order=20))
