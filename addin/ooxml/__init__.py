"""Hand-read and hand-written Office Open XML: one package for everything we do by hand.

openpyxl, calamine and XlsxWriter read and write workbooks for us; what they do not
expose is done here, from the zip itself: which parts a package holds and how they
are related (:mod:`.package`, :mod:`.parts`), what an openpyxl round trip keeps
(:mod:`.kept`, :mod:`.roundtrip`, :mod:`.text`), the cells of big data sheets rendered
as SpreadsheetML (:mod:`.sheetxml`), and cached formula values put back
(:mod:`.cached_values`).
"""
