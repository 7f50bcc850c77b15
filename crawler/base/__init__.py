"""The bottom layer: settings schema, database opening, clock, records, text and URL helpers, logging.

Imports no other scamwatch package."""
