"""The rota input workbook, described once: sheets, columns, types, defaults, allowed values.

This description drives the reader and its validation (``ooh.rota.io``), the template
(``ooh.rota.template``), the README sheet written into every input workbook, and
docs/input-contract.md (``python -m ooh.schema > docs/input-contract.md``).

Each column names the dataclass field it fills (``ooh.rota.data``); defaults are read from
those dataclasses, never repeated here, so code and documentation cannot drift apart.
Nothing here imports openpyxl.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Literal

from ooh.practice import Practice
from ooh.rota.data import (
    NATIONS,
    WEEKDAYS,
    Clinician,
    Request,
    Rules,
    Settings,
    ShiftType,
    Site,
    Weights,
)

Kind = Literal["text", "int", "number", "date", "time", "yesno", "choice", "list", "code"]
Layout = Literal["readme", "table", "keyvalue", "grid"]

# Availability codes (one letter, any case); anything else is a list of shift type ids.
AVAILABILITY_CODES: dict[str, str] = {
    "A": "available",
    "U": "unavailable or on leave",
    "P": "prefers to work that day",
    "N": "prefers not to work that day (may still be rostered)",
}

ROLES_LIST = "roles"
SKILLS_LIST = "skills"


def _default(cls: type, name: str) -> Any:
    """The default of a dataclass field: the single source of every default in the schema."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            return None
    raise KeyError(f"{cls.__name__} has no field {name!r}")


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one key of a key/value sheet.

    ``field`` is the dataclass attribute it fills (``weights.cost`` reaches into Rules.weights).
    ``refers_to`` names what a value must match: ``roles``/``skills`` (the Lists sheet) or a
    sheet whose ids it cites (``Practices``, ``Sites``, ``Clinicians``, ``Shift types``).
    ``values`` maps the allowed words of a ``choice`` to the Python value they stand for.
    """

    header: str
    kind: Kind
    field: str
    help: str
    example: Any = None
    required: bool = False
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[tuple[str, Any], ...] = ()
    refers_to: str | None = None
    unique: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How messages name the column: ``max hours per week``."""
        return self.header.lower()

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(word for word, _ in self.values)

    def word_for(self, value: Any) -> str | None:
        """The word of a choice that stands for ``value`` (for writing and docs)."""
        for word, meant in self.values:
            if meant == value:
                return word
        return None

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    name: str
    layout: Layout
    help: str
    columns: tuple[Column, ...] = ()
    required: bool = True
    key_header: str = ""  # key/value sheets: header of the key column ("Setting", "Rule")
    dataclass_name: str = ""

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(f"{self.name} has no column for field {field_name!r}")


VALUE_HEADER = "Value"
HELP_HEADER = "Help"

YES_NO_HELP = "yes or no"

# ---- sheets --------------------------------------------------------------------------

README = Sheet(
    "README",
    "readme",
    "What each sheet holds and how to fill it in. Written by the template; ignored when "
    "the workbook is read, so it may be edited or deleted.",
    required=False,
)

SETTINGS = Sheet(
    "Settings",
    "keyvalue",
    "The planning period and how to read the other sheets: one setting per row, its name "
    "in the Setting column and its value in the Value column.",
    key_header="Setting",
    dataclass_name="Settings",
    columns=(
        Column(
            "Period start",
            "date",
            "period_start",
            "First date of the rota period (any weekday; Monday is usual).",
            example=date(2027, 1, 4),
            required=True,
        ),
        Column(
            "Weeks",
            "int",
            "weeks",
            "Length of the period in weeks.",
            example=4,
            default=_default(Settings, "weeks"),
            minimum=1,
            maximum=13,
        ),
        Column(
            "Bank holiday nation",
            "choice",
            "nation",
            "Which UK bank-holiday calendar applies (taken from a maintained calendar, not typed in).",
            example="England",
            default=_default(Settings, "nation"),
            values=tuple((n, n) for n in NATIONS),
        ),
        Column(
            "Blank availability means",
            "choice",
            "blank_is_available",
            "How to read an empty cell on the Availability sheet.",
            example="available",
            default=_default(Settings, "blank_is_available"),
            values=(("available", True), ("unavailable", False)),
        ),
    ),
)

