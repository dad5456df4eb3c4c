"""Clinicians' calendars: one iCalendar (.ics) file per clinician, from a rota.

Times are written as Europe/London local times with a TZID and a VTIMEZONE, so a calendar
app shows the wall-clock times of the rota and a night across a clock change has its true
length (23:00-08:00 over the October change is 10 hours, over the March change 8). A local
time that does not exist (skipped in March) or happens twice (October) is read the way RFC
5545 says: the UTC offset before the change, and the first occurrence.

Each event's UID is derived from the clinician id and the shift id only, so importing the
calendar of an updated rota updates the events in place instead of duplicating them. DTSTAMP
is the time the rota workbook was written (from its Run info sheet) unless given, so the same
rota always gives byte-identical files; SEQUENCE rises with that time, so a later rota's
events supersede an earlier one's in apps that compare sequence numbers.

Two sources: the rota workbook alone (its Assignments sheet carries times, names and
postcodes), or the inputs workbook with the rota workbook (names from the inputs, times
rebuilt from the shift lines: authoritative when the Assignments sheet was edited by hand).
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ooh.errors import InputError, Issue, OohError
from ooh.outputs import write_atomically

if TYPE_CHECKING:
    from icalendar import Calendar, Timezone

    from ooh.rota.data import Assignment, RotaData

TZID = "Europe/London"
LONDON = ZoneInfo(TZID)
PRODID = "-//ooh//rota calendars//EN"
# Never change: every UID ever published is derived from it. uuid5(NAMESPACE_URL,
# "urn:ooh:rota:shift").
UID_NAMESPACE = uuid.UUID("aeb178d7-b79d-5557-9ba0-9f1a5529d0a7")
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
RUN_INFO_SHEET, WRITTEN_AT_KEY = "Run info", "Written at (UTC)"


@dataclass(frozen=True)
class CalendarShift:
    """One clinician on one shift, with everything a calendar event shows."""

    clinician_id: str
    clinician_name: str
    shift_id: str  # "2026-10-24/NIGHT-A": the date the shift starts on and its shift line
    shift_line: str  # shift type id
    shift_line_name: str
    role: str
    site: str
    site_name: str
    postcode: str | None
    practice: str | None  # practice code, "locum", or None (salaried)
    practice_name: str | None
    start: datetime  # naive Europe/London wall-clock time, as in the rota
    end: datetime
    bank_holiday: bool = False

    @property
    def uid(self) -> str:
        return shift_uid(self.clinician_id, self.shift_id)

    @property
    def start_local(self) -> datetime:
        return local(self.start)

    @property
    def end_local(self) -> datetime:
        return local(self.end)

    @property
    def hours(self) -> float:
        """Hours actually worked: the clock change is counted, unlike wall-clock hours."""
        elapsed = self.end_local.astimezone(UTC) - self.start_local.astimezone(UTC)
        return elapsed.total_seconds() / 3600


def shift_uid(clinician_id: str, shift_id: str) -> str:
    """The event UID of a clinician's shift: the same in every export of every rota version."""
    return str(uuid.uuid5(UID_NAMESPACE, f"{clinician_id}\x1f{shift_id}"))


def local(naive: datetime) -> datetime:
    """A rota wall-clock time as an aware Europe/London time (fold=0: RFC 5545's reading)."""
    return naive.replace(tzinfo=LONDON, fold=0)


