"""Alert routing, templates, outbox and delivery through Apprise."""
