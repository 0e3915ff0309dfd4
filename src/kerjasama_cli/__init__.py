"""kerjasama: the register and annual evaluation of a region's cooperation agreements.

The package is a library first; ``kerjasama_cli.cli`` is only one front end.
Importing this package loads nothing heavy.
"""

__version__ = "0.1.0"
