"""The Lessons sheet's dropdown values and the other words trackers use for them (v1.1)."""

from __future__ import annotations

#: Lesson categories (TRACKER_SPEC v1.1).
LESSON_CATEGORIES: tuple[str, ...] = (
    "Schedule",
    "Cost",
    "Scope",
    "Quality",
    "Risk",
    "Resourcing",
    "Stakeholder",
    "Supplier",
    "Technical",
    "Governance",
)
#: Lesson types: what went well, and what to improve.
LESSON_TYPES: tuple[str, ...] = ("Went well", "To improve")

LESSON_CATEGORY_SYNONYMS: dict[str, str] = {
    "Time": "Schedule",
    "Timeline": "Schedule",
    "Planning": "Schedule",
    "Budget": "Cost",
    "Finance": "Cost",
    "Financial": "Cost",
    "Requirements": "Scope",
    "Testing": "Quality",
    "Risks": "Risk",
    "Resources": "Resourcing",
    "People": "Resourcing",
    "Staffing": "Resourcing",
    "Stakeholders": "Stakeholder",
    "Communication": "Stakeholder",
    "Communications": "Stakeholder",
    "Vendor": "Supplier",
    "Vendors": "Supplier",
    "Suppliers": "Supplier",
    "Procurement": "Supplier",
    "Third Party": "Supplier",
    "Technology": "Technical",
    "Tech": "Technical",
    "Architecture": "Technical",
}
LESSON_TYPE_SYNONYMS: dict[str, str] = {
    "Positive": "Went well",
    "Good": "Went well",
    "Success": "Went well",
    "What went well": "Went well",
    "Keep": "Went well",
    "Win": "Went well",
    "Negative": "To improve",
    "Improve": "To improve",
    "Improvement": "To improve",
    "Even better if": "To improve",
    "What to improve": "To improve",
    "Issue": "To improve",
    "Loss": "To improve",
}
