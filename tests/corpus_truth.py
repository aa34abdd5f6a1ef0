"""Ground truth for the real corpus (../shared/corpus/real): what a PMO analyst reads in each file.

Written by opening every workbook (values, formulas, merges, fills, hidden rows and sheets,
a LibreOffice rendering), not from our reader's output; docs/corpus.md gives the reading in
prose. Issue 12's scoring (tests/corpus_score.py) compares the reader with this data:
the tracker / not-a-tracker decision, each table's sheet + header row + row count, each
column's field, and the project's identity.

Conventions
- ``kind`` is one of :data:`KINDS`; ``field`` is a TRACKER_SPEC v1 / v1.1 field of that kind
  (:data:`FIELDS`), or None for a column a human keeps as an extra (pass-through) column.
- ``header_row`` is the 1-based Excel row of the header; a header spread over several rows
  (``PLAN`` above ``START``) runs from ``header_row`` to ``header_last``, and any row of that
  band counts as right.
- ``rows`` is the number of records a human takes: section/phase heading rows, subtotal
  rows, repeated header rows, empty pre-numbered rows and formula-only residue are not
  records; rows hidden by a filter or grouping are. ``first_row``/``last_row`` bound the data.
- ``ref`` is the column letter for a table, and the value cell for a Project block (where a
  label and its value share one cell, ``Project Name: X``, that cell).
- Columns that hold a Gantt band (one column per day, week or period, with bars drawn in
  fill or glyphs) are not listed: they map to no field. Every column not listed is a column
  a human would not map; a reader that maps it is wrong.
- ``identity``: the project's name as a human states it, with ``identity_source`` saying
  where it comes from (``label``, ``title``, ``content``); where the file names no project,
  the file name (``filename``) and ``identity`` is the file's stem. None for files that are
  not one project's tracker.
- Where a judgement is debatable, the note says so; the choice is what a PMO analyst would
  most likely say.
"""

from __future__ import annotations

from typing import NamedTuple

KINDS = ("Project", "Tasks", "Milestones", "Budget", "RAID", "Resources", "Lessons")

#: Fields per kind: TRACKER_SPEC v1 plus the v1.1 additions (Tasks extras, Resources, Lessons).
FIELDS: dict[str, frozenset[str]] = {
    "Project": frozenset(
        {
            "Project ID",
            "Project Name",
            "Programme",
            "Sponsor",
            "Project Manager",
            "Phase",
            "Status Date",
            "Start Date",
            "Baseline Finish",
            "Forecast Finish",
            "Budget",
            "Currency",
            "Reported RAG",
            "RAG Comment",
            "Template Version",
        }
    ),
    "Tasks": frozenset(
        {
            "Task ID",
            "WBS",
            "Task Name",
            "Owner",
            "Planned Start",
            "Planned Finish",
            "Actual Start",
            "Actual Finish",
            "% Complete",
            "Status",
            "Budget",
            "Notes",
            "Baseline Start",
            "Baseline Finish",
            "Effort",
            "Workstream",
        }
    ),
    "Milestones": frozenset(
        {
            "Milestone ID",
            "Milestone",
            "Baseline Date",
            "Forecast Date",
            "Actual Date",
            "Status",
            "Owner",
        }
    ),
    "Budget": frozenset({"Period", "Planned", "Actual", "Forecast"}),
    "RAID": frozenset(
        {
            "ID",
            "Type",
            "Title",
            "Owner",
            "Raised",
            "Due",
            "Probability",
            "Impact",
            "Severity",
            "Status",
            "Mitigation / Action",
        }
    ),
    "Resources": frozenset({"Person", "Role", "Team", "Period", "Planned", "Actual"}),
    "Lessons": frozenset(
        {"ID", "Date", "Category", "Type", "Lesson", "Recommendation", "Owner", "Tags"}
    ),
}


class Column(NamedTuple):
    """One column of a table (or one value of a Project block) as a human reads it."""

    ref: str
    header: str
    field: str | None


class Table(NamedTuple):
    """One table a human reads as tracker data."""

    kind: str
    sheet: str
    header_row: int
    rows: int
    first_row: int
    last_row: int
    columns: tuple[Column, ...]
    header_last: int = 0  # last row of a multi-row header; 0 = header_row
    note: str = ""

    @property
    def header_band(self) -> range:
        """The 1-based rows a header row may be reported at."""
        return range(self.header_row, max(self.header_row, self.header_last) + 1)

    def header_map(self) -> dict[str, str | None]:
        """Header text -> field, the ``{header text: field}`` view of the columns."""
        return {c.header: c.field for c in self.columns}


class FileTruth(NamedTuple):
    """What a human says one workbook is."""

    is_tracker: bool
    identity: str | None
    identity_source: str  # label | title | content | filename | none
    tables: tuple[Table, ...]
    notes: str
    also_named: tuple[str, ...] = ()  # other spellings a human accepts for the identity


def _c(ref: str, header: str, field: str | None = None) -> Column:
    return Column(ref, header, field)


def _periods(letters: str, headers: list[str], field: str = "Period") -> tuple[Column, ...]:
    """Period columns of a wide layout: one letter per header, in order."""
    return tuple(_c(letter, h, field) for letter, h in zip(letters.split(), headers, strict=True))


_MONTHS_APR_NOV = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
_SW = [f"SW {i}" for i in range(1, 15)]
_SW_COLS = "A B C D E F G H I J K L M N"

