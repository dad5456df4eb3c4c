"""Fixed bookings stay in the rota whatever they cost."""

from __future__ import annotations

from solve_helpers import day, family_alone, line, person, rota, run, worked

from ooh.rota.data import FixedBooking
from ooh.rota.model.constraints import add_fixed_bookings

DAY = line("DAY", "08:00", "16:00")


def test_fixed_booking_kept_against_cost():
    cheap = person("C1", hourly_rate=10)
    dear = person("C2", hourly_rate=500)
    booking = FixedBooking("C2", day(2), "DAY")
    data = rota([cheap, dear], [DAY], fixed=[booking])
    assert family_alone(data, add_fixed_bookings, maximise=False) == ["C2@2027-02-03/DAY"]
    result = run(data)
    assert worked(result, "C2") == ["2027-02-03/DAY"]
    assert len(worked(result, "C1")) == 6
