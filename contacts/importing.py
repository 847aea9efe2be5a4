"""Contacts and their people from CSV, .xlsx or vCard (the import_contacts command and the import page);
and how the other imports (notes, opportunities) find the contact a row names.

One row is a contact, with at most one person. Several rows with the same
external reference (or, without one, the same name and e-mail) are one
contact with several people; the first of those rows gives the contact's
values, the others may repeat them or leave them empty.

With --update an existing contact is found by external reference, else by
e-mail (among contacts without another external reference), else, for a row
with neither, by exact name; its people by e-mail, else by first and last name.
An empty cell never erases what the contact file holds.

Cost per batch of 2,000 rows: at most 4 queries to find what exists, then
batched inserts and updates (crm.importing.bulk_sql); search_text is computed here, never per row.
"""

import struct
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts import searchable
from contacts.forms import HAS_SCHEME
from contacts.models import Contact, ContactPerson
from contacts.vcard_rows import VCARD_COLUMNS, CardReader
from crm.importing import bulk_sql, values
from crm.importing.engine import Column, Importer, header_key
from crm.importing.records import stamp
from crm.text import fold

# Column key (as the contact list export writes it) → model attribute.
CONTACT_ATTRS = {
    "external_ref": "external_ref", "name": "name", "kind": "kind", "status": "status", "email": "email",
    "phone": "phone", "website": "website", "street": "street", "city": "city", "region": "region",
    "postal_code": "postal_code", "country": "country", "language": "language",
    "description": "description", "account_manager": "account_manager_id",
}
PERSON_ATTRS = {
    "person_first_name": "first_name", "person_last_name": "last_name", "person_role": "role",
    "person_email": "email", "person_phone": "phone", "person_mobile": "mobile",
}


def website(value) -> str:
    """'www.example.com' → 'https://www.example.com', as the contact form does."""
    text = values.text(value)
    if text and not HAS_SCHEME.match(text):
        text = "https://" + text
    return text


# The account manager belongs to the prospection module: with the module off the column is
# not accepted (an unknown column, refused with the reason), and not listed among the accepted ones.
ACCOUNT_MANAGER_NAMES = ("gestionnaire de compte", "account manager", "gestionnaire")


