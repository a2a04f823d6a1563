"""Forms of the import and export pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.validators import Length, Optional, ValidationError

from mentormatch import taxonomy
from mentormatch.forms import ListSelectField, choices
from mentormatch.importer import DIASPORA, ENTREPRENEURS, MAX_FILE_BYTES
from mentormatch.models import PairingKind, PairingState, ReviewStatus
from mentormatch.transfers.exports import PairingFilters, PeopleFilters

STATUS_CHOICES = [
    (ReviewStatus.APPROVED.value, _l("Approved: suggested to others at once")),
    (ReviewStatus.PENDING.value, _l("Pending: a coordinator reviews each profile first")),
]


class UploadForm(FlaskForm):
    """A CSV or XLSX file of entrepreneurs or of diaspora members."""

    file = FileField(
        _l("File to import"),
        description=_l(
            "CSV (UTF-8) or Excel (.xlsx), at most %(size)s MB; one kind of profile per file, "
            "with the columns described in the guide.",
            size=MAX_FILE_BYTES // 1024 // 1024,
        ),
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )
    kind = RadioField(
        _l("The file holds"),
        choices=choices(
            [
                ("", _l("Tell from the columns (business_name or headline)")),
                (ENTREPRENEURS, _l("Entrepreneurs")),
                (DIASPORA, _l("Diaspora members")),
            ]
        ),
        default="",
        validate_choice=True,
    )
    review_status = RadioField(
        _l("Imported profiles start"),
        choices=choices(STATUS_CHOICES),
        default=ReviewStatus.APPROVED.value,
        validate_choice=True,
    )

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file to import."))


class ConfirmForm(FlaskForm):
    """Import every row, or only the rows without problems."""

    rows = RadioField(
        _l("What to import"),
        choices=choices([("all", _l("All rows")), ("valid", _l("Only the valid rows"))]),
        validate_choice=True,
    )


class DiscardForm(FlaskForm):
    """Drop an upload (CSRF only)."""


class PeopleFilterForm(FlaskForm):
    """Filters of the people export (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    role = ListSelectField(
        _l("Role"),
        choices=choices(
            [("entrepreneur", _l("Entrepreneurs")), ("diaspora", _l("Diaspora members"))],
            blank=_l("Both"),
        ),
        default="",
    )
    q = StringField(_l("Name, business, email or phone"), validators=[Optional(), Length(max=100)])
    country = ListSelectField(_l("Country"), choices=[], default="")
    region = StringField(
        _l("Region code"),
        validators=[Optional(), Length(max=10)],
        description=_l("For example NG-KN."),
    )
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="")
    status = ListSelectField(_l("Review status"), choices=[], default="")
    returnee = BooleanField(_l("Returnees only"))
    women_led = BooleanField(_l("Women-led only"))
    youth_led = BooleanField(_l("Youth-led only"))

    def prepare(self, chains: list[tuple[str, str]]) -> None:
        """Fill the lists that come from the database or read in the reader's language."""
        self.country.choices = choices(taxonomy.country_choices(), blank=_l("Any"))
        self.value_chain.choices = choices(chains, blank=_l("Any"))
        self.status.choices = choices([(s.value, s.label) for s in ReviewStatus], blank=_l("Any"))

    def validate_region(self, field: StringField) -> None:
        if field.data and not taxonomy.is_region(field.data.upper()):
            raise ValidationError(_l("Write a region code such as NG-KN."))

    def to_filters(self) -> PeopleFilters:
        """The checked filters."""
        return PeopleFilters(
            role=self.role.data or "",
            q=(self.q.data or "").strip(),
            country=self.country.data or "",
            region=(self.region.data or "").upper(),
            value_chain=self.value_chain.data or "",
            status=self.status.data or "",
            returnee=bool(self.returnee.data),
            women_led=bool(self.women_led.data),
            youth_led=bool(self.youth_led.data),
        )


class PairingFilterForm(FlaskForm):
    """Filters of the pairings export (a GET form)."""

    class Meta:
        csrf = False

    state = ListSelectField(_l("State"), choices=[], default="")
    kind = ListSelectField(_l("Kind"), choices=[], default="")
    country = ListSelectField(_l("Country"), choices=[], default="")
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="")
    since = DateField(_l("Requested from"), validators=[Optional()])
    until = DateField(_l("Requested until"), validators=[Optional()])
    coordinator = ListSelectField(_l("Decided by"), choices=[], default="")

    def prepare(self, chains: list[tuple[str, str]], staff: list[tuple[int, str]]) -> None:
        """Fill the lists that come from the database or read in the reader's language."""
        self.state.choices = choices([(s.value, s.label) for s in PairingState], blank=_l("Any"))
        self.kind.choices = choices([(k.value, k.label) for k in PairingKind], blank=_l("Any"))
        self.country.choices = choices(taxonomy.country_choices(), blank=_l("Any"))
        self.value_chain.choices = choices(chains, blank=_l("Any"))
        self.coordinator.choices = choices(
            [(str(i), name) for i, name in staff], blank=_l("Anyone")
        )

    def validate_until(self, field: Any) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period must be after its start."))

    def to_filters(self) -> PairingFilters:
        """The checked filters."""
        return PairingFilters(
            state=self.state.data or "",
            kind=self.kind.data or "",
            country=self.country.data or "",
            value_chain=self.value_chain.data or "",
            since=self.since.data,
            until=self.until.data,
            coordinator=int(self.coordinator.data) if self.coordinator.data else None,
        )