_COUNCIL_RISK_COLS = (
    _c("A", "Risk ID", "ID"),
    _c("B", "Date Identified", "Raised"),
    _c("C", "Raised by:"),
    _c("D", "Risk Title", "Title"),
    _c("E", "Description of Risk (there is a risk that….)"),
    _c("F", "Impact (resulting in….)"),
    _c("G", "Owner", "Owner"),
    _c("H", "Initial Probability", "Probability"),
    _c("I", "Initial Impact", "Impact"),
    _c("J", "Initial Risk Score", "Severity"),
    _c("K", "Response (Avoid, Reduce, Transfer, Contingency, Accept)"),
    _c("M", "Control Measures/ Comments", "Mitigation / Action"),
    _c("N", "Controlled Probability"),
    _c("O", "Controlled Impact"),
    _c("P", "Control Score"),
    _c("Q", "Status", "Status"),
)
_COUNCIL_ISSUE_COLS = (
    _c("A", "Issue ID", "ID"),
    _c("B", "Date Identified", "Raised"),
    _c("C", "Raised by:"),
    _c("D", "Issue Title", "Title"),
    _c("F", "Description"),
    _c("G", "Owner", "Owner"),
    _c("H", "Priority (1-5)", "Severity"),
    _c("I", "Comments/ Resolution", "Mitigation / Action"),
    _c("J", "Status (Open/Closed)", "Status"),
)
_PROVEN_RISK_COLS = (
    _c("A", "Risk ID", "ID"),
    _c("B", "Probability of Occurrence", "Probability"),
    _c("C", "Disruption Potential", "Impact"),
    _c("D", "Risk Score", "Severity"),
    _c("E", "Last Reviewed"),
    _c("F", "Risk Short Name", "Title"),
    _c("G", "Risk Description"),
    _c("H", "Mitigation Strategy", "Mitigation / Action"),
)
_PROVEN_ISSUE_COLS = (
    _c("A", "Issue ID", "ID"),
    _c("B", "Disruption Potential", "Impact"),
    _c("C", "Issue Score", "Severity"),
    _c("D", "Last Reviewed"),
    _c("E", "Issue Status", "Status"),
    _c("F", "Issue Short Name", "Title"),
    _c("G", "Issue Description"),
    _c("H", "Mitigation Strategy", "Mitigation / Action"),
)
_SPANISH_WBS_COLS = (
    _c("C", "Elemento de la EDT", "Task Name"),
    _c("D", "Estatus", "Status"),
    _c("E", "Presupuesto", "Budget"),
    _c("F", "Costo"),
    _c("G", "Avance", "% Complete"),
    _c("H", "Observaciones", "Notes"),
)
_SPANISH_PROBLEM_COLS = (
    _c("C", "#", "ID"),
    _c("D", "Problemas", "Title"),
    _c("F", "Respuesta", "Mitigation / Action"),
    _c("H", "Responsable/Rol", "Owner"),
    _c("I", "Fecha Compromiso", "Due"),
)
_TPM_PLAN_COLS = (
    _c("A", "ID", "Task ID"),
    _c("B", "ReqId"),
    _c("C", "Task", "Task Name"),
    _c("D", "Duration"),
    _c("E", "Swarm #"),
    _c("F", "Predecessors"),
    _c("G", "Resourcing", "Owner"),
    _c("H", "Start Date", "Planned Start"),
    _c("I", "End Date", "Planned Finish"),
)
_TPM_RISK_LOG_COLS = (
    _c("A", "Id", "ID"),
    _c("B", "Risk", "Title"),
    _c("C", "Probability", "Probability"),
    _c("D", "Impact", "Impact"),
    _c("E", "Strategy", "Mitigation / Action"),
)

NOT_ONE_PROJECT = "none"

