"""Intake through the API: what an analyst does from a source's admin page, a
program does here, through the same functions (intake.uploads, intake.candidates,
markets.archive, markets.services)."""
