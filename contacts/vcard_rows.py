"""vCards in import_contacts: which property goes where, and what could not be placed.

A card with ORG (and a person's name) is a person of that organization; a card
without ORG is a contact of kind individual; a card of KIND:org (or Apple's
X-ABShowAs:COMPANY) is an organization. UID is the external reference of the
contact the card gives (X-RELANCE-REF, written by our own vCard export, wins),
so a card imported again finds its contact even after the company was renamed.

Nothing is dropped without a word: phones and e-mails go to the fields of their
type (work, mobile), the ones left over and the NOTE go to the contact's
description with their type; what has no place at all (a photo, a birthday,
a second address…) is counted and named in the import's summary.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contacts.models import Contact

VCARD_COLUMNS = [
    "external_ref", "name", "kind", "email", "phone", "website", "street", "city", "region", "postal_code",
    "country", "description", "person_first_name", "person_last_name", "person_role", "person_email",
    "person_phone", "person_mobile",
]

# Properties read below, and those that only describe the card or another property.
PLACED = {"N", "FN", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "ADR", "URL", "NOTE", "UID", "KIND", "X-RELANCE-REF",
          "X-ABSHOWAS"}
ABOUT_THE_CARD = {"VERSION", "PRODID", "REV", "LABEL", "X-ABLABEL", "X-ABADR", "X-ABUID", "SORT-STRING", "CLASS",
                  "SOURCE", "NAME", "PROFILE", "X-ABPERSONFLAGS"}

MOBILE_TYPES = {"CELL", "MOBILE", "IPHONE", "CELLULAR"}
TYPE_LABELS = {
    "CELL": gettext_lazy("mobile"), "HOME": gettext_lazy("home"), "WORK": gettext_lazy("work"),
    "FAX": gettext_lazy("fax"), "PAGER": gettext_lazy("pager"), "MAIN": gettext_lazy("main"),
}


def type_label(prop) -> str:
    types = prop.types()
    if types & MOBILE_TYPES:
        return str(TYPE_LABELS["CELL"])
    for name in ("FAX", "PAGER", "HOME", "WORK", "MAIN"):
        if name in types:
            return str(TYPE_LABELS[name])
    return ""


def phone_text(prop) -> str:
    return prop.text().strip().removeprefix("tel:")


def is_preferred(prop) -> bool:
    return "PREF" in prop.types() or "PREF" in prop.params


def pick(props, wanted):
    """The first of props that `wanted(prop)` accepts, the preferred one first; None if none."""
    matching = [prop for prop in props if wanted(prop)]
    preferred = [prop for prop in matching if is_preferred(prop)]
    return (preferred or matching or [None])[0]


class CardReader:
    """to_row(card) for the engine's VCardSource; remembers what could not be placed, for the summary.

    Cards of the same organization without a UID are one contact: its description comes from the
    first of them, so a later one's note has no place (and is counted, not lost without a word).
    """

    def __init__(self):
        self.unplaced = Counter()  # property name → cards that had it
        self.cards = 0
        self.grouped = set()  # names of the organizations of cards without UID seen so far

    def to_row(self, card) -> dict:
        self.cards += 1
        names = {prop.name for prop in card.properties}
        for name in names - PLACED - ABOUT_THE_CARD:
            self.unplaced[name] += 1
        org = card.components("ORG")
        if len([part for part in org if part]) > 1:
            self.unplaced[_("ORG (department)")] += 1
        for name in ("ADR", "URL"):
            if len(card.all(name)) > 1:
                self.unplaced[_("%(name)s (second one)") % {"name": name}] += 1
        org_name = org[0] if org else ""
        reference = card.text("X-RELANCE-REF") or card.text("UID")
        n = card.components("N") + [""] * 5
        full_name = card.text("FN")
        last, first = n[0], " ".join(part for part in (n[1], n[2]) if part)
        if not last and full_name:
            first, _space, last = full_name.rpartition(" ")
        adr = card.components("ADR") + [""] * 7
        row = {
            "website": card.text("URL"),
            "street": "\n".join(part for part in (adr[1], adr[2]) if part), "city": adr[3], "region": adr[4],
            "postal_code": adr[5], "country": adr[6], "external_ref": reference,
        }
        is_company = (card.text("KIND").lower() == "org" or card.text("X-ABSHOWAS").upper() == "COMPANY"
                      or (org_name and not (last or first)))
        phones, emails = card.all("TEL"), card.all("EMAIL")
        if org_name and not is_company:
            mobile = pick(phones, lambda prop: prop.types() & MOBILE_TYPES)
            phone = (pick(phones, lambda prop: prop is not mobile and "WORK" in prop.types())
                     or pick(phones, lambda prop: prop is not mobile and not prop.types() & {"FAX", "HOME"}))
            email = pick(emails, lambda prop: "WORK" in prop.types()) or pick(emails, bool)
            row.update(name=org_name, kind=Contact.Kind.ORGANIZATION, person_first_name=first, person_last_name=last,
                       person_role=card.text("TITLE") or card.text("ROLE"), person_email=email_text(email),
                       person_phone=phone_text(phone) if phone else "", person_mobile=phone_text(mobile) if mobile else "")
            # The first card of an organization without UID gives its description; a later one may not
            # (the rows of one contact must agree), so what it would have added is counted instead.
            first_card = bool(reference) or org_name not in self.grouped
            if not reference:
                self.grouped.add(org_name)
            row["description"] = self.description(card, phones, emails, [phone, mobile, email],
                                                  about=" ".join(part for part in (first, last) if part),
                                                  placeable=first_card)
        else:
            phone = pick(phones, lambda prop: "WORK" in prop.types()) or pick(phones, lambda prop: "FAX" not in prop.types())
            email = pick(emails, lambda prop: "WORK" in prop.types()) or pick(emails, bool)
            name = (full_name or org_name) if is_company else (
                full_name or " ".join(part for part in (first, last) if part))
            row.update(name=name, kind=Contact.Kind.ORGANIZATION if is_company else Contact.Kind.INDIVIDUAL,
                       email=email_text(email), phone=phone_text(phone) if phone else "")
            row["description"] = self.description(card, phones, emails, [phone, email], about="", placeable=True)
        return row

    def description(self, card, phones, emails, used, *, about: str, placeable: bool) -> str:
        """The NOTE, then the phones and e-mails without a field of their own, one a line with their type."""
        used = {id(prop) for prop in used if prop is not None}
        left = [prop for prop in phones + emails if id(prop) not in used and prop.text().strip()]
        lines = []
        note = card.text("NOTE")
        if note:
            lines.append(_("%(person)s: %(note)s") % {"person": about, "note": note} if about else note)
        for prop in left:
            kind = _("Phone") if prop.name == "TEL" else _("E-mail")
            if about:
                kind = _("%(person)s, %(what)s") % {"person": about, "what": kind.lower()}
            label = type_label(prop)
            value = phone_text(prop) if prop.name == "TEL" else email_text(prop)
            lines.append(_("%(kind)s (%(type)s): %(value)s") % {"kind": kind, "type": label, "value": value}
                         if label else _("%(kind)s: %(value)s") % {"kind": kind, "value": value})
        if lines and not placeable:
            for name in {"NOTE" if note else None} | {prop.name for prop in left}:
                if name:
                    self.unplaced[name] += 1
            return ""
        return "\n".join(lines)

    def summary(self) -> list[str]:
        """A line naming what the cards held and the import could not place, if anything."""
        if not self.unplaced:
            return []
        listed = ", ".join(
            ngettext("%(name)s (%(count)s card)", "%(name)s (%(count)s cards)", count) % {"name": name, "count": count}
            for name, count in sorted(self.unplaced.items()))
        return [_("Not imported, no field holds them: %(listed)s.") % {"listed": listed}]


def email_text(prop) -> str:
    return prop.text().strip().removeprefix("mailto:") if prop else ""