def contact_columns() -> list[Column]:
    field = Contact._meta.get_field
    person = ContactPerson._meta.get_field
    kinds = values.model_choices(Contact.Kind) + [
        (Contact.Kind.ORGANIZATION, "organisation", "entreprise", "company", "société", "societe"),
        (Contact.Kind.INDIVIDUAL, "individu", "personne", "person", "particulier"),
    ]
    languages = [
        ("fr", "fr", "fr-ca", "fr-fr", "français", "francais", "french"),
        ("en", "en", "en-ca", "en-us", "en-gb", "anglais", "english"),
    ]
    columns = [
        Column("external_ref", ("référence externe", "external reference", "réf. externe", "référence",
                                "reference", "ref", "réf", "id externe", "external id"), field=field("external_ref")),
        Column("name", ("nom", "name", "raison sociale", "entreprise", "company", "organisation", "organization",
                        "nom de l'entreprise", "company name", "nom du contact", "contact name"), field=field("name")),
        Column("kind", ("type", "type de contact", "contact type", "genre"),
               parse=values.Choices(kinds, unknown_message=_("“%(value)s” is not a kind of contact."))),
        Column("status", ("statut", "status", "état du contact"),
               parse=values.Choices(values.model_choices(Contact.Status),
                                    unknown_message=_("“%(value)s” is not a contact status."))),
        Column("email", ("courriel", "e-mail", "email", "adresse courriel", "adresse e-mail", "email address",
                         "e-mail address", "mail"), field=field("email")),
        Column("phone", ("téléphone", "phone", "tél", "tél.", "tel", "telephone number", "numéro de téléphone",
                         "phone number"), field=field("phone")),
        Column("website", ("site web", "website", "site internet", "site", "web", "url"),
               parse=website, field=field("website")),
        Column("street", ("adresse", "address", "rue", "street address", "adresse civique"), field=field("street")),
        Column("city", ("ville", "city", "municipalité", "town"), field=field("city")),
        Column("region", ("province", "région", "region", "state", "province / state", "province / état",
                          "province/état"), field=field("region")),
        Column("postal_code", ("code postal", "postal code", "zip", "zip code", "cp"), field=field("postal_code")),
        Column("country", ("pays", "country"), field=field("country")),
        Column("language", ("langue", "language", "langue préférée", "preferred language"),
               parse=values.Choices(languages, unknown_message=_("“%(value)s” is not a language of the site."))),
        Column("description", ("description", "commentaire", "commentaires", "comments", "remarques", "notes"),
               field=field("description")),
        Column("account_manager", ACCOUNT_MANAGER_NAMES, parse=values.Users()),
        Column("person_first_name", ("prénom", "first name", "given name", "prénom de la personne",
                                     "person first name"), field=person("first_name")),
        Column("person_last_name", ("nom de famille", "last name", "family name", "surname",
                                    "nom de famille de la personne", "person last name"), field=person("last_name")),
        Column("person_role", ("fonction", "role", "rôle", "titre", "title", "poste", "job title",
                               "person role"), field=person("role")),
        Column("person_email", ("courriel personne", "courriel de la personne", "person e-mail", "person email",
                                "e-mail personne", "email personne"), field=person("email")),
        Column("person_phone", ("téléphone personne", "téléphone de la personne", "person phone",
                                "tél. personne"), field=person("phone")),
        Column("person_mobile", ("cellulaire de la personne", "cellulaire", "cellulaire personne", "cell",
                                 "mobile", "mobile de la personne", "téléphone mobile", "téléphone cellulaire",
                                 "portable", "person mobile", "mobile phone", "cell phone"), field=person("mobile")),
        Column("person_primary", ("personne principale", "principal", "primary contact", "primary",
                                  "primary person"), parse=values.boolean),
    ]
    if not settings.PROSPECTION_ENABLED:
        columns = [column for column in columns if column.key != "account_manager"]
    return columns


class Pending:
    """Stands for a row to be created while only checking (building model instances costs)."""

    pk = None
    _changed = None


PENDING = Pending()


class Seen:
    """What the import knows about one contact of the file (kept for the whole file: small)."""

    __slots__ = ("row", "digest", "pk", "existing", "has_primary", "primary_row")

    def __init__(self, row, digest):
        self.row = row
        self.digest = digest
        self.pk = None
        self.existing = False
        self.has_primary = False
        self.primary_row = None


@dataclass
class BatchPlan:
    """What one batch of rows does (ContactImport.decide()), for write() to write."""

    people_of: dict  # existing contact pk → its people, as loaded
    contacts: dict = dataclass_field(default_factory=dict)  # contact key → the contact the batch writes
    new_contacts: list = dataclass_field(default_factory=list)  # (Seen, draft)
    changed_contacts: list = dataclass_field(default_factory=list)  # existing, with ._changed
    new_people: list = dataclass_field(default_factory=list)  # (contact key, Seen, draft)
    changed_people: list = dataclass_field(default_factory=list)
    demoted: list = dataclass_field(default_factory=list)  # people no longer primary

    def add_contact(self, key, seen, contact) -> None:
        self.contacts[key] = contact
        if contact.pk is None:
            self.new_contacts.append((seen, contact))
        elif getattr(contact, "_changed", None):
            self.changed_contacts.append(contact)

    def add_person(self, key, seen, person) -> bool:
        """Whether the person is to be written (new or changed)."""
        if person.pk is None:
            self.new_people.append((key, seen, person))
        elif person._changed:
            self.changed_people.append(person)
        else:
            return False
        return True


def person_key(email: str, first_name: str, last_name: str) -> tuple:
    return ("e", email.casefold()) if email else ("n", fold(first_name), fold(last_name))


