"""The top layer: CLI, config assembly, cycle, daemon, status, serving and demo.

The only layer that imports every stage."""
