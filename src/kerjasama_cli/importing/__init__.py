"""`kerjasama import`: a region's existing register, and what the OPDs send back.

A file travels one way through the modules of this package:

- ``sources``      files -> raw tables (CSV encoding and dialect, workbook sheets, JSON)
- ``layout``       inside a raw table: the title block, the header row(s), section
                   rows, where the table ends; what each sheet holds
- ``columns``      header text -> the register's fields; the reading report
- ``validate``     cells -> typed values, row by row, and the problems of each row
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