LISTS = Sheet(
    "Lists",
    "table",
    "The roles and skills in use, one per row in each column. Roles and skills are data: "
    "add a row to add a role or skill. Every role and skill named elsewhere must be listed "
    "here; the Role dropdowns read this sheet.",
    columns=(
        Column(
            "Roles",
            "text",
            ROLES_LIST,
            "A clinical or support role (e.g. GP, ANP, Paramedic, Driver, Call handler).",
            example="GP",
            unique=True,
            aliases=("Role",),
        ),
        Column(
            "Skills",
            "text",
            SKILLS_LIST,
            "A skill a shift may require (e.g. Paediatrics, Home visits, Prescriber).",
            example="Home visits",
            unique=True,
            aliases=("Skill",),
        ),
    ),
)

PRACTICES = Sheet(
    "Practices",
    "table",
    "The member practices pooling their clinicians, with their registered list sizes "
    "(each practice's fair share of worked hours follows its share of list size).",
    dataclass_name="Practice",
    columns=(
        Column(
            "Code",
            "text",
            "code",
            "Practice code (e.g. the ODS code). Must be unique.",
            example="P001",
            required=True,
            unique=True,
            aliases=("Practice code",),
        ),
        Column(
            "Name", "text", "name", "Practice name.", example="Riverside Surgery", required=True
        ),
        Column(
            "List size",
            "int",
            "list_size",
            "Registered patients.",
            example=8200,
            required=True,
            minimum=1,
        ),
        Column(
            "Weighted list size",
            "number",
            "weighted_list_size",
            "Weighted list size (e.g. Carr-Hill), if used; blank if not.",
            example=8650.5,
            default=_default(Practice, "weighted_list_size"),
            minimum=0,
        ),
        Column(
            "Locality",
            "text",
            "locality",
            "Locality or primary care network, for reports.",
            example="North",
            default=_default(Practice, "locality"),
        ),
    ),
)

SITES = Sheet(
    "Sites",
    "table",
    "Bases and services shifts are worked from (a treatment centre, the home-visiting car, "
    "telephone triage).",
    dataclass_name="Site",
    columns=(
        Column(
            "ID",
            "text",
            "id",
            "Short unique id used by the other sheets.",
            example="BASE-A",
            required=True,
            unique=True,
            aliases=("Site ID",),
        ),
        Column("Name", "text", "name", "Site name.", example="Riverside base", required=True),
        Column(
            "Postcode",
            "text",
            "postcode",
            "Postcode, for reference.",
            example="ZZ1 1AA",
            default=_default(Site, "postcode"),
        ),
    ),
)

