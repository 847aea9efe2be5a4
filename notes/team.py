"""The team's day (« Mon équipe », for managers): per representative, their overdue actions, today's
and the next 7 days', counted in SQL, with the first of them listed under each.

Whatever the number of notes the page runs the same queries: the session, the user and their
permissions, the team, one aggregate of counts per representative (an index range on
note_assignee_state_idx: open actions up to a week ahead), and the listed notes (on PostgreSQL one
`LIMIT` per representative, UNION ALL; elsewhere ranked with a window) with their contact and type.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.db import connections
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils.translation import gettext as _

from crm.text import user_name
from notes.models import Note, today

WEEK = datetime.timedelta(days=7)
LISTED = 3  # the notes listed under each representative of the whole team (a glance; ?rep= for more)
LISTED_ONE = 50  # …and under the one chosen (?rep=)
ORDER = (F("date").asc(), F("time").asc(nulls_first=True), F("pk").asc())


@dataclass
class Member:
    user: object
    overdue: int = 0
    today: int = 0
    next_days: int = 0
    notes: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return user_name(self.user)

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.next_days


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
    """Each member's first `per_member` actions in date order (1 query), as notes/panels show them."""
    related = ("contact", "type", "assigned_to")
    if not user_ids:
        return []
    if connections[actions.db].features.supports_slicing_ordering_in_compound:
        parts = [actions.filter(assigned_to=user_id).order_by(*ORDER).values("pk")[:per_member]
                 for user_id in user_ids]
        ids = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return list(Note.objects.filter(pk__in=ids).select_related(*related).order_by(*ORDER))
    ranked = actions.annotate(rank=Window(RowNumber(), partition_by=[F("assigned_to")], order_by=list(ORDER)))
    return list(ranked.filter(rank__lte=per_member).select_related(*related).order_by(*ORDER))


def chosen_member(request, members) -> object | None:
    """The representative in ?rep= (an id on the team), or None for everyone; a bad value says so."""
    value = request.GET.get("rep", "")
    if not value:
        return None
    chosen = next((member for member in members if str(member.user.pk) == value), None)
    if chosen is None:
        messages.warning(request, _("This representative is not on the team: the whole team is shown."))
    return chosen


@permission_required("notes.view_team_day", raise_exception=True)
def team_day(request):
    """« Mon équipe »: counts and first actions of each representative (5 queries after the session)."""
    day = today()
    members = [Member(user) for user in team_members()]
    chosen = chosen_member(request, members)
    shown = [chosen] if chosen else members
    user_ids = [member.user.pk for member in shown]
    actions = open_actions(request, user_ids, day)
    counts = count_by_member(actions, day)
    by_member = {}
    for note in first_notes(actions, user_ids, LISTED_ONE if chosen else LISTED):
        by_member.setdefault(note.assigned_to_id, []).append(note)
    for member in shown:
        member.overdue, member.today, member.next_days = counts.get(member.user.pk, (0, 0, 0))
        member.notes = by_member.get(member.user.pk, [])
    return render(request, "notes/team_day.html", {
        "members": members, "shown": shown, "chosen": chosen, "today": day,
    })
