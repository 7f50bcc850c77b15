"""Deployment files shipped with the package: systemd units, crontab example, Datasette metadata."""
