"""The reports pages: thin views over ``reports.report``; every figure has passed ``reports.disclosure``."""
