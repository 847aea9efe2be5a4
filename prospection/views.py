from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from contacts.access import get_contact_for_user
from crm.concurrency import StaleEdit
from crm.exporting.http import send
from crm.history import history_entries
from crm.pagination import paginate, query_without
from crm.text import user_name
from prospection import chart, exports
from prospection.board import (
    board_filter,
    board_query,
    build_board,
    columns_for,
    filter_menus,
    stages_and_token,
    sums_after_move,
)
from prospection.cards import Card, CardWriter, card_queryset
from prospection.figures import dashboard_figures
from prospection.filters import OpportunityFilter
from prospection.forecast import forecast_figures
from prospection.forms import BoardMoveForm, OpportunityForm, ProspectInfoForm
from prospection.models import Opportunity


def get_opportunity_for_user(request, pk, queryset=None) -> Opportunity:
    """The opportunity, or 404. Whoever may view opportunities sees them all.

    `queryset`: opportunities read with what the caller needs (the board's card), when not the form's.
    """
    opportunities = Opportunity.objects.for_list().select_related("created_by") if queryset is None else queryset
    return get_object_or_404(opportunities, pk=pk)


def contact_tab_url(contact) -> str:
    return contact.get_absolute_url() + "?tab=prospection#contact-tabs"


def filtered_opportunities(request) -> OpportunityFilter:
    return OpportunityFilter(request.GET or None, queryset=Opportunity.objects.for_list())


@permission_required("prospection.view_opportunity", raise_exception=True)
def dashboard(request):
    """The list with its filters, sums and chart: 9 queries whatever the number of rows (10 after a change; the pager reuses the sums' count)."""
    opportunity_filter = filtered_opportunities(request)
    figures = dashboard_figures(opportunity_filter)
    filter_query = query_without(request, "page", "ordering")
    return render(request, "prospection/dashboard.html", {
        "filter": opportunity_filter,
        "page": paginate(request, opportunity_filter.qs, count=figures["count"]),
        "figures": figures,
        "chart_alt": chart.alt_text(figures),
        "filter_query": filter_query,
        "page_query": query_without(request, "page"),
        "sort_query": filter_query,
        "ordering": request.GET.get("ordering", ""),
        "mine": request.GET.get("representative") == str(request.user.pk),
    })


@permission_required("prospection.view_opportunity", raise_exception=True)
def band_chart(request):
    """The chart as SVG for the dashboard's filters (1 query, 2 after a change; drawn only when the figures change)."""
    opportunity_filter = filtered_opportunities(request)
    figures = dashboard_figures(opportunity_filter)
    subtitle = " · ".join(opportunity_filter.describe())
    language = chart.current_language()
    return chart.svg_response(request, chart.cache_key(figures, subtitle, language),
                              lambda: chart.render_band_chart(figures, subtitle=subtitle, language=language))


FORECAST_CHARTS = {"pipeline": _lazy("Open pipeline by expected close month"), "won": _lazy("Won per month")}


@permission_required("prospection.view_opportunity", raise_exception=True)
def forecast(request):
    """The forecast with its tables: 8 queries whatever the number of rows (10 after a change; +1 per chosen representative)."""
    opportunity_filter = filtered_opportunities(request)
    figures = forecast_figures(opportunity_filter)
    return render(request, "prospection/forecast.html", {
        "filter": opportunity_filter,
        "figures": figures,
        "alts": {kind: chart.bars_alt_text(str(title), figures[kind]["bars"]) for kind, title in FORECAST_CHARTS.items()},
        "filter_query": query_without(request, "page", "ordering"),
        "mine": request.GET.get("representative") == str(request.user.pk),
    })


@permission_required("prospection.view_opportunity", raise_exception=True)
def forecast_chart(request, kind):
    """One of the forecast's charts as SVG (1 query, 3 after a change; drawn only when its figures change)."""
    opportunity_filter = filtered_opportunities(request)
    figures = forecast_figures(opportunity_filter)[kind]
    subtitle = " · ".join(opportunity_filter.describe(skip={"outcome"}))
    language = chart.current_language()
    colors = ["#a61b29", *["#2f7ab9"] * (len(figures["bars"]) - 1)] if kind == "pipeline" else "#2f7ab9"
    # Months on two lines (« septembre » over « 2027 »): thirteen bars share the width.
    labels = [chart.plain(bar["label"]).replace(" ", "\n", 1) if bar["key"] != "late" else chart.plain(bar["label"])
              for bar in figures["bars"]]
    return chart.svg_response(
        request, chart.drawn_key(f"forecast-{kind}", figures["bars"], subtitle, language),
        lambda: chart.render_bar_chart(
            labels, figures["bars"], colors=colors, title=str(FORECAST_CHARTS[kind]),
            x_title=_("Expected close month") if kind == "pipeline" else _("Close month"),
            subtitle=subtitle, language=language, empty=not figures["count"], tick_size=9,
        ),
    )