TRUTH: dict[str, FileTruth] = {
    "almp-delivery_ha-risk-register_zero-width-spaces.xlsx": FileTruth(
        True,
        "almp-delivery_ha-risk-register_zero-width-spaces",
        "filename",
        (
            Table(
                "RAID",
                "Risk Register",
                1,
                14,
                2,
                22,
                (
                    _c("A", "Infra"),
                    _c("B", "Service"),
                    _c("C", "Risk Status", "Severity"),
                    _c("D", "SLA (%)"),
                    _c("E", "Mitigation Plan", "Mitigation / Action"),
                    _c("F", "High Availability Risks", "Title"),
                ),
                note="14 items: merged rows 5-7, 9-12, 13-14, 15-16 are one item each; "
                "rows 23-26 are category names with no data. Title = the risk text in F "
                "(debatable: B names the component). 'Risk Status' holds LOW/MEDIUM/HIGH "
                "(a rating, so Severity, not Status).",
            ),
        ),
        "HA/DR risk register of a programme; no project name in the file ('ALMP' only "
        "inside descriptions). Zero-width spaces and NBSPs in most cells; SLA numbers as text.",
    ),
    "almp-delivery_team-structure_sheet-per-workstream_month-fill.xlsx": FileTruth(
        True,
        "ALMP",
        "title",
        (
            Table(
                "Resources",
                "Overall Allocation",
                3,
                42,
                4,
                45,
                (
                    _c("A", "S.No."),
                    _c("B", "ALMP Project Titles and Roles", "Role"),
                    _c("C", "Mode (Onsite/Offshor)"),
                    *_periods("D E F G H I J K", _MONTHS_APR_NOV),
                    _c("L", "Unit Cost ($)"),
                    _c("M", "Duration (in months)"),
                    _c("N", "Total Cost ($)"),
                ),
                note="Wide layout, one row per role; the allocation is green fill only "
                "(no value in D:K).",
            ),
        ),
        "Resourcing plan and cost estimate of the ALMP programme (pre-evaluation). The "
        "per-workstream sheets are phase x role matrices (role names in cells), not tables. "
        "Three hidden sheets. Debatable tracker: a resource plan only (v1.1 Resources).",
        ("ALMP - Resources Augmentation (MVP)", "ALMP Team Stages and Structures - MVP Launch"),
    ),
    "consultancy-internship_resource-allocation-plan_text-allocations.xlsx": FileTruth(
        True,
        "AI-Powered Customer Churn Prediction & Retention System",
        "label",
        (
            Table(
                "Project",
                "Human Resources",
                3,
                1,
                3,
                3,
                (_c("A3", "Project", "Project Name"),),
                note="'Project: <name> :Tarrose Retail' in one merged title cell, repeated on "
                "every sheet; the first sheet is taken.",
            ),
            Table(
                "Resources",
                "Human Resources",
                6,
                8,
                7,
                14,
                (
                    _c("A", "Role", "Role"),
                    _c("B", "Organisation", "Team"),
                    _c("C", "Allocation", "Planned"),
                    _c("D", "Active Weeks", "Period"),
                    _c("E", "Key Responsibilities"),
                ),
                note="Allocation in prose ('100% throughout', '50%, tapering to 25% ...') "
                "beside a number 0.75; Active Weeks as 'Weeks 4–18' ranges.",
            ),
        ),
        "Resource allocation plan of one consultancy project (client Tarrose Retail): people, "
        "software and hardware lists, RACI by phase. Debatable tracker: resources only.",
        (
            "AI-Powered Customer Churn Prediction & Retention System : Tarrose Retail",
            "AI-Powered Customer Churn Prediction & Retention System :Tarrose Retail",
        ),
    ),
    "council-it_raid-log_sheet-per-type_two-row-headers.xlsx": FileTruth(
        True,
        "Childs Game Project",
        "title",
        (
            Table(
                "RAID",
                "Assumptions",
                3,
                9,
                4,
                12,
                (
                    _c("A", "ID", "ID"),
                    _c("B", "Date raised", "Raised"),
                    _c("C", "Raised by"),
                    _c("D", "Assumption", "Title"),
                    _c("E", "Validated (Y/N"),
                    _c("F", "Open/Closed", "Status"),
                    _c("G", "Impact"),
                    _c("H", "Comment / Linked Risk/Issue"),
                ),
                note="Impact is text (the consequence), not a 1-5 score. B11 is serial 44770.",
            ),
            Table(
                "RAID",
                "Dependencies",
                3,
                3,
                4,
                6,
                (
                    _c("A", "ID", "ID"),
                    _c("B", "Date raised", "Raised"),
                    _c("C", "Raised by"),
                    _c("D", "Dependency", "Title"),
                    _c("E", "Scheduled Date", "Due"),
                    _c("F", "Completion Date"),
                    _c("G", "Impact"),
                    _c("H", "Resolution", "Mitigation / Action"),
                ),
            ),
            Table(
                "RAID",
                "Risks",
                1,
                10,
                4,
                13,
                _COUNCIL_RISK_COLS,
                header_last=3,
                note="Two-row merged header (Initial / Controlled x Probability, Impact, "
                "Score; row 3 sub-heads the hidden cost block). An autofilter hides 7 of the "
                "10 risks and columns L, S:V (S 'Likelihood' and the cost block are empty). "
                "Initial P/I/Score taken as the rating (debatable: Controlled is residual). "
                "R holds '20.08.2022' text beside real dates.",
            ),
            Table(
                "RAID",
                "Issues",
                1,
                1,
                2,
                2,
                (
                    *_COUNCIL_ISSUE_COLS[:4],
                    _c("E", "Issue Type (Delivery, Resource, Migration etc.)"),
                    *_COUNCIL_ISSUE_COLS[4:],
                ),
                note="Issue Type is a category, not the RAID Type.",
            ),
            Table(
                "RAID",
                "Risks - not project specific",
                1,
                7,
                3,
                9,
                (
                    *_COUNCIL_RISK_COLS[:7],
                    _c("H", "Initial (Scoring 1-4) Probability", "Probability"),
                    _c("I", "Initial (Scoring 1-4) Impact", "Impact"),
                    _c("J", "Initial (Scoring 1-4) Risk Score (Prob x Impact)", "Severity"),
                    _c("K", "Response (Avoid, Reduce, Transfer, Contingency, Accept))"),
                    _c("L", "PROXIMITY WITHIN 1 Week 1 - 3 Weeks 3 Weeks +"),
                    _c(
                        "M",
                        "Control Measures (Uncontrolled, Partially controlled, Controlled)",
                        "Mitigation / Action",
                    ),
                    *_COUNCIL_RISK_COLS[12:],
                ),
                header_last=2,
                note="Generic (organisational) risks kept beside the project's; a PMO analyst "
                "still reads them as risks of this log (debatable).",
            ),
            Table(
                "RAID",
                "Closed Risks",
                1,
                4,
                3,
                6,
                _COUNCIL_RISK_COLS,
                header_last=2,
                note="Closed items (v1.1: a 'Closed ...' sheet holds closed items) although "
                "three say OPEN; rows 36-38 are formula residue.",
            ),
            Table(
                "RAID",
                "Closed Issues",
                1,
                1,
                2,
                2,
                (*_COUNCIL_ISSUE_COLS[:4], _c("E", "Issue Type"), *_COUNCIL_ISSUE_COLS[4:]),
                note="The same issue I_001 as on Issues.",
            ),
        ),
        "RAID workbook of a local-government IT project, one sheet per type plus a Risk Key "
        "(1-4 scales in words). The name is the A1 title of the first sheet; Dependencies "
        "carries 'Year End 2021_22' instead (debatable). No Owner filled on Risks.",
        ("Childs Game",),
    ),
    "course-materials_project-tracker.xlsx": FileTruth(
        True,
        "Professional Development Materials",
        "title",
        (
            Table(
                "Tasks",
                "Phase 1",
                11,
                3,
                12,
                14,
                (
                    _c("A", "", "Workstream"),
                    _c("B", "Developer", "Owner"),
                    _c("C", "Task", "Task Name"),
                    _c("D", "Status", "Status"),
                    _c("E", "Editor"),
                    _c("F", "Status"),
                    _c("G", "Due date", "Planned Finish"),
                    _c("H", "Date Started", "Actual Start"),
                    _c("I", "Date Completed", "Actual Finish"),
                    _c("J", "Document Link"),
                    _c("K", "Packaged for Delivery?"),
                ),
                note="Session labels in A (no header) group the tasks; sessions 2-5 (rows 15, "
                "18, 21, 24) have no tasks yet. The second Status is the editor's. Dates are "
                "dd/mm/yyyy text.",
            ),
        ),
        "Course-materials production tracker: resource links and personnel blocks above the "
        "task table; 'Phase 2' is empty.",
        ("Professional Development Materials Tracker",),
    ),
    "dutch_student-team_urenlijst_sheet-per-person.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "Timesheet: one sheet per team member, weeks x weekdays in hours, no project name, "
        "tasks or dates. Not a tracker (debatable: hours could feed Resources actuals).",
    ),
    "french_suivi-de-projet_prevision-reel-row-pairs.xlsx": FileTruth(
        True,
        "Projet Android",
        "title",
        (
            Table(
                "Tasks",
                "Planification",
                11,
                14,
                13,
                44,
                (
                    _c("B", "N°", "WBS"),
                    _c("C", "Tâche", "Task Name"),
                    _c("D", "Date", "Planned Start"),
                    _c("E", "Responsable", "Owner"),
                    _c("F", "Statuts"),
                    _c("G", "Nb h", "Effort"),
                ),
                note="14 tasks, each a 'Prévision' row and a 'Réel' row (the second row is "
                "not a task); 4 phase rows (1, 2, 3, 10). 'Statuts' holds the row type, not a "
                "status. Date row 9 and week rows 10-11 head the Gantt band to the right; "
                "bars are fill only. D is empty here.",
            ),
        ),
        "Student project plan 'Planification Projet Android'. 'Exemple Planification' is a "
        "filled 2009 example of another project (not this project's data); 'Décompte "
        "heures' is an empty hours template with #REF! labels. F5 'Version du' is =TODAY().",
        ("Planification Projet Android",),
    ),
    "gantt-project-planner_periods.xls": FileTruth(
        True,
        "gantt-project-planner_periods",
        "filename",
        (
            Table(
                "Tasks",
                "project",
                6,
                30,
                10,
                39,
                (
                    _c("B", "ACTIVITY", "Task Name"),
                    _c("C", "PLAN START", "Planned Start"),
                    _c("D", "PLAN DURATION"),
                    _c("E", "ACTUAL START", "Actual Start"),
                    _c("F", "ACTUAL DURATION"),
                    _c("G", "PERCENT COMPLETE", "% Complete"),
                    _c("H", "TODO - OWNER", "Owner"),
                ),
                header_last=7,
                note="PLAN/ACTUAL above START/DURATION; starts and durations are period "
                "numbers (rows 8-9 map periods to dates), not dates. 'TODO - OWNER' mixes "
                "names and to-dos.",
            ),
        ),
        "Excel 'Gantt Project Planner' template filled in by a student team; 'Project "
        "Planner' is the template's title, not a name.",
    ),
    "german_student-team_ressourcenplanung_soll-ist-colour-boxes.xlsx": FileTruth(
        True,
        "german_student-team_ressourcenplanung_soll-ist-colour-boxes",
        "filename",
        (
            Table(
                "Resources",
                "Ressourcenplanung",
                2,
                6,
                3,
                8,
                (*_periods(_SW_COLS, _SW), _c("P", "Gesamt SOLL")),
                note="SOLL (plan): one row per team member, coloured by discipline; each "
                "filled box is 10 hours. No value in the grid.",
            ),
            Table(
                "Resources",
                "Ressourcenplanung",
                11,
                6,
                12,
                17,
                (*_periods(_SW_COLS, _SW), _c("P", "Gesamt IST")),
                note="IST (actual): weeks 1-2 filled so far.",
            ),
        ),
        "Student-team resource plan drawn in colour (plan vs actual, semester weeks); the "
        "discipline names and '140h' totals sit to the right as a legend. Debatable tracker: "
        "resources only, colour only.",
    ),
    "german_student-team_risikoanalyse_word-scales.xlsx": FileTruth(
        True,
        "german_student-team_risikoanalyse_word-scales",
        "filename",
        (
            Table(
                "RAID",
                "Tabelle1",
                2,
                12,
                3,
                16,
                (
                    _c("A", ""),
                    _c("B", "Nr.", "ID"),
                    _c("C", "Risiko", "Title"),
                    _c("D", "Ursache"),
                    _c("E", "Eintrittswarscheinlichkeit", "Probability"),
                    _c("F", "Auswirkungsgrad", "Impact"),
                    _c("G", "Massnahmen", "Mitigation / Action"),
                ),
                note="Group label (Personelle / Zeitliche / Technische Faktoren) only on the "
                "first row of each group in A; numbers 6, 11, 15 are empty placeholders. "
                "Probability and impact in words with trailing spaces.",
            ),
        ),
        "Student-team risk catalogue ('Risikokatalog' is a title, not a name); Tabelle2 is "
        "an empty probability x impact matrix (the scale words).",
    ),
    "google-pm-capstone_project-plan_gantt.xlsx": FileTruth(
        True,
        "Sauce & Spoon",
        "title",
        (
            Table(
                "Tasks",
                "Tasks and Timeline",
                4,
                50,
                7,
                64,
                (
                    _c("A", "Task", "Task Name"),
                    _c("B", "Task Owner", "Owner"),
                    _c("C", "Start Date", "Planned Start"),
                    _c("D", "Due Date", "Planned Finish"),
                    _c("E", "Duration"),
                    _c("F", "Notes", "Notes"),
                    _c("G", "Status", "Status"),
                ),
                header_last=6,
                note="8 'Milestone n - ...' rows are phase headings (no dates), not tasks or "
                "milestones. Header merged over rows 4-6 beside phase/week/day bands; the "
                "Gantt is fill only; Start/Due/Status are empty.",
            ),
        ),
        "Google PM certificate capstone plan. Task Brainstorm (estimates), Quality and "
        "Evaluation, Survey Questions and an empty Additional Resources list are not tracker "
        "tables.",
        ("Sauce & Spoon Project Plan",),
    ),
    "innovation-portfolio_project-tracker_rag-plus-long-resource-list.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "Portfolio list: 'Overall' has one row per project (50, RAG by formula, budget/spend, "
        "d/m/yyyy text dates), 'Resources' one row per assignment (220). Not one project's "
        "tracker; debatable: a reader may read it as 50 projects (issue 12 item 3).",
    ),
    "internship_raid-log_single-sheet.xlsx": FileTruth(
        True,
        "Automated MongoDB Backup and Recovery System on AWS",
        "label",
        (
            Table(
                "Project",
                "RAID LOG",
                3,
                1,
                3,
                5,
                (
                    _c("C3", "Project title", "Project Name"),
                    _c("F3", "Project Id", "Project ID"),
                    _c("H3", "Project Manager", "Project Manager"),
                    _c("F5", "Last Updated date", "Status Date"),
                ),
                note="Project Id is blank. 'Last Updated date' is the as-of date.",
            ),
            Table(
                "RAID",
                "RAID LOG",
                8,
                12,
                9,
                20,
                (
                    _c("A", "", "ID"),
                    _c("B", "RAID Category", "Type"),
                    _c("C", "Description", "Title"),
                    _c("D", "Impact"),
                    _c("E", "Mitigation", "Mitigation / Action"),
                    _c("F", "Owner", "Owner"),
                    _c("G", "Priority", "Severity"),
                    _c("H", "RPN (for risks)"),
                    _c("I", "Status", "Status"),
                ),
                note="A is an unheaded row number pre-filled to 24 (rows 21-32 empty). "
                "Impact is text. J holds the dropdown source list beside the table.",
            ),
        ),
        "Single-sheet RAID log under a COUNTIFS summary block (L1:P6).",
    ),
    "italian_event-risk-register_basso-medio-alto.xlsx": FileTruth(
        True,
        "italian_event-risk-register_basso-medio-alto",
        "filename",
        (
            Table(
                "RAID",
                "Risk register",
                2,
                9,
                3,
                11,
                (
                    _c("A", "ID", "ID"),
                    _c("B", "Tipologia"),
                    _c("C", "Descrizione", "Title"),
                    _c("D", "Probabilità", "Probability"),
                    _c("E", "Impatto", "Impact"),
                    _c("F", "Livello (PxI)", "Severity"),
                    _c("G", "Responsabile", "Owner"),
                    _c("H", "Azione"),
                    _c("I", "Attività", "Mitigation / Action"),
                    _c("J", "Stato", "Status"),
                ),
                note="ID column empty. Azione is the response type (Mitigazione); Attività "
                "is the action. Basso/Medio/Alto words; Stato Chiuso / In risoluzione.",
            ),
        ),
        "Risk register of a student event (car presentation); 'Values' holds the dropdown "
        "lists. No project name in the file.",
    ),
    "oppm_one-page-status-report.xlsx": FileTruth(
        True,
        "Award Distribution Center (ADC)",
        "label",
        (
            Table(
                "Project",
                "Report",
                2,
                1,
                2,
                66,
                (
                    _c("H2", "Project Manager", "Project Manager"),
                    _c("V2", "Project Name", "Project Name"),
                    _c("AN2", "Report Date", "Status Date"),
                    _c("AN66", "BAC =", "Budget"),
                ),
                note="'Label: value' in one cell; Report Date 'March 2' has no year; "
                "Project Duration 'Jan 01 13 - Mar 29 13' (Z3) is a text range; BAC in the EV "
                "block.",
            ),
            Table(
                "Tasks",
                "Report",
                6,
                28,
                7,
                34,
                (
                    _c("L", "", "Task ID"),
                    _c("M", "Major Tasks / Deliverables", "Task Name"),
                ),
                note="Schedule AC:AO is Wingdings glyphs (complete / incomplete) per week.",
            ),
            Table(
                "RAID",
                "Report",
                35,
                5,
                36,
                40,
                (_c("L", "", "ID"), _c("M", "Risks, Qualitative, Other Metrics", "Title")),
                note="Status per week is colour only.",
            ),
            Table(
                "Budget",
                "Data",
                2,
                3,
                3,
                5,
                (
                    _c("B", "Person-day/Week"),
                    *_periods("C D E F G H I J K L M N", [str(i) for i in range(1, 13)], "Period"),
                ),
                note="Transposed: weeks across, PV / EV / AC down (person-days). Debatable.",
            ),
        ),
        "One-page project manager (OPPM) status report: objectives x tasks x owners matrix of "
        "glyphs, key metrics, 7-key status in colour, EV block.",
        ("Award Distribution Center", "ADC"),
    ),
    "pmis-course_lessons-learned_win-issue-category.xlsx": FileTruth(
        True,
        "Business Intelligence (BI) System for Golden Gate Restaurant Chain – Marketing and "
        "Sales Modules",
        "label",
        (
            Table(
                "Project",
                "Lessons Learned",
                3,
                1,
                3,
                5,
                (
                    _c("B3", "Today's Date", "Status Date"),
                    _c("B4", "Project Name", "Project Name"),
                    _c("B5", "Project Manager", "Project Manager"),
                ),
            ),
            Table(
                "Lessons",
                "Lessons Learned",
                7,
                10,
                8,
                17,
                (
                    _c("A", "WIN / ISSUE", "Type"),
                    _c("B", "Category", "Category"),
                    _c("C", "Describe What Happened", "Lesson"),
                    _c("D", "What Was the Impact?"),
                    _c("E", "How Does This Change Future Projects?", "Recommendation"),
                    _c("F", "Action Items"),
                ),
                note="WIN/ISSUE = went well / to improve; categories from the LOV sheet "
                "(Design, Deploy, UAT ...), not the spec's list.",
            ),
        ),
        "Lessons-learned log of a course project; 'LOV' holds field help and the category "
        "list; the sheet claims 1000 x 26.",
    ),
    "pmo-toolkit_portfolio-kpi-dashboard.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "PMO toolkit dashboard: 3 projects with RAG, progress, budget/spend; PMO KPIs; a "
        "4-row milestone tracker of no named project. Not one project's tracker (debatable: "
        "a reader may read the overview as 3 projects).",
    ),
    "portuguese_status-report_sheet-per-week_farol.xlsx": FileTruth(
        True,
        "portuguese_status-report_sheet-per-week_farol",
        "filename",
        (
            Table(
                "Tasks",
                "Semana 1",
                13,
                27,
                14,
                40,
                (_c("B", "Ativdade", "Task Name"), _c("C", "Responsável", "Owner")),
                note="Activities finished this week (status Complete implied by the block).",
            ),
            Table(
                "RAID",
                "Semana 1",
                12,
                1,
                13,
                13,
                (_c("E", "Principais Riscos", "Title"),),
                note="'Main risks' block to the right of the progress block.",
            ),
            Table(
                "Tasks",
                "Semana 1",
                43,
                10,
                44,
                53,
                (_c("B", "Atividade", "Task Name"), _c("H", "Responsável", "Owner")),
                note="Next steps (in progress or not started).",
            ),
        ),
        "Student team weekly status report, one sheet per week; 'Template' and 'Semana 2' are "
        "empty; the 'Farol do projeto' (traffic light per area) row is blank. No name in "
        "the file; merged cells throughout.",
    ),
    "provensecure_risks-and-issues_word-scales_hidden-lookups.xlsx": FileTruth(
        True,
        "provensecure_risks-and-issues_word-scales_hidden-lookups",
        "filename",
        (
            Table(
                "RAID",
                "Risks",
                1,
                7,
                2,
                8,
                _PROVEN_RISK_COLS,
                note="Words for probability / disruption ('Resolved\\n/ Avoided', Minimal .. "
                "Showstopper); score by lookup; rows 9-30 are #N/A formula residue.",
            ),
            Table(
                "RAID",
                "Issues",
                1,
                7,
                2,
                8,
                _PROVEN_ISSUE_COLS,
                note="Rows 9-19 are pre-numbered empty IDs that repeat I3..I7.",
            ),
        ),
        "Risk and issue log of a small contractor's R&D contract; hidden 'Lookups' sheet with "
        "the scales. No project name in the file.",
    ),
    "provensecure_schedule-and-cost-plan_month-blocks.xlsx": FileTruth(
        True,
        "provensecure_schedule-and-cost-plan_month-blocks",
        "filename",
        (
            Table(
                "Tasks",
                "Schedule",
                2,
                49,
                3,
                95,
                (_c("A", "Activity", "WBS"), _c("B", "Activity Name", "Task Name")),
                note="One header block per month (June..October, headers later 'Task Number' "
                "/ 'Task Name'); tasks spanning months repeat, so 73 task rows hold 49 "
                "distinct tasks; 12 'Milestone n' rows are headings; day columns 1..31 with "
                "bars in fill; used range to XFD.",
            ),
            Table(
                "Tasks",
                "Cost - Labor",
                1,
                65,
                2,
                81,
                (
                    _c("A", "Activity", "WBS"),
                    _c("B", "Activity Name", "Task Name"),
                    _c("C", "Days"),
                    _c("D", "Hours", "Effort"),
                    _c("E", "Cost ($)", "Budget"),
                    _c("F", "Role/Deliverable"),
                    _c("G", "Hourly Rate"),
                ),
                note="Cost plan: one row per task x role (65), milestone total rows and "
                "'Program Review' rows between; role cost columns I:T under a 2-row header. "
                "Kind Tasks (task budget and effort) is a judgement: it is not a per-period "
                "Budget.",
            ),
        ),
        "Schedule and cost plan of a government R&D contract (original name 'PA-11-52 CFT - "
        "ProvenSecure Solutions LLC', only in the original file name). Rates, materials, "
        "travel and total sheets are cost detail.",
    ),
    "resource-management_demand-vs-capacity_weeks.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "PMO resource demand (Projects A-C x roles x weeks, hours) vs capacity per role and "
        "person: a capacity-planning sheet across projects, not a project tracker (the spec's "
        "capacity list is not a tracker). Role rows hidden by grouping.",
    ),
    "rnd-engineer_daily-status-log_dates-as-columns.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "An engineer's daily log across ~15 projects and tenders, one column per day (1,520); "
        "Sheet2 a one-date status note per project. Not a project tracker.",
    ),
    "spanish_reporte-de-avance_sheet-per-sprint_rav-colour-status.xlsx": FileTruth(
        True,
        "Planificación de estrategias de identificación y retención de clientes para "
        "generación de marketing",
        "label",
        (
            Table(
                "Project",
                "Reporte de Avance Sprint 2",
                8,
                1,
                8,
                11,
                (
                    _c("D8", "Proyecto", "Project Name"),
                    _c("D9", "ID", "Project ID"),
                    _c("D10", "Gerente del proyecto", "Project Manager"),
                    _c("D11", "Periodo", "Status Date"),
                ),
                note="The block repeats on each sprint sheet; the latest sprint is current "
                "(debatable). Periodo is a 'dd/mm/yyyy - dd/mm/yyyy' range.",
            ),
            Table(
                "Tasks",
                "Reporte de Avance Sprint 1",
                29,
                8,
                30,
                37,
                _SPANISH_WBS_COLS,
                note="WBS elements with budget, cost, progress; Estatus is fill only (green).",
            ),
            Table(
                "RAID",
                "Reporte de Avance Sprint 1",
                46,
                4,
                47,
                50,
                _SPANISH_PROBLEM_COLS,
                note="Problemas = issues.",
            ),
            Table("Tasks", "Reporte de Avance Sprint 2", 29, 4, 30, 33, _SPANISH_WBS_COLS),
            Table("RAID", "Reporte de Avance Sprint 2", 42, 2, 43, 44, _SPANISH_PROBLEM_COLS),
        ),
        "Spanish status report, one sheet per sprint, tables stacked from column C: previous "
        "agreements (action items, no spec kind), overall status legend R/A/V (A = amarillo) "
        "with nothing marked, WBS status, activity lists (#, text only), problems, an empty "
        "change log.",
    ),
    "startup_activity-milestones_stacked-tables_mixed-dates.xlsx": FileTruth(
        True,
        "startup_activity-milestones_stacked-tables_mixed-dates",
        "filename",
        (
            Table(
                "Tasks",
                "Summary",
                1,
                39,
                2,
                40,
                (
                    _c("A", "Activity", "Task Name"),
                    _c("B", "Owner", "Owner"),
                    _c("C", "Comment", "Notes"),
                    _c("D", "Detail Discussion", "Status"),
                    _c("E", "Intial Release Date", "Planned Finish"),
                    _c("F", "Review Date"),
                    _c("G", "Review-Rework"),
                    _c("H", "Signoff"),
                    _c("I", "Status % completion", "% Complete"),
                ),
                note="'Detail Discussion' holds the status words (Started / YTS / Completed); "
                "dates are real dates, dd/mm/yyyy text and TBD in one column; owners "
                "'Santosh/Amol'.",
            ),
        ),
        "Start-up team activity tracker; below it a resource-wise plan (person -> activity), "
        "a technology list and a legend. 'IdeaClicks' appears only inside task names.",
    ),
    "student_project-budget_est-vs-actual.xlsx": FileTruth(
        True,
        "student_project-budget_est-vs-actual",
        "filename",
        (
            Table(
                "Tasks",
                "Estimated Costs",
                4,
                26,
                5,
                38,
                (
                    _c("B", "", "Workstream"),
                    _c("C", "PROJECT TASKS", "Task Name"),
                    _c("D", "LABOR HOURS", "Effort"),
                    _c("E", "LABOR COST ($)"),
                    _c("F", "MATERIAL COST ($)"),
                    _c("G", "TRAVEL COST ($)"),
                    _c("H", "OTHER COST ($)"),
                    _c("I", "TOTAL PER TASK", "Budget"),
                ),
                note="Cost estimate by task under merged phase labels in B; subtotal rows "
                "per phase. Kind Tasks (task budget) is a judgement.",
            ),
            Table(
                "Budget",
                "Actual Costs",
                4,
                26,
                5,
                38,
                (
                    _c("C", "ITEM"),
                    _c("D", "COST", "Actual"),
                    _c("E", "DATE", "Period"),
                    _c("F", "REASON FOR EXPENDITURE"),
                ),
                note="Expenditure ledger (one row per item with its date), subtotal rows; "
                "the month of DATE is the period.",
            ),
            Table(
                "Budget",
                "Data Worksheet",
                4,
                12,
                5,
                16,
                (
                    _c("B", "WEEK", "Period"),
                    _c("C", "PROJECTED WEEKLY COST", "Planned"),
                    _c("D", "ACTUAL WEEKLY COST", "Actual"),
                    _c("E", "PROJECTED CUMULATIVE COST"),
                    _c("F", "ACTUAL CUMULATIVE COST"),
                ),
                note="Excel table tblCosts; periods are week numbers, not dates.",
            ),
        ),
        "Student project budget: estimate by task, actual costs, weekly projected vs actual, "
        "a chart sheet. No project name in the file.",
    ),
    "student_project-plan_russian_colour-gantt.xls": FileTruth(
        True,
        "Компьютерная система для исследования динамики взаимодействующих видов",
        "label",
        (
            Table(
                "Project",
                "Лист1",
                2,
                1,
                2,
                2,
                (_c("G2", "Название проекта", "Project Name"),),
            ),
            Table(
                "Tasks",
                "Лист1",
                11,
                10,
                12,
                21,
                (_c("A", "", "Task Name"),),
                note="Task names in A under a row of weekly dates (C11:N11, 'Deadlines' "
                "above); the schedule is yellow fill only.",
            ),
        ),
        "Russian student project plan: team list (role -> person) above the task list; "
        "Лист2 and Лист3 empty.",
    ),
    "tpm-handbook_program-workbook_plan-risks-milestones.xlsx": FileTruth(
        True,
        "Mercury",
        "content",
        (
            Table(
                "Tasks",
                "Mercury Windows",
                1,
                16,
                2,
                17,
                (
                    _c("A", "ID", "Task ID"),
                    _c("B", "Epic", "Task Name"),
                    _c("C", "Predecessors"),
                    _c("D", "Effort", "Effort"),
                ),
                note="Epics and sub-tasks (indented names); effort as '8 wks' text.",
            ),
            Table(
                "Milestones",
                "Mercury Simple",
                1,
                25,
                2,
                26,
                (
                    _c("A", "ID", "Milestone ID"),
                    _c("B", "Project / Program"),
                    _c("C", "Milestone", "Milestone"),
                    _c("D", "Predecessor"),
                    _c("E", "Effort"),
                ),
                note="Month columns Jan..Aug hold fill only; rows 2-16 and columns D:F are "
                "hidden (counted).",
            ),
            Table(
                "RAID",
                "Risk Register",
                1,
                4,
                2,
                5,
                (
                    _c("A", "ID", "ID"),
                    _c("B", "Project/ Program"),
                    _c("C", "Risk", "Title"),
                    _c("D", "Realized"),
                    _c("E", "Strategy", "Mitigation / Action"),
                ),
            ),
            Table(
                "RAID",
                "Risk Log",
                1,
                3,
                2,
                4,
                (
                    *_TPM_RISK_LOG_COLS,
                    _c("F", "Project Occurrence"),
                    _c("G", "Categories"),
                ),
                note="High/Medium/Low words.",
            ),
            Table(
                "RAID",
                "Risk Log",
                13,
                6,
                14,
                23,
                _TPM_RISK_LOG_COLS,
                note="A second version of the log below the first, with sub-risks 1.1-1.3.",
            ),
            Table(
                "Tasks",
                "Tasks",
                1,
                33,
                2,
                34,
                (
                    _c("A", "ID", "Task ID"),
                    _c("B", "ReqId"),
                    _c("C", "Task", "Task Name"),
                    _c("D", "Duration"),
                    _c("E", "Dependencies"),
                ),
                note="The task list without dates.",
            ),
            Table(
                "Tasks",
                "Project Plan",
                3,
                33,
                4,
                36,
                _TPM_PLAN_COLS,
                note="Summary tasks (duration only) count; rows 1-2 hold burndown numbers "
                "and row 3 weekly dates to the right.",
            ),
            Table(
                "Tasks",
                "Project Plan w Relays",
                1,
                39,
                2,
                40,
                _TPM_PLAN_COLS,
                note="Another version of the plan; rows 39-40 and columns F, J hidden.",
            ),
            Table(
                "Resources",
                "Resourcing",
                1,
                3,
                2,
                4,
                (
                    _c("A", ""),
                    *_periods(
                        "B C D E F G H I J",
                        [
                            "April",
                            "May",
                            "June",
                            "July",
                            "August",
                            "September",
                            "October",
                            "November",
                            "December",
                        ],
                    ),
                ),
                note="Transposed: Planned / Requested / Actual headcount per month. Debatable.",
            ),
        ),
        "Book companion: 20 example sheets of the 'Mercury' programme (named in sheet names, "
        "the Project/Program column and 'Mercury Program Management'); several versions of "
        "the same plan and log. Stakeholders, RACI, comm plan, requirements, use cases, "
        "burndown, features (no dates), scorecards are not tracker tables.",
    ),
    "unisys-app-services_resource-allocation_sheet-per-month.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "A consulting team's monthly allocation of architects across opportunities, accounts "
        "and capabilities (one sheet per month) plus a capacity scratchpad: team capacity "
        "planning, not a project tracker.",
    ),
    "unisys-app-services_weekly-status_sheet-per-area.xlsx": FileTruth(
        False,
        None,
        NOT_ONE_PROJECT,
        (),
        "A business unit's weekly activity report across deals, capabilities and delivery "
        "accounts ('updated' / 'no change' per week): not one project's tracker.",
    ),
}