class ContactImport(Importer):
    counted = {
        "contacts": gettext_lazy("Contacts — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s."),
        "people": gettext_lazy("People — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s."),
    }

    def get_columns(self):
        return contact_columns()

    def vcard_reader(self):
        self.cards = CardReader()  # once per run: the file is read once, by the check pass
        return self.cards.to_row, VCARD_COLUMNS

    def check_header(self, keys):
        if not settings.PROSPECTION_ENABLED:
            # Refused as unknown by the engine; say why, so that the user knows to remove it.
            accepted = {header_key(name) for name in ("account_manager", *ACCOUNT_MANAGER_NAMES)}
            named = [str(name).strip() for name in self.source.header if header_key(name) in accepted]
            if named:
                return [_("“%(name)s”: the account manager is part of the prospection module, which is off on this "
                          "site; remove the column to import the rest.") % {"name": named[0]}]
        if not {"name", "external_ref"} & keys:
            return [_("The file needs a column with the contact’s name (nom, name) or its external reference "
                      "(référence externe, external_ref).")]
        if keys & {"person_first_name", "person_role", "person_email", "person_phone", "person_mobile"} and "person_last_name" not in keys:
            return [_("The people columns need a last name column (nom de famille, last name).")]
        self.digest_keys = [key for key in CONTACT_ATTRS if key in keys and key not in {"external_ref"}]
        self.digest_format = struct.Struct(f"{len(self.digest_keys)}q")
        self.primary_column = "person_primary" in keys
        return []

    def reset(self):
        if not self.writing:
            self.matched: dict[tuple, int] = {}  # key → existing contact, found by the check pass
        self.new_contact = bulk_sql.Blueprint(Contact)
        self.new_person = bulk_sql.Blueprint(ContactPerson)
        self.versioned = bulk_sql.is_versioned(Contact)
        self.seen: dict[tuple, Seen] = {}
        self.claimed: dict[int, int] = {}  # existing contact pk → the row that matched it
        self.people_rows: dict[tuple, int] = {}  # (contact key, person key) → row
        self.stale: set[int] = set()  # contacts given people after their own batch
        # Both passes count: the write pass decides every row again (plan()), with what the check found.
        counts = self.reset_counts()
        self.contacts, self.people = counts["contacts"], counts["people"]

    def summary(self):
        return super().summary() + (self.cards.summary() if getattr(self, "cards", None) else [])

    # Keys ---------------------------------------------------------------------

    def contact_key(self, row) -> tuple | None:
        if "external_ref" in row:
            return ("r", row["external_ref"])
        if "name" in row:
            return ("n", row["name"], row.get("email", "").casefold())
        return None

    def digest(self, row) -> bytes:
        """The first row's contact values, as one small hash each (not the values: memory)."""
        return self.digest_format.pack(*map(hash, map(row.values.get, self.digest_keys)))

    def compare(self, row, seen: Seen) -> None:
        """A later row of the same contact may repeat its values or leave them empty."""
        first = self.digest_format.unpack(seen.digest)
        for index, key in enumerate(self.digest_keys):
            if key in row and hash(row[key]) != first[index]:
                self.error(row, key, _("This contact already appears on row %(row)s with another value here; "
                                       "repeat the same value or leave the cell empty.") % {"row": seen.row})

    # Finding what exists --------------------------------------------------------

    def find_existing(self, firsts) -> dict:
        """The existing contact of each key seen for the first time (at most 3 queries).

        The write pass runs in the same transaction as the check pass: it takes
        the check's answers and only loads the contacts it found (1 query).
        """
        if self.writing:
            pks = {key: self.matched[key] for _row, key in firsts if key in self.matched}
            loaded = Contact.objects.in_bulk(pks.values()) if pks else {}
            return {key: loaded[pk] for key, pk in pks.items() if pk in loaded}
        found = {}
        refs = {row["external_ref"] for row, _key in firsts if "external_ref" in row}
        # exclude(external_ref="") lets the database use the unique (partial) index.
        by_ref = {contact.external_ref: contact for contact in
                  Contact.objects.exclude(external_ref="").filter(external_ref__in=refs).order_by()} if refs else {}
        by_email_rows, by_name_rows = [], []
        for row, key in firsts:
            if "external_ref" in row and row["external_ref"] in by_ref:
                found[key] = by_ref[row["external_ref"]]
            elif "email" in row:
                by_email_rows.append((row, key))
            elif "external_ref" not in row:
                by_name_rows.append((row, key))
        if by_email_rows:
            found.update(self.find_by_email(by_email_rows))
        if by_name_rows:
            found.update(self.find_by_name(by_name_rows))
        self.matched.update((key, contact.pk) for key, contact in found.items())
        return found

    def find_by_email(self, rows) -> dict:
        """key → the one contact with the row's e-mail (any case); several: an error on the row (1 query)."""
        by_email = defaultdict(list)
        contacts = Contact.objects.alias(email_lower=Lower("email")).filter(self.email_match(rows))
        for contact in contacts.order_by("pk"):
            by_email[contact.email.casefold()].append(contact)
        found = {}
        for row, key in rows:
            # Another external reference means another contact, whatever its e-mail.
            candidates = [contact for contact in by_email.get(row["email"].casefold(), [])
                          if not contact.external_ref or "external_ref" not in row]
            if len(candidates) > 1:
                self.error(row, "email", _("%(count)s contacts have this e-mail; add an external reference "
                                           "column to say which one this row is.") % {"count": len(candidates)})
            elif candidates:
                found[key] = candidates[0]
        return found

    def find_by_name(self, rows) -> dict:
        """key → the one contact with the row's exact name; several: an error on the row (1 query)."""
        by_name = defaultdict(list)
        for contact in Contact.objects.filter(name__in={row["name"] for row, _key in rows}).order_by("pk"):
            by_name[contact.name].append(contact)
        found = {}
        for row, key in rows:
            candidates = by_name.get(row["name"], [])
            if len(candidates) > 1:
                self.error(row, "name", _("%(count)s contacts have this name; add an e-mail or external "
                                          "reference column to say which one this row is.")
                           % {"count": len(candidates)})
            elif candidates:
                found[key] = candidates[0]
        return found

    @staticmethod
    def email_match(rows) -> Q:
        """The contacts the rows' e-mails may find, whatever the case (on an `email_lower` alias).

        A row with an external reference only finds a contact without one: asked
        of the database, so that a file whose e-mails belong to contacts with
        other references does not load all those contacts for nothing.
        """
        any_contact, unreferenced = set(), set()
        for row, _key in rows:
            emails = unreferenced if "external_ref" in row else any_contact
            emails.add(row["email"].lower())
        match = Q(email_lower__in=any_contact) if any_contact else Q(pk__in=[])
        if unreferenced:
            match |= Q(email_lower__in=unreferenced, external_ref="")
        return match

    # Check and write: the same decisions, written or not ----------------------

    def check_batch(self, rows):
        self.decide(rows)

    def write_batch(self, rows):
        self.write(self.decide(rows))

    def key_rows(self, rows) -> tuple[list, list]:
        """(row, contact key, Seen) of each row that names a contact; and (row, key) of the keys new to the file.

        The check pass also compares a contact's later rows with its first one.
        """
        keyed, firsts = [], []
        for row in rows:
            key = self.contact_key(row)
            if key is None:
                if not (row.failed("name") or row.failed("external_ref")):
                    self.error(row, None, _("The contact needs a name or an external reference."))
                continue
            seen = self.seen.get(key)
            if seen is None:
                seen = self.seen[key] = Seen(row.number, self.digest(row) if not self.writing else None)
                firsts.append((row, key))
            elif not self.writing:
                self.compare(row, seen)
            keyed.append((row, key, seen))
        return keyed, firsts

    def decide(self, rows) -> "BatchPlan":
        """What each row does to contacts and people, counted (at most 5 queries); nothing written."""
        keyed, firsts = self.key_rows(rows)
        existing = self.find_existing(firsts) if firsts else {}
        first_keys = {key for _row, key in firsts}
        plan = BatchPlan(people_of=self.load_people(
            {contact.pk for contact in existing.values()}
            | {seen.pk for _row, key, seen in keyed if key not in first_keys and seen.pk}
        ))
        now = timezone.now()
        decided = set()
        for row, key, seen in keyed:
            if key in first_keys and key not in decided:
                decided.add(key)
                contact = self.plan_contact(row, seen, existing.get(key), plan.people_of, now)
                if contact is None:
                    continue
                plan.add_contact(key, seen, contact)
            elif key in first_keys and key not in plan.contacts:
                continue  # its first row was refused
            person = self.plan_person(row, key, seen, plan.people_of, plan.demoted)
            if person is not None and plan.add_person(key, seen, person) and key not in plan.contacts and seen.pk:
                self.stale.add(seen.pk)  # a contact of an earlier batch got a person
        return plan

    def write(self, plan: "BatchPlan") -> None:
        """Write what decide() planned (inserts and updates, no other query)."""
        self.refresh_search_text(plan, timezone.now())
        bulk_sql.insert(Contact, [contact for _seen, contact in plan.new_contacts])
        for seen, contact in plan.new_contacts:
            seen.pk = contact.pk
        bulk_sql.update_changed(Contact, ((contact, contact._changed) for contact in plan.changed_contacts))
        # The one-primary rule is checked row by row: take the flag away first.
        if plan.demoted:
            bulk_sql.update(ContactPerson, plan.demoted, ["is_primary"])
        bulk_sql.update_changed(ContactPerson, ((person, person._changed) for person in plan.changed_people))
        for _key, seen, person in plan.new_people:
            person.contact_id = seen.pk
        bulk_sql.insert(ContactPerson, [person for _key, _seen, person in plan.new_people], set_pks=False)

    def refresh_search_text(self, plan: "BatchPlan", now) -> None:
        """search_text of the batch's contacts from the contact and its people, all in memory."""
        new_by_key = defaultdict(list)
        for key, _seen, person in plan.new_people:
            new_by_key[key].append(person)
        people_changed = {person.contact_id for person in plan.changed_people}
        for key, contact in plan.contacts.items():
            if (contact.pk is not None and not getattr(contact, "_changed", None)
                    and key not in new_by_key and contact.pk not in people_changed):
                continue  # nothing it is made of changed
            people = (plan.people_of.get(contact.pk, []) if contact.pk else []) + new_by_key.get(key, [])
            # The model's own rule, called so that it works on drafts (new contacts and people) too.
            search_text = Contact.build_search_text(contact, people=people)
            if search_text != contact.search_text:
                contact.search_text = search_text
                if contact.pk is not None:
                    if not getattr(contact, "_changed", None):
                        contact._changed = set()
                        plan.changed_contacts.append(contact)
                    contact._changed |= {"search_text", "updated_at"}
                    contact.updated_at = now

    def load_people(self, contact_ids) -> dict:
        people_of = defaultdict(list)
        if contact_ids:
            for person in ContactPerson.objects.filter(contact_id__in=contact_ids).order_by("pk"):
                people_of[person.contact_id].append(person)
        return people_of

    def plan_contact(self, row, seen, contact, people_of, now):
        """The contact the row's first appearance gives: a draft (or PENDING while checking), the existing one
        with the row's values, or None (an error)."""
        if contact is not None:
            if not self.update:
                self.error(row, None, _("The contact “%(name)s” already exists; run the import with --update to "
                                        "update it.") % {"name": contact.name})
                return None
            if contact.pk in self.claimed:
                self.error(row, None, _("This row and row %(row)s are the same existing contact “%(name)s”.")
                           % {"row": self.claimed[contact.pk], "name": contact.name})
                return None
            self.claimed[contact.pk] = row.number
            seen.pk, seen.existing = contact.pk, True
            seen.has_primary = any(person.is_primary for person in people_of.get(contact.pk, []))
            return self.apply(contact, row, now)
        if "name" not in row:
            if not row.failed("name"):
                self.error(row, "name" if "name" in self.header_names else None,
                           _("A new contact needs a name."))
            return None
        self.contacts.created += 1
        if not self.writing:
            return PENDING
        values = row.values
        return self.new_contact.draft({attr: values[key] for key, attr in CONTACT_ATTRS.items() if key in values})

    def apply(self, contact, row, now):
        """Give an existing contact the row's values; contact._changed: the fields to write."""
        changed = set()
        values = row.values
        for key, attr in CONTACT_ATTRS.items():
            if key in values and getattr(contact, attr) != values[key]:
                setattr(contact, attr, values[key])
                changed.add(attr)
        if changed:
            contact._changed = stamp(contact, changed, now, versioned=self.versioned)
            self.contacts.updated += 1
        else:
            self.contacts.unchanged += 1
        return contact

    def plan_person(self, row, key, seen, people_of, demoted):
        values = row.values
        fields = {attr: values[key] for key, attr in PERSON_ATTRS.items() if key in values}
        if not fields:
            return None
        if "last_name" not in fields:
            if not row.failed("person_last_name"):
                self.error(row, "person_last_name", _("A person needs a last name."))
            return None
        pkey = person_key(fields.get("email", ""), fields.get("first_name", ""), fields["last_name"])
        if (key, pkey) in self.people_rows:
            self.error(row, None, _("This person is already on row %(row)s for the same contact.")
                       % {"row": self.people_rows[(key, pkey)]})
            return None
        self.people_rows[(key, pkey)] = row.number
        people = people_of.get(seen.pk, []) if seen.pk else []
        person = next((person for person in people
                       if person_key(person.email, person.first_name, person.last_name) == pkey), None)
        primary = row.get("person_primary")
        if primary is None and not self.primary_column and not seen.has_primary and person is None:
            primary = True  # no column says who: the first person of a contact is its primary person
        if primary:
            if seen.primary_row is not None:
                self.error(row, "person_primary", _("Row %(row)s already gives this contact its primary person.")
                           % {"row": seen.primary_row})
                return None
            seen.primary_row = row.number
            seen.has_primary = True
            for other in people:
                if other.is_primary and other is not person:
                    other.is_primary = False
                    demoted.append(other)
                    self.people.updated += 1
        if person is None:
            self.people.created += 1
            if not self.writing:
                return PENDING
            fields["is_primary"] = bool(primary)
            return self.new_person.draft(fields)
        changed = {attr for attr, value in fields.items() if getattr(person, attr) != value}
        if primary is not None and person.is_primary != primary:
            changed.add("is_primary")
        for attr in changed:
            setattr(person, attr, primary if attr == "is_primary" else fields[attr])
        person._changed = changed
        if changed:
            self.people.updated += 1
        else:
            self.people.unchanged += 1
        return person

    def finish(self):
        """Contacts that got people after their own batch: rebuild their search_text (3 queries a chunk)."""
        searchable.refresh(self.stale, chunk=self.batch_size)


