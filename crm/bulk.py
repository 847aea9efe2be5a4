"""Changing many records at once, for every list that offers it (contacts, « Activités »).

A list's form names its records either by id (the ticked rows) or as "all that match" its
filters (the list's query string, carried along). Nothing is written on that first post: a
confirmation page says how many records will change and asks for the new value. Its post
applies the change:

- only to records in `allowed(user)` (what this user may see and change): one id outside it
  and nothing changes, the answer is 404;
- as one UPDATE per chunk of ids, which bumps each record's version (crm.concurrency: a form
  opened before is refused) and its updated_at;
- with one history row per record (django-simple-history's table, by this user, change reason
  "bulk"), written by INSERT … SELECT from the updated rows;
- in one transaction (and the request's own, crm.middleware.atomic_writes).

10,000 records are a few statements, not 10,000 saves: no model signals are sent, as for imports;
crm.writes.bulk_changing is, before each chunk's UPDATE (the API's webhooks listen to it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from crm import writes
from crm.importing.bulk_sql import history_model, tracked

REASON = "bulk"
# Ids per statement: well under SQLite's and PostgreSQL's limits on parameters.
CHUNK = 2000
# A page of ticked rows is at most a list page; more ids than this in one post is not a person.
MAX_IDS = 500
# "All that match" changes at most this many records in one request: about 10 s at scale L
# (10,000 contacts take 2–4 s), well within gunicorn's 30 s timeout (README "Deploying").
MAX_RECORDS = 20_000


@dataclass(frozen=True)
class Action:
    """One bulk change a list offers: `form` asks for the new value, its values() says what to write."""

    key: str
    label: str
    form: type[forms.Form]
    permission: str


@dataclass(frozen=True)
class BulkList:
    """A list's bulk changes. `matching(user, query)` is the list's own filtering of `allowed` from
    its query string (a QueryDict), so "all N that match" is exactly what the list counted."""

    model: type[models.Model]
    allowed: Callable
    matching: Callable
    actions: list[Action]
    list_url: str  # the list's URL name
    title: str = ""
    noun: Callable = field(default=lambda count: str(count))

    def action(self, key: str) -> Action | None:
        return next((action for action in self.actions if action.key == key), None)

    def offered(self, user) -> list[Action]:
        return [action for action in self.actions if user.has_perm(action.permission)]


class Refused(Exception):
    """The post names no record, or names them in a way no list page does: said to the user."""


@dataclass
class Selection:
    ids: list[int]
    everything: bool  # "all that match" the list's query string
    query: str


def read_selection(data: QueryDict) -> Selection:
    query = data.get("query", "")[:2000]
    if data.get("scope") == "all":
        return Selection(ids=[], everything=True, query=query)
    raw = data.getlist("ids")
    if not raw:
        raise Refused(_("Tick at least one row, or choose “all that match”."))
    if len(raw) > MAX_IDS:
        raise Refused(_("Too many rows ticked at once: choose “all that match” instead."))
    try:
        ids = sorted({int(value) for value in raw})
    except ValueError:
        raise Refused(_("The ticked rows were not understood; tick them again.")) from None
    return Selection(ids=ids, everything=False, query=query)


def chosen_ids(spec: BulkList, user, selection: Selection) -> list[int]:
    """The ids of the records the selection names, all of them within what this user may change.

    Ticked ids: 404 when one is outside `allowed` (or does not exist). "All that match": the
    list's filtering, within `allowed`. One query either way.
    """
    allowed = spec.allowed(user)
    if selection.everything:
        # The list's filtering starts from `allowed` already; intersecting again costs a semi-join
        # and keeps the rule here, whatever a list's filtering does.
        matching = spec.matching(user, QueryDict(selection.query))
        return list(allowed.filter(pk__in=matching.values("pk")).order_by("pk").values_list("pk", flat=True))
    found = list(allowed.filter(pk__in=selection.ids).order_by("pk").values_list("pk", flat=True))
    if len(found) != len(selection.ids):
        raise Http404("a chosen record is not one this user may change")
    return found


def apply(model, ids: list[int], *, values: dict, user) -> int:
    """Write `values` to these records, bump their versions and add their history rows (atomic).

    `values` are QuerySet.update() arguments (expressions allowed). 2 statements per CHUNK ids.
    """
    now = timezone.now()
    values = {**values, "version": models.F("version") + 1}
    if any(getattr(model_field, "auto_now", False) and model_field.name == "updated_at"
           for model_field in model._meta.concrete_fields):
        values["updated_at"] = now
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            writes.bulk_changing.send(sender=model, ids=chunk, values=values)
            model._base_manager.filter(pk__in=chunk).update(**values)
            write_history(model, chunk, user=user, when=now)
    return len(ids)


def write_history(model, ids: list[int], *, user, when) -> None:
    """One "~" history row per record, copied from its row as it is now: INSERT … SELECT."""
    history = history_model(model)
    if history is None or not ids:
        return
    quote = connection.ops.quote_name
    source = {model_field.attname: model_field.column for model_field in model._meta.concrete_fields}
    copied = sorted(tracked(history))
    targets = [history._meta.get_field(name).column for name in copied] + [
        "history_date", "history_change_reason", "history_type", "history_user_id"]
    stamp = history._meta.get_field("history_date").get_db_prep_value(when, connection)
    sql = (f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(name) for name in targets)}) "
           f"SELECT {', '.join(quote(source[name]) for name in copied)}, %s, %s, %s, %s "
           f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN "
           f"({', '.join(['%s'] * len(ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, REASON, "~", getattr(user, "pk", None), *ids])


def bulk_view(request, spec: BulkList):
    """The list's bulk form posts here: first the confirmation page, then (with `confirm`) the change.

    Answers 404 when a ticked record is not one this user may change, 403 without the action's
    permission; a post that names nothing goes back to the list with a message.
    """
    list_path = reverse(spec.list_url)
    query = QueryDict(request.POST.get("query", "")[:2000]).urlencode()  # re-encoded: no stray character
    back = list_path + (f"?{query}" if query else "")
    if request.method != "POST":
        return redirect(list_path)
    action = spec.action(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to change."))
        return redirect(back)
    if not request.user.has_perm(action.permission):
        raise PermissionDenied
    try:
        selection = read_selection(request.POST)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    ids = chosen_ids(spec, request.user, selection)
    if not ids:
        messages.error(request, _("No record matches these filters: nothing was changed."))
        return redirect(back)
    if len(ids) > MAX_RECORDS:
        messages.error(request, _("%(count)s records match these filters; at most %(most)s can be changed at once: "
                                  "narrow the filters.") % {"count": number_format(len(ids), force_grouping=True),
                                                            "most": number_format(MAX_RECORDS, force_grouping=True)})
        return redirect(back)
    confirming = "confirm" in request.POST
    form = action.form(request.POST if confirming else None, user=request.user)
    changed_since = confirming and str(len(ids)) != request.POST.get("expected")
    if confirming and form.is_valid() and not changed_since:
        count = apply(spec.model, ids, values=form.values(), user=request.user)
        messages.success(request, form.done_message(count))
        return redirect(back)
    return render(request, "crm/bulk_confirm.html", {
        "spec": spec, "action": action, "form": form, "count": len(ids), "noun": spec.noun(len(ids)),
        "selection": selection, "back": back, "changed_since": changed_since,
    }, status=409 if changed_since else 200)

