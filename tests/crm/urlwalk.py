"""Every URL the resolver knows, with sample or chosen arguments, for tests that must cover them all."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000000", "path": "sample"}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _route(pattern) -> str | None:
    text = str(pattern)
    if hasattr(pattern, "_route"):  # RoutePattern: "contacts/<int:pk>/"
        return text
    # RegexPattern (the admin's): keep only plain ones, fill named groups.
    text = text.lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).replace("\\.", ".")
    return None if re.search(r"[\\()\[\]*+?|]", text) else text


def fill(route: str, values: dict | None = None) -> str:
    """Replace each <converter:name> by values[name] (or values[prefix + name]), else a sample."""
    values = values or {}

    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        for key, chosen in values.items():
            if route.startswith(key.split("|")[0]) and key.split("|")[-1] == name:
                return str(chosen)
        return SAMPLE.get(converter, "sample")

    return CONVERTER.sub(value, route)


def routes(patterns=None, prefix="", namespace=""):
    """Yield (route with converters, view function, name) for every pattern."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        part = _route(entry.pattern)
        if part is None:
            continue
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + part, child_ns)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part, entry.callback, namespace + (entry.name or "")


def walk(values: dict | None = None):
    """Yield (url, view function, name) for every pattern, arguments filled."""
    for route, view, name in routes():
        yield fill(route, values), view, name
