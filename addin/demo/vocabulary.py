"""Words the sample trackers are made of: programmes, task names, notes (data)."""

from __future__ import annotations

from typing import Any

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
