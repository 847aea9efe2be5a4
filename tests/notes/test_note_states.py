"""States are derived from done + date, in the CRM's time zone (America/Toronto)."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from notes.models import Note, today
from tests.factories import NoteFactory

UTC = datetime.UTC


def at_utc(*args):
    return mock.patch("django.utils.timezone.now", return_value=datetime.datetime(*args, tzinfo=UTC))


def test_today_is_the_toronto_date_not_the_utc_date(settings):
    settings.TIME_ZONE = "America/Toronto"
    # 04:30 UTC on the 28th is 23:30 on the 27th in Toronto.
    with at_utc(2026, 11, 28, 4, 30):
        assert today() == datetime.date(2026, 11, 27)
    with at_utc(2026, 11, 28, 5, 30):
        assert today() == datetime.date(2026, 11, 28)


@pytest.mark.django_db
def test_states_around_midnight_in_toronto(settings):
    settings.TIME_ZONE = "America/Toronto"
    yesterday = NoteFactory(date=datetime.date(2026, 11, 26), description="yesterday")
    on_the_day = NoteFactory(date=datetime.date(2026, 11, 27), description="today")
    tomorrow = NoteFactory(date=datetime.date(2026, 11, 28), description="tomorrow")
    done = NoteFactory(date=datetime.date(2026, 11, 26), is_done=True, description="done")

    with at_utc(2026, 11, 28, 4, 59):  # 23:59 on the 27th in Toronto
        assert [n.state for n in (yesterday, on_the_day, tomorrow, done)] == [
            "overdue", "today", "follow_up", "history"]
        assert set(Note.objects.overdue().values_list("description", flat=True)) == {"yesterday"}
        assert set(Note.objects.follow_ups().values_list("description", flat=True)) == {"tomorrow"}
        assert set(Note.objects.history().values_list("description", flat=True)) == {"done"}
        assert set(Note.objects.actions().values_list("description", flat=True)) == {"yesterday", "today", "tomorrow"}

    with at_utc(2026, 11, 28, 5, 1):  # 00:01 on the 28th in Toronto
        assert [n.state for n in (yesterday, on_the_day, tomorrow)] == ["overdue", "overdue", "today"]
        assert set(Note.objects.overdue().values_list("description", flat=True)) == {"yesterday", "today"}
        assert not Note.objects.follow_ups().exists()


@pytest.mark.django_db
def test_mark_done_records_when_and_undo_clears_it():
    note = NoteFactory()
    note.mark_done()
    note.save()
    note.refresh_from_db()
    assert note.is_done and note.done_at is not None
    note.mark_done(False)
    note.save()
    note.refresh_from_db()
    assert not note.is_done and note.done_at is None


@pytest.mark.django_db
def test_a_note_cannot_have_a_done_date_without_being_done():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    note = NoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(done_at=timezone.now())


@pytest.mark.django_db
def test_visible_to_hides_admin_only_notes_from_reps(rep, manager, outsider):
    NoteFactory(description="public")
    NoteFactory(description="secret", admin_only=True)
    assert list(Note.objects.visible_to(rep).values_list("description", flat=True)) == ["public"]
    assert set(Note.objects.visible_to(manager).values_list("description", flat=True)) == {"public", "secret"}
    assert not Note.objects.visible_to(outsider).exists()


@pytest.mark.django_db
def test_deleting_a_user_with_notes_is_refused():
    from django.db.models import ProtectedError

    note = NoteFactory()
    with pytest.raises(ProtectedError):
        note.assigned_to.delete()
    assert Note.objects.filter(pk=note.pk).exists()


def test_toronto_zone_is_the_default(settings):
    assert ZoneInfo(settings.TIME_ZONE) == ZoneInfo("America/Toronto")
