"""Slides we write with python-pptx: measured text, native tables and charts, safe text.

Shared by the steering pack (:mod:`addin.outputs.pack`) and the status report
(:mod:`addin.outputs.report`): :mod:`~addin.outputs.slides.deck` (a deck from our default
or the PMO's template, layouts by name, notes, atomic save), :mod:`~.measure` (text
widths, wrapping, shortening), :mod:`~.shapes`, :mod:`~.tables`, :mod:`~.charts`.
"""
