"""Places on a shared page where an optional app adds its own part.

The home page and the contact file belong to apps that must not import the
apps that extend them (notes, prospection). Those apps register a Panel
here from their AppConfig.ready(); the page renders whatever is registered,
so switching an app off removes its part without touching anything else.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

HOME = "home"
CONTACT_TABS = "contact_tabs"
# Counts of what goes with a deleted contact: get_context returns {"counts": [(label, n)]}.
CONTACT_DELETE = "contact_delete"

_registry: dict[str, dict[str, "Panel"]] = defaultdict(dict)


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


def register(slot: str, panel: Panel) -> None:
    _registry[slot][panel.key] = panel


def panels(slot: str) -> list[Panel]:
    return sorted(_registry[slot].values(), key=lambda panel: (panel.order, panel.key))
