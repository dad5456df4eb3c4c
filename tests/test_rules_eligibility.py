"""Variables exist only where availability, role, skills and site allow."""

from __future__ import annotations

from solve_helpers import day, line, person, rota, run, worked

from ooh.rota.calendar import build_shifts
from ooh.rota.data import Availability, AvailabilityKind
from ooh.rota.model.variables import create_variables, ineligibility

CAR = line("CAR", "18:00", "23:00", days=[0], role="GP", site="B", skills=["DRIVE"])
OTHER = line("OTHER", "08:00", "12:00", days=[0], role="GP", site="B")


def people():
    return [
        person("WRONGROLE", role="ANP", skills={"DRIVE"}),
        person("NOSKILL"),
        person("WRONGSITE", skills={"DRIVE"}, sites={"A"}),
        person("LEAVE", skills={"DRIVE"}),
        person("ONLYOTHER", skills={"DRIVE"}),
        person("OK", skills={"DRIVE", "PAEDS"}, sites={"A", "B"}, hourly_rate=999),
    ]


AVAILABILITY = {
    ("LEAVE", day(0)): Availability(AvailabilityKind.UNAVAILABLE),
    ("ONLYOTHER", day(0)): Availability(AvailabilityKind.ONLY, frozenset({"OTHER"})),
}


def test_only_eligible_pairs_get_a_variable():
    data = rota(people(), [CAR, OTHER], availability=AVAILABILITY)
    shifts = build_shifts(data)
    m = create_variables(data, shifts)
    on_car = {data.clinicians[c].id for (c, s) in m.x if shifts[s].type.id == "CAR"}
    assert on_car == {"OK"}
    car = next(s for s in shifts if s.type.id == "CAR")
    reasons = {c.id: ineligibility(data, c, car) for c in data.clinicians}
    assert reasons["WRONGROLE"] == "role is ANP, the shift needs GP"
    assert reasons["NOSKILL"] == "lacks required skill(s) DRIVE"
    assert reasons["WRONGSITE"] == "does not work at site B"
    assert reasons["LEAVE"] == "availability on 2027-02-01 does not allow CAR"
    assert reasons["ONLYOTHER"] == "availability on 2027-02-01 does not allow CAR"
    assert reasons["OK"] is None


def test_solver_uses_the_only_eligible_clinician_however_dear():
    data = rota(people(), [CAR], availability=AVAILABILITY)
    result = run(data)
    assert worked(result) == ["2027-02-01/CAR"]
    assert worked(result, "OK") == ["2027-02-01/CAR"]


def test_no_eligible_clinician_is_a_gap_not_a_failure():
    data = rota(people()[:-1], [CAR], availability=AVAILABILITY)
    result = run(data)
    assert result.assignments == []
    assert result.unfilled_required == 1
    assert [(g.shift_id, g.required) for g in result.gaps] == [("2027-02-01/CAR", True)]
