"""The gateway with its upstream client swapped for aiohttp's, for `bench/gateway.py` to decide
whether the hand-written client (`services/gateway/upstream_client.py`) earns its keep: the same
gateway, the same work per request, only the HTTP client differs.

    EDUNODE_GATEWAY_...=… python -m bench._gateway_on_aiohttp

The session is tuned as a proxy between a node's own services needs it: no connection limit
(the hand-written pool has none), keep-alive shorter than uvicorn's 5 s, no cookie jar, no
decompression, no default headers, and the gateway's connect and read timeouts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from yarl import URL

import services.gateway.runtime
from edunode.serve import serve
from services.gateway.settings import GatewaySettings
from services.gateway.upstream_client import (
    KEEPALIVE_SECONDS,
    Origin,
    UpstreamBroken,
    UpstreamTimeout,
    UpstreamUnavailable,
)


class AiohttpResponse:
    """`UpstreamResponse`'s interface on an aiohttp response."""

    __slots__ = ("_response", "headers", "status")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status = response.status
        self.headers = response.raw_headers

    async def read_chunk(self) -> bytes:
        try:
            return await self._response.content.readany()
        except TimeoutError:
            raise UpstreamTimeout("the service did not answer in time") from None
        except aiohttp.ClientError as error:
            raise UpstreamBroken(str(error)) from None

    @property
    def at_end(self) -> bool:
        return self._response.content.at_eof()

    async def read(self) -> bytes:
        chunks = []
        while chunk := await self.read_chunk():
            chunks.append(chunk)
        return b"".join(chunks)

    def release(self) -> None:
        if self._response.content.at_eof():
            self._response.release()  # back to the pool
        else:
            self._response.close()


class AiohttpUpstreamClient:
    """`UpstreamClient`'s interface on one aiohttp session."""

    def __init__(self, *, connect_timeout: float, read_timeout: float) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_SECONDS),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent"),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=connect_timeout, sock_read=read_timeout
            ),
        )
        self._bases: dict[Origin, str] = {}

    async def request(
        self,
        origin: Origin,
        method: str,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes | AsyncIterator[bytes] | None = None,
    ) -> AiohttpResponse:
        base = self._bases.get(origin)
        if base is None:
            base = self._bases[origin] = "http://" + origin.host_header.decode("ascii")
        try:
            response = await self._session.request(
                method,
                URL(base + target.decode("latin-1"), encoded=True),  # as received
                headers=[
                    (name.decode("latin-1"), value.decode("latin-1")) for name, value in headers
                ],
                data=body,
                allow_redirects=False,
            )
        except aiohttp.ConnectionTimeoutError as error:
            raise UpstreamTimeout(str(error)) from None
        except aiohttp.ClientConnectorError as error:
            raise UpstreamUnavailable(str(error)) from None
        except TimeoutError:
            raise UpstreamTimeout("the service did not answer in time") from None
        except aiohttp.ClientError as error:
            raise UpstreamBroken(str(error)) from None
        return AiohttpResponse(response)

    async def get(self, url: str, *, timeout: float) -> tuple[int, bytes]:
        async with asyncio.timeout(timeout), self._session.get(url) as response:
            return response.status, await response.read()

    async def close(self) -> None:
        await self._session.close()


def aiohttp_upstream_client(settings: GatewaySettings) -> AiohttpUpstreamClient:
    return AiohttpUpstreamClient(
        connect_timeout=settings.upstream_connect_timeout_seconds,
        read_timeout=settings.upstream_timeout_seconds,
    )


if __name__ == "__main__":
    # Swapped where the gateway's runtime builds its client; nothing else changes.
    setattr(services.gateway.runtime, "new_upstream_client", aiohttp_upstream_client)  # noqa: B010
    serve("gateway")
