"""The kernel every edunode service shares: settings, database, errors, pagination, events,
the outbox/inbox backbone over NATS JetStream, auth primitives, logging and metrics.

Nothing here knows a domain: services import `shared`, never each other.
"""
