"""Hand-read Office Open XML: the package (parts, content types, relationships) of a workbook.

openpyxl and calamine read workbooks for us; what they do not expose (which parts a
package holds, how they are related, what an openpyxl round trip keeps) is read here,
with defusedxml, from the zip itself.
"""