CLINICIANS = Sheet(
    "Clinicians",
    "table",
    "Everyone who may be rostered: one row per clinician, with their limits for the period.",
    dataclass_name="Clinician",
    columns=(
        Column(
            "ID",
            "text",
            "id",
            "Short unique id used by the other sheets.",
            example="C001",
            required=True,
            unique=True,
            aliases=("Clinician ID",),
        ),
        Column(
            "Name", "text", "name", "Name shown on the rota.", example="Dr A Example", required=True
        ),
        Column(
            "Practice",
            "text",
            "practice",
            "Code of the member practice offering this clinician; blank for salaried or locum "
            "staff not carried by a practice.",
            example="P001",
            default=_default(Clinician, "practice"),
            refers_to="Practices",
            aliases=("Practice code",),
        ),
        Column(
            "Role",
            "text",
            "role",
            "One role from the Lists sheet.",
            example="GP",
            required=True,
            refers_to=ROLES_LIST,
        ),
        Column(
            "Skills",
            "list",
            "skills",
            "Skills from the Lists sheet, separated by commas; blank for none.",
            example="Home visits, Paediatrics",
            default=_default(Clinician, "skills"),
            refers_to=SKILLS_LIST,
        ),
        Column(
            "Max hours per week",
            "number",
            "max_hours_per_week",
            "Most hours worked in any 7 consecutive days.",
            example=40,
            default=_default(Clinician, "max_hours_per_week"),
            minimum=1,
            maximum=72,
        ),
        Column(
            "Min shifts",
            "int",
            "min_shifts",
            "Fewest shifts in the whole period (a hard minimum).",
            example=2,
            default=_default(Clinician, "min_shifts"),
            minimum=0,
        ),
        Column(
            "Max shifts",
            "int",
            "max_shifts",
            "Most shifts in the whole period; blank for no limit.",
            example=12,
            default=_default(Clinician, "max_shifts"),
            minimum=0,
        ),
        Column(
            "Max consecutive nights",
            "int",
            "max_consecutive_nights",
            "Most night shifts in a row; blank to use the Rules sheet.",
            example=3,
            default=_default(Clinician, "max_consecutive_nights"),
            minimum=1,
            maximum=14,
        ),
        Column(
            "Max weekends",
            "int",
            "max_weekends",
            "Most weekends worked in the period; blank for no limit.",
            example=2,
            default=_default(Clinician, "max_weekends"),
            minimum=0,
        ),
        Column(
            "Hourly rate (£)",
            "number",
            "hourly_rate",
            "Pay per hour in pounds, before the shift's pay multiplier.",
            example=95.0,
            default=_default(Clinician, "hourly_rate"),
            minimum=0,
            aliases=("Hourly rate",),
        ),
        Column(
            "Locum",
            "yesno",
            "is_locum",
            "yes for agency or locum clinicians: rostered only when members cannot fill.",
            example="no",
            default=_default(Clinician, "is_locum"),
        ),
        Column(
            "Sites",
            "list",
            "sites",
            "Site ids this clinician can work at, separated by commas; blank for any site.",
            example="BASE-A, CAR",
            default=_default(Clinician, "sites"),
            refers_to="Sites",
        ),
        Column(
            "Min hours in period",
            "number",
            "min_period_hours",
            "Contracted hours: fewest hours worked in the whole period (a hard minimum).",
            example=0,
            default=_default(Clinician, "min_period_hours"),
            minimum=0,
        ),
        Column(
            "Max hours in period",
            "number",
            "max_period_hours",
            "Contracted hours: most hours worked in the whole period; blank for no limit.",
            example=160,
            default=_default(Clinician, "max_period_hours"),
            minimum=0,
        ),
        Column(
            "Max consecutive days",
            "int",
            "max_consecutive_days",
            "Most working days in a row; blank to use the Rules sheet.",
            example=5,
            default=_default(Clinician, "max_consecutive_days"),
            minimum=1,
        ),
        Column(
            "Min consecutive days",
            "int",
            "min_consecutive_days",
            "Shortest run of working days (a run touching the start or end of the period is "
            "exempt); 1 for no limit.",
            example=1,
            default=_default(Clinician, "min_consecutive_days"),
            minimum=1,
        ),
        Column(
            "Min days off in a row",
            "int",
            "min_consecutive_days_off",
            "Shortest break between working runs, in days (a break touching the start or end "
            "of the period is exempt); 1 for no limit.",
            example=1,
            default=_default(Clinician, "min_consecutive_days_off"),
            minimum=1,
        ),
        Column(
            "Max shifts per line",
            "list",
            "max_shifts_by_type",
            "Most shifts of given shift lines in the whole period, as LINE=n separated by "
            "commas (0: never that line); blank for no such limit.",
            example="NIGHT-A=4, CAR-EVE=0",
            default=_default(Clinician, "max_shifts_by_type"),
            refers_to="Shift types",
        ),
    ),
)


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _day_column(index: int, name: str) -> Column:
    return Column(
        name,
        "yesno",
        f"day:{index}",
        f"yes if the line runs on {_DAY_NAMES[index]}s that are not bank holidays; blank means no.",
        example="yes",
        default=False,
    )


