"""Outputs: rows.csv/parquet, reports.csv, problems.csv, report.xlsx and the HTML report.

May import the shared base, :mod:`nlp.read`, :mod:`nlp.judge` and :mod:`nlp.learn`; never :mod:`nlp.review`, batch, web or CLI.
"""
