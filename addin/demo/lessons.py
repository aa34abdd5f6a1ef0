"""The sample trackers' lessons learned (TRACKER_SPEC v1.1 Lessons sheet), as data.

Every sample project carries a few lessons from its own programme's library, dated
before its Status Date. They are written wherever the tracker's writer writes the Lessons
kind: the template writes it once the template is at version 1.1 (its sheets follow the
kind registry), and the drifted layout writes a ``Lessons Learned`` sheet already, so
``pmo lessons search "supplier delay"`` finds a lesson in the demo.
"""

from __future__ import annotations

import datetime as dt

from addin.core.kinds import Lesson

#: Per programme: (days before the Status Date, category, type, lesson, recommendation, tags).
_LIBRARY: dict[str, tuple[tuple[int, str, str, str, str, str], ...]] = {
    "Digital Workplace": (
        (
            120,
            "Supplier",
            "To improve",
            "The device supplier delay of four weeks was known to procurement a month before "
            "the project heard of it.",
            "Put the supplier's delivery dates on the RAID log and review them weekly with "
            "procurement.",
            "supplier, delay, procurement, hardware",
        ),
        (
            75,
            "Stakeholder",
            "Went well",
            "A champions network in every department cut training tickets by half.",
            "Recruit champions before the first wave, not during it.",
            "adoption, training, champions",
        ),
        (
            30,
            "Technical",
            "To improve",
            "The security baseline was tested after the build, so the image failed late.",
            "Run the security tests on the first build of every image.",
            "security, testing, image",
        ),
    ),
    "Customer Platform": (
        (
            140,
            "Scope",
            "To improve",
            "Change requests were approved outside the change board and doubled the test scope.",
            "Route every change through the change board, however small.",
            "scope, change control",
        ),
        (
            60,
            "Quality",
            "Went well",
            "Automated regression tests let us release every two weeks without a freeze.",
            "Budget for test automation from the first sprint.",
            "testing, automation, release",
        ),
        (
            20,
            "Supplier",
            "To improve",
            "The payment provider's sandbox was down for nine days: a supplier delay we had "
            "no contract remedy for.",
            "Write sandbox availability into supplier contracts.",
            "supplier, delay, contract, payments",
        ),
    ),
    "Finance Transformation": (
        (
            150,
            "Supplier",
            "To improve",
            "The integrator's consultants rolled off early; the supplier delay cost six weeks "
            "of configuration.",
            "Name key supplier staff in the contract, with notice periods.",
            "supplier, delay, resourcing, integrator",
        ),
        (
            90,
            "Governance",
            "Went well",
            "A weekly decision log with the finance director kept design sign-off on time.",
            "Keep a decision log from the start and review it at every steering group.",
            "decisions, governance, sign-off",
        ),
        (
            25,
            "Cost",
            "To improve",
            "Licence costs were forecast on list price; the renewal came in 12 % higher.",
            "Get the licence quote in writing before the business case is approved.",
            "licences, cost, forecast",
        ),
    ),
    "Estates": (
        (
            160,
            "Schedule",
            "To improve",
            "Planning permission took three months longer than the plan allowed.",
            "Plan statutory approvals from the council's published timescales, plus a margin.",
            "planning, permits, schedule",
        ),
        (
            70,
            "Resourcing",
            "Went well",
            "Sharing one site manager across two buildings kept contractors coordinated.",
            "Give every site one named manager with authority over all contractors.",
            "site, contractors, coordination",
        ),
        (
            35,
            "Supplier",
            "To improve",
            "Fire door deliveries slipped twice; the supplier delay was only visible on site.",
            "Ask for weekly delivery confirmations from long-lead suppliers.",
            "supplier, delay, delivery, long-lead",
        ),
    ),
}


def sample_lessons(
    programme: str, project_id: str, manager: str | None, dated: dt.date, upto: dt.date
) -> list[Lesson]:
    """A sample project's lessons: two of its programme's three, dated back from ``dated``.

    Only lessons dated on or before ``upto`` (the week's Status Date) are returned, so an
    earlier week of the same project holds fewer of them.
    """
    number = project_id.split("-")[-1]
    skip = int(number[-1]) % 3 if number[-1:].isdigit() else 0
    out: list[Lesson] = []
    for n, (days, category, kind, lesson, recommendation, tags) in enumerate(
        _LIBRARY.get(programme, ()), start=1
    ):
        date = dated - dt.timedelta(days=days)
        if n - 1 == skip or date > upto:
            continue
        out.append(
            Lesson(
                lesson_id=f"LL-{number}-{n:02d}",
                date=date,
                category=category,
                type=kind,
                lesson=lesson,
                recommendation=recommendation,
                owner=manager,
                tags=tags,
            )
        )
    return out
