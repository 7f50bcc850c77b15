"""Alert routing, templates, outbox and delivery through Apprise.

Flow of one pass (:func:`alerts.stage.alert_due`)::

    stories (via alerts.source) → routing.decide (fan-out, bands, updates)
      → outbox rows (immediate) | digest entries (digest routes, review band, over rate limit)
      → due digests → outbox rows;  operator checks → outbox rows
      (a route's quiet hours hold its rows and digests until they end: alerts.quiet)
      → dispatch: claim (lease) → Apprise, one service at a time → record → sent

Delivery guarantee: nothing is lost (every alert is an ``alerts`` row before any send and ends
``sent``, ``failed`` or ``held``, never silently dropped) and nothing is sent twice to a service
that accepted it, except in one window: the process dying between a service accepting the
message and the one-row commit that records it. What happens then is ``alerts.unknown_outcome``:
``resend`` (default, at-least-once: the repeat carries a "may repeat" note) or ``hold``
(at-most-once: the operator is told and ``scamwatch alerts retry ID`` resends).
See :mod:`alerts.dispatch` and :mod:`alerts.outbox`.
"""
