"""The sample portfolio's people: the PMO's capacity list and each project's resource plan.

Designed so the resource step, run at :data:`~addin.demo.cases.SAMPLES_AS_OF` with the
sample capacity list, shows one thing of each kind and nothing else:

* **Priya Natarajan** is over-allocated (Red) from December 2026 to February 2027: the
  M365 Migration and the Intranet Replatform both count on her;
* **Chen Wei** is over-allocated (Amber) from January to March 2027 by the three
  Customer Platform projects;
* **Marcus Hill** leaves on 31 January 2027, but the Laptop Refresh plans him to March;
* the P2P Automation plan names **"N. Shah"**, whom the capacity list knows as Nikhil Shah;
* the LED Lighting Retrofit has no Resources sheet: its demand comes from its tasks' Effort;
* the P2P Automation tracker (the drifted one) keeps its plan as a wide sheet, one
  column per month.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from addin.core.capacity import CapacityEntry, Holiday
from addin.core.kinds import Allocation
from addin.core.periods import PeriodKind, shift
from addin.demo.cases import SAMPLES_CREATED
from addin.outputs.capacity import write_capacity_list

#: Months every plan covers (first day), around the samples' as-of date.
FIRST_MONTH = dt.date(2026, 10, 1)
MONTHS = 8

#: The capacity list: (name, role, team, FTE, non-project share, end date).
PEOPLE: tuple[tuple[str, str, str, float, float, dt.date | None], ...] = (
    ("Priya Natarajan", "Project Manager", "Digital Workplace", 1.0, 0.1, None),
    ("Tom Okafor", "Infrastructure Engineer", "Digital Workplace", 1.0, 0.2, None),
    ("Sarah Lindqvist", "Business Analyst", "Digital Workplace", 0.8, 0.1, None),
    ("Ben Carter", "Infrastructure Engineer", "Digital Workplace", 1.0, 0.2, None),
    ("Joanna Kowalski", "Change Manager", "Digital Workplace", 1.0, 0.1, None),
    ("Marcus Hill", "Service Desk Lead", "Digital Workplace", 1.0, 0.3, dt.date(2027, 1, 31)),
    ("Leah Sutton", "Trainer", "Digital Workplace", 0.6, 0.0, None),
    ("Imran Qureshi", "Developer", "Digital Workplace", 1.0, 0.1, None),
    ("Aisha Rahman", "Project Manager", "Customer Platform", 1.0, 0.1, None),
    ("Mark Delaney", "Architect", "Customer Platform", 1.0, 0.2, None),
    ("Chen Wei", "Developer", "Customer Platform", 1.0, 0.0, None),
    ("Olivia Brooks", "Tester", "Customer Platform", 1.0, 0.1, None),
    ("Daniel Mensah", "Developer", "Customer Platform", 1.0, 0.1, None),
    ("Sofia Romano", "Business Analyst", "Customer Platform", 0.8, 0.1, None),
    ("Hannah Fraser", "UX Designer", "Customer Platform", 1.0, 0.1, None),
    ("Ravi Kapoor", "Developer", "Customer Platform", 1.0, 0.1, None),
    ("David Osei", "Project Manager", "Finance Systems", 1.0, 0.1, None),
    ("Rachel Byrne", "Finance Analyst", "Finance Systems", 1.0, 0.3, None),
    ("Nikhil Shah", "Developer", "Finance Systems", 1.0, 0.1, None),
    ("Emma Lawson", "Business Analyst", "Finance Systems", 1.0, 0.2, None),
    ("George Baptiste", "Tester", "Finance Systems", 1.0, 0.1, None),
    ("Mei Lin Tan", "Finance Analyst", "Finance Systems", 0.8, 0.2, None),
    ("Patrick Doyle", "Architect", "Finance Systems", 1.0, 0.2, None),
    ("Zara Hussain", "Change Manager", "Finance Systems", 1.0, 0.1, None),
    ("Laura McKenzie", "Project Manager", "Estates", 1.0, 0.1, None),
    ("Owen Price", "Building Surveyor", "Estates", 1.0, 0.2, None),
    ("Grace Adeyemi", "Facilities Manager", "Estates", 1.0, 0.3, None),
    ("Stuart Bell", "Electrical Engineer", "Estates", 1.0, 0.1, None),
    ("Natalie Evans", "Health and Safety Advisor", "Estates", 0.8, 0.2, None),
    ("Kwame Asante", "Building Surveyor", "Estates", 1.0, 0.1, None),
    ("Fiona Walsh", "Procurement Officer", "Estates", 1.0, 0.3, None),
    ("Jack Turner", "Electrical Engineer", "Estates", 1.0, 0.1, None),
)

#: Public holidays (England and Wales) from the plans' first month to the end of 2027.
HOLIDAYS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2026, 12, 25), "Christmas Day"),
    (dt.date(2026, 12, 28), "Boxing Day (substitute day)"),
    (dt.date(2027, 1, 1), "New Year's Day"),
    (dt.date(2027, 3, 26), "Good Friday"),
    (dt.date(2027, 3, 29), "Easter Monday"),
    (dt.date(2027, 5, 3), "Early May bank holiday"),
    (dt.date(2027, 5, 31), "Spring bank holiday"),
    (dt.date(2027, 8, 30), "Summer bank holiday"),
    (dt.date(2027, 12, 27), "Christmas Day (substitute day)"),
    (dt.date(2027, 12, 28), "Boxing Day (substitute day)"),
)

#: Each project's plan: (person as the tracker writes it, days per month, months from
#: FIRST_MONTH it covers [first, last]).
PLANS: dict[str, tuple[tuple[str, float, int, int], ...]] = {
    "DWP-0101": (
        ("Priya Natarajan", 9, 0, 1),
        ("Priya Natarajan", 14, 2, 4),
        ("Priya Natarajan", 6, 5, 7),
        ("Tom Okafor", 8, 0, 7),
        ("Sarah Lindqvist", 6, 0, 5),
        ("Leah Sutton", 5, 3, 7),
    ),
    "DWP-0102": (
        ("Ben Carter", 10, 0, 5),
        ("Marcus Hill", 6, 0, 5),
        ("Joanna Kowalski", 4, 1, 6),
    ),
    "DWP-0103": (
        ("Priya Natarajan", 4, 0, 1),
        ("Priya Natarajan", 10, 2, 4),
        ("Imran Qureshi", 12, 0, 7),
        ("Joanna Kowalski", 5, 2, 7),
        ("Sarah Lindqvist", 4, 1, 6),
    ),
    "CUS-0201": (
        ("Aisha Rahman", 8, 0, 7),
        ("Chen Wei", 10, 0, 7),
        ("Hannah Fraser", 8, 0, 5),
        ("Olivia Brooks", 6, 2, 7),
    ),
    "CUS-0202": (
        ("Mark Delaney", 7, 0, 7),
        ("Chen Wei", 6, 3, 5),
        ("Sofia Romano", 8, 0, 6),
        ("Daniel Mensah", 9, 0, 7),
    ),
    "CUS-0203": (
        ("Ravi Kapoor", 12, 0, 7),
        ("Chen Wei", 8, 3, 5),
        ("Olivia Brooks", 6, 0, 3),
        ("Daniel Mensah", 5, 3, 7),
    ),
    "FIN-0301": (
        ("David Osei", 8, 0, 7),
        ("Patrick Doyle", 6, 0, 4),
        ("Emma Lawson", 7, 0, 7),
        ("George Baptiste", 6, 2, 7),
    ),
    "FIN-0302": (
        ("N. Shah", 9, 0, 6),
        ("Rachel Byrne", 5, 0, 7),
        ("Zara Hussain", 6, 1, 6),
    ),
    "FIN-0303": (
        ("Mei Lin Tan", 6, 0, 7),
        ("Nikhil Shah", 4, 2, 6),
        ("Emma Lawson", 5, 1, 5),
        ("David Osei", 4, 0, 7),
    ),
    "EST0401": (
        ("Laura McKenzie", 8, 0, 7),
        ("Owen Price", 9, 0, 7),
        ("Grace Adeyemi", 5, 0, 6),
        ("Fiona Walsh", 6, 1, 5),
    ),
    "EST-0403": (
        ("Natalie Evans", 8, 0, 7),
        ("Kwame Asante", 10, 0, 7),
        ("Laura McKenzie", 4, 2, 7),
    ),
}

#: Share of a task's working days its Effort asks (the LED retrofit's demand).
EFFORT_SHARE = 0.15


def capacity_entries() -> list[CapacityEntry]:
    """The sample capacity list's people."""
    return [
        CapacityEntry(person=n, role=r, team=t, fte=f, non_project=np, end=end)
        for n, r, t, f, np, end in PEOPLE
    ]


