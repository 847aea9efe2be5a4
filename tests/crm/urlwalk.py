"""Every URL the resolver knows, with sample arguments, for tests that must cover them all."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000000", "path": "sample"}


def _route(pattern) -> str | None:
    text = str(pattern)
    if hasattr(pattern, "_route"):  # RoutePattern: "contacts/<int:pk>/"
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "sample"), text)
    # RegexPattern (the admin's): keep only plain ones, fill named groups.
    text = text.lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return None if re.search(r"[\\()\[\]*+?|]", text) else text


def walk(patterns=None, prefix="", namespace=""):
    """Yield (url, view function, name) for every pattern."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        part = _route(entry.pattern)
        if part is None:
            continue
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + part, child_ns)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part, entry.callback, namespace + (entry.name or "")
