"""The rota input template: a small, fictional federation filled in as a worked example.

The start date is fixed so the template is the same whenever it is written; a user changes
Period start on the Settings sheet (and the Availability dates) for their own period.
"""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path
from typing import Any

from ooh.outputs import check_output_path
from ooh.practice import Practice
from ooh.rota.data import (
    Availability,
    AvailabilityKind,
    Clinician,
    FixedBooking,
    Request,
    RotaData,
    Rules,
    Settings,
    ShiftType,
    Site,
)
from ooh.rota.io import write_input_workbook

TEMPLATE_START = date(2027, 1, 4)  # a Monday with no bank holiday in the fortnight (England)
TEMPLATE_ROLES = ("GP", "ANP", "Paramedic", "Driver", "Call handler")
TEMPLATE_SKILLS = ("Home visits", "Paediatrics", "Prescriber")

TEMPLATE_NOTE = (
    "The rows are a fictional example federation: replace them with your own practices, "
    "sites, clinicians and shift lines, set Period start and Weeks, then fill Availability "
    "(one column per date of the period)."
)

WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))


def template_data() -> RotaData:
    """The example federation: 3 practices, 2 bases, 10 clinicians, 5 shift lines, 2 weeks."""
    d = TEMPLATE_START
    practices = (
        Practice("P001", "Riverside Surgery", 9200, 9650.0, "North"),
        Practice("P002", "Hilltop Medical Centre", 6400, None, "North"),
        Practice("P003", "Meadow Lane Practice", 4100, 4020.5, "South"),
    )
    sites = (
        Site("BASE-N", "Northgate treatment centre", "ZZ1 1AA"),
        Site("BASE-S", "Southbank base", None),
    )

    def gp(cid: str, name: str, practice: str | None, **kw: Any) -> Clinician:
        return Clinician(cid, name, practice, "GP", **kw)

    clinicians = (
        gp("C01", "Dr Alex Example", "P001", skills=frozenset({"Paediatrics"}), hourly_rate=95.0),
        gp("C02", "Dr Sam Sample", "P001", max_hours_per_week=30.0, hourly_rate=95.0),
        gp(
            "C03",
            "Dr Jo Placeholder",
            "P002",
            skills=frozenset({"Home visits"}),
            max_shifts=8,
            hourly_rate=95.0,
        ),
        gp("C04", "Dr Kit Testcase", "P003", min_shifts=2, max_weekends=1, hourly_rate=95.0),
        gp(
            "C05",
            "Dr Lee Locum",
            None,
            max_consecutive_nights=2,
            hourly_rate=130.0,
            is_locum=True,
        ),
        Clinician(
            "C06",
            "Ash Nurseperson",
            "P002",
            "ANP",
            frozenset({"Prescriber"}),
            frozenset({"BASE-S"}),
            hourly_rate=60.0,
        ),
        Clinician(
            "C07", "Bo Nurseperson", "P003", "ANP", frozenset({"Prescriber"}), hourly_rate=60.0
        ),
        Clinician("C08", "Cy Wheeler", "P001", "Driver", hourly_rate=18.5),
        Clinician("C09", "Di Wheeler", None, "Driver", hourly_rate=21.0),
        Clinician(
            "C10", "Em Medicwell", "P002", "Paramedic", frozenset({"Home visits"}), hourly_rate=40.0
        ),
    )
    shift_types = (
        ShiftType(
            "N-EVE-GP",
            "BASE-N",
            "GP",
            time(18, 30),
            time(23, 0),
            WEEKDAYS,
            needed=1,
            wanted=2,
            priority=4,
            name="Northgate evening GP",
        ),
        ShiftType(
            "N-NIGHT-GP",
            "BASE-N",
            "GP",
            time(23, 0),
            time(8, 0),
            EVERY_DAY,
            bank_holidays=True,
            priority=5,
            pay_multiplier=1.3,
            name="Northgate overnight GP",
        ),
        ShiftType(
            "S-DAY-GP",
            "BASE-S",
            "GP",
            time(8, 0),
            time(18, 30),
            WEEKEND,
            bank_holidays=True,
            needed=1,
            wanted=2,
            priority=4,
            pay_multiplier=1.2,
            name="Southbank weekend day GP",
        ),
        ShiftType(
            "S-EVE-ANP",
            "BASE-S",
            "ANP",
            time(18, 30),
            time(0, 0),
            WEEKDAYS,
            skills=frozenset({"Prescriber"}),
            priority=3,
            name="Southbank evening ANP",
        ),
        ShiftType(
            "N-CAR-DRV",
            "BASE-N",
            "Driver",
            time(18, 30),
            time(2, 0),
            EVERY_DAY,
            bank_holidays=True,
            priority=2,
            name="Home-visiting car driver",
        ),
    )
    availability = {
        ("C01", date(2027, 1, 6)): Availability(AvailabilityKind.UNAVAILABLE),
        ("C01", date(2027, 1, 7)): Availability(AvailabilityKind.UNAVAILABLE),
        ("C02", date(2027, 1, 8)): Availability(AvailabilityKind.PREFERS),
        ("C03", date(2027, 1, 5)): Availability(AvailabilityKind.ONLY, frozenset({"N-EVE-GP"})),
        ("C04", date(2027, 1, 9)): Availability(AvailabilityKind.PREFERS_NOT),
        ("C09", date(2027, 1, 4)): Availability(AvailabilityKind.AVAILABLE),
    }
    requests = (
        Request("C02", date(2027, 1, 9), None, want=False, weight=2),
        Request("C06", date(2027, 1, 7), "S-EVE-ANP", want=True),
    )
    fixed = (FixedBooking("C03", d, "N-EVE-GP"),)
    return RotaData(
        settings=Settings(period_start=d, weeks=2),
        practices=practices,
        sites=sites,
        clinicians=clinicians,
        shift_types=shift_types,
        availability=availability,
        requests=requests,
        fixed=fixed,
        rules=Rules(),
    )


def write_template(output: str | os.PathLike[str]) -> Path:
    """Write the example rota input workbook to ``output``; returns its path."""
    out = check_output_path(output, [])
    write_input_workbook(
        template_data(), out, roles=TEMPLATE_ROLES, skills=TEMPLATE_SKILLS, note=TEMPLATE_NOTE
    )
    return out
