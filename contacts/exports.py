"""Contacts going out: one row per person, in the import's layout, so that an export imports back unchanged.

Each writer takes a queryset of contacts (already filtered: what the user may see), the language
of the column names and values ("fr" or "en"), and a binary stream; it returns the rows written.
They read the contacts and their people as tuples in one query, 2,000 rows at a time (memory stays
flat), so they may run outside a request too (a background job):

    with open(path, "wb") as stream:
        write_contacts_csv(Contact.objects.all(), "fr", stream)
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import pgettext_lazy

from contacts.models import Contact
from crm.csv_export import write_csv
from crm.exporting.spec import Export
from crm.exporting.xlsx import write_xlsx

CHUNK = 2000
CONTACT_FIELDS = ["external_ref", "name", "kind", "status", "email", "phone", "website", "street", "city", "region",
                  "postal_code", "country", "language", "description", "account_manager_id"]
PERSON_FIELDS = ["people__first_name", "people__last_name", "people__role", "people__email", "people__phone",
                 "people__mobile", "people__is_primary"]
PEOPLE_ORDER = ["-people__is_primary", "people__last_name", "people__first_name", "people__pk"]

# (import column key, header): every header is one of the names the import accepts for that column
# (tests/exports/test_contacts_export.py checks it in both languages).
COLUMNS = [
    ("external_ref", pgettext_lazy("export column", "External reference")),
    ("name", pgettext_lazy("export column", "Name")),
    ("kind", pgettext_lazy("export column", "Contact type")),
    ("status", pgettext_lazy("export column", "Status")),
    ("email", pgettext_lazy("export column", "E-mail")),
    ("phone", pgettext_lazy("export column", "Phone")),
    ("website", pgettext_lazy("export column", "Website")),
    ("street", pgettext_lazy("export column", "Address")),
    ("city", pgettext_lazy("export column", "City")),
    ("region", pgettext_lazy("export column", "Province / state")),
    ("postal_code", pgettext_lazy("export column", "Postal code")),
    ("country", pgettext_lazy("export column", "Country")),
    ("language", pgettext_lazy("export column", "Preferred language")),
    ("description", pgettext_lazy("export column", "Description")),
    ("account_manager", pgettext_lazy("export column", "Account manager")),
    ("person_first_name", pgettext_lazy("export column", "First name")),
    ("person_last_name", pgettext_lazy("export column", "Last name")),
    ("person_role", pgettext_lazy("export column", "Role")),
    ("person_email", pgettext_lazy("export column", "Person e-mail")),
    ("person_phone", pgettext_lazy("export column", "Person phone")),
    ("person_mobile", pgettext_lazy("export column", "Person mobile")),
    ("person_primary", pgettext_lazy("export column", "Primary contact")),
]
WIDTHS = {"name": 30, "email": 28, "description": 40, "street": 28, "person_email": 28, "website": 26}


def columns() -> list[tuple]:
    """The export's columns; the account manager belongs to the prospection module (off: not there)."""
    if settings.PROSPECTION_ENABLED:
        return COLUMNS
    return [column for column in COLUMNS if column[0] != "account_manager"]


def header(language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for _key, label in columns()]


def contact_rows(contacts, language: str):
    """Lists of values in columns() order: a row per person, a contact without people on one row.

    Values as a person reads them in `language` (« Organisation », « Prospect », « oui »), each one
    the import reads back as the same value. One query (contacts LEFT JOIN people, in the list's
    order, then each contact's primary person first), read 2,000 rows at a time, plus the usernames.
    """
    with translation.override(language):
        kinds = {code: str(label) for code, label in Contact.Kind.choices}
        statuses = {code: str(label) for code, label in Contact.Status.choices}
        languages = {code: str(label) for code, label in settings.LANGUAGES}
        primary = {True: translation.gettext("yes"), False: translation.gettext("no"), None: ""}
    with_manager = settings.PROSPECTION_ENABLED
    usernames = dict(get_user_model().objects.values_list("pk", get_user_model().USERNAME_FIELD)) if with_manager else {}
    ordering = list(contacts.query.order_by) or list(Contact._meta.ordering)
    rows = contacts.order_by(*ordering, "pk", *PEOPLE_ORDER).values_list(*CONTACT_FIELDS, *PERSON_FIELDS)
    for (external_ref, name, kind, status, email, phone, website, street, city, region, postal_code, country,
         language_code, description, manager, first_name, last_name, role, person_email, person_phone, mobile,
         is_primary) in rows.iterator(chunk_size=CHUNK):
        row = [external_ref, name, kinds.get(kind, kind), statuses.get(status, status), email, phone, website,
               street, city, region, postal_code, country, languages.get(language_code, language_code), description]
        if with_manager:
            row.append(usernames.get(manager, ""))
        row += [first_name, last_name, role, person_email, person_phone, mobile, primary[is_primary]]
        yield row


