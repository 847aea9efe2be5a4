"""The slot registry: each slot takes one kind of part, and tests register theirs in isolation."""

import pytest

from crm import slots


def test_isolated_starts_empty_and_puts_the_apps_parts_back():
    before = [part.key for part in slots.panels(slots.CONTACT_TABS)]
    assert "notes" in before  # registered by the notes app at start-up
    with slots.isolated():
        assert slots.panels(slots.CONTACT_TABS) == []
        slots.register(slots.CONTACT_TABS, slots.Panel(key="test", label="Test", template="t.html",
                                                       get_context=lambda request, contact: {}))
        assert [part.key for part in slots.panels(slots.CONTACT_TABS)] == ["test"]
    assert [part.key for part in slots.panels(slots.CONTACT_TABS)] == before


def test_counts_are_asked_of_each_count_in_order():
    with slots.isolated():
        slots.register(slots.CONTACT_DELETE, slots.Count(key="b", label="widgets", count=lambda request, c: 7, order=2))
        slots.register(slots.CONTACT_DELETE, slots.Count(key="a", label="gadgets", count=lambda request, c: c, order=1))
        assert slots.counts(slots.CONTACT_DELETE, None, 3) == [("gadgets", 3), ("widgets", 7)]


def test_a_part_of_the_wrong_kind_is_refused():
    with slots.isolated(), pytest.raises(TypeError, match="takes a Count"):
        slots.register(slots.CONTACT_DELETE, slots.Panel(key="x", label="", template="", get_context=dict))
    with slots.isolated(), pytest.raises(TypeError, match="takes a Panel"):
        slots.register(slots.HOME, slots.Count(key="x", label="", count=len))
