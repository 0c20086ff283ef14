"""Through the node's front door: a real gateway in front of the real credentials service,
both on sockets. Issuing needs the university's token; verifying needs none."""

from __future__ import annotations

import uuid

import httpx

from services.credentials.app import create_app
from services.gateway.app import create_app as create_gateway_app
from tests.conftest import MakeToken, ServiceLauncher, TokenKeys
from tests.credentials.conftest import Federation, credentials_settings, university
from tests.credentials.test_diplomas import DIPLOMA
from tests.gateway.conftest import Stubs, gateway_settings, serve
from tests.recognition.factories import institution_event


async def test_issue_and_verify_through_the_gateway(
    services: ServiceLauncher,
    federation: Federation,
    make_token: MakeToken,
    stubs: Stubs,
    gateway_database_url: str,
    token_keys: TokenKeys,
) -> None:
    node = federation.nodes["CN"]
    app = create_app(credentials_settings(services, federation, "CN"))
    credentials_url = await services.stack.enter_async_context(serve(app))
    institution = institution_event(
        node=node, name="Peking University", country="CN", institution_id=uuid.uuid4()
    )
    runtime = app.state.runtime
    async with runtime.database.session() as session:
        await runtime.apply_event(session, institution)
    settings = gateway_settings(
        stubs,
        gateway_database_url,
        token_keys,
        credentials_url=credentials_url,
        upstream_timeout_seconds=10.0,
    )
    async with (
        serve(create_gateway_app(settings)) as gateway_url,
        httpx.AsyncClient(base_url=gateway_url, timeout=10) as gateway,
    ):
        refused = await gateway.post("/v1/credentials/diplomas", json=DIPLOMA)
        assert refused.status_code == 401
        headers = university(make_token, node, uuid.UUID(str(institution.data["id"])))
        issued = await gateway.post("/v1/credentials/diplomas", json=DIPLOMA, headers=headers)
        assert issued.status_code == 201, issued.text
        report = await gateway.post(
            "/v1/credentials/verify", json={"credential": issued.json()["jwt"]}
        )
        assert report.status_code == 200, report.text
        assert report.json()["valid"] is True
        document = (await gateway.get("/openapi.json")).json()
        assert "/v1/credentials/verify" in document["paths"]
