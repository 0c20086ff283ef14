"""In-memory institution search and affiliation matching (pure Python, no I/O)."""

from services.institutions.search.index import (
    DirectoryIndex,
    Hit,
    InvalidCursor,
    MatchCandidate,
    SearchResult,
)
from services.institutions.search.records import IndexedName, IndexRecord

__all__ = [
    "DirectoryIndex",
    "Hit",
    "IndexRecord",
    "IndexedName",
    "InvalidCursor",
    "MatchCandidate",
    "SearchResult",
]
