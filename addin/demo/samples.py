"""Seeded, realistic sample portfolios for demos, tests and benchmarks.

* :func:`sample_trackers` returns a dozen believable trackers across four
  programmes. Each is designed against the default RAG_RULES so that, computed at
  :data:`SAMPLES_AS_OF`, it lands where its case says (:data:`SAMPLE_CASES`:
  healthy, late, over budget, risky, stale, optimistic, amber, data errors).
* :func:`standard_tracker` makes one "standard size" tracker fast (benchmarks).
* :func:`write_drifted` writes a tracker the way real ones drift from the
  template (title rows, synonyms, text dates, ``"50%"``, ``"£12,500.00"``, RAG
  letters, other sheet names and order), so the reader can be tested on it.

Everything is deterministic for a given seed: no clock, no global random state.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from addin.core.settings import Settings, SeverityScores
from addin.model import (
    BudgetLine,
    Kind,
    Milestone,
    Project,
    Rag,
    RaidItem,
    Record,
    Task,
    Tracker,
)
from addin.outputs.atomic import atomic_path
from addin.outputs.template import WORKBOOK_OPTIONS, write_tracker, write_value
from addin.rag import derived_severity
from addin.schema import FieldSpec, SheetSpec, normalise, sheet

#: The consolidation date the samples are designed for.
SAMPLES_AS_OF = dt.date(2026, 11, 20)
#: Creation time written into the sample workbooks' properties (reproducible files).
SAMPLES_CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)
#: Default seed of :func:`sample_trackers`.
DEFAULT_SEED = 2026

#: Every case label a sample can carry.
CASES: tuple[str, ...] = (
    "healthy",
    "late",
    "over_budget",
    "risky",
    "stale",
    "optimistic",
    "amber",
    "data_errors",
)


@dataclass(frozen=True)
class SampleCase:
    """What a sample tracker is designed to show.

    Attributes:
        stem: File name without ``.xlsx``.
        project_id: Its Project ID as written (may be malformed on purpose).
        programme: Its programme.
        case: One of :data:`CASES`.
        shows: What the data shows, in words (for the samples README).
        schedule: Expected Schedule RAG at :data:`SAMPLES_AS_OF` (None: not asserted).
        cost: Expected Cost RAG (None: not asserted).
        risk: Expected Risk RAG (None: not asserted).
        overall: Expected Overall RAG including the stale rule (None: not asserted).
        stale: Expected stale flag.
        optimism: Expected optimism flag.
        errors: Rule ids of the deliberate data errors (empty: the file is clean).
        layout: ``standard`` (written by the template) or ``drifted``.
    """

    stem: str
    project_id: str
    programme: str
    case: str
    shows: str
    schedule: Rag | None
    cost: Rag | None
    risk: Rag | None
    overall: Rag | None
    stale: bool = False
    optimism: bool = False
    errors: tuple[str, ...] = ()
    layout: str = "standard"


# --- vocabulary -----------------------------------------------------------------------------

_PROGRAMMES: dict[str, dict[str, Any]] = {
    "Digital Workplace": {
        "sponsor": "Helen Marsh",
        "team": (
            "Priya Natarajan",
            "Tom Okafor",
            "Sarah Lindqvist",
            "Ben Carter",
            "Joanna Kowalski",
            "Marcus Hill",
            "Leah Sutton",
            "Imran Qureshi",
        ),
        "raid": (
            (
                "Risk",
                "Key users unavailable for testing during year-end",
                "Book UAT slots now; agree cover with line managers",
            ),
            (
                "Risk",
                "Licence true-up cost higher than forecast",
                "Reconcile licence counts monthly with procurement",
            ),
            (
                "Risk",
                "Legacy file shares hold unclassified personal data",
                "Run data discovery scan before migration waves",
            ),
            (
                "Risk",
                "Service desk cannot absorb post-migration call volume",
                "Add floor-walkers for two weeks after each wave",
            ),
            (
                "Risk",
                "Network bandwidth at regional sites insufficient",
                "Throttle migration batches; schedule overnight syncs",
            ),
            (
                "Risk",
                "Security team sign-off delayed by competing priorities",
                "Escalate review slots through the CISO",
            ),
            (
                "Issue",
                "Conditional access policy blocks shared devices",
                "Exception group created; permanent policy in design",
            ),
            (
                "Issue",
                "Two site surveys still outstanding",
                "Regional leads to complete surveys this fortnight",
            ),
            (
                "Assumption",
                "Hardware vendor holds stock for the full rollout",
                "Confirm quarterly allocation with account manager",
            ),
            (
                "Dependency",
                "Identity platform upgrade completes before wave 2",
                "Track through the Identity project's milestone plan",
            ),
            (
                "Dependency",
                "Telephony contract novation agreed by legal",
                "Legal to confirm novation date",
            ),
        ),
    },
    "Customer Platform": {
        "sponsor": "James Whitfield",
        "team": (
            "Aisha Rahman",
            "Mark Delaney",
            "Chen Wei",
            "Olivia Brooks",
            "Daniel Mensah",
            "Sofia Romano",
            "Hannah Fraser",
            "Ravi Kapoor",
        ),
        "raid": (
            (
                "Risk",
                "Payment provider API changes before go-live",
                "Pin API version; join provider's change advisory",
            ),
            (
                "Risk",
                "Customer data quality too poor for automated matching",
                "Profile data early; budget manual cleansing",
            ),
            (
                "Risk",
                "App store review delays the release",
                "Submit a release candidate two weeks early",
            ),
            (
                "Risk",
                "Peak trading freeze overlaps the cutover window",
                "Agree an exception with the change board",
            ),
            (
                "Risk",
                "Accessibility audit finds blocking defects",
                "Run automated checks in every sprint",
            ),
            (
                "Risk",
                "Integration partner loses key developers",
                "Name backups in the statement of work",
            ),
            (
                "Issue",
                "Performance test environment undersized",
                "Temporary scale-up approved for four weeks",
            ),
            (
                "Issue",
                "Marketing consent flags missing for 8% of records",
                "Re-permission campaign planned with marketing",
            ),
            (
                "Assumption",
                "Existing single sign-on supports the new portal",
                "Confirm with identity team in design",
            ),
            (
                "Dependency",
                "New API gateway live before integration testing",
                "Weekly check-in with platform team",
            ),
            (
                "Dependency",
                "Legal approval of revised terms and conditions",
                "Draft submitted to legal",
            ),
        ),
    },
    "Finance Transformation": {
        "sponsor": "Fiona Grant",
        "team": (
            "David Osei",
            "Rachel Byrne",
            "Nikhil Shah",
            "Emma Lawson",
            "George Baptiste",
            "Mei Lin Tan",
            "Patrick Doyle",
            "Zara Hussain",
        ),
        "raid": (
            (
                "Risk",
                "Chart of accounts redesign not agreed by business units",
                "Design authority to arbitrate by deadline",
            ),
            (
                "Risk",
                "Month-end close disrupted during parallel run",
                "Run parallel close outside quarter-end",
            ),
            (
                "Risk",
                "Integrator's offshore team unfamiliar with UK VAT rules",
                "Add UK tax SME to design reviews",
            ),
            (
                "Risk",
                "Auditors challenge the data migration approach",
                "Share reconciliation plan with auditors early",
            ),
            (
                "Risk",
                "Supplier master data has duplicates",
                "Deduplicate before load; freeze new suppliers",
            ),
            (
                "Risk",
                "Finance team capacity squeezed by budget round",
                "Backfill two analysts for six months",
            ),
            (
                "Issue",
                "Bank interface file format rejected in test",
                "Bank specialist engaged; revised mapping in build",
            ),
            (
                "Issue",
                "Approval workflow ignores delegation limits",
                "Defect raised with vendor; manual check meanwhile",
            ),
            (
                "Assumption",
                "Vendor's next release keeps current posting API",
                "Vendor roadmap reviewed quarterly",
            ),
            (
                "Dependency",
                "HR system feeds cost-centre hierarchy",
                "Interface spec agreed with HRIS team",
            ),
            ("Dependency", "Treasury policy sign-off", "Treasurer to approve at next committee"),
        ),
    },
    "Estates": {
        "sponsor": "Graham Hughes",
        "team": (
            "Laura McKenzie",
            "Owen Price",
            "Grace Adeyemi",
            "Stuart Bell",
            "Natalie Evans",
            "Kwame Asante",
            "Fiona Walsh",
            "Jack Turner",
        ),
        "raid": (
            (
                "Risk",
                "Asbestos found during strip-out",
                "Refurbishment survey before works; contingency held",
            ),
            ("Risk", "Contractor insolvency", "Performance bond and weekly financial checks"),
            (
                "Risk",
                "Planning consent conditions delay works",
                "Pre-application meeting with the council",
            ),
            (
                "Risk",
                "Lead time on switchgear exceeds 20 weeks",
                "Order long-lead items at design freeze",
            ),
            (
                "Risk",
                "Staff resist the move to shared desks",
                "Desk-booking pilot and floor champions",
            ),
            (
                "Risk",
                "Landlord consent for alterations withheld",
                "Early engagement through managing agent",
            ),
            (
                "Issue",
                "Lift replacement slipped by the manufacturer",
                "Temporary hoist hired; revised date requested",
            ),
            (
                "Issue",
                "Fire door survey found non-compliant doors",
                "Replacement programme added to phase 2",
            ),
            (
                "Assumption",
                "Building remains occupied during works",
                "Phasing plan keeps two floors open",
            ),
            (
                "Dependency",
                "IT network cut-over at the new site",
                "Aligned with the Digital Workplace plan",
            ),
            ("Dependency", "Facilities contract re-tender", "Procurement to confirm award date"),
        ),
    },
}

_PM_TASKS: tuple[tuple[str, float, float, str | None], ...] = (
    # name, start and finish as fractions of the project span, milestone reached at finish
    ("Project initiation document", 0.0, 0.06, None),
    ("Business case approval", 0.03, 0.09, "Business case approved"),
    ("Stakeholder and communications plan", 0.05, 0.12, None),
    ("Steering group reporting", 0.06, 1.0, None),
    ("Benefits realisation plan", 0.6, 0.8, None),
    ("Lessons learned and project closure", 0.93, 1.0, "Project closed"),
)

_NOTES = (
    "Waiting on supplier quote",
    "- depends on network upgrade",
    "+2 weeks agreed at steering group",
    "@Finance to confirm cost code",
    "=> see change request CR-014",
    "Linked to risk R-003",
    "Scope confirmed with business lead",
    "Resource shared with BAU team",
)

_GENERIC_DELIVERABLES = (
    "Data migration",
    "Reporting suite",
    "User training",
    "Integration layer",
    "Security controls",
    "Service transition",
    "Supplier onboarding",
    "Pilot site",
    "Process redesign",
    "Knowledge base",
    "Test automation",
    "Disaster recovery",
)
_GENERIC_STEPS = ("requirements", "design", "build", "test", "deploy")
_GENERIC_NAMES = (
    ("Regional", "National", "Group", "Digital", "Shared", "Customer", "Cloud", "Legacy"),
    (
        "Billing",
        "Payroll",
        "Contact Centre",
        "Data Platform",
        "Network",
        "Records",
        "Analytics",
        "Ordering",
    ),
    ("Upgrade", "Migration", "Replacement", "Consolidation", "Rollout", "Modernisation"),
)


# --- blueprints -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Blueprint:
    """Everything that makes one sample tracker what it is."""

    stem: str
    project_id: str
    name: str
    programme: str
    manager: str
    case: str
    shows: str
    phase: str
    start: dt.date
    months: int
    status_date: dt.date
    bac: float
    workstreams: tuple[tuple[str, tuple[str, ...]], ...]
    steps: tuple[str, ...]
    reported: Rag
    comment: str | None
    milestone_word: str = "complete"
    perf: float = 1.02
    cost_factor: float = 1.0
    overrun: float = 0.0
    finish_slip: int = 0
    overdue_milestone: bool = False
    risk: str = "calm"
    hold: int = 0
    cancel: int = 0
    currency: str | None = "GBP"
    expect: tuple[Rag | None, Rag | None, Rag | None, Rag | None] = (
        Rag.GREEN,
        Rag.GREEN,
        Rag.GREEN,
        Rag.GREEN,
    )
    stale: bool = False
    optimism: bool = False
    errors: tuple[str, ...] = ()
    layout: str = "standard"


_IT_STEPS = ("requirements", "design", "build", "test", "go-live")
_ESTATES_STEPS = ("survey", "design", "procurement", "works", "handover")
_FINANCE_STEPS = ("requirements", "design", "configuration", "testing", "cutover")
_G, _A, _R = Rag.GREEN, Rag.AMBER, Rag.RED

_BLUEPRINTS: tuple[_Blueprint, ...] = (
    _Blueprint(
        stem="DWP-0101_M365_Migration",
        project_id="DWP-0101",
        name="Microsoft 365 Migration",
        programme="Digital Workplace",
        manager="Priya Natarajan",
        case="healthy",
        shows="On plan: SPI about 1, spend on budget, only Low/Medium risks open.",
        phase="Execution",
        start=dt.date(2026, 2, 2),
        months=14,
        status_date=dt.date(2026, 11, 18),
        bac=1_240_000,
        workstreams=(
            (
                "Exchange Online",
                ("Hybrid configuration", "Pilot mailboxes", "Wave 1 mailboxes", "Wave 2 mailboxes"),
            ),
            (
                "Teams and SharePoint",
                ("Teams governance", "SharePoint site migration", "OneDrive redirection"),
            ),
            ("Adoption", ("Champions network", "Training catalogue")),
        ),
        steps=("design", "build", "test", "go-live"),
        milestone_word="live",
        reported=_G,
        comment=None,
        overrun=0.01,
    ),
    _Blueprint(
        stem="DWP-0102_Laptop_Refresh",
        project_id="DWP-0102",
        name="Laptop Refresh 2026",
        programme="Digital Workplace",
        manager="Tom Okafor",
        case="late",
        shows="Behind plan: SPI below 0.85, an overdue milestone, forecast finish 45 days late.",
        phase="Execution",
        start=dt.date(2026, 3, 2),
        months=11,
        status_date=dt.date(2026, 11, 19),
        bac=2_150_000,
        workstreams=(
            ("Procurement", ("Device standard", "Supplier call-off")),
            ("Build", ("Windows 11 image", "Autopilot profiles")),
            ("Rollout", ("Finance and HR", "Operations", "Field engineers", "Contact centre")),
        ),
        steps=("plan", "prepare", "deliver", "sign-off"),
        milestone_word="done",
        reported=_R,
        comment="Windows 11 image failed security testing; rollout paused six weeks. "
        "Recovery plan to steering group on 27 November.",
        perf=0.8,
        cost_factor=1.0,
        overrun=0.03,
        finish_slip=45,
        overdue_milestone=True,
        risk="amber",
        hold=1,
        expect=(_R, _G, _A, _R),
    ),
    _Blueprint(
        stem="DWP-0103_Intranet_Replatform",
        project_id="DWP-0103",
        name="Intranet Replatform",
        programme="Digital Workplace",
        manager="Sarah Lindqvist",
        case="stale",
        shows="Healthy data, but the Status Date is 28 days old, so it is flagged stale (Amber).",
        phase="Execution",
        start=dt.date(2026, 4, 6),
        months=10,
        status_date=dt.date(2026, 10, 23),
        bac=480_000,
        workstreams=(
            ("Content", ("Content audit", "Content migration")),
            ("Platform", ("Site templates", "Search configuration", "News hub")),
        ),
        steps=_IT_STEPS,
        milestone_word="live",
        reported=_A,
        comment="UAT resourcing not yet confirmed by the Communications team.",
        expect=(_G, _G, _G, _A),
        stale=True,
    ),
    _Blueprint(
        stem="CUS-0201_Customer_Portal_v2",
        project_id="CUS-0201",
        name="Customer Portal v2",
        programme="Customer Platform",
        manager="Aisha Rahman",
        case="healthy",
        shows="On plan and on budget; risks under control.",
        phase="Execution",
        start=dt.date(2026, 1, 12),
        months=15,
        status_date=dt.date(2026, 11, 20),
        bac=1_850_000,
        workstreams=(
            (
                "Experience",
                ("Account dashboard", "Self-service bill payment", "Accessibility remediation"),
            ),
            ("Platform", ("API gateway integration", "Identity and sign-in", "Performance tuning")),
            ("Launch", ("Beta programme", "Customer communications")),
        ),
        steps=_IT_STEPS,
        milestone_word="live",
        reported=_G,
        comment="On track.",
        overrun=-0.02,
        cost_factor=0.98,
        finish_slip=5,
    ),
    _Blueprint(
        stem="CUS-0202_CRM_Consolidation",
        project_id="CUS-0202",
        name="CRM Consolidation",
        programme="Customer Platform",
        manager="Mark Delaney",
        case="over_budget",
        shows="Forecast spend 16% over budget (VAC > 10%) and CPI about 0.83.",
        phase="Execution",
        start=dt.date(2025, 11, 3),
        months=16,
        status_date=dt.date(2026, 11, 16),
        bac=3_400_000,
        workstreams=(
            ("Data", ("Data cleansing", "Record matching", "Data migration")),
            ("Platform", ("Sales pipeline", "Case management", "Marketing consent")),
            ("Decommission", ("Legacy CRM archive", "Legacy reporting")),
        ),
        steps=_IT_STEPS,
        milestone_word="live",
        reported=_R,
        comment="Data migration effort twice the estimate; change request CR-031 raised "
        "for additional funding.",
        perf=1.0,
        cost_factor=1.2,
        overrun=0.16,
        cancel=1,
        expect=(_G, _R, _G, _R),
    ),
    _Blueprint(
        stem="CUS-0203_Mobile_App_Payments",
        project_id="CUS-0203",
        name="Mobile App Payments",
        programme="Customer Platform",
        manager="Chen Wei",
        case="risky",
        shows="On plan and budget, but one open Critical risk and three open High risks.",
        phase="Execution",
        start=dt.date(2026, 5, 4),
        months=10,
        status_date=dt.date(2026, 11, 17),
        bac=920_000,
        workstreams=(
            ("Payments", ("Card tokenisation", "Wallet payments", "Refunds")),
            ("App", ("iOS release", "Android release")),
            ("Compliance", ("PCI DSS assessment",)),
        ),
        steps=_IT_STEPS,
        milestone_word="live",
        reported=_R,
        comment="PCI DSS assessment found gaps in tokenisation; go-live at risk until the "
        "payment provider confirms a fix.",
        risk="risky",
        expect=(_G, _G, _R, _R),
    ),
    _Blueprint(
        stem="FIN-0301_ERP_GL_Upgrade",
        project_id="FIN-0301",
        name="ERP General Ledger Upgrade",
        programme="Finance Transformation",
        manager="David Osei",
        case="optimistic",
        shows="Reported Green, but SPI is about 0.8 and the finish has slipped 40 days (Red).",
        phase="Execution",
        start=dt.date(2026, 1, 5),
        months=13,
        status_date=dt.date(2026, 11, 13),
        bac=2_600_000,
        workstreams=(
            ("Design", ("Chart of accounts", "Intercompany rules", "Reporting hierarchy")),
            ("Build", ("Ledger configuration", "Interfaces", "Data migration")),
            ("Deploy", ("Parallel run", "Cutover")),
        ),
        steps=_FINANCE_STEPS,
        reported=_G,
        comment=None,
        perf=0.84,
        finish_slip=40,
        expect=(_R, _G, _G, _R),
        optimism=True,
    ),
    _Blueprint(
        stem="FIN-0302_P2P_Automation",
        project_id="FIN-0302",
        name="Procure-to-Pay Automation",
        programme="Finance Transformation",
        manager="Rachel Byrne",
        case="amber",
        shows="Amber on every dimension: finish slip 18 days, forecast 7% over budget, "
        "one open High risk. Written in a drifted layout.",
        phase="Execution",
        start=dt.date(2026, 3, 2),
        months=12,
        status_date=dt.date(2026, 11, 20),
        bac=1_150_000,
        workstreams=(
            ("Requisitioning", ("Catalogue buying", "Approval workflow")),
            ("Invoicing", ("Invoice scanning", "Three-way matching", "Supplier portal")),
        ),
        steps=_FINANCE_STEPS,
        reported=_A,
        comment="Supplier onboarding two weeks behind; matching rules need rework (+7% cost).",
        perf=1.02,
        cost_factor=1.03,
        overrun=0.07,
        finish_slip=18,
        risk="amber",
        expect=(_A, _A, _A, _A),
        layout="drifted",
    ),
    _Blueprint(
        stem="FIN-0303_Close_Acceleration",
        project_id="FIN-0303",
        name="Month-End Close Acceleration",
        programme="Finance Transformation",
        manager="Nikhil Shah",
        case="healthy",
        shows="Early in delivery and on plan.",
        phase="Planning",
        start=dt.date(2026, 8, 3),
        months=9,
        status_date=dt.date(2026, 11, 20),
        bac=640_000,
        workstreams=(
            ("Process", ("Close calendar", "Reconciliation standards", "Accruals automation")),
            ("Tools", ("Close dashboard", "Journal workflow")),
        ),
        steps=_FINANCE_STEPS,
        reported=_G,
        comment=None,
        currency=None,
    ),
    _Blueprint(
        stem="EST-0401_HQ_Consolidation",
        project_id="EST0401",
        name="Head Office Consolidation",
        programme="Estates",
        manager="Laura McKenzie",
        case="data_errors",
        shows="Data errors: malformed Project ID, a task finishing before it starts, a "
        "Complete task at 60%, an open milestone with no forecast.",
        phase="Execution",
        start=dt.date(2026, 1, 19),
        months=18,
        status_date=dt.date(2026, 11, 19),
        bac=5_200_000,
        workstreams=(
            ("Riverside House", ("Floors 1-3 fit-out", "Floors 4-6 fit-out", "Reception and café")),
            ("Moves", ("Finance and legal move", "Operations move")),
            ("Exit", ("Kingsway lease exit",)),
        ),
        steps=_ESTATES_STEPS,
        milestone_word="handed over",
        reported=_A,
        comment="Kingsway lease exit date under negotiation with the landlord.",
        risk="amber",
        expect=(None, None, None, None),
        errors=(
            "project.id_format",
            "task.finish_before_start",
            "task.complete_not_100",
            "milestone.forecast_required",
        ),
    ),
    _Blueprint(
        stem="EST-0402_LED_Lighting_Retrofit",
        project_id="EST-0402",
        name="LED Lighting Retrofit",
        programme="Estates",
        manager="Owen Price",
        case="data_errors",
        shows="Data errors: Amber report with no RAG comment, an open High risk with no owner "
        "or mitigation, a started task marked Not Started, spend recorded for next month.",
        phase="Execution",
        start=dt.date(2026, 4, 13),
        months=11,
        status_date=dt.date(2026, 11, 18),
        bac=760_000,
        workstreams=(
            ("Sites", ("Depot lighting", "Office lighting", "Car park lighting")),
            ("Controls", ("Lighting controls",)),
        ),
        steps=_ESTATES_STEPS,
        milestone_word="handed over",
        reported=_A,
        comment=None,
        risk="amber",
        expect=(None, None, None, None),
        errors=(
            "project.rag_comment_required",
            "raid.owner_required",
            "raid.action_required",
            "task.started_not_started",
            "budget.actual_after_status_date",
        ),
    ),
    _Blueprint(
        stem="EST-0403_Fire_Safety_Works",
        project_id="EST-0403",
        name="Fire Safety Compliance Works",
        programme="Estates",
        manager="Grace Adeyemi",
        case="healthy",
        shows="Nearly finished, on plan and on budget.",
        phase="Closing",
        start=dt.date(2025, 12, 1),
        months=13,
        status_date=dt.date(2026, 11, 20),
        bac=1_380_000,
        workstreams=(
            ("Compartmentation", ("Fire doors", "Fire stopping")),
            ("Systems", ("Alarm upgrade", "Emergency lighting")),
        ),
        steps=_ESTATES_STEPS,
        milestone_word="handed over",
        reported=_G,
        comment="Final certificates due in January.",
        overrun=-0.01,
        cost_factor=0.99,
    ),
)

#: The intended case of every sample, by file stem.
SAMPLE_CASES: dict[str, SampleCase] = {
    b.stem: SampleCase(
        stem=b.stem,
        project_id=b.project_id,
        programme=b.programme,
        case=b.case,
        shows=b.shows,
        schedule=b.expect[0],
        cost=b.expect[1],
        risk=b.expect[2],
        overall=b.expect[3],
        stale=b.stale,
        optimism=b.optimism,
        errors=b.errors,
        layout=b.layout,
    )
    for b in _BLUEPRINTS
}


# --- dates ----------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, 1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _weekday(day: dt.date, *, back: bool = False) -> dt.date:
    """Move a Saturday or Sunday to the Monday after (or the Friday before)."""
    if day.weekday() < 5:
        return day
    step = -1 if back else 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _fraction(start: dt.date, finish: dt.date, d: dt.date) -> float:
    span = (finish - start).days + 1
    if span <= 0:
        return 1.0 if d >= start else 0.0
    return min(1.0, max(0.0, ((d - start).days + 1) / span))


# --- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PlanItem:
    wbs: str
    name: str
    start: dt.date
    finish: dt.date
    lead: str
    milestone: str | None = None


@dataclass(frozen=True)
class _Knobs:
    """The numbers that steer a generated tracker towards its RAG."""

    status_date: dt.date
    start: dt.date
    baseline_finish: dt.date
    bac: float
    team: Sequence[str]
    perf: float = 1.02
    cost_factor: float = 1.0
    overrun: float = 0.0
    finish_slip: int = 0
    overdue_milestone: bool = False
    risk: str = "calm"
    hold: int = 0
    cancel: int = 0
    raid_library: Sequence[tuple[str, str, str]] = ()
    sponsor: str = ""

    @property
    def forecast_finish(self) -> dt.date:
        return self.baseline_finish + dt.timedelta(days=self.finish_slip)


def _at(start: dt.date, span: int, frac: float) -> dt.date:
    return start + dt.timedelta(days=round(span * frac))


def _blueprint_plan(b: _Blueprint, knobs: _Knobs, rng: random.Random) -> list[_PlanItem]:
    """Tasks of a sample: project management, then each workstream's deliverables in steps."""
    start, finish = knobs.start, knobs.baseline_finish
    span = (finish - start).days
    items: list[_PlanItem] = []
    for i, (name, s, f, ms) in enumerate(_PM_TASKS, start=1):
        items.append(
            _PlanItem(
                f"1.{i}",
                name,
                _weekday(_at(start, span, s)),
                _weekday(_at(start, span, f), back=True) if f < 1 else finish,
                b.manager,
                ms,
            )
        )
    team = [m for m in knobs.team if m != b.manager]
    step_weights = [1.0 + 0.5 * (k in (1, 2)) for k in range(len(b.steps))]
    total_weight = sum(step_weights)
    for w, (_stream, deliverables) in enumerate(b.workstreams, start=2):
        lead = team[(w - 2) % len(team)]
        lo = 0.08 + 0.03 * ((w - 2) % 3)
        hi = 0.92 - 0.02 * ((w - 1) % 2)
        n = len(deliverables)
        slot = (hi - lo) / (1 + (n - 1) * 0.8)
        for j, deliverable in enumerate(deliverables, start=1):
            s0 = lo + (j - 1) * slot * 0.8
            cursor = s0
            for k, step in enumerate(b.steps, start=1):
                width = slot * step_weights[k - 1] / total_weight
                p_start = _weekday(_at(start, span, cursor))
                p_finish = max(
                    p_start,
                    _weekday(_at(start, span, cursor + width) - dt.timedelta(days=1), back=True),
                )
                last = k == len(b.steps)
                owner = lead if rng.random() < 0.6 else rng.choice(team)
                items.append(
                    _PlanItem(
                        f"{w}.{j}.{k}",
                        f"{deliverable}: {step}",
                        p_start,
                        p_finish,
                        owner,
                        f"{deliverable} {b.milestone_word}" if last else None,
                    )
                )
                cursor += width
    return items


