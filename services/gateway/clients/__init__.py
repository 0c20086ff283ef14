"""OAuth2 clients (client credentials) and the access tokens issued to them.

`create_client` is the entry point `edunode clients create` calls.
"""

from services.gateway.clients.service import create_client, create_client_async

__all__ = ["create_client", "create_client_async"]