@permission_required("prospection.view_opportunity", raise_exception=True)
def export(request):
    """CSV of exactly what the dashboard lists with the same filters (all pages); prospection/exports.py."""
    return send(request, exports.OPPORTUNITIES_CSV)


@require_POST
@permission_required("contacts.change_contact", raise_exception=True)
def save_prospect_info(request, contact_pk):
    """The Prospection tab's "Sauvegarder info. prospect": the account manager only."""
    contact = get_contact_for_user(request, contact_pk)
    form = ProspectInfoForm(request.POST, instance=contact)
    if form.is_valid():
        if form.save_if_current():  # else someone saved the contact in between: the form explains it
            messages.success(request, _("Prospect info saved."))
            return redirect(contact_tab_url(contact))
    if form.non_field_errors():  # the contact changed since the tab was opened
        messages.error(request, " ".join([*form.non_field_errors(), *(
            _("What the other person saved: %(field)s = “%(value)s”") % {"field": label, "value": value or "—"}
            for label, value in form.conflict)]))
    else:
        messages.error(request, _("Prospect info not saved: choose an active user as account manager."))
    return redirect(contact_tab_url(contact))


@permission_required(["prospection.add_opportunity", "contacts.view_contact"], raise_exception=True)
def opportunity_create(request, contact_pk):
    contact = get_contact_for_user(request, contact_pk)
    form = OpportunityForm(request.POST or None, contact=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        opportunity = form.save(commit=False)
        opportunity.created_by = request.user
        opportunity.save()
        messages.success(request, _("Sales opportunity “%(subject)s” created.") % {"subject": opportunity.subject})
        return redirect(opportunity)
    return render(request, "prospection/opportunity_form.html", {"form": form, "contact": contact},
                  status=400 if request.method == "POST" else 200)


@permission_required("prospection.view_opportunity", raise_exception=True)
def opportunity_update(request, pk):
    opportunity = get_opportunity_for_user(request, pk)
    can_change = request.user.has_perm("prospection.change_opportunity")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, instance=opportunity, contact=opportunity.contact, user=request.user)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        if saved := form.save_if_current():  # else someone saved in between: the form explains it
            messages.success(request, _("Sales opportunity “%(subject)s” saved.") % {"subject": saved.subject})
            return redirect(saved)
    records = list(opportunity.history.select_related("history_user")[:50])
    return render(request, "prospection/opportunity_form.html", {
        "form": form, "contact": opportunity.contact, "opportunity": opportunity, "can_change": can_change,
        "representative_name": user_name(opportunity.representative),
        "data": {"entries": history_entries(records, subject=lambda record: record.subject)},
    }, status=400 if request.method == "POST" else 200)


@permission_required("prospection.delete_opportunity", raise_exception=True)
def opportunity_delete(request, pk):
    opportunity = get_opportunity_for_user(request, pk)
    if request.method == "POST":
        opportunity.delete()
        messages.success(request, _("Sales opportunity “%(subject)s” deleted.") % {"subject": opportunity.subject})
        return redirect(contact_tab_url(opportunity.contact))
    return render(request, "prospection/opportunity_confirm_delete.html", {"opportunity": opportunity})


def board_context(request, query: QueryDict, *, menus: bool = False, **build) -> dict:
    """What the board's columns need: 2 queries for the columns and cards, whatever the data size (+ the sums
    after a change, or for a text search); `menus`: and the filter menus' choices (board_filter)."""
    opportunity_filter = board_filter(query, menus=menus)
    columns = build_board(opportunity_filter, **build)
    kept = board_query(query).urlencode()
    writer = CardWriter({column.stage.pk: column.stage for column in columns},
                        [column.stage for column in columns if column.stage.is_active], timezone.localdate(),
                        csrf=get_token(request), board_query=kept,
                        can_change=request.user.has_perm("prospection.change_opportunity"))
    for column in columns:
        column.cards_html = writer.column(column.cards)
    return {"filter": opportunity_filter, "columns": columns, "board_query": kept, "can_change": writer.can_change}


@permission_required("prospection.view_opportunity", raise_exception=True)
def board(request):
    """The pipeline by stage, with the dashboard's filters from the URL (so it can be bookmarked).

    The won and lost columns come folded; `?closed=on` draws their cards too (their link without JavaScript).
    """
    context = board_context(request, request.GET, menus=True, closed_cards=request.GET.get("closed") == "on")
    context["mine"] = request.GET.get("representative") == str(request.user.pk)
    context["menus"] = filter_menus(context["filter"].form)
    return render(request, "prospection/board.html", context)