SHIFT_TYPES = Sheet(
    "Shift types",
    "table",
    "The shift lines the service must run: where, who, when, on which days, and how many "
    "people. A shift belongs to the date it starts on.",
    dataclass_name="ShiftType",
    columns=(
        Column(
            "ID",
            "text",
            "id",
            "Short unique id (not A, U, P or N: those are availability codes).",
            example="A-EVE-GP",
            required=True,
            unique=True,
            aliases=("Shift type ID", "Shift type"),
        ),
        Column(
            "Name",
            "text",
            "name",
            "Description shown on the rota.",
            example="Base A evening GP",
            default=_default(ShiftType, "name"),
        ),
        Column(
            "Site",
            "text",
            "site",
            "Site id from the Sites sheet.",
            example="BASE-A",
            required=True,
            refers_to="Sites",
        ),
        Column(
            "Role",
            "text",
            "role",
            "The role that fills it, from the Lists sheet.",
            example="GP",
            required=True,
            refers_to=ROLES_LIST,
        ),
        Column(
            "Skills",
            "list",
            "skills",
            "Skills a clinician must all have, separated by commas; blank for none.",
            example="Home visits",
            default=_default(ShiftType, "skills"),
            refers_to=SKILLS_LIST,
            aliases=("Required skills",),
        ),
        Column(
            "Start",
            "time",
            "start",
            "Start time, e.g. 18:30 (a time cell, 18:30 or 1830).",
            example=time(18, 30),
            required=True,
        ),
        Column(
            "End",
            "time",
            "end",
            "End time; at or before the start means it ends the next day; 24:00 is midnight.",
            example=time(23, 0),
            required=True,
        ),
        *(_day_column(i, name) for i, name in enumerate(WEEKDAYS)),
        Column(
            "Bank holidays",
            "yesno",
            "bank_holidays",
            "yes if the line runs on bank holidays (all day, whatever the weekday; on a bank "
            "holiday only lines marked yes run).",
            example="no",
            default=_default(ShiftType, "bank_holidays"),
        ),
        Column(
            "Needed",
            "int",
            "needed",
            "Places that must be filled (the minimum); an unfilled one is a gap.",
            example=1,
            default=_default(ShiftType, "needed"),
            minimum=0,
            maximum=50,
        ),
        Column(
            "Wanted",
            "int",
            "wanted",
            "Places the service would like filled (the target, at least Needed); blank means "
            "the same as Needed.",
            example=2,
            minimum=0,
            maximum=50,
        ),
        Column(
            "Priority",
            "int",
            "priority",
            "How much a gap on this line hurts: 1 (lowest) to 5 (highest).",
            example=3,
            default=_default(ShiftType, "priority"),
            minimum=1,
            maximum=5,
        ),
        Column(
            "Under weight",
            "int",
            "under_weight",
            "Soft cover: points per person short of Needed, weighed against the other soft "
            "goals; blank means required places are filled first, whatever the cost.",
            example=100,
            default=_default(ShiftType, "under_weight"),
            minimum=0,
        ),
        Column(
            "Over weight",
            "int",
            "over_weight",
            "Soft cover: points per person above Wanted (extra people then allowed); blank "
            "means Wanted is a hard cap.",
            example=1,
            default=_default(ShiftType, "over_weight"),
            minimum=0,
        ),
        Column(
            "Pay multiplier",
            "number",
            "pay_multiplier",
            "Multiplies the hourly rate (e.g. 1.5 for nights or bank holidays).",
            example=1.0,
            default=_default(ShiftType, "pay_multiplier"),
            minimum=0.01,
            maximum=10,
        ),
    ),
)

AVAILABILITY = Sheet(
    "Availability",
    "grid",
    "Who can work when: clinicians down, the dates of the period across (one column per "
    "date, headed by the date). Codes: A available, U unavailable or on leave, P prefers to "
    "work, N prefers not to, or shift type ids separated by commas (available for those "
    "only). A blank cell means what the Settings sheet says. Dates not in the grid count as "
    "blank.",
    required=False,
    columns=(
        Column(
            "Clinician ID",
            "text",
            "clinician",
            "A clinician id from the Clinicians sheet (once each).",
            example="C001",
            required=True,
            unique=True,
            refers_to="Clinicians",
            aliases=("ID", "Clinician"),
        ),
        Column(
            "Name",
            "text",
            "name",
            "The clinician's name, for readability only (not read).",
            example="Dr A Example",
        ),
        Column(
            "<each date>",
            "code",
            "availability",
            "A, U, P, N, a list of shift type ids such as A-EVE-GP, B-NIGHT-GP, or blank.",
            example="A",
        ),
    ),
)

