"""`kerjasama import`: a region's existing register, and what the OPDs send back.

A file travels one way through the modules of this package:

- ``sources``      files -> raw tables (``tables``): CSV in any ``encodings`` and
                   dialect, ``workbooks`` (every sheet), ``webpages`` saved as .xls,
                   JSON
- ``layout``       inside a raw table: the title block, the header row(s), section
                   rows, notes, where the table ends
- ``columns``      header text -> the register's fields; the reading report
- ``plan``         what a file holds and what of it to import, in which order
- ``parties``      "Para Pihak" as offices list them; the region itself among them
- ``cells``        one row's cells -> typed values (``records``), or its problems
- ``validate``     a file's rows -> valid records, a chunk at a time; cross-row checks
- ``write``        validated rows -> the register, in one transaction
- ``evaluations``  evaluation and findings rows (what the OPDs send back)
- ``pipeline``     a large file read and validated in a second process
- ``run``          one import, start to end

Lower modules never import higher ones; nothing imports ``run`` but this package.
"""

from kerjasama_cli.importing.run import import_file, in_dependency_order
from kerjasama_cli.importing.summary import FileSummary, ImportFailed, ImportOptions, Problem

__all__ = [
    "FileSummary",
    "ImportFailed",
    "ImportOptions",
    "Problem",
    "import_file",
    "in_dependency_order",
]