# --- generation ----------------------------------------------------------------------------


def _round_to(value: float, step: float) -> float:
    return round(value / step) * step


def _task_budgets(rng: random.Random, plan: Sequence[_PlanItem], bac: float) -> list[float]:
    raw = [((p.finish - p.start).days + 1) * rng.uniform(0.7, 1.3) for p in plan]
    total = sum(raw) or 1.0
    budgets = [_round_to(bac * r / total, 10.0) for r in raw]
    budgets[budgets.index(max(budgets))] += round(bac - sum(budgets), 2)
    return budgets


def _progress(rng: random.Random, p: float) -> float:
    """% Complete of a task whose (performance-adjusted) planned fraction is ``p``."""
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    pct = p * rng.uniform(0.96, 1.04)
    return min(0.95, max(0.05, round(pct * 20) / 20))


def _tasks(rng: random.Random, plan: Sequence[_PlanItem], knobs: _Knobs) -> list[Task]:
    """Tasks with progress as if the plan ran at ``knobs.perf`` of its planned pace.

    Work that the plan expected by date ``t`` is done by ``start + (t - start) / perf``:
    a late project (perf < 1) still finishes its early tasks, only later.
    """
    d, start, perf = knobs.status_date, knobs.start, knobs.perf
    effective = start + dt.timedelta(days=(d - start).days * perf)

    def when(planned: dt.date, jitter: int) -> dt.date:
        real = start + dt.timedelta(days=round((planned - start).days / perf) + jitter)
        return min(d, real)

    budgets = _task_budgets(rng, plan, knobs.bac)
    future = [i for i, p in enumerate(plan) if p.start > d + dt.timedelta(days=30)]
    cancelled = set(rng.sample(future, min(knobs.cancel, len(future))))
    tasks: list[Task] = []
    for i, (item, budget) in enumerate(zip(plan, budgets, strict=True)):
        pct = (
            0.0 if i in cancelled else _progress(rng, _fraction(item.start, item.finish, effective))
        )
        status = "Not Started"
        actual_start = actual_finish = None
        if i in cancelled:
            status = "Cancelled"
        elif pct >= 1:
            status = "Complete"
            actual_start = when(item.start, rng.randint(-2, 2))
            actual_finish = max(actual_start, when(item.finish, rng.randint(-2, 3)))
        elif pct > 0:
            status = "In Progress"
            actual_start = when(item.start, rng.randint(0, 3))
        owner: str | None = item.lead
        if (
            status == "Not Started"
            and item.start > d + dt.timedelta(days=60)
            and rng.random() < 0.2
        ):
            owner = None
        note = rng.choice(_NOTES) if rng.random() < 0.12 else None
        if status == "Cancelled":
            note = "Descoped at change board"
        tasks.append(
            Task(
                task_id=f"T-{i + 1:03d}",
                wbs=item.wbs,
                task_name=item.name,
                owner=owner,
                planned_start=item.start,
                planned_finish=item.finish,
                actual_start=actual_start,
                actual_finish=actual_finish,
                pct_complete=pct,
                status=status,
                budget=budget,
                notes=note,
            )
        )
    in_progress = [
        i
        for i, t in enumerate(tasks)
        if t.status == "In Progress" and not (t.wbs or "").startswith("1.")
    ]
    for i in in_progress[: knobs.hold]:
        tasks[i] = tasks[i].model_copy(
            update={"status": "On Hold", "notes": "Paused pending security sign-off"}
        )
    return tasks