REQUESTS = Sheet(
    "Requests",
    "table",
    "Wishes to work or avoid a date (or one shift that date). Honoured where possible, "
    "weighed by Weight.",
    required=False,
    dataclass_name="Request",
    columns=(
        Column(
            "Clinician",
            "text",
            "clinician",
            "Clinician id.",
            example="C001",
            required=True,
            refers_to="Clinicians",
            aliases=("Clinician ID",),
        ),
        Column(
            "Date",
            "date",
            "date",
            "A date in the period.",
            example=date(2027, 1, 8),
            required=True,
        ),
        Column(
            "Shift type",
            "text",
            "shift_type",
            "A shift type id; blank for any shift that date.",
            example="A-EVE-GP",
            refers_to="Shift types",
        ),
        Column(
            "Want or avoid",
            "choice",
            "want",
            "want: would like to work it; avoid: would like not to.",
            example="avoid",
            required=True,
            values=(("want", True), ("avoid", False)),
        ),
        Column(
            "Weight",
            "int",
            "weight",
            "How much it matters, 1 upwards.",
            example=2,
            default=_default(Request, "weight"),
            minimum=1,
            maximum=100,
        ),
    ),
)

FIXED = Sheet(
    "Fixed",
    "table",
    "Bookings that must stay as they are: the clinician works that shift on that date.",
    required=False,
    dataclass_name="FixedBooking",
    columns=(
        Column(
            "Clinician",
            "text",
            "clinician",
            "Clinician id.",
            example="C002",
            required=True,
            refers_to="Clinicians",
            aliases=("Clinician ID",),
        ),
        Column(
            "Date",
            "date",
            "date",
            "A date in the period on which the shift type runs.",
            example=date(2027, 1, 9),
            required=True,
        ),
        Column(
            "Shift type",
            "text",
            "shift_type",
            "A shift type id.",
            example="A-EVE-GP",
            required=True,
            refers_to="Shift types",
        ),
    ),
)

_WEIGHT_HELP = {
    "target": "per unfilled target place above the needed number (times its priority)",
    "practice_fair_share": "per hour a practice is away from its list-size share of hours",
    "clinician_hours": "per hour a clinician is away from their fair share of hours",
    "clinician_nights": "per night away from a clinician's fair share (within their role)",
    "clinician_weekends": "per weekend shift away from a clinician's fair share",
    "clinician_bank_holidays": "per bank-holiday shift away from a clinician's fair share",
    "requests": "per unit of request weight not honoured",
    "preferences": "per prefers / prefers-not day not honoured",
    "cost": "per pound of pay",
    "locum": "per locum hour, on top of cost (members before locums)",
}


def _weight_key(field_name: str) -> Column:
    return Column(
        "Weight: " + field_name.replace("_", " "),
        "int",
        f"weights.{field_name}",
        "Points " + _WEIGHT_HELP[field_name] + ".",
        example=_default(Weights, field_name),
        default=_default(Weights, field_name),
        minimum=0,
        maximum=1_000_000,
    )


