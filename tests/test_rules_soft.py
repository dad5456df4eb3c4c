"""Soft goals, one at a time: each test shows the goal changing the rota against cost."""

from __future__ import annotations

from dataclasses import replace

from solve_helpers import RELAXED, day, line, person, rota, run, worked

from ooh.rota.data import Availability, AvailabilityKind, Practice, Request, Rules, Weights

WED = line("DAY", "08:00", "16:00", days=[2])  # one 8 h shift, Wednesday 3 Feb 2027
NO_FAIRNESS = Weights(
    practice_fair_share=0,
    clinician_hours=0,
    clinician_nights=0,
    clinician_weekends=0,
    clinician_bank_holidays=0,
)


def rules(weights: Weights) -> Rules:
    return replace(RELAXED, weights=weights)


def test_target_place_filled_only_when_worth_its_points():
    # second (target) place of a priority-1 shift: worth 400 points, plus 16 points of hours
    # fairness (8 h x 2 points between the two GPs); a GP costs 8 h x rate
    two_places = line("DAY", "08:00", "16:00", days=[0], needed=1, wanted=2, priority=1)
    hours_2 = rules(Weights(clinician_hours=2))  # the weights this hand calculation uses
    cheap = rota(
        [person("C1", hourly_rate=10), person("C2", hourly_rate=10)], [two_places], rules=hours_2
    )
    result = run(cheap)
    assert len(result.assignments) == 2  # 80 points < 416
    assert result.objective == 160.0  # 2 x 80, nothing missed
    dear = rota(
        [person("C1", hourly_rate=100), person("C2", hourly_rate=100)], [two_places], rules=hours_2
    )
    result = run(dear)
    assert len(result.assignments) == 1  # 800 points > 416
    assert [(g.place, g.required) for g in result.gaps] == [(2, False)]
    # 800 pay + 400 target place + hours fairness: 8 h worked, fair share 4 h each, so
    # each clinician is 4 h off (8 h x 2 points)
    assert result.objective == 800 + 400 + 16


def test_practice_fair_share_by_list_size():
    # practices of 30,000 and 10,000 patients, one GP each, one 8 h shift a day for a week:
    # 56 h split 3:1 would be 42 h and 14 h. P1's GP working 5 shifts (40 h) is 2 h off
    # for each practice (4 h x 10 points = 40); 6 shifts would be 6 h off each (120 points)
    practices = [Practice("P1", "One", 30_000), Practice("P2", "Two", 10_000)]
    daily = line("DAY", "08:00", "16:00")
    data = rota(
        [person("C1", practice="P1"), person("C2", practice="P2")],
        [daily],
        practices=practices,
        rules=rules(replace(NO_FAIRNESS, practice_fair_share=10)),
    )
    result = run(data)
    assert len(worked(result, "C1")) == 5
    assert len(worked(result, "C2")) == 2
    assert result.objective == 7 * 80 + 40


def test_nights_shared_fairly_between_clinicians():
    # 7 nights of 9 h; C1 is GBP 1/h cheaper (9 points a night). Without fairness C1 takes
    # every night; with the default weights the nights are split 4:3.
    night = line("NIGHT", "23:00", "08:00")
    people = [person("C1", hourly_rate=10), person("C2", hourly_rate=11)]
    unfair = run(rota(people, [night], rules=rules(NO_FAIRNESS)))
    assert len(worked(unfair, "C1")) == 7
    fair = run(rota(people, [night]))
    assert len(worked(fair, "C1")) == 4
    assert len(worked(fair, "C2")) == 3


