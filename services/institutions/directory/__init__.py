"""The directory's read side: what one process holds in memory to search, match and read
institutions fast, and how it stays in step with the database.

    records.py text.py countries.py   what the engine knows of an institution; text folding
    index.py                          DirectoryIndex: multilingual fuzzy search (pure, no I/O)
    affiliation.py evidence.py        reading an affiliation string; the names it holds
    matcher.py                        scoring those, and choosing the institution named
    cache.py                          the read cache: each institution's read as JSON bytes
    memory.py changes.py              Directory: index + cache, and what a transaction changed
    follower.py repository.py         loading and following the database (its SQL)
    service.py dependencies.py        the reads (JSON bytes joined from the cache)
    router.py responses.py schemas.py their HTTP routes

A module imports from its own line and the lines above, never below (the layers contract in
`pyproject.toml`, which import-linter checks).
"""

from services.institutions.directory.memory import Directory

__all__ = ["Directory"]