def _milestones(
    rng: random.Random, plan: Sequence[_PlanItem], tasks: Sequence[Task], knobs: _Knobs
) -> list[Milestone]:
    d = knobs.status_date
    span = max(1, (knobs.baseline_finish - d).days)
    pairs = sorted(
        (
            (p, t)
            for p, t in zip(plan, tasks, strict=True)
            if p.milestone and t.status != "Cancelled"
        ),
        key=lambda pt: pt[0].finish,
    )
    out: list[Milestone] = []
    overdue_left = knobs.overdue_milestone
    for n, (item, task) in enumerate(pairs, start=1):
        baseline = item.finish
        actual = forecast = None
        if task.status == "Complete":
            status = "Achieved"
            actual = task.actual_finish
            forecast = actual
        else:
            ahead = min(1.0, max(0.0, (baseline - d).days / span))
            slip = (
                round(knobs.finish_slip * (0.4 + 0.6 * ahead))
                if knobs.finish_slip
                else rng.randint(0, 3)
            )
            if baseline == knobs.baseline_finish:
                slip = knobs.finish_slip
            forecast = baseline + dt.timedelta(days=slip)
            if baseline < d and overdue_left:
                forecast = baseline  # never re-forecast: overdue
                overdue_left = False
            elif forecast < d:
                forecast = _weekday(d + dt.timedelta(days=rng.randint(7, 21)))
            gap = (forecast - baseline).days
            status = "Late" if forecast < d or gap > 30 else "At Risk" if gap > 10 else "On Track"
            if status == "On Track" and item.start > d:
                status = "Not Started"
        out.append(
            Milestone(
                milestone_id=f"M-{n:02d}",
                milestone=item.milestone,
                baseline_date=baseline,
                forecast_date=forecast,
                actual_date=actual,
                status=status,
                owner=item.lead,
            )
        )
    return out