def test_weekends_shared_relative_to_what_was_offered():
    # two weekends; C2 offers only the second one. Weekend shifts are shared by dates
    # offered (C1: 4 dates, C2: 2), so C2 works some weekend shift although dearer.
    weekend = line("WKND", "08:00", "16:00", days=[5, 6])
    off = {("C2", day(d)): Availability(AvailabilityKind.UNAVAILABLE) for d in (5, 6)}
    people = [person("C1", hourly_rate=10), person("C2", hourly_rate=11)]
    unfair = run(rota(people, [weekend], weeks=2, availability=off, rules=rules(NO_FAIRNESS)))
    assert worked(unfair, "C2") == []
    only_weekends = replace(NO_FAIRNESS, clinician_weekends=30)
    fair = run(rota(people, [weekend], weeks=2, availability=off, rules=rules(only_weekends)))
    # fair shares: C1 4/6 x 4 = 2.67, C2 1.33; C2 working 1 leaves 0.67 twice (40 points)
    # against 2 x 1.33 x 30 = 80 points for 0 shifts; 8 points more pay
    assert len(worked(fair, "C2")) == 1


def test_request_to_work_honoured_over_cost():
    people = [person("C1", hourly_rate=10), person("C2", hourly_rate=12)]  # 16 points apart
    assert worked(run(rota(people, [WED])), "C1") == ["2027-02-03/DAY"]
    wish = Request("C2", day(2), "DAY", want=True, weight=1)  # 50 points
    assert worked(run(rota(people, [WED], requests=[wish])), "C2") == ["2027-02-03/DAY"]
    any_shift = Request("C2", day(2), None, want=True, weight=1)
    assert worked(run(rota(people, [WED], requests=[any_shift])), "C2") == ["2027-02-03/DAY"]


def test_request_to_avoid_honoured_over_cost():
    people = [person("C1", hourly_rate=10), person("C2", hourly_rate=12)]
    avoid = Request("C1", day(2), None, want=False, weight=1)
    result = run(rota(people, [WED], requests=[avoid]))
    assert worked(result, "C2") == ["2027-02-03/DAY"]
    # a weight-0 request is not a reason to pay more
    ignored = Request("C1", day(2), None, want=False, weight=0)
    assert worked(run(rota(people, [WED], requests=[ignored])), "C1") == ["2027-02-03/DAY"]


def test_preferences_honoured_when_cheap_enough():
    people = [person("C1", hourly_rate=10), person("C2", hourly_rate=11)]  # 8 points apart
    prefers = {("C2", day(2)): Availability(AvailabilityKind.PREFERS)}  # 10 points
    assert worked(run(rota(people, [WED], availability=prefers)), "C2") == ["2027-02-03/DAY"]
    rather_not = {("C1", day(2)): Availability(AvailabilityKind.PREFERS_NOT)}
    assert worked(run(rota(people, [WED], availability=rather_not)), "C2") == ["2027-02-03/DAY"]
    dearer = [person("C1", hourly_rate=10), person("C2", hourly_rate=12)]  # 16 > 10 points
    assert worked(run(rota(dearer, [WED], availability=prefers)), "C1") == ["2027-02-03/DAY"]


def test_members_before_locums():
    # locum GBP 90/h + 20 points per locum hour = 110 > member GBP 100/h
    member = person("M1", hourly_rate=100)
    locum = person("L1", hourly_rate=90, is_locum=True, practice=None)
    locum_20 = rules(Weights(locum=20))  # the weights this hand calculation uses
    result = run(rota([member, locum], [WED], rules=locum_20))
    assert worked(result, "M1") == ["2027-02-03/DAY"]
    assert result.objective == 800.0
    # with the member on leave the locum fills the required place
    leave = {("M1", day(2)): Availability(AvailabilityKind.UNAVAILABLE)}
    result = run(rota([member, locum], [WED], availability=leave, rules=locum_20))
    assert worked(result, "L1") == ["2027-02-03/DAY"]
    assert result.objective == 8 * 90 + 8 * 20


def test_pay_multiplier_and_cost_in_points():
    # 8 h x GBP 10 x 1.5 = GBP 120 = 120 points
    bank_rate = line("DAY", "08:00", "16:00", days=[2], pay=1.5)
    result = run(rota([person("C1", hourly_rate=10)], [bank_rate]))
    assert result.objective == 120.0
