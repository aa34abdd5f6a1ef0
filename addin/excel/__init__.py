"""The Excel side of the PMO add-in: ribbon callbacks, worksheet functions, the add-in builder."""
