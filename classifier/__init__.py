"""Relevance classifier, incident extraction and story grouping."""
