"""The contacts' search text now holds their people's mobile numbers (contacts.searchable): rebuilt for the
contacts that have a person with one. The text only, as Contact.refresh_search_text writes it (no history row,
no new version: it is no edit)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from contacts.searchable import PERSON_FIELDS, build

    Contact = apps.get_model("contacts", "Contact")
    ContactPerson = apps.get_model("contacts", "ContactPerson")
    ids = sorted(set(ContactPerson.objects.exclude(mobile="").values_list("contact_id", flat=True)))
    for start in range(0, len(ids), 2000):
        part = ids[start:start + 2000]
        people = {}
        for person in ContactPerson.objects.filter(contact_id__in=part).only("contact_id", *PERSON_FIELDS) \
                .order_by("pk"):
            people.setdefault(person.contact_id, []).append(person)
        changed = []
        for contact in Contact.objects.filter(pk__in=part):
            text = build(contact, people.get(contact.pk, []))
            if text != contact.search_text:
                contact.search_text = text
                changed.append(contact)
        Contact.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_person_mobile"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
    ]