# The contact a row of another import names ---------------------------------------

def contact_column(**options) -> Column:
    return Column(
        "contact",
        ("contact", "nom du contact", "contact name", "référence externe", "external reference", "external_ref",
         "référence du contact", "contact reference", "client", "entreprise", "company"),
        required=True,
        **options,
    )


def find_contacts(importer, rows, *, key: str = "contact", only=("name", "external_ref")) -> dict:
    """Row number → the contact its `key` cell names: by external reference, else by exact name (2 queries).

    A name several contacts share, or that nobody has, is an error on the row.
    """
    wanted = {row[key] for row in rows if key in row}
    if not wanted:
        return {}
    fields = {"pk", *only}
    # exclude(external_ref="") lets the database use the unique (partial) index.
    by_ref = {contact.external_ref: contact
              for contact in Contact.objects.exclude(external_ref="").filter(external_ref__in=wanted).only(*fields)}
    by_name = defaultdict(list)
    names = wanted - set(by_ref)
    if names:
        for contact in Contact.objects.filter(name__in=names).only(*fields).order_by("pk"):
            by_name[contact.name].append(contact)
    found = {}
    for row in rows:
        if key not in row:
            continue
        value = row[key]
        contact = by_ref.get(value)
        if contact is None:
            named = by_name.get(value, [])
            if len(named) > 1:
                importer.error(row, key, _("%(count)s contacts are named “%(value)s”; use the contact’s external "
                                           "reference instead.") % {"count": len(named), "value": value})
                continue
            if not named:
                importer.error(row, key, _("No contact has the external reference or the name “%(value)s”.")
                               % {"value": value})
                continue
            contact = named[0]
        found[row.number] = contact
    return found
