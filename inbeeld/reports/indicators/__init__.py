"""The indicators the reports compute (issue 7, part 2): raw figures only, for ``reports.disclosure``."""
