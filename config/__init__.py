"""Shipped configuration data: starter config, sources, training examples, templates, gazetteer."""
