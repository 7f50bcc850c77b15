"""Loaded at start-up by subprocesses of the test suite: loopback-only networking."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import netguard  # noqa: E402

netguard.install()