@permission_required("prospection.view_opportunity", raise_exception=True)
def board_column(request, stage_pk):
    """One column's cards (a won or lost column opened: htmx), with the board's filters: the stages with the
    figures' stamp and the cards, whatever the data size (+ the sums after a change)."""
    context = board_context(request, request.GET, only_stage=stage_pk)
    if not context["columns"]:
        raise Http404
    context["column"] = context["columns"][0]
    return render(request, "prospection/_board_column_body.html", context)


@require_POST
@permission_required("prospection.change_opportunity", raise_exception=True)
def board_move(request, pk):
    """Move a card to another stage, under the form's rules (Opportunity.apply_stage_rules).

    htmx (a drag and drop, or the card's button with JavaScript): answers the card in its new column
    and both columns' headers (out-of-band swaps), whose sums are the cached ones adjusted by the move
    (board.sums_after_move). Without JavaScript: back to the board with a message.
    A stale version is refused (nothing changes) and the columns are drawn again; a move to a lost
    stage without a reason asks for one.
    """
    opportunity = get_opportunity_for_user(request, pk, card_queryset())  # what a card shows, not the form
    form = BoardMoveForm(request.POST, opportunity=opportunity)
    is_htmx = request.headers.get("HX-Request") == "true"
    query = QueryDict(request.POST.get("board_query", ""))
    back = reverse("prospection:board") + (f"?{board_query(query).urlencode()}" if board_query(query) else "")
    if not form.is_valid():
        return board_refused(request, query, back, is_htmx,
                             _("“%(subject)s” was not moved: choose one of the stages offered.")
                             % {"subject": opportunity.subject})
    # The stages for the card's menu, and the figures' token the board's sums are cached under, read before the move.
    all_stages, token = stages_and_token() if is_htmx else ([], None)
    was = (opportunity.stage_id, opportunity.value, opportunity.total)
    old_stage, stage = opportunity.stage, form.cleaned_data["stage"]
    opportunity.stage = stage
    opportunity.version = form.cleaned_data["version"]
    if form.cleaned_data["lost_reason"] is not None:
        opportunity.lost_reason = form.cleaned_data["lost_reason"]
        opportunity.lost_comment = form.cleaned_data["lost_comment"]
    saved = stage.pk != old_stage.pk or form.cleaned_data["lost_reason"] is not None
    try:
        if saved:  # (no savepoint: a refused save, stale or without a reason, has written nothing)
            opportunity.save()
    except StaleEdit:
        return board_refused(request, query, back, is_htmx, _(
            "“%(subject)s” was not moved: someone changed it since the board was shown. "
            "The board now shows it as it is; move it again if you still want to."
        ) % {"subject": opportunity.subject})
    except ValidationError as error:
        if "lost_reason" not in error.message_dict:
            raise
        opportunity.stage = old_stage
        template = "prospection/_board_reason.html" if is_htmx else "prospection/board_reason.html"
        return render(request, template, {
            "opportunity": opportunity, "stage": stage, "form": form, "board_query": board_query(query).urlencode(),
            "back": back, "reason_error": error.message_dict["lost_reason"][0],
        }, status=200 if is_htmx else 400)
    message = _("“%(subject)s” moved to “%(stage)s”.") % {"subject": opportunity.subject, "stage": stage.label}
    if not is_htmx:
        messages.success(request, message)
        return redirect(back)
    opportunity_filter = board_filter(query)
    stages = [old_stage] if old_stage.pk == stage.pk else [old_stage, stage]
    sums = sums_after_move(opportunity_filter, opportunity, was=was, token=token, stages=stages) if saved else None
    writer = CardWriter({stage.pk: stage}, [candidate for candidate in all_stages if candidate.is_active],
                        timezone.localdate(), csrf=get_token(request), board_query=board_query(query).urlencode(),
                        can_change=True)
    return render(request, "prospection/_board_moved.html", {
        "stage_id": opportunity.stage_id, "moved_card": writer.html(Card.of(opportunity), focus=True),
        "columns": columns_for(opportunity_filter.qs, stages, sums), "message": message,
    })


def board_refused(request, query, back, is_htmx, message):
    """A move that changed nothing: the board drawn again (htmx) or back to it, with the reason."""
    if not is_htmx:
        messages.error(request, message)
        return redirect(back)
    context = board_context(request, query)
    context["refusal"] = message
    # 200, not 409: htmx swaps only successful answers, and this one must replace the columns.
    response = render(request, "prospection/_board_columns.html", context)
    response["HX-Retarget"] = "#board"
    response["HX-Reswap"] = "outerHTML"
    return response
