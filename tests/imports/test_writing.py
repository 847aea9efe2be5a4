"""The fast insert writes what bulk_create would: defaults, timestamps, prepared values, ids."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from contacts.models import Contact, ContactPerson
from crm.importing.bulk_sql import Blueprint, insert
from notes.models import Note, NoteType

pytestmark = pytest.mark.django_db


def values_of(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_blueprint_builds_what_the_model_would():
    built = Blueprint(Contact)({"name": "Café", "city": "Québec", "account_manager_id": None})
    expected = Contact(name="Café", city="Québec")
    assert values_of(built) == values_of(expected)


def test_blueprint_calls_callable_defaults_for_each_instance(rep):
    note = Blueprint(Note)({"description": "x", "assigned_to_id": rep.pk, "contact_id": 1})
    assert note.date == timezone.localdate()


def test_insert_writes_the_rows_and_sets_their_ids(rep):
    before = timezone.now()
    contacts = [Blueprint(Contact)({"name": f"Café {n}", "email": f"c{n}@x.example", "account_manager_id": rep.pk,
                                    "search_text": f"cafe {n}"}) for n in range(3)]
    insert(Contact, contacts)
    assert all(contact.pk for contact in contacts)
    for contact in contacts:
        stored = Contact.objects.get(pk=contact.pk)
        assert values_of(stored) == values_of(contact)
        assert stored.created_at == stored.updated_at >= before
        assert (stored.kind, stored.status, stored.language) == ("organization", "prospect", "fr")
    people = [Blueprint(ContactPerson)({"contact_id": contacts[0].pk, "last_name": name}) for name in ("A", "B")]
    insert(ContactPerson, people, set_pks=False)
    assert list(contacts[0].people.order_by("last_name").values_list("last_name", "is_primary")) == [
        ("A", False), ("B", False)]


def test_a_draft_holds_what_the_instance_would_and_is_written_the_same(rep):
    values = {"name": "Café", "city": "Québec", "account_manager_id": rep.pk, "search_text": "cafe"}
    draft, instance = Blueprint(Contact).draft(values), Blueprint(Contact)(values)
    assert draft.pk is None
    expected = values_of(instance)
    del expected["id"]
    assert {name: value for name, value in vars(draft).items() if name != "pk"} == expected
    note = Blueprint(Note).draft({"description": "x", "assigned_to_id": rep.pk, "contact_id": 1})
    assert note.date == timezone.localdate()  # callable defaults, one per draft
    with pytest.raises(KeyError):
        Blueprint(Contact).draft({"nmae": "typo"})

    insert(Contact, [draft])
    stored = Contact.objects.get(pk=draft.pk)
    assert values_of(stored) == {**expected, "id": draft.pk, "created_at": draft.created_at,
                                 "updated_at": draft.updated_at}
    person = Blueprint(ContactPerson).draft({"contact_id": draft.pk, "last_name": "Fortin"})
    insert(ContactPerson, [person], set_pks=False)
    assert list(stored.people.values_list("last_name", "is_primary")) == [("Fortin", False)]


def test_insert_prepares_dates_and_times(rep, contact):
    note = Blueprint(Note)({"contact_id": contact.pk, "assigned_to_id": rep.pk, "description": "x",
                            "type_id": NoteType.objects.first().pk, "date": datetime.date(2026, 11, 28),
                            "time": datetime.time(14, 30)})
    insert(Note, [note], set_pks=False)
    stored = Note.objects.get()
    assert (stored.date, stored.time) == (datetime.date(2026, 11, 28), datetime.time(14, 30))


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
def test_insert_leaves_generated_columns_to_the_database(rep, contact):
    from prospection.models import Opportunity, Stage

    opportunity = Blueprint(Opportunity)({
        "contact_id": contact.pk, "subject": "Site", "stage_id": Stage.objects.first().pk,
        "representative_id": rep.pk, "value": Decimal("10000.00"), "purchase_costs": Decimal("2000.00"),
        "success_percent": 35,
    })
    insert(Opportunity, [opportunity])
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert stored.value == Decimal("10000.00")
    assert stored.total == Decimal("2800.00")
    assert stored.band == 1


def test_update_writes_the_given_fields_and_only_those(rep, manager):
    from crm.importing.bulk_sql import update
    from tests.factories import ContactFactory, NoteFactory

    first, second = ContactFactory(name="A", city="Québec"), ContactFactory(name="B", city="Lévis")
    later = timezone.now() + datetime.timedelta(days=1)
    first.name, first.city, first.updated_at, first.account_manager_id = "A2", "ignored", later, manager.pk
    second.name, second.updated_at, second.account_manager_id = "B2 « é »", later, None
    update(Contact, [first, second], ["name", "updated_at", "account_manager"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.city, first.updated_at, first.account_manager) == ("A2", "Québec", later, manager)
    assert (second.name, second.updated_at, second.account_manager) == ("B2 « é »", later, None)

    done = NoteFactory(is_done=True, assigned_to=rep)
    done.is_done, done.done_at, done.date = False, None, datetime.date(2027, 1, 2)
    update(Note, [done], ["is_done", "done_at", "date"])
    done.refresh_from_db()
    assert (done.is_done, done.done_at, done.date) == (False, None, datetime.date(2027, 1, 2))


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="COPY is PostgreSQL only")
def test_a_refused_copy_raises_djangos_database_error(contact):
    from django.db import IntegrityError, transaction

    person = Blueprint(ContactPerson)({"contact_id": contact.pk, "last_name": None})  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(ContactPerson, [person], set_pks=False)


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="COPY is PostgreSQL only")
def test_a_copy_in_the_background_is_done_before_the_next_statement_and_its_refusal_raised(contact):
    from django.db import IntegrityError, transaction

    from crm.importing.bulk_sql import copies_in_background

    with copies_in_background():
        insert(ContactPerson, [Blueprint(ContactPerson)({"contact_id": contact.pk, "last_name": "A"})], set_pks=False)
        assert contact.people.count() == 1  # this query waited for the COPY
    refused = Blueprint(ContactPerson)({"contact_id": contact.pk, "last_name": None})  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic(), copies_in_background():
        insert(ContactPerson, [refused], set_pks=False)
    assert contact.people.count() == 1
