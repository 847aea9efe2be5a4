"""How two contacts look like the same one: the keys both the creation warning and the
duplicates page (privacy) compare, and the score a pair of contacts gets.

A key is (rule, value): the folded name (accents, case, punctuation, "&"/"et", legal
suffixes such as inc. or ltée left out, words in any order), the e-mail, the e-mail's
domain for organisations (not for the big free mail services) and the phone's digits.
Two contacts sharing a key are a possible duplicate; the rules they share add up to a score.
"""

import re

from django.utils.translation import gettext_lazy as _

from crm.text import digits, fold

NAME, EMAIL, DOMAIN, PHONE = "name", "email", "domain", "phone"
WEIGHTS = {NAME: 60, EMAIL: 50, PHONE: 40, DOMAIN: 25}
RULE_LABELS = {
    NAME: _("same name"), EMAIL: _("same e-mail"), PHONE: _("same phone number"), DOMAIN: _("same e-mail domain"),
}

# A value shared by more contacts than this says nothing (a head office's switchboard,
# a placeholder e-mail): it is not treated as a sign of duplication.
MAX_SHARED = 10

LEGAL_SUFFIXES = frozenset({
    "inc", "incorporee", "incorporated", "ltee", "limitee", "ltd", "limited", "llc", "corp",
    "corporation", "cie", "co", "enr", "senc", "sencrl", "srl", "sa", "sas", "sarl", "gmbh", "plc",
})
# Domains shared by unrelated customers: a same domain means the same organisation elsewhere.
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.fr", "hotmail.ca", "outlook.com", "live.com",
    "live.ca", "msn.com", "yahoo.com", "yahoo.ca", "yahoo.fr", "icloud.com", "me.com", "aol.com",
    "videotron.ca", "sympatico.ca", "bell.net", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr",
    "sfr.fr", "gmx.com", "gmx.fr", "proton.me", "protonmail.com", "example.com",
})
_NOT_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """'Quincaillerie Bélanger & Frères inc.' and 'quincaillerie belanger et freres' → the same key."""
    text = fold(name).replace("&", " et ").replace(".", "")
    words = [word for word in _NOT_WORD.sub(" ", text).split() if word not in LEGAL_SUFFIXES]
    words = ["et" if word == "and" else word for word in words]
    key = " ".join(sorted(words))
    return key if len(key.replace(" ", "")) >= 3 else ""


def phone_key(phone: str) -> str:
    """The number's last ten digits (a leading country code 1 is left out); '' if too short."""
    number = digits(phone)
    return number[-10:] if len(number) >= 7 else ""


def email_domain(email: str) -> str:
    domain = email.rpartition("@")[2].strip().lower()
    return "" if not domain or domain in FREE_MAIL else domain


def keys_for(*, name: str, kind: str, email: str, phone: str) -> set[tuple[str, str]]:
    keys = {(NAME, name_key(name)), (EMAIL, email.strip().lower()), (PHONE, phone_key(phone))}
    if kind == "organization":
        keys.add((DOMAIN, email_domain(email)))
    return {(rule, value) for rule, value in keys if value}


def contact_keys(contact) -> set[tuple[str, str]]:
    return keys_for(name=contact.name, kind=contact.kind, email=contact.email, phone=contact.phone)


def score(rules) -> int:
    """0–100: the weights of the rules two contacts share (a same e-mail implies its domain)."""
    rules = set(rules)
    if EMAIL in rules:
        rules.discard(DOMAIN)
    return min(100, sum(WEIGHTS[rule] for rule in rules))


def ordered_rules(rules) -> list[str]:
    return sorted(set(rules), key=lambda rule: -WEIGHTS[rule])


def rule_labels(rules) -> list[str]:
    """The rules as users read them, strongest first: « même nom », « même courriel »…"""
    return [str(RULE_LABELS[rule]) for rule in ordered_rules(rules)]


def similar_contacts(*, name: str, kind: str, email: str, phone: str, exclude_pk=None, limit: int = 5) -> list:
    """Existing contacts sharing a key with these values, best score first (2 queries at most).

    Candidates come from indexed columns (the folded search text, trigram-indexed on
    PostgreSQL, and the e-mail); each is then compared key by key like the duplicates page.
    """
    from django.db.models import Q

    from contacts.models import Contact

    wanted = keys_for(name=name, kind=kind, email=email, phone=phone)
    if not wanted:
        return []
    match = Q()
    for rule, value in wanted:
        if rule == NAME:
            words = [word for word in value.split() if len(word) >= 3 and word != "et"] or value.split()
            name_match = Q()
            for word in words:
                name_match &= Q(search_text__contains=word)
            match |= name_match
        elif rule == EMAIL:
            match |= Q(email__iexact=value)
        elif rule == PHONE:
            match |= Q(search_text__contains=value)
        elif rule == DOMAIN:
            match |= Q(search_text__contains="@" + value)
    candidates = Contact.objects.filter(match).only("pk", "name", "kind", "email", "phone", "city")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for candidate in candidates.order_by("pk")[:200]:
        rules = {rule for rule, _value in wanted & contact_keys(candidate)}
        if rules:
            candidate.match_score, candidate.match_labels = score(rules), rule_labels(rules)
            found.append(candidate)
    found.sort(key=lambda contact: (-contact.match_score, contact.name, contact.pk))
    return found[:limit]
