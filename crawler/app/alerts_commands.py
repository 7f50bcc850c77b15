"""CLI: ``scamwatch alert [--dry-run]`` and ``scamwatch alerts test|list|routes|retry``."""

from __future__ import annotations

import click

from alerts import outbox, quiet
from alerts.config import RouteConfig
from alerts.send import Channels
from alerts.stage import alert_due, preview, templates_for
from crawler.app.context import App
from crawler.app.preflight import require_valid


@click.command("alert")
@click.option("--dry-run", is_flag=True, help="Print what would be queued and sent; change nothing")
@click.pass_obj
def alert_command(app: App, dry_run: bool) -> None:
    """Queue alerts for new stories and due digests, and send every alert that is due."""
    require_valid(app.config)
    if dry_run:
        lines = preview(app.config, app.db, app.clock.now())
        click.echo("\n".join(lines) if lines else "nothing to send")
        return
    report = alert_due(app.config, app.db, app.clock.now())
    click.echo(f"sent {report.sent}, pending {report.pending}, failed {report.failed}"
               f" (queued {report.queued}, digest entries {report.digest_entries}, digests {report.digests})")
    if report.failed:
        raise click.exceptions.Exit(1)


@click.group("alerts")
def alerts_group() -> None:
    """Inspect and test alert delivery."""


@alerts_group.command("test")
@click.option("--tag", help="Only routes with this Apprise tag (or, if no route has it, the tag itself)")
@click.pass_obj
def test_command(app: App, tag: str | None) -> None:
    """Send one test message per route, straight to its services, and report each result."""
    config = app.config
    templates = templates_for(config)
    routes = [(r.name, r.tag, r.template) for r in config.alerts.effective_routes if tag in (None, r.tag)]
    if config.alerts.operator.tag and tag in (None, config.alerts.operator.tag):
        routes.append(("operator", config.alerts.operator.tag, config.alerts.operator.template))
    if tag and not routes:
        routes = [(f"tag:{tag}", tag, "text")]
    channels = Channels(config.alerts, config.base_dir)
    failures = len(channels.problems)
    for problem in channels.problems:
        click.echo(f"channel skipped: {problem}")
    try:
        for name, route_tag, template in routes:
            message = templates.render(template, "test", {"route": name, "tag": route_tag, "template": template})
            services = channels.services(route_tag)
            if not services:
                click.echo(f"route {name}: no Apprise service has the tag {route_tag!r}")
                failures += 1
            for _, service in services:
                error = channels.send(service, message)
                failures += bool(error)
                click.echo(f"route {name}: {channels.masked(service)}: {error or 'ok'}")
    finally:
        channels.close()
    if failures:
        raise click.ClickException(f"{failures} test message(s) not delivered")


@alerts_group.command("list")
@click.option("--status", type=click.Choice(outbox.STATUSES), help="Only alerts with this status")
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_obj
def list_command(app: App, status: str | None, limit: int) -> None:
    """The newest alerts in the outbox, with their status and last error."""
    rows = outbox.listing(app.db, status, limit)
    now = outbox.as_utc(app.clock.now())
    if not rows:
        click.echo("no alerts")
    for r in rows:
        line = f"{r['id']:>6}  {r['created_at']}  {r['status']:<8} {r['route']:<16} {r['kind']:<8} {r['title']}"
        click.echo(line)
        if r["last_error"] and r["status"] != "sent":
            click.echo(f"        attempts {r['attempts']}: {r['last_error']}")
        if r["status"] == "pending" and (r["next_attempt_at"] or "") > outbox.iso(now):
            route = app.config.alerts.route(r["route"])
            why = "end of quiet hours" if route and quiet.quiet_until(route, now) else "retry"
            click.echo(f"        waits until {r['next_attempt_at']} ({why})")
    counts = outbox.counts(app.db)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))


@alerts_group.command("routes")
@click.pass_obj
def routes_command(app: App) -> None:
    """Every route: where it goes, what it takes, its digest schedule and quiet hours."""
    alerts = app.config.alerts
    now = outbox.as_utc(app.clock.now())
    for route in alerts.effective_routes:
        click.echo(f"{route.name}: tag {route.tag}, {route.mode}, template {route.template}")
        click.echo(f"    stories: {_filters(route)}")
        click.echo(f"    digest: {_schedule(route)}")
        click.echo(f"    quiet hours: {quiet.describe(route, now)}")
    if alerts.operator.tag:
        click.echo(f"operator: tag {alerts.operator.tag}, template {alerts.operator.template} (never quiet)")


def _filters(route: RouteConfig) -> str:
    parts = [f"{name} {', '.join(getattr(route, name))}"
             for name in ("nationalities", "locations", "statuses", "sources") if getattr(route, name)]
    if route.new_incident:
        parts.append("new incidents only")
    if route.min_score:
        parts.append(f"score >= {route.min_score:g}")
    return "; ".join(parts) or "every relevant story"


def _schedule(route: RouteConfig) -> str:
    parts = [f"at {', '.join(route.digest_times)} {route.timezone}"] if route.digest_times else []
    if route.digest_every:
        parts.append(f"every {route.digest_every / 3600:g} h")
    if route.digest_min_items:
        parts.append(f"when {route.digest_min_items} stories wait")
    return "; ".join(parts)


@alerts_group.command("retry")
@click.argument("alert_id", type=int)
@click.pass_obj
def retry_command(app: App, alert_id: int) -> None:
    """Make a failed or held alert due again (sent by the next `scamwatch alert`)."""
    if not outbox.retry(app.db, alert_id, outbox.as_utc(app.clock.now())):
        raise click.ClickException(f"alert {alert_id} does not exist or was already sent")
    click.echo(f"alert {alert_id} is pending again; `scamwatch alert` sends it")


COMMANDS: list[click.Command] = [alert_command, alerts_group]
