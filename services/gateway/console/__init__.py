"""The console (`/console`, docs/console.md): the web application for the people who run a
node — recognition officers, QA agencies' staff, universities' offices, the node's admins.

Its pages are server-rendered (Jinja2) plain forms. Its people are users of the gateway's own
database (`models.py`), signed in with argon2-hashed passwords into server-side sessions; every
action they take is a call to the node's services over the same HTTP API as any client, with a
short-lived token of the user's role (`api.py`), so the services' own authority checks decide and
their audit trail names the person (`user:<username>`).
"""
