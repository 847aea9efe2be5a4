"""A small vCard reader (versions 2.1, 3.0 and 4.0): cards as lists of properties.

Handles folded lines, groups ("item1.EMAIL"), parameters (TYPE=work or the
bare 2.1 style), escapes (\\n \\, \\; \\\\) and 2.1's QUOTED-PRINTABLE with a
CHARSET. Streams: one card in memory at a time, a photo's data never.
"""

import quopri
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Photos, logos, sounds and keys may be megabytes of base64: they are noted, never kept or decoded.
BINARY_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY"}
KEPT_OF_BINARY = 4096
# Any other property longer than this is a broken file, not a card.
MAX_PROPERTY = 1024 * 1024


class VCardError(Exception):
    pass


def property_name(line: str) -> str:
    """'item1.TEL;TYPE=cell:…' → 'TEL'."""
    head = line.split(":", 1)[0].split(";", 1)[0]
    return head.rsplit(".", 1)[-1].strip().upper()


def chunked_lines(file, size: int = 64 * 1024):
    """A text file's lines, a line longer than `size` given in pieces (read_cards joins them)."""
    while chunk := file.readline(size):
        yield chunk


@dataclass
class Property:
    name: str
    params: dict = field(default_factory=dict)  # upper-case name → list of values
    value: str = ""  # raw, still escaped

    def types(self) -> set[str]:
        found = {value.upper() for value in self.params.get("TYPE", [])}
        return found | {value.upper() for value in self.params.get("", [])}

    def components(self) -> list[str]:
        """A structured value (N, ADR, ORG) split on unescaped ';', each unescaped."""
        return [unescape(part) for part in split_unescaped(self.decoded(), ";")]

    def text(self) -> str:
        return unescape(self.decoded())

    def decoded(self) -> str:
        encoding = (self.params.get("ENCODING") or [""])[0].upper()
        if encoding == "QUOTED-PRINTABLE":
            charset = (self.params.get("CHARSET") or ["utf-8"])[0]
            try:
                return quopri.decodestring(self.value.encode("latin-1", "replace")).decode(charset, "replace")
            except LookupError:
                return quopri.decodestring(self.value.encode("latin-1", "replace")).decode("utf-8", "replace")
        return self.value


class Card:
    def __init__(self, properties: list[Property]):
        self.properties = properties

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]

    def first(self, name: str, *, prefer: str | None = None) -> Property | None:
        found = self.all(name)
        if prefer:
            for prop in found:
                if prefer in prop.types() or "PREF" in prop.types() or "PREF" in prop.params:
                    return prop
        return found[0] if found else None

    def text(self, name: str, *, prefer: str | None = None) -> str:
        prop = self.first(name, prefer=prefer)
        return prop.text().strip() if prop else ""

    def components(self, name: str) -> list[str]:
        prop = self.first(name, prefer="WORK")
        return [part.strip() for part in prop.components()] if prop else []


def split_unescaped(value: str, mark: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == mark:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    out, escaped = [], False
    for char in value:
        if escaped:
            out.append("\n" if char in "nN" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


def parse_line(line: str) -> Property:
    """'item1.EMAIL;TYPE=work,pref:a@b.example' → Property('EMAIL', {'TYPE': ['work', 'pref']}, 'a@b.example')."""
    head, value, quoted = [], None, False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            value = line[index + 1:]
            break
        head.append(char)
    if value is None:
        raise ValueError(line)
    name, *raw_params = split_unescaped("".join(head), ";")
    name = name.rsplit(".", 1)[-1].upper()
    params: dict[str, list[str]] = {}
    for raw in raw_params:
        key, sep, values = raw.partition("=")
        if not sep:  # vCard 2.1: "TEL;WORK;VOICE:..."
            key, values = "", raw
        params.setdefault(key.upper(), []).extend(part.strip('"') for part in values.split(","))
    return Property(name, params, value)


def read_cards(lines):
    """(line where the card begins, Card) for each card; lines is any iterable of text lines.

    BEGIN and END must pair up: a BEGIN:VCARD inside a card, an END:VCARD outside one or a file
    that ends inside a card raises VCardError naming the line (the import then writes nothing),
    rather than dropping cards without a word.
    """
    properties, start = None, 0

    def take(text, at):
        """One logical (unfolded) line; the finished card when it is an END:VCARD."""
        nonlocal properties, start
        upper = text.strip().upper()
        if upper == "BEGIN:VCARD":
            if properties is not None:
                raise VCardError(_("Line %(line)s: BEGIN:VCARD inside the card that begins on line %(start)s "
                                   "(is its END:VCARD missing?).") % {"line": at, "start": start})
            properties, start = [], at
        elif upper == "END:VCARD":
            if properties is None:
                raise VCardError(_("Line %(line)s: END:VCARD without a BEGIN:VCARD before it.") % {"line": at})
            card, properties = Card(properties), None
            return card
        elif upper and properties is not None:
            try:
                properties.append(parse_line(text))
            except ValueError:
                raise VCardError(_("Line %(line)s is not a vCard property: “%(text)s”.")
                                 % {"line": at, "text": text[:80]}) from None
        return None

    # A logical line is gathered as parts (no quadratic +=); a photo is only counted, never kept.
    parts, logical_start, size, binary = None, 0, 0, False
    number, line_start = 0, True

    def add(text):
        nonlocal size
        size += len(text)
        if binary and size > KEPT_OF_BINARY:
            return
        if size > MAX_PROPERTY:
            raise VCardError(_("Line %(line)s: a property longer than %(limit)s, more than an import reads "
                               "(only photos may be that long).")
                             % {"line": logical_start, "limit": filesizeformat(MAX_PROPERTY)})
        parts.append(text)

    for raw in lines:
        ends = raw.endswith(("\n", "\r"))
        line = raw.rstrip("\r\n")
        if not line_start:  # the rest of a line longer than one read
            line_start = ends
            if parts is not None:
                add(line)
            continue
        number += 1
        line_start = ends
        if parts is not None and line[:1] in (" ", "\t"):
            add(line[1:])
            continue
        if parts is not None and parts[-1].endswith("=") and "QUOTED-PRINTABLE" in parts[0].split(":", 1)[0].upper():
            parts[-1] = parts[-1][:-1]  # a soft line break of quoted-printable
            add(line)
            continue
        if parts is not None and (card := take("".join(parts), logical_start)) is not None:
            yield start, card
        parts, logical_start, size = [], number, 0
        binary = property_name(line) in BINARY_PROPERTIES
        add(line)
    if parts is not None and (card := take("".join(parts), logical_start)) is not None:
        yield start, card
    if properties is not None:
        raise VCardError(_("The card that begins on line %(line)s has no END:VCARD.") % {"line": start})
