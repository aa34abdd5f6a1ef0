"""Writers for the VBA project inside an Excel add-in (``vbaProject.bin``).

* :mod:`.compression` - [MS-OVBA] §2.4.1 compression and decompression;
* :mod:`.encryption` - [MS-OVBA] §2.4.3 data encryption (CMG, DPB, GC);
* :mod:`.cfb` - a Compound File Binary ([MS-CFB]) version 3 writer;
* :mod:`.module` - one module's source as VBA stores it (``.bas``, ``.cls``, documents);
* :mod:`.project` - the project's streams from VBA module sources;
* :mod:`.sources` - where the modules come from: ``macros/`` and xlwings.
"""
