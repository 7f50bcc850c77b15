"""scamwatch: gather news, recognise reports of scam-compound trafficking, alert the people who act."""

__version__ = "0.1.0"
