"""/coordinator/results: the indicators, four charts and the CSV of the same tables."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from babel.dates import format_skeleton
from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from mentormatch.auth.access import staff_required
from mentormatch.db import get_session
from mentormatch.forms import choices
from mentormatch.i18n import DEFAULT_LANGUAGE
from mentormatch.models import PairingKind
from mentormatch.results import charts, service
from mentormatch.results.forms import ResultsFilterForm

bp = Blueprint("results", __name__, url_prefix="/coordinator")

# The page opens on the last twelve months.
DEFAULT_DAYS = 365


def _filters() -> tuple[ResultsFilterForm, service.Filters, bool]:
    """The form, the filters it gives (defaults where it is empty or wrong), and whether
    it was valid."""
    session = get_session()
    form = ResultsFilterForm(request.args)
    form.country.choices = choices(service.country_choices(session), blank=_("All countries"))
    form.value_chain.choices = choices(service.value_chain_choices(session), blank=_("All"))
    valid = form.validate()
    today = date.today()
    end = (form.end.data if valid else None) or today
    start = (form.start.data if valid else None) or end - timedelta(days=DEFAULT_DAYS - 1)
    if not valid or start > end:
        start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    if not form.start.data:
        form.start.data = start
    if not form.end.data:
        form.end.data = end
    filters = service.Filters(
        start=start,
        end=end,
        country=(form.country.data or None) if valid else None,
        value_chain=(form.value_chain.data or None) if valid else None,
        kind=PairingKind(form.kind.data) if valid and form.kind.data else None,
    )
    return form, filters, valid


def _month_label(month: str) -> str:
    """ "2026-03" as the reader's language writes a month: "Mar 2026", "mars 2026"."""
    first = date(int(month[:4]), int(month[5:]), 1)
    return format_skeleton("yMMM", first, locale=get_locale() or DEFAULT_LANGUAGE)


@bp.get("/results")
@staff_required
def index() -> ResponseReturnValue:
    """Indicators with their definitions, breakdowns, charts with their data tables."""
    form, filters, valid = _filters()
    results = service.compute(get_session(), filters)
    by_month = charts.stacked_columns(
        "by-month",
        _("Introductions by month, by where they are now"),
        [(key, str(label)) for key, label, _states in service.STATE_GROUPS],
        [(_month_label(month), values) for month, values in results.by_month],
    )
    reach = charts.bar_chart(
        "reach",
        _("Entrepreneurs reached by region")
        if filters.country
        else _("Entrepreneurs reached by country"),
        results.reach,
    )
    load = charts.bar_chart(
        "load",
        _("Mentors by coaching load against capacity"),
        [(str(label), results.load.get(key, 0)) for key, label in service.LOAD_BUCKETS],
    )
    approval = charts.bar_chart(
        "approval", _("Time from request to approval"), results.approval_days
    )
    return render_template(
        "results/index.html",
        form=form,
        results=results,
        groups=service.GROUPS,
        by_month=by_month,
        reach=reach,
        load=load,
        approval=approval,
        csv_args=filters.args(),
    ), (200 if valid else 400)


@bp.get("/results.csv")
@staff_required
def download() -> ResponseReturnValue:
    """The page's tables as CSV (table, row, column, value), with the same filters, in
    English whatever the page's language: its names are a contract scripts read."""
    _form, filters, valid = _filters()
    if not valid:
        return Response(
            _("Fix the filters on the results page first.") + "\n", 400, mimetype="text/plain"
        )
    buffer = io.StringIO()
    with force_locale(DEFAULT_LANGUAGE):
        csv.writer(buffer).writerows(service.csv_rows(service.compute(get_session(), filters)))
    name = f"mentormatch-results-{filters.start}-to-{filters.end}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
