"""The free-text matcher's name index: built once per country and reused across assessments,
rebuilt when the replica's names change, whoever applied the change."""

from __future__ import annotations

import uuid

from services.recognition.replicas import service as replicas
from services.recognition.replicas.service import name_index
from tests.recognition.conftest import StartNode
from tests.recognition.factories import institution_event


async def test_name_index_is_reused_until_the_names_change(start_recognition: StartNode) -> None:
    node = await start_recognition("cn")
    institution_id = uuid.uuid4()
    await node.apply(
        institution_event(
            node="my", name="Universiti Malaya", country="MY", institution_id=institution_id
        ),
        institution_event(node="my", name="Universiti Putra Malaysia", country="MY"),
    )
    database = node.running.runtime.database
    # Built as the events were applied, before any assessment asked for it.
    assert [key for key in replicas._NAME_INDEXES if key[1] == "MY"]
    async with database.session() as session:
        first, first_digest = await name_index(session, "MY")
        again, again_digest = await name_index(session, "MY")
    assert again is first and again_digest == first_digest
    assert first.rank("Univ. Malaya")[0].institution_id == str(institution_id)

    await node.apply(
        institution_event(
            node="my",
            name="Universiti Teknologi Petronas",
            country="MY",
            institution_id=institution_id,
            version=2,
        )
    )
    async with database.session() as session:
        renamed, renamed_digest = await name_index(session, "MY")
    assert renamed is not first and renamed_digest != first_digest
    best = renamed.rank("Teknologi Petronas")[0]
    assert best.institution_id == str(institution_id)
    assert best.name == "Universiti Teknologi Petronas"
    assert all(m.name != "Universiti Malaya" for m in renamed.rank("Universiti Malaya"))
