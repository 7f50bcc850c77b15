"""Exit codes of the ``scamwatch`` command (documented in the README)."""

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CONFIG = 2      # configuration or usage error
EXIT_DATABASE = 3    # the database cannot be opened or upgraded
EXIT_LOCKED = 75     # EX_TEMPFAIL: another run holds the lock