def sequence_for(stamp: datetime) -> int:
    """Whole minutes since 2020: rises with each rota version written later."""
    return max(0, int((stamp - SEQUENCE_EPOCH).total_seconds() // 60))


# ---- from the inputs workbook and a rota -----------------------------------------------------


def shifts_from_rota(data: RotaData, assignments: Iterable[Assignment]) -> list[CalendarShift]:
    """Calendar entries for assignments, with times and names from the inputs."""
    from ooh.rota.calendar import build_shifts

    shifts = {s.id: s for s in build_shifts(data)}
    sites = {s.id: s for s in data.sites}
    practices = {p.code: p.name for p in data.practices}
    clinicians = {c.id: c for c in data.clinicians}
    entries = []
    for a in assignments:
        if a.shift_id not in shifts:
            raise OohError(
                f"shift {a.shift_id} is not in the period of the inputs workbook; "
                "is this rota from another inputs workbook?"
            )
        s, c = shifts[a.shift_id], clinicians[a.clinician]
        site = sites.get(s.type.site)
        entries.append(
            CalendarShift(
                clinician_id=c.id,
                clinician_name=c.name,
                shift_id=s.id,
                shift_line=s.type.id,
                shift_line_name=s.type.name or s.type.id,
                role=s.type.role,
                site=s.type.site,
                site_name=site.name if site else s.type.site,
                postcode=site.postcode if site else None,
                practice=c.practice or ("locum" if c.is_locum else None),
                practice_name=practices.get(c.practice) if c.practice else None,
                start=s.start,
                end=s.end,
                bank_holiday=s.is_bank_holiday,
            )
        )
    return entries


# ---- from the rota workbook alone ------------------------------------------------------------

REQUIRED = ("Date", "Shift type", "Clinician id", "Start", "End")
OPTIONAL = (
    "Name",
    "Site",
    "Role",
    "Practice",
    "Bank holiday",
    "Shift line",
    "Site name",
    "Postcode",
    "Practice name",
)


def _load(path: Path) -> Any:
    from openpyxl import load_workbook

    from ooh.safety import check_workbook

    check_workbook(path)  # missing, a folder, not a workbook, hostile or oversized: refused
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a non-workbook
        raise OohError(f"{path}: cannot be read as an Excel workbook (.xlsx): {exc}") from exc


def read_rota_shifts(path: str | os.PathLike[str]) -> list[CalendarShift]:
    """Calendar entries from a rota workbook's Assignments sheet, without the inputs.

    Rows with a blank clinician id (open places) are skipped. Every bad cell is reported at
    once with its sheet and cell.
    """
    from openpyxl.utils import get_column_letter

    from ooh.rota.calendar import shift_id
    from ooh.rota.output import ASSIGNMENTS_SHEET

    path = Path(path)
    wb = _load(path)
    try:
        if ASSIGNMENTS_SHEET not in wb.sheetnames:
            raise InputError(
                [
                    Issue(
                        ASSIGNMENTS_SHEET, "sheet missing: give a rota written by `ooh rota solve`"
                    )
                ],
                str(path),
            )
        rows = list(wb[ASSIGNMENTS_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()

    header = [str(v).strip().casefold() if v is not None else "" for v in (rows[0] if rows else [])]
    columns = {n: header.index(n.casefold()) for n in REQUIRED + OPTIONAL if n.casefold() in header}
    missing = [n for n in REQUIRED if n not in columns]
    if missing:
        raise InputError(
            [
                Issue(f"{ASSIGNMENTS_SHEET}!1", f'no "{name}" column in the header row')
                for name in missing
            ]
            + [
                Issue(
                    "",
                    "give the inputs workbook too (`ooh rota ics inputs.xlsx rota.xlsx`) to "
                    "rebuild shift times from the shift lines",
                )
            ],
            str(path),
        )

    issues: list[Issue] = []
    entries: list[CalendarShift] = []
    for row_no, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            if name not in columns or columns[name] >= len(row):
                return None
            value = row[columns[name]]
            return value.strip() or None if isinstance(value, str) else value

        def where(name: str, row_no: int = row_no) -> str:
            return f"{ASSIGNMENTS_SHEET}!{get_column_letter(columns[name] + 1)}{row_no}"

        if cell("Clinician id") is None:
            continue  # blank row, or a place left open
        clinician = _text(cell("Clinician id"))
        day = _as_date(cell("Date"))
        line = cell("Shift type")
        start, end = _as_datetime(cell("Start")), _as_datetime(cell("End"))
        before = len(issues)
        if day is None:
            issues.append(Issue(where("Date"), f"date must be a date, got {_shown(cell('Date'))}"))
        if line is None:
            issues.append(Issue(where("Shift type"), "shift type is blank"))
        for name, value in (("Start", start), ("End", end)):
            if value is None:
                issues.append(
                    Issue(
                        where(name),
                        f"must be a date and time (YYYY-MM-DD HH:MM), got {_shown(cell(name))}; "
                        "or give the inputs workbook too",
                    )
                )
        if start is not None and day is not None and start.date() != day:
            issues.append(Issue(where("Start"), f"start {start:%Y-%m-%d %H:%M} is not on {day}"))
        if start is not None and end is not None and end <= start:
            issues.append(Issue(where("End"), f"end {end:%Y-%m-%d %H:%M} is not after the start"))
        if len(issues) > before or day is None or start is None or end is None:
            continue
        line = _text(line)
        site = _text(cell("Site")) if cell("Site") is not None else ""
        practice = _text(cell("Practice")) if cell("Practice") is not None else None
        entries.append(
            CalendarShift(
                clinician_id=clinician,
                clinician_name=_text(cell("Name") or clinician),
                shift_id=shift_id(day, line),
                shift_line=line,
                shift_line_name=_text(cell("Shift line") or line),
                role=_text(cell("Role") or ""),
                site=site,
                site_name=_text(cell("Site name") or site),
                postcode=_optional_text(cell("Postcode")),
                practice=practice,
                practice_name=_optional_text(cell("Practice name")),
                start=start,
                end=end,
                bank_holiday=str(cell("Bank holiday") or "").casefold() == "yes",
            )
        )
    if issues:
        raise InputError(issues, str(path))
    return entries


def rota_stamp(path: str | os.PathLike[str]) -> datetime:
    """The DTSTAMP of a rota's calendars: when the rota workbook was written (its Run info).

    A rota written with ``--deterministic`` records no time: then a fixed stamp (2020-01-01,
    sequence 0), so its calendars are reproducible too. A workbook with no such row (made
    by hand): now.
    """
    wb = _load(Path(path))
    try:
        if RUN_INFO_SHEET in wb.sheetnames:
            for row in wb[RUN_INFO_SHEET].iter_rows(values_only=True):
                if row and row[0] == WRITTEN_AT_KEY:
                    found = row[1] if len(row) > 1 else None
                    if isinstance(found, datetime):
                        return found.replace(tzinfo=UTC, microsecond=0)
                    return SEQUENCE_EPOCH
    finally:
        wb.close()
    return datetime.now(UTC)


def _text(value: Any) -> str:
    """A cell as text: Excel turns an id like 101 into the number 101.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _shown(value: Any) -> str:
    return "blank" if value is None else f'"{value}"'


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        # To the nearest minute: a time saved by Excel can come back a hair early (22:59:59.9).
        value = value.replace(tzinfo=None) + timedelta(seconds=30)
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
    return None


# ---- building and writing calendars ----------------------------------------------------------


def _hours_text(entry: CalendarShift) -> str:
    hours = f"{entry.hours:g}"
    wall = (entry.end - entry.start).total_seconds() / 3600
    if entry.hours > wall:
        return f"{hours} (the clocks go back an hour during this shift)"
    if entry.hours < wall:
        return f"{hours} (the clocks go forward an hour during this shift)"
    return hours


def describe(entry: CalendarShift) -> str:
    """The event description: shift line, role, site, practice and hours, one per line."""
    site = entry.site_name + (f", {entry.postcode}" if entry.postcode else "")
    if entry.practice_name and entry.practice:
        practice = f"{entry.practice_name} ({entry.practice})"
    else:
        practice = entry.practice or "salaried (no member practice)"
    lines = [
        f"Shift line: {entry.shift_line_name} ({entry.shift_line})",
        f"Role: {entry.role}" if entry.role else "",
        f"Site: {site}",
        f"Practice: {practice}",
        f"Hours: {_hours_text(entry)}",
        "Bank holiday" if entry.bank_holiday else "",
        f"Shift: {entry.shift_id}",
    ]
    return "\n".join(line for line in lines if line)


def summary_of(entry: CalendarShift) -> str:
    return f"{entry.shift_line_name} ({entry.role})" if entry.role else entry.shift_line_name


def location_of(entry: CalendarShift) -> str:
    return entry.site_name + (f", {entry.postcode}" if entry.postcode else "")


def transitions(first: date, last: date) -> list[datetime]:
    """Instants (UTC) in [first, last) when Europe/London's UTC offset changes."""

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(LONDON).utcoffset()

    found = []
    day = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    while day < end:
        after = day + timedelta(days=1)
        if offset(day) != offset(after):
            lo, hi = day, after  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if offset(mid) == offset(day) else (lo, mid)
            found.append(hi.replace(microsecond=0))
        day = after
    return found


def london_vtimezone(first: date, last: date) -> Timezone:
    """The Europe/London VTIMEZONE for [first, last), one observance per clock change.

    Built from zoneinfo here rather than by icalendar's helper, which (in 7.x) writes the
    onset of summer time in the new offset's wall clock (02:00) instead of the old one's
    (01:00 GMT) as RFC 5545 section 3.6.5 requires.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TZID)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    # The observance in force at the start, then each change (its onset as a wall-clock
    # time in the offset before it, e.g. 01:00 in March and 02:00 in October).
    points = [(start, start.astimezone(LONDON))]
    points += [(t, t.astimezone(LONDON)) for t in transitions(first, last)]
    for i, (instant, now) in enumerate(points):
        before = (instant - timedelta(seconds=1)).astimezone(LONDON) if i else now
        offset_from, offset_to = before.utcoffset(), now.utcoffset()
        assert offset_from is not None and offset_to is not None
        part = TimezoneDaylight() if now.dst() else TimezoneStandard()
        part.add("dtstart", (instant + offset_from).replace(tzinfo=None))
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", now.tzname())
        zone.add_component(part)
    return zone


def build_calendar(entries: Sequence[CalendarShift], stamp: datetime) -> Calendar:
    """One clinician's calendar: the Europe/London zone, then their shifts in start order."""
    from icalendar import Calendar, Event

    if not entries:
        raise ValueError("a calendar needs at least one shift")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"OOH shifts: {entries[0].clinician_name}")
    cal.add("x-wr-timezone", TZID)
    # Changes from a year before the first shift to a year after the last: the zone stays
    # right for every event in the file, whatever the app does with it.
    first = min(e.start for e in entries).date()
    last = max(e.end for e in entries).date()
    cal.add_component(london_vtimezone(date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)))
    for entry in sorted(entries, key=lambda e: (e.start, e.shift_id)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence_for(stamp))
        event.add("dtstart", entry.start_local)
        event.add("dtend", entry.end_local)
        event.add("summary", summary_of(entry))
        event.add("location", location_of(entry))
        event.add("description", describe(entry))
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal


_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def file_names(clinician_ids: Iterable[str]) -> dict[str, str]:
    """Clinician id -> file name: a safe slug of the id; ids that clash when case is ignored
    (or only differ in unsafe characters) get a short hash of the id to keep them apart."""
    ids = sorted(set(clinician_ids))
    slugs = {}
    for cid in ids:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", cid).strip("-_")[:60] or "clinician"
        if slug.casefold() in _RESERVED:
            slug += "_"
        slugs[cid] = slug
    clashes: dict[str, int] = {}
    for slug in slugs.values():
        clashes[slug.casefold()] = clashes.get(slug.casefold(), 0) + 1
    names = {}
    for cid, slug in slugs.items():
        if clashes[slug.casefold()] > 1:
            slug += "-" + hashlib.sha256(cid.encode()).hexdigest()[:8]
        names[cid] = slug + ".ics"
    return names


def check_calendar_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Refuse a folder path that is a file or whose parent folder does not exist."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OohError(f"{out}: is a file; give a folder for the calendars (it is created)")
    parent = out.absolute().parent
    if not out.exists() and not parent.is_dir():
        raise OohError(f"{out}: folder {parent} does not exist")
    return out


def write_calendars(
    entries: Sequence[CalendarShift], out_dir: str | os.PathLike[str], *, stamp: datetime
) -> list[Path]:
    """One .ics per clinician with at least one shift; each file written atomically.

    Returns the files written, in clinician id order.
    """
    out = check_calendar_dir(out_dir)
    out.mkdir(exist_ok=True)
    by_clinician: dict[str, dict[str, CalendarShift]] = {}
    for entry in entries:
        # A row listed twice is one shift: one event (the UID would clash otherwise).
        by_clinician.setdefault(entry.clinician_id, {})[entry.shift_id] = entry
    names = file_names(by_clinician)
    written = []
    for cid in sorted(by_clinician):
        content = build_calendar(list(by_clinician[cid].values()), stamp).to_ical()
        written.append(write_atomically(out / names[cid], _bytes_writer(content)))
    return written


def _bytes_writer(content: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(content)

    return write


@dataclass(frozen=True)
class Exported:
    files: list[Path]  # in clinician id order
    shifts: int  # events written, over all files


def load_shifts(
    rota_path: str | os.PathLike[str], data: RotaData | None = None
) -> list[CalendarShift]:
    """A rota workbook's calendar entries: from the inputs (``data``) and the Assignments
    sheet's ids when given, else from the rota workbook alone."""
    if data is None:
        return read_rota_shifts(rota_path)
    from ooh.rota.output import read_assignments

    return shifts_from_rota(data, read_assignments(Path(rota_path), data))


def export_calendars(
    rota_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    data: RotaData | None = None,
    stamp: datetime | None = None,
) -> Exported:
    """Write the calendars of a rota workbook: the library behind ``ooh rota ics``.

    ``stamp`` (DTSTAMP) defaults to ``rota_stamp``: when the rota was written.
    """
    check_calendar_dir(out_dir)
    entries = load_shifts(rota_path, data)
    if stamp is None:
        stamp = rota_stamp(rota_path)
    files = write_calendars(entries, out_dir, stamp=stamp)
    return Exported(files, len({(e.clinician_id, e.shift_id) for e in entries}))


def stale_files(out_dir: str | os.PathLike[str], written: Iterable[Path]) -> list[Path]:
    """Other .ics files in the folder: calendars of clinicians with no shift in this rota."""
    keep = {p.name for p in written}
    return sorted(p for p in Path(out_dir).glob("*.ics") if p.name not in keep)
