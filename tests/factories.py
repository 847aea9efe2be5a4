import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from contacts.models import Contact, ContactPerson
from notes.models import Note, NoteType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("secret-password-1")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    status = Contact.Status.PROSPECT
    email = factory.Sequence(lambda n: f"info{n}@entreprise.example")
    phone = "514-555-0100"
    city = "Montréal"


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    contact = factory.SubFactory(ContactFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    contact = factory.SubFactory(ContactFactory)
    assigned_to = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("assigned_to")
    date = factory.LazyFunction(timezone.localdate)
    type = factory.LazyFunction(lambda: NoteType.objects.order_by("order").first())
    description = factory.Sequence(lambda n: f"Note number {n}")
    done_at = factory.LazyAttribute(lambda note: timezone.now() if note.is_done else None)
    is_done = False


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