RULES = Sheet(
    "Rules",
    "keyvalue",
    "Hard limits that apply to everyone, and the weights of the soft goals (points the "
    "planner minimises; filling needed places always comes first). A missing row keeps its "
    "default.",
    required=False,
    key_header="Rule",
    dataclass_name="Rules",
    columns=(
        Column(
            "Min rest hours",
            "number",
            "min_rest_hours",
            "Least rest between the end of one shift and the start of the next.",
            example=11,
            default=_default(Rules, "min_rest_hours"),
            minimum=0,
            maximum=48,
        ),
        Column(
            "Rest after nights hours",
            "number",
            "rest_after_nights_hours",
            "Least rest after a night shift before the next shift that is not a night.",
            example=46,
            default=_default(Rules, "rest_after_nights_hours"),
            minimum=0,
            maximum=96,
        ),
        Column(
            "Max consecutive nights",
            "int",
            "max_consecutive_nights",
            "Most night shifts in a row, unless a clinician has their own limit.",
            example=4,
            default=_default(Rules, "max_consecutive_nights"),
            minimum=1,
            maximum=14,
        ),
        Column(
            "Max consecutive days",
            "int",
            "max_consecutive_days",
            "Most dates in a row with a shift.",
            example=6,
            default=_default(Rules, "max_consecutive_days"),
            minimum=1,
            maximum=21,
        ),
        Column(
            "Max shifts per week",
            "int",
            "max_shifts_per_week",
            "Most shifts in any 7 consecutive days; blank for no limit.",
            example=5,
            default=_default(Rules, "max_shifts_per_week"),
            minimum=1,
            maximum=21,
        ),
        *(_weight_key(f.name) for f in dataclasses.fields(Weights)),
        Column(
            "Cannot follow",
            "list",
            "cannot_follow",
            "Pairs of shift lines as EARLIER>LATER separated by commas: a LATER shift may not "
            "start the date after an EARLIER one (e.g. no early straight after a late); blank "
            "for none.",
            example="LATE>EARLY",
            default=_default(Rules, "cannot_follow"),
            refers_to="Shift types",
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    README,
    SETTINGS,
    LISTS,
    PRACTICES,
    SITES,
    CLINICIANS,
    SHIFT_TYPES,
    AVAILABILITY,
    REQUESTS,
    FIXED,
    RULES,
)


def sheet(name: str) -> Sheet:
    for s in SHEETS:
        if s.name == name:
            return s
    raise KeyError(name)


# ---- documentation -------------------------------------------------------------------

KIND_TEXT: dict[str, str] = {
    "text": "text",
    "int": "whole number",
    "number": "number",
    "date": "date",
    "time": "time",
    "yesno": "yes/no",
    "choice": "one of a list",
    "list": "list, comma-separated",
    "code": "availability code",
}

DECISIONS = """\
- Headers are matched ignoring case and spaces, in any column order. A header close to a
  missing known one (e.g. `Max hours per wek`) is reported with a suggestion; other extra
  columns (notes) are ignored.
- Ids, roles, skills and shift type ids are matched exactly (case matters); an unknown one is
  reported with the closest known name.
- Lists is required: every role and skill named on Clinicians and Shift types must be listed
  there. Availability, Requests, Fixed and Rules may be left out (no entries, default rules).
- Shift type ids may not be `A`, `U`, `P` or `N`, which are availability codes (any case).
- A shift whose start equals its end is rejected (zero length; 24-hour shifts are not
  supported). `24:00` means midnight. An end at or before the start ends the next day.
- A blank day column (`Mon` .. `Sun`, `Bank holidays`) means no; a line that runs on no day
  is an error. A blank `Wanted` means the same as `Needed`.
- Dates may be date cells, `2026-12-14`, `14/12/2026` (day first) or Excel serial numbers;
  times may be time cells, `18:30`, `18.30`, `1830` or `24:00`. A whole number such as 1830
  typed into a cell formatted as a time (which Excel stores as day 1830) is read as 18:30.
- Availability dates outside the period are errors; period dates missing from the grid count
  as blank cells. A clinician missing from the grid is blank on every date.
- Requests and fixed bookings must fall in the period; a fixed booking must be on a date its
  shift type runs (bank holidays included). Whether the clinician may legally work it (role,
  skills, rest) is left to the planner, which names the conflicting rule.
- Text starting with `'` followed by `=`, `+`, `-` or `@` is read without the apostrophe (the
  writer adds it so Excel does not run text as a formula).
- A booking listed twice on Fixed is an error.
- Problems are listed sheet by sheet (in the order of this document), row by row.
- A formula cell whose result was never saved (e.g. written by a script) is reported: open
  and save the workbook in Excel so the value is stored.
"""


def _fmt(value: Any, column: Column) -> str:
    if value is None or value == "":
        return "blank"
    if column.values:
        word = column.word_for(value)
        if word is not None:
            return word
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "blank"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def allowed_text(column: Column) -> str:
    """Allowed values or range, in words (docs, README sheet and messages share it)."""
    if column.values:
        return " | ".join(column.choices)
    if column.kind == "yesno":
        return "yes | no"
    if column.kind == "code":
        return "A | U | P | N | shift type ids"
    if column.refers_to in (ROLES_LIST, SKILLS_LIST):
        return f"{column.refers_to} on Lists"
    if column.refers_to:
        return f"ids on {column.refers_to}"
    lo, hi = column.minimum, column.maximum
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f"at least {_num(lo)}"
    return ""


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def default_text(column: Column) -> str:
    if column.required:
        return "required"
    return _fmt(column.default, column)


def example_text(column: Column) -> str:
    return _fmt(column.example, column)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_input_contract() -> str:
    """docs/input-contract.md, generated from the schema."""
    out: list[str] = [
        "# Rota input workbook: the contract",
        "",
        "<!-- Generated by `python -m ooh.schema > docs/input-contract.md`; do not edit. -->",
        "",
        "The rota planner reads one Excel workbook (.xlsx). `ooh template rota -o inputs.xlsx`",
        "writes a filled-in example with dropdowns; `ooh rota validate inputs.xlsx` lists every",
        "problem at once, each with its sheet and cell. Sheets may be in any order; columns are",
        "found by their header, in any order. Blank rows are skipped.",
        "",
    ]
    for s in SHEETS:
        need = "required" if s.required else "optional"
        out += [f"## {s.name} ({need})", "", s.help, ""]
        if s.layout == "readme":
            continue
        if s.layout == "keyvalue":
            out += [
                f"Columns `{s.key_header}` and `{VALUE_HEADER}` (a `{HELP_HEADER}` column is "
                "ignored). One row per key:",
                "",
                f"| {s.key_header} | Type | Default | Allowed | Meaning | Example |",
                "|---|---|---|---|---|---|",
            ]
        else:
            out += [
                "| Column | Type | Default | Allowed | Meaning | Example |",
                "|---|---|---|---|---|---|",
            ]
        for c in s.columns:
            header = f"`{c.header}`"
            if c.aliases:
                header += " (or " + ", ".join(f"`{a}`" for a in c.aliases) + ")"
            cells = [
                header,
                KIND_TEXT[c.kind],
                default_text(c),
                allowed_text(c),
                c.help,
                example_text(c),
            ]
            out.append("| " + " | ".join(_md_escape(x) for x in cells) + " |")
        out.append("")
    out += [
        "## Availability codes",
        "",
        *(f"- `{code}`: {meaning}" for code, meaning in AVAILABILITY_CODES.items()),
        "- shift type ids separated by commas (e.g. `A-EVE-GP, CAR-NIGHT`): available for "
        "those shift lines only",
        "- blank: as the `Blank availability means` setting says",
        "",
        "## Decisions",
        "",
        DECISIONS.rstrip(),
        "",
    ]
    return "\n".join(out)


def readme_rows(note: str = "") -> list[tuple[str, str]]:
    """(item, explanation) rows for the README sheet of an input workbook."""
    rows: list[tuple[str, str]] = [
        ("Rota input workbook", "Fill in each sheet; then run: ooh rota validate <this file>"),
        ("", "Columns are found by their header; keep the header row as it is."),
        *([("", note)] if note else []),
        ("", ""),
    ]
    for s in SHEETS:
        if s.layout == "readme":
            continue
        need = "required" if s.required else "optional"
        rows.append((f"{s.name} ({need})", s.help))
        for c in s.columns:
            parts = [c.help, f"Type: {KIND_TEXT[c.kind]}."]
            allowed = allowed_text(c)
            if allowed:
                parts.append(f"Allowed: {allowed}.")
            parts.append("Required." if c.required else f"Default: {default_text(c)}.")
            rows.append((f"    {c.header}", " ".join(parts)))
        rows.append(("", ""))
    rows.append(("Availability codes", ""))
    for code, meaning in AVAILABILITY_CODES.items():
        rows.append((f"    {code}", meaning))
    rows.append(("    ids", "shift type ids separated by commas: available for those only"))
    return rows


if __name__ == "__main__":
    print(render_input_contract(), end="")