def holidays() -> list[Holiday]:
    """The sample capacity list's holidays."""
    return [Holiday(date=d, name=name) for d, name in HOLIDAYS]


def allocations(project_id: str) -> list[Allocation]:
    """A project's Resources rows (empty for a project without a plan)."""
    roles = {n: (r, t) for n, r, t, *_ in PEOPLE}
    out: list[Allocation] = []
    for person, days, first, last in PLANS.get(project_id, ()):
        role, team = roles.get(person, (None, None))
        for n in range(first, last + 1):
            out.append(
                Allocation(
                    person=person,
                    role=role,
                    team=team,
                    period=shift(FIRST_MONTH, PeriodKind.MONTH, n),
                    planned=float(days),
                )
            )
    order = {p: i for i, (p, *_) in enumerate(PLANS.get(project_id, ()))}
    out.sort(key=lambda a: (order.get(a.person or "", 0), a.period or FIRST_MONTH))
    return out


def with_effort(first: dt.date | None, last: dt.date | None) -> float | None:
    """A task's Effort in days: :data:`EFFORT_SHARE` of its weekdays, to a tenth of a day."""
    if first is None or last is None or last < first:
        return None
    days = sum(1 for n in range((last - first).days + 1) if (first + dt.timedelta(n)).weekday() < 5)
    return round(max(days, 1) * EFFORT_SHARE, 1)


#: File name of the sample capacity list.
CAPACITY_NAME = "capacity.xlsx"


def write_sample_capacity(path: Path) -> Path:
    """Write the sample capacity list (the demo's ``capacity.xlsx``)."""
    return write_capacity_list(
        path, people=capacity_entries(), holidays=holidays(), created=SAMPLES_CREATED
    )