def write_contacts_csv(contacts, language: str, stream, progress=None) -> int:
    """CSV for a spreadsheet in `language`: in French `;` (what a French Excel splits on), else `,`;
    a UTF-8 BOM either way."""
    return write_csv(stream, header(language), contact_rows(contacts, language),
                     delimiter=";" if language.startswith("fr") else ",", progress=progress)


def write_contacts_xlsx(contacts, language: str, stream, progress=None) -> int:
    with translation.override(language):
        sheet = str(Contact._meta.verbose_name_plural).capitalize()
    return write_xlsx(stream, sheet=sheet, header=header(language), rows=contact_rows(contacts, language),
                      widths=[WIDTHS.get(key, 16) for key, _label in columns()], progress=progress)


def listed_contacts(asker):
    """What the contacts list shows for this query string (its filters, search and sort; all pages)."""
    from contacts.views import filtered_contacts  # the list's own filters (views import this module's users)

    return filtered_contacts(asker).qs


def person_rows(contacts, limit: int | None) -> int:
    """The rows of a contacts export: one per person, one for a contact without people (at most limit)."""
    rows = contacts.order_by().values_list("pk", "people__pk")
    return (rows[:limit] if limit else rows).count()


CONTACTS_CSV = Export(name="contacts.csv", target="contacts", kind="contact", stem="contacts", extension="csv",
                      permission="contacts.view_contact", select=listed_contacts, count=person_rows,
                      write=write_contacts_csv)
CONTACTS_XLSX = Export(name="contacts.xlsx", target="contacts", kind="contact", stem="contacts", extension="xlsx",
                       permission="contacts.view_contact", select=listed_contacts, count=person_rows,
                       write=write_contacts_xlsx)


# vCards ---------------------------------------------------------------------------------------


def vcard_text(value: str) -> str:
    """A vCard 3.0 text value: backslash, comma, semicolon and line breaks escaped."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def folded(line: str) -> str:
    """A content line folded at 75 octets, never inside a character (RFC 6350 3.2)."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a UTF-8 continuation byte: back off
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # a continuation line starts with a space
    return "\r\n ".join(parts) + "\r\n"


def card(lines: list[tuple[str, str]]) -> str:
    body = "".join(folded(f"{name}:{value}") for name, value in lines if value.strip(";"))
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + body + "END:VCARD\r\n"


def _address(contact, kind: str) -> list[tuple[str, str]]:
    parts = [contact.street, contact.city, contact.region, contact.postal_code, contact.country]
    if not any(parts):
        return []
    return [(f"ADR;TYPE={kind}", ";;" + ";".join(vcard_text(part) for part in parts))]


def contact_cards(contact, people) -> list[str]:
    """An organization's people, each a card with its ORG; an organization without people, or an
    individual, one card of its own. Read back by import_contacts as the same contact and people
    (X-RELANCE-REF: the external reference, when the contact has one)."""
    reference = [("X-RELANCE-REF", vcard_text(contact.external_ref))] if contact.external_ref else []
    website = [("URL", contact.website)] if contact.website else []
    if contact.kind == Contact.Kind.ORGANIZATION and people:
        return [card([
            ("N", f"{vcard_text(person.last_name)};{vcard_text(person.first_name)};;;"),
            ("FN", vcard_text(person.full_name)), ("ORG", vcard_text(contact.name)), ("TITLE", vcard_text(person.role)),
            ("EMAIL;TYPE=INTERNET,WORK", person.email), ("TEL;TYPE=WORK,VOICE", vcard_text(person.phone)),
            ("TEL;TYPE=CELL", vcard_text(person.mobile)), *_address(contact, "WORK"), *website, *reference,
        ]) for person in people]
    if contact.kind == Contact.Kind.ORGANIZATION:
        lines = [("N", ";;;;"), ("FN", vcard_text(contact.name)), ("ORG", vcard_text(contact.name)),
                 ("X-ABShowAs", "COMPANY"), ("EMAIL;TYPE=INTERNET,WORK", contact.email),
                 ("TEL;TYPE=WORK,VOICE", vcard_text(contact.phone)), *_address(contact, "WORK")]
    else:
        first, _space, last = contact.name.rpartition(" ")
        lines = [("N", f"{vcard_text(last)};{vcard_text(first)};;;"), ("FN", vcard_text(contact.name)),
                 ("EMAIL;TYPE=INTERNET", contact.email), ("TEL;TYPE=VOICE", vcard_text(contact.phone)),
                 *_address(contact, "HOME")]
    return [card([*lines, *website, ("NOTE", vcard_text(contact.description)), *reference])]


def write_vcards(contacts, stream) -> int:
    """vCards (3.0, UTF-8) of the contacts and their people: 2 queries per 2,000 contacts. Returns the cards."""
    count = 0
    contacts = contacts.defer("search_text").prefetch_related("people")
    for contact in contacts.iterator(chunk_size=CHUNK):
        for text in contact_cards(contact, list(contact.people.all())):
            stream.write(text.encode())
            count += 1
    return count
