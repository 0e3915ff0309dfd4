"""Exports: the annual evaluation workbook (xlsx), the report (html, md), csv and json.

``content`` gathers what every format shows, once, from the core's numbers;
the writers only lay it out.
"""