def _overlap_days(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> int:
    return max(0, (min(a1, b1) - max(a0, b0)).days + 1)


def _budget(
    rng: random.Random, tasks: Sequence[Task], knobs: _Knobs, months: int | None = None
) -> list[BudgetLine]:
    d = knobs.status_date
    first = _month_start(knobs.start)
    last = _month_start(max(knobs.baseline_finish, knobs.forecast_finish))
    count = months or ((last.year - first.year) * 12 + last.month - first.month + 1)
    periods = [_add_months(first, k) for k in range(count)]
    ends = [_add_months(p, 1) - dt.timedelta(days=1) for p in periods]
    planned = [0.0] * count
    for t in tasks:
        if t.planned_start is None or t.planned_finish is None or not t.budget:
            continue
        days = (t.planned_finish - t.planned_start).days + 1
        for k in range(count):
            share = _overlap_days(t.planned_start, t.planned_finish, periods[k], ends[k])
            if share:
                planned[k] += t.budget * share / days
    planned = [_round_to(v, 100.0) for v in planned]
    planned[planned.index(max(planned))] += round(knobs.bac - sum(planned), 2)

    weights = [(t.budget or 0.0) for t in tasks if t.status != "Cancelled"]
    earned = sum(
        (t.budget or 0.0) * (t.pct_complete or 0.0) for t in tasks if t.status != "Cancelled"
    )
    pct_overall = earned / sum(weights) if sum(weights) else 0.0
    ac_total = knobs.bac * pct_overall * knobs.cost_factor
    past = [k for k in range(count) if periods[k] <= d]
    futures = [k for k in range(count) if periods[k] > d]
    noisy = [planned[k] * rng.uniform(0.9, 1.1) for k in past]
    total = sum(noisy) or 1.0
    actual = {k: round(ac_total * v / total, 2) for k, v in zip(past, noisy, strict=True)}
    if past:
        actual[past[-1]] = round(actual[past[-1]] + ac_total - sum(actual.values()), 2)
    remaining = max(0.0, knobs.bac * (1 + knobs.overrun) - sum(actual.values()))
    base = sum(planned[k] for k in futures) / max(1, len(futures))
    fweights = [planned[k] if planned[k] > 0 else base for k in futures]
    fsum = sum(fweights) or 1.0
    forecast = {
        k: _round_to(remaining * w / fsum, 1.0) for k, w in zip(futures, fweights, strict=True)
    }
    if futures:
        forecast[futures[-1]] += round(remaining - sum(forecast.values()), 2)
    lines = []
    for k, period in enumerate(periods):
        act = actual.get(k)
        lines.append(
            BudgetLine(
                period=period,
                planned=planned[k],
                actual=act,
                forecast=act if act is not None else forecast.get(k, 0.0),
            )
        )
    return lines


#: Severity scores the samples are designed against (the defaults of RAG_RULES v1).
_DEFAULT_SCORES = SeverityScores()
#: Probability x Impact pairs that give each severity under the default scores.
_SCORES: dict[str, tuple[tuple[int, int], ...]] = {
    "Low": ((1, 3), (2, 2), (1, 5), (1, 4)),
    "Medium": ((2, 3), (3, 3), (2, 5), (3, 2), (2, 4)),
    "High": ((3, 4), (4, 3), (4, 4), (3, 5)),
    "Critical": ((4, 5), (5, 4), (5, 5)),
}

_RISK_PROFILES: dict[str, tuple[str, ...]] = {
    # severities of the OPEN risks and issues, beyond which everything is Low/Medium
    "calm": (),
    "amber": ("High",),
    "risky": ("Critical", "High", "High", "High"),
}


def _raid(rng: random.Random, knobs: _Knobs, count: int | None = None) -> list[RaidItem]:
    d, start = knobs.status_date, knobs.start
    library = list(knobs.raid_library)
    rng.shuffle(library)
    n = count or rng.randint(9, min(14, len(library)))
    scores = _DEFAULT_SCORES
    owners = [*knobs.team[:6], knobs.sponsor] if knobs.sponsor else list(knobs.team)
    serious = list(_RISK_PROFILES[knobs.risk])
    items: list[RaidItem] = []
    days_running = max(14, (d - start).days)
    for i in range(n):
        kind, title, action = library[i % len(library)]
        if i >= len(library):
            title = f"{title} (phase {i // len(library) + 1})"
        raised = start + dt.timedelta(days=rng.randint(0, days_running - 7))
        closed = i % 4 == 3 and not (kind == "Risk" and serious)
        probability = impact = None
        severity: str | None
        if kind in ("Risk", "Issue") and serious and not closed:
            severity = serious.pop(0)
        else:
            severity = rng.choice(("Low", "Medium", "Medium"))
        if kind == "Risk":
            probability, impact = rng.choice(_SCORES[severity])
            severity = derived_severity(probability, impact, scores)
        else:
            impact = {"Low": 2, "Medium": 3, "High": 4, "Critical": 5}[severity]
        if closed:
            status = "Closed"
            due = min(d - dt.timedelta(days=1), raised + dt.timedelta(days=rng.randint(14, 60)))
        else:
            status = "Mitigating" if rng.random() < 0.5 else "Open"
            due = _weekday(d + dt.timedelta(days=rng.randint(10, 75)))
        items.append(
            RaidItem(
                raid_id=f"{kind[0]}-{i + 1:03d}",
                type=kind,
                title=title,
                owner=owners[i % len(owners)],
                raised=raised,
                due=due,
                probability=probability,
                impact=impact,
                severity=severity,
                status=status,
                mitigation=action,
            )
        )
    return items


def _knobs(b: _Blueprint) -> _Knobs:
    programme = _PROGRAMMES[b.programme]
    return _Knobs(
        status_date=b.status_date,
        start=b.start,
        baseline_finish=_weekday(_add_months(b.start, b.months) - dt.timedelta(days=1), back=True),
        bac=b.bac,
        team=programme["team"],
        perf=b.perf,
        cost_factor=b.cost_factor,
        overrun=b.overrun,
        finish_slip=b.finish_slip,
        overdue_milestone=b.overdue_milestone,
        risk=b.risk,
        hold=b.hold,
        cancel=b.cancel,
        raid_library=programme["raid"],
        sponsor=programme["sponsor"],
    )


def _inject_errors(tracker: Tracker, errors: Sequence[str]) -> Tracker:
    """Plant the named data errors, each once, in a realistic place."""
    project = tracker.project
    tasks, milestones = list(tracker.tasks), list(tracker.milestones)
    budget, raid = list(tracker.budget), list(tracker.raid)
    d = project.status_date or SAMPLES_AS_OF
    # "project.id_format": the blueprint's Project ID is already malformed.
    if "task.finish_before_start" in errors:
        i = next(i for i, t in enumerate(tasks) if t.status == "Not Started" and t.planned_start)
        t = tasks[i]
        assert t.planned_start is not None
        tasks[i] = t.model_copy(update={"planned_finish": t.planned_start - dt.timedelta(days=12)})
    if "task.complete_not_100" in errors:
        i = next(i for i, t in reversed(list(enumerate(tasks))) if t.status == "Complete")
        tasks[i] = tasks[i].model_copy(update={"pct_complete": 0.6})
    if "milestone.forecast_required" in errors:
        i = next(i for i, m in enumerate(milestones) if m.status != "Achieved")
        milestones[i] = milestones[i].model_copy(update={"forecast_date": None})
    if "task.started_not_started" in errors:
        i = next(
            i
            for i, t in enumerate(tasks)
            if t.status == "Not Started"
            and t.owner
            and t.planned_start
            and t.planned_start <= d + dt.timedelta(days=40)
        )
        tasks[i] = tasks[i].model_copy(update={"actual_start": d - dt.timedelta(days=2)})
    if "budget.actual_after_status_date" in errors:
        i = next(i for i, b in enumerate(budget) if b.period is not None and b.period > d)
        budget[i] = budget[i].model_copy(update={"actual": 18_450.0})
    if "raid.owner_required" in errors or "raid.action_required" in errors:
        i = next(i for i, r in enumerate(raid) if r.severity == "High" and r.status != "Closed")
        update: dict[str, Any] = {}
        if "raid.owner_required" in errors:
            update["owner"] = None
        if "raid.action_required" in errors:
            update["mitigation"] = None
        raid[i] = raid[i].model_copy(update=update)
    return tracker.model_copy(
        update={
            "project": project,
            "tasks": tasks,
            "milestones": milestones,
            "budget": budget,
            "raid": raid,
        }
    )


def _sample(b: _Blueprint, rng: random.Random) -> Tracker:
    knobs = _knobs(b)
    plan = _blueprint_plan(b, knobs, rng)
    tasks = _tasks(rng, plan, knobs)
    milestones = _milestones(rng, plan, tasks, knobs)
    budget = _budget(rng, tasks, knobs)
    raid = _raid(rng, knobs)
    project = Project(
        project_id=b.project_id,
        project_name=b.name,
        programme=b.programme,
        sponsor=knobs.sponsor,
        project_manager=b.manager,
        phase=b.phase,
        status_date=b.status_date,
        start_date=b.start,
        baseline_finish=knobs.baseline_finish,
        forecast_finish=knobs.forecast_finish,
        budget=b.bac,
        currency=b.currency,
        reported_rag=b.reported.value,
        rag_comment=b.comment,
    )
    tracker = Tracker(project=project, tasks=tasks, milestones=milestones, budget=budget, raid=raid)
    return _inject_errors(tracker, b.errors) if b.errors else tracker


def sample_trackers(
    seed: int = DEFAULT_SEED, as_of: dt.date = SAMPLES_AS_OF
) -> list[tuple[str, Tracker]]:
    """Return the sample portfolio: ``(file stem, tracker)`` pairs, in a stable order.

    Args:
        seed: Seed of the random choices (names, owners, noise). The cases hold for
            any seed; the default is the one the committed samples use.
        as_of: The consolidation date the samples are designed for. Status Dates
            keep their distance to :data:`SAMPLES_AS_OF` (so the stale one stays stale).
    """
    shift = as_of - SAMPLES_AS_OF
    out: list[tuple[str, Tracker]] = []
    for index, blueprint in enumerate(_BLUEPRINTS):
        b = blueprint
        if shift:
            b = _shifted(b, shift)
        rng = random.Random(f"{seed}:{index}:{b.stem}")
        out.append((b.stem, _sample(b, rng)))
    return out


def _shifted(b: _Blueprint, shift: dt.timedelta) -> _Blueprint:
    return replace(b, start=b.start + shift, status_date=b.status_date + shift)


# --- standard-size trackers (benchmarks) ---------------------------------------------------


def _generic_plan(
    rng: random.Random, start: dt.date, finish: dt.date, count: int, team: Sequence[str]
) -> list[_PlanItem]:
    span = max(30, (finish - start).days)
    per_stream = 10
    items: list[_PlanItem] = []
    deliverables = list(_GENERIC_DELIVERABLES)
    for i in range(count):
        stream, step = divmod(i, per_stream)
        deliverable = deliverables[stream % len(deliverables)]
        if stream >= len(deliverables):
            deliverable = f"{deliverable} {stream // len(deliverables) + 1}"
        phase = _GENERIC_STEPS[step % len(_GENERIC_STEPS)]
        s = rng.uniform(0, 0.85)
        length = rng.uniform(0.02, 0.15)
        p_start = _weekday(_at(start, span, s))
        p_finish = max(p_start, _weekday(_at(start, span, min(1.0, s + length)), back=True))
        items.append(
            _PlanItem(
                f"{stream + 1}.{step + 1}",
                f"{deliverable}: {phase}",
                p_start,
                p_finish,
                team[stream % len(team)],
            )
        )
    items.sort(key=lambda p: (p.start, p.wbs))
    return items


#: Health profiles of standard trackers: (weight, intended overall RAG, knob changes).
#: About 60% Green, 26% Amber, 13% Red, like a real portfolio.
_STANDARD_PROFILES: tuple[tuple[int, Rag, dict[str, Any]], ...] = (
    (14, Rag.GREEN, {}),
    (2, Rag.AMBER, {"finish_slip": 15}),
    (2, Rag.AMBER, {"overrun": 0.07, "cost_factor": 1.02}),
    (2, Rag.AMBER, {"risk": "amber"}),
    (1, Rag.RED, {"perf": 0.8, "finish_slip": 35}),
    (1, Rag.RED, {"overrun": 0.15, "cost_factor": 1.15}),
    (1, Rag.RED, {"risk": "risky"}),
)


def standard_tracker(
    rng: random.Random,
    project_id: str,
    status_date: dt.date,
    *,
    tasks: int = 200,
    milestones: int = 20,
    months: int = 12,
    raid: int = 30,
) -> Tracker:
    """Return one "standard size" tracker, fast, for benchmarks.

    The project runs ``months`` months around ``status_date`` (about 60% elapsed),
    with performance drawn from ``rng`` so a batch mixes Green, Amber and Red.

    Args:
        rng: The random source (seed it for reproducible batches).
        project_id: Its Project ID, e.g. ``BEN-0001``.
        status_date: Its Status Date.
        tasks: Number of tasks.
        milestones: Number of milestones (at most ``tasks``).
        months: Number of Budget rows (months of the project).
        raid: Number of RAID items.
    """
    programme_name = rng.choice(sorted(_PROGRAMMES))
    programme = _PROGRAMMES[programme_name]
    start = _add_months(_month_start(status_date), -round(months * 0.6))
    finish = _add_months(start, months) - dt.timedelta(days=1)
    knobs = _Knobs(
        status_date=status_date,
        start=start,
        baseline_finish=finish,
        bac=_round_to(rng.uniform(0.3e6, 5e6), 10_000.0),
        team=programme["team"],
        raid_library=programme["raid"],
        sponsor=programme["sponsor"],
    )
    profile = rng.choices(_STANDARD_PROFILES, weights=[w for w, _, _ in _STANDARD_PROFILES])[0]
    _, rag, changes = profile
    knobs = replace(knobs, **changes)
    plan = _generic_plan(rng, start, finish, tasks, knobs.team)
    chosen = set(rng.sample(range(len(plan)), min(milestones, len(plan))))
    plan = [
        _PlanItem(
            p.wbs, p.name, p.start, p.finish, p.lead, f"{p.name.split(':')[0]} milestone {i + 1}"
        )
        if i in chosen
        else p
        for i, p in enumerate(plan)
    ]
    task_rows = _tasks(rng, plan, knobs)
    name = " ".join(rng.choice(words) for words in _GENERIC_NAMES)
    reported = rag if rng.random() < 0.9 else Rag.GREEN
    project = Project(
        project_id=project_id,
        project_name=name,
        programme=programme_name,
        sponsor=knobs.sponsor,
        project_manager=knobs.team[0],
        phase="Execution",
        status_date=status_date,
        start_date=start,
        baseline_finish=finish,
        forecast_finish=knobs.forecast_finish,
        budget=knobs.bac,
        currency="GBP",
        reported_rag=reported.value,
        rag_comment=None if reported is Rag.GREEN else "Generated for benchmarking.",
    )
    return Tracker(
        project=project,
        tasks=task_rows,
        milestones=_milestones(rng, plan, task_rows, knobs),
        budget=_budget(rng, task_rows, knobs, months),
        raid=_raid(rng, knobs, raid),
    )


# --- the drifted layout ---------------------------------------------------------------------

#: Sheets of a drifted tracker: (spec key, sheet name as written), in workbook order.
DRIFT_SHEETS: tuple[tuple[str, str], ...] = (
    ("Tasks", "Task List"),
    ("RAID", "Risks & Issues"),
    ("Project", "Project Info"),
    ("Milestones", "Milestone Tracker"),
    ("Budget", "Financials"),
)
#: Headers a drifted tracker uses instead of the canonical ones: (sheet key, field) -> header.
DRIFT_HEADERS: dict[tuple[str, str], str] = {
    ("Tasks", "planned_finish"): "Due Date",
    ("Tasks", "pct_complete"): "% Done",
    ("Tasks", "owner"): "Assigned To",
    ("Project", "reported_rag"): "RAG",
    ("RAID", "mitigation"): "Mitigation",
}
#: Headers written with odd spacing or a line break (sheet key, field) -> header.
DRIFT_ODD_HEADERS: dict[tuple[str, str], str] = {
    ("Tasks", "task_name"): "  Task   Name ",
    ("Milestones", "baseline_date"): "Baseline\nDate",
    ("RAID", "probability"): "LIKELIHOOD",
}
#: The extra column a drifted Tasks sheet carries (not in the spec).
DRIFT_EXTRA_HEADER = "Predecessors"
#: First column (0-based) of each drifted sheet's table or block.
DRIFT_FIRST_COLUMN: dict[str, int] = {
    "Tasks": 1,
    "Project": 1,
    "RAID": 2,
    "Milestones": 2,
    "Budget": 2,
}
#: Rows above each drifted header: title, logo text, blank.
DRIFT_HEADER_ROW = 3
_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def _resolves(spec: SheetSpec, header: str, field_name: str) -> bool:
    """True when ``header`` maps to ``field_name`` (canonical headers first, then synonyms)."""
    index: dict[str, str] = {}
    for f in spec.fields:
        index.setdefault(normalise(f.header), f.name)
    for f in spec.fields:
        for synonym in f.column.synonyms:
            index.setdefault(normalise(synonym), f.name)
    return index.get(normalise(header)) == field_name


def drift_header(spec: SheetSpec, position: int, f: FieldSpec) -> str:
    """Return the header a drifted tracker writes for a field.

    The explicit choices in :data:`DRIFT_HEADERS` and :data:`DRIFT_ODD_HEADERS`
    first; otherwise every other field takes its first synonym that still maps to
    it, and the rest keep the canonical header in another case.
    """
    key = (spec.key, f.name)
    if key in DRIFT_HEADERS:
        return DRIFT_HEADERS[key]
    if key in DRIFT_ODD_HEADERS:
        return DRIFT_ODD_HEADERS[key]
    if position % 2 == 0:
        for synonym in f.column.synonyms:
            if _resolves(spec, synonym, f.name):
                return synonym
    return f.header.upper() if position % 3 == 1 else f.header.lower()


def _money_text(value: float, currency: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency, "")
    text = f"{value:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def _drift_value(f: FieldSpec, value: Any, sheet_key: str, currency: str) -> Any:
    """The value as a drifted tracker holds it (text dates, "50%", "£1,000.00", RAG letters)."""
    if value is None:
        return None
    kind = f.kind
    if kind is Kind.DATE and sheet_key != "Milestones" and isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if kind is Kind.PERCENT and isinstance(value, int | float):
        return f"{value * 100:g}%"
    if kind is Kind.NUMBER and isinstance(value, int | float):
        return _money_text(float(value), currency)
    if f.column.choices == "rag" and isinstance(value, str) and value:
        return value[0].upper()
    return value


def _drift_top(ws: Worksheet, title: str, formats: dict[str, Any]) -> None:
    ws.write_string(0, 0, title, formats["title"])
    ws.write_string(1, 0, "[logo] Northwind Group · Project Management Office", formats["logo"])


def write_drifted(
    path: str | os.PathLike[str],
    tracker: Tracker,
    settings: Settings | None = None,
    *,
    created: dt.datetime = SAMPLES_CREATED,
) -> Path:
    """Write ``tracker`` the way real trackers drift from the template.

    Same data, other shape: sheets renamed and reordered (:data:`DRIFT_SHEETS`), a
    title row, a logo-ish text and a blank row above each header, tables starting
    in column B or C as plain cells (no Excel table, no protection), headers
    renamed with synonyms, odd spacing and a line break, an extra
    ``Predecessors`` column, dates as ``dd/mm/yyyy`` text (real dates on the
    milestone sheet), percentages as ``"50%"``, money as ``"£12,500.00"`` and the
    Reported RAG as a letter. Money is written to the penny.

    Args:
        path: Where to write the ``.xlsx``.
        tracker: The data.
        settings: Supplies the default currency when the tracker has none.
        created: Creation time stored in the document properties.

    Returns:
        The path written.
    """
    settings = settings or Settings()
    currency = tracker.project.currency or settings.currency
    target = Path(path)
    name = tracker.project.project_name or "Project"
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), dict(WORKBOOK_OPTIONS))
        try:
            formats = {
                "title": wb.add_format({"bold": True, "font_size": 14}),
                "logo": wb.add_format({"italic": True, "font_color": "#7F7F7F"}),
                "header": wb.add_format(
                    {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "border": 1}
                ),
                "date": wb.add_format({"num_format": "d mmm yyyy"}),
                "label": wb.add_format({"bold": True}),
            }
            for key, sheet_name in DRIFT_SHEETS:
                ws = wb.add_worksheet(sheet_name)
                spec = sheet(key)
                _drift_top(ws, f"{name} - {sheet_name}", formats)
                ws.set_landscape()
                ws.fit_to_pages(1, 0)
                first = DRIFT_FIRST_COLUMN[key]
                if spec.layout == "keyvalue":
                    _drift_project(ws, spec, tracker.project, first, currency, formats)
                else:
                    _drift_table(ws, spec, tracker.rows(key), first, currency, formats)
            wb.set_properties(
                {
                    "title": f"{name} tracker",
                    "author": tracker.project.project_manager or "",
                    "created": created,
                }
            )
        finally:
            wb.close()
    return target


