"""Places on a shared page where an optional app adds its own part.

The home page and the contact file belong to apps that must not import the
apps that extend them (notes, prospection). Those apps register their part
here from their AppConfig.ready(); the page shows whatever is registered,
so switching an app off removes its part without touching anything else.

Each slot takes one kind of part: the home page and the contact file's tabs
take a Panel (a template and its context), the contact's delete page a Count
(how many of the app's records go with the contact).
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

HOME = "home"  # Panel
CONTACT_TABS = "contact_tabs"  # Panel
CONTACT_DELETE = "contact_delete"  # Count: what goes with a deleted contact


@dataclass(frozen=True)
class Panel:
    key: str
    label: str
    template: str
    # Called with (request, *objects) only when the panel is shown; what it
    # returns is available to the panel's template as `data`. A home panel
    # whose function returns None is not shown.
    get_context: Callable[..., dict]
    order: int = 100


@dataclass(frozen=True)
class Count:
    key: str
    label: str  # what is counted, in the plural: « notes »
    count: Callable[..., int]  # called with (request, contact): how many the user may see
    order: int = 100


KINDS = {HOME: Panel, CONTACT_TABS: Panel, CONTACT_DELETE: Count}

_registry: dict[str, dict[str, Panel | Count]] = defaultdict(dict)


def register(slot: str, part: Panel | Count) -> None:
    """Adds `part` to `slot`; a part of the wrong kind for the slot is refused (TypeError), at start-up."""
    kind = KINDS[slot]
    if not isinstance(part, kind):
        raise TypeError(f"slot {slot!r} takes a {kind.__name__}, not {type(part).__name__}")
    _registry[slot][part.key] = part


def _parts(slot: str) -> list:
    return sorted(_registry[slot].values(), key=lambda part: (part.order, part.key))


def panels(slot: str) -> list[Panel]:
    return _parts(slot)


def counts(slot: str, request, *objects) -> list[tuple[str, int]]:
    """(label, how many) of each Count of the slot, in order."""
    return [(part.label, part.count(request, *objects)) for part in _parts(slot)]


@contextmanager
def isolated() -> Iterator[None]:
    """Within the block, no app's part is registered (tests register their own); afterwards, as before."""
    global _registry
    saved, _registry = _registry, defaultdict(dict)
    try:
        yield
    finally:
        _registry = saved
