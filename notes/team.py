"""The team's day (« Mon équipe », for managers): per representative, their overdue actions, today's
and the next 7 days', counted in SQL, with the first of them listed under each.

Whatever the number of notes the page runs the same queries: the session, the user and their
permissions, the team, one aggregate of counts per representative (an index range on
note_assignee_state_idx: open actions up to a week ahead), and the listed notes (on PostgreSQL one
`LIMIT` per representative, UNION ALL; elsewhere ranked with a window) with their contact and type.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.db import connections
from django.db.models import Count, F, Func, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.text import user_name
from notes import states
from notes.models import Note, today
from notes.team_items import TeamItems

WEEK = datetime.timedelta(days=7)
LISTED = 3  # the notes listed under each representative of the whole team (a glance; ?rep= for more)
LISTED_ONE = 50  # …and under the one chosen (?rep=)
ORDER = (F("date").asc(), F("time").asc(nulls_first=True), F("pk").asc())


@dataclass
class Member:
    """A representative as the page shows them, worked out before the template writes it: 20 people,
    and each lookup the template makes costs (three blocktranslate counts each cost more than the
    counts' query)."""

    pk: int
    name: str
    overdue: str = ""  # the counts, in words
    today: str = ""
    next_days: str = ""
    items: list = field(default_factory=list)  # the listed notes (notes.team_items.TeamItem)
    more: bool = False  # more actions than listed

    def count(self, overdue: int, today: int, next_days: int) -> None:
        self.overdue = ngettext("%(counter)s overdue", "%(counter)s overdue", overdue) % {"counter": overdue}
        self.today = ngettext("%(counter)s today", "%(counter)s today", today) % {"counter": today}
        self.next_days = ngettext("%(counter)s in the next 7 days", "%(counter)s in the next 7 days",
                                  next_days) % {"counter": next_days}
        self.more = overdue + today + next_days > len(self.items)


def team_members():
    """Who is on the team: active users in a group (reps, managers), by name (1 query)."""
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    return list(users.order_by("first_name", "last_name", "username"))


def open_actions(request, user_ids, day):
    """The actions the team view counts: not done, planned up to a week ahead (overdue included)."""
    return (Note.objects.visible_to(request.user).filter(assigned_to__in=user_ids, is_done=False,
                                                           date__lte=day + WEEK))


def count_by_member(actions, day) -> dict:
    """{user id: (overdue, today, next 7 days)}: one aggregate query."""
    rows = (actions.order_by().values("assigned_to")
            # COUNT(date), not COUNT(id): the index alone answers (assignee, state, date: no table read).
            .annotate(overdue=Count("date", filter=Q(date__lt=day)), today=Count("date", filter=Q(date=day)),
                      next_days=Count("date", filter=Q(date__gt=day))))
    return {row["assigned_to"]: (row["overdue"], row["today"], row["next_days"]) for row in rows}


def first_notes(actions, user_ids, per_member: int) -> list[Note]:
    """Each member's first `per_member` actions in date order (1 query), with only what an item shows:
    the contact's name rather than its dozens of columns, the type's labels.

    On PostgreSQL the keys are one `LIMIT` per member read from note_open_assignee_idx, as an array
    subquery over the members (planned once: a UNION ALL of 20 such reads took 13 ms to plan and
    most of the page's CPU to compile); elsewhere every open action is ranked with a window."""
    if not user_ids:
        return []
    if connections[actions.db].vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        firsts = (actions.filter(assigned_to=OuterRef("pk")).order_by(*ORDER).values("pk")[:per_member])
        keys = (get_user_model().objects.filter(pk__in=user_ids)
                .annotate(key=Func(ArraySubquery(firsts), function="unnest")).values("key"))
        notes = Note.objects.filter(pk__in=keys)
    else:
        ranked = actions.annotate(rank=Window(RowNumber(), partition_by=[F("assigned_to")], order_by=list(ORDER)))
        notes = ranked.filter(rank__lte=per_member)
    return list(notes.annotate(contact_name=F("contact__name")).select_related("type")
                .only("date", "time", "is_done", "description", "contact", "assigned_to",
                      "type__label_fr", "type__label_en")
                .order_by(*ORDER))


def chosen_member(request, members) -> object | None:
    """The representative in ?rep= (an id on the team), or None for everyone; a bad value says so."""
    value = request.GET.get("rep", "")
    if not value:
        return None
    chosen = next((member for member in members if str(member.pk) == value), None)
    if chosen is None:
        messages.warning(request, _("This representative is not on the team: the whole team is shown."))
    return chosen


@permission_required("notes.view_team_day", raise_exception=True)
def team_day(request):
    """« Mon équipe »: counts and first actions of each representative (3 queries after the session
    and the permissions: the team, the counts, the listed notes)."""
    day = today()
    members = [Member(pk=user.pk, name=user_name(user)) for user in team_members()]
    chosen = chosen_member(request, members)
    shown = [chosen] if chosen else members
    user_ids = [member.pk for member in shown]
    actions = open_actions(request, user_ids, day)
    counts = count_by_member(actions, day)
    by_member = {}
    items = TeamItems()
    for note in first_notes(actions, user_ids, LISTED_ONE if chosen else LISTED):
        by_member.setdefault(note.assigned_to_id, []).append(
            items(note, contact_name=note.contact_name, type_label=note.type.label))
    for member in shown:
        member.items = by_member.get(member.pk, [])
        member.count(*counts.get(member.pk, (0, 0, 0)))
    return render(request, "notes/team_day.html", {
        "members": members, "shown": shown, "chosen": chosen, "today": day,
        # What notes/_team_items.html reads; `notice` and `menu` are an in-place answer's only (a
        # variable missing from the context costs an exception each time it is looked up).
        "may_change": request.user.has_perm("notes.change_note"), "quoted_back": quote(request.get_full_path()),
        "notice": "", "menu": "",
        "states": states.STATES,  # the count badges wear their state's colour and icon
    })