def _drift_project(
    ws: Worksheet,
    spec: SheetSpec,
    project: Project,
    first: int,
    currency: str,
    formats: dict[str, Any],
) -> None:
    ws.set_column(first, first, 24)
    ws.set_column(first + 1, first + 1, 50)
    for i, f in enumerate(spec.fields):
        row = DRIFT_HEADER_ROW + i
        label = drift_header(spec, i, f)
        write_value(ws, row, first, f"{label}:" if i % 4 == 0 else label, formats["label"])
        write_value(
            ws, row, first + 1, _drift_value(f, getattr(project, f.name), spec.key, currency)
        )
    for j, (label, value) in enumerate(
        project.extra.items(), start=DRIFT_HEADER_ROW + len(spec.fields)
    ):
        write_value(ws, j, first, label, formats["label"])
        write_value(ws, j, first + 1, value)


def _drift_table(
    ws: Worksheet,
    spec: SheetSpec,
    records: Sequence[Record],
    first: int,
    currency: str,
    formats: dict[str, Any],
) -> None:
    headers = [drift_header(spec, i, f) for i, f in enumerate(spec.fields)]
    extra_keys: list[str] = []
    for r in records:
        extra_keys += [k for k in r.extra if k not in extra_keys]
    with_predecessors = spec.key == "Tasks"
    all_headers = headers + ([DRIFT_EXTRA_HEADER] if with_predecessors else []) + extra_keys
    for c, h in enumerate(all_headers):
        ws.write_string(DRIFT_HEADER_ROW, first + c, h, formats["header"])
        width = spec.fields[c].column.width if c < len(spec.fields) else 14
        ws.set_column(first + c, first + c, width)
    previous: dict[str, str] = {}
    for i, record in enumerate(records):
        row = DRIFT_HEADER_ROW + 1 + i
        for c, f in enumerate(spec.fields):
            value = _drift_value(f, getattr(record, f.name), spec.key, currency)
            fmt = formats["date"] if isinstance(value, dt.date) else None
            write_value(ws, row, first + c, value, fmt)
        col = first + len(spec.fields)
        if with_predecessors and isinstance(record, Task):
            parent = (record.wbs or "").rsplit(".", 1)[0]
            pred = previous.get(parent)
            if pred:
                write_value(ws, row, col, pred)
            if record.task_id:
                previous[parent] = record.task_id
            col += 1
        for k, key in enumerate(extra_keys):
            write_value(ws, row, col + k, record.extra.get(key))


def case_rows() -> list[tuple[str, str, str, str]]:
    """Return ``(file, programme, case, what the data shows)`` for every sample (README table)."""
    return [
        (
            f"{c.stem}.xlsx",
            c.programme,
            c.case + (" (drifted layout)" if c.layout == "drifted" else ""),
            c.shows,
        )
        for c in SAMPLE_CASES.values()
    ]


def write_samples(out: Path, settings: Settings | None = None) -> list[Path]:
    """Write the sample portfolio (the files in ``workbooks/samples``) into ``out``."""
    settings = settings or Settings()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, tracker in sample_trackers(DEFAULT_SEED, SAMPLES_AS_OF):
        path = out / f"{stem}.xlsx"
        if SAMPLE_CASES[stem].layout == "drifted":
            written.append(write_drifted(path, tracker, settings, created=SAMPLES_CREATED))
        else:
            written.append(write_tracker(path, tracker, settings, created=SAMPLES_CREATED))
    return written
