"""The register of this node's institutions: the writes an owner makes (create, update,
relations, identifiers), the records' shape, and the peers' records applied as read-only replicas.
Reading, searching and matching are the directory's (`directory/`)."""
