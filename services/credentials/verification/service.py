"""Verification, on any node and with no token: every check a credential passes or fails,
with its reason. Everything it reads is this node's own — the trust list, the replicated
status lists and the copy of the directory — so it works with the issuer unreachable.

A failed signature stops the checks that would read the credential's content: what an
unsigned or tampered credential says is not evidence of anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.credentials import documents, jose
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.status import bitstring
from services.credentials.status.models import REVOCATION, SUSPENSION
from services.credentials.status.repository import StatusListRepository
from services.credentials.verification.levels import claim_of, compare_levels
from services.credentials.verification.quality import QualityLookup
from services.credentials.verification.schemas import (
    CheckOutcome,
    LevelComparison,
    QualityFinding,
    VerificationCheck,
    VerificationReport,
)
from shared.signing import node_of_key_id
from shared.timestamps import utcnow
from shared.trust import TrustedKey, TrustedNode, TrustList

CHECKS = (
    "format",
    "algorithm",
    "key",
    "signature",
    "issuer",
    "authority",
    "institution",
    "validity_period",
    "status",
)


class _Failed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Report:
    checks: list[VerificationCheck] = field(default_factory=list)

    def ok(self, name: str, reason: str) -> None:
        self.checks.append(VerificationCheck(name=name, outcome=CheckOutcome.OK, reason=reason))

    def failed(self, name: str, reason: str) -> None:
        self.checks.append(VerificationCheck(name=name, outcome=CheckOutcome.FAILED, reason=reason))

    def rest_not_checked(self, reason: str) -> None:
        done = {check.name for check in self.checks}
        for name in CHECKS:
            if name not in done:
                self.checks.append(
                    VerificationCheck(name=name, outcome=CheckOutcome.NOT_CHECKED, reason=reason)
                )

    @property
    def valid(self) -> bool:
        return all(check.outcome is CheckOutcome.OK for check in self.checks)


def _moment(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise _Failed(f"`{name}` is missing or not a date-time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Failed(f"`{name}` {value!r} is not an XML Schema dateTimeStamp") from None
    if moment.tzinfo is None:
        raise _Failed(f"`{name}` {value!r} has no time zone")
    return moment


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


class VerificationService:
    def __init__(
        self,
        session: AsyncSession,
        trust: TrustList | None,
        *,
        countries: Sequence[str] = (),
        quality: QualityLookup | None = None,
    ) -> None:
        """`countries`: those this node has authority over, whose frameworks the credential's
        level is compared with; `quality`: this node's quality service."""
        self.session = session
        self.trust = trust
        self.countries = countries
        self.quality = quality
        self.status_lists = StatusListRepository(session)
        self.institutions = InstitutionRepository(session)

    async def verify(self, token: str) -> VerificationReport:
        report = _Report()
        try:
            parsed = jose.read(token)
        except jose.NotACredential as error:
            report.failed("format", f"not a vc+jwt credential: {error}")
            report.rest_not_checked("the credential could not be read")
            return VerificationReport(valid=False, checks=report.checks)
        header, credential = parsed.header, parsed.payload
        credential_id = credential.get("id")
        signed = await self._signature(report, token, header, credential)
        levels: list[LevelComparison] = []
        quality = None
        if signed is None:
            report.rest_not_checked("the signature was not verified: the content proves nothing")
        else:
            await self._content(report, signed[0], credential)
            levels = compare_levels(credential, self.countries)
            quality = await self._quality(credential)
        return VerificationReport(
            valid=report.valid,
            checks=report.checks,
            levels=levels,
            quality=quality,
            credential=credential,
            credential_id=credential_id if isinstance(credential_id, str) else None,
            issuer_node=signed[0].id if signed is not None else None,
        )

    async def _quality(self, credential: dict[str, Any]) -> QualityFinding:
        claim = claim_of(credential)
        evidence = next(
            (
                str(item["qaStatus"])
                for item in credential.get("evidence") or []
                if isinstance(item, dict)
                and "QualityAssuranceStatus" in _types(item.get("type"))
                and isinstance(item.get("qaStatus"), str)
            ),
            None,
        )
        body = claim.get("awardedBy")
        institution_id = documents.institution_of(
            body.get("id") if isinstance(body, dict) else None
        )
        try:
            award_date = date.fromisoformat(str(claim.get("awardedOnDate")))
        except ValueError:
            return QualityFinding(
                evidence_status=evidence, reason="the credential gives no valid award date"
            )
        if institution_id is None or self.quality is None:
            return QualityFinding(
                award_date=award_date,
                evidence_status=evidence,
                reason="not asked: this node has no quality service configured"
                if institution_id is not None
                else "not asked: the credential names no directory institution",
            )
        answer = await self.quality.status_at(institution_id, award_date)
        if answer.status is None:
            return QualityFinding(
                award_date=award_date, evidence_status=evidence, reason=str(answer.note)
            )
        agrees = evidence == answer.status if evidence not in (None, "unknown") else None
        return QualityFinding(
            award_date=award_date,
            status=answer.status,
            evidence_status=evidence,
            agrees=agrees,
            reason=f"{answer.status} on {award_date.isoformat()} by the evaluations this node "
            "holds"
            + (
                ""
                if agrees is None
                else "; the issuer's evidence says the same"
                if agrees
                else f"; the issuer's evidence says {evidence!r}"
            ),
        )

    async def _signature(
        self, report: _Report, token: str, header: dict[str, Any], credential: dict[str, Any]
    ) -> tuple[TrustedNode, TrustedKey] | None:
        contexts = credential.get("@context")
        if header.get("typ") != jose.VC_JWT_TYPE:
            report.failed("format", f"the header's `typ` is {header.get('typ')!r}, not vc+jwt")
            return None
        if not isinstance(contexts, list) or contexts[:1] != [documents.VC_CONTEXT]:
            report.failed("format", f"`@context` does not start with {documents.VC_CONTEXT}")
            return None
        if documents.VC_TYPE not in _types(credential.get("type")):
            report.failed("format", "`type` does not include VerifiableCredential")
            return None
        report.ok("format", "a W3C VCDM 2.0 credential secured as vc+jwt")
        if header.get("alg") != jose.ALGORITHM:
            report.failed(
                "algorithm", f"`alg` is {header.get('alg')!r}: only {jose.ALGORITHM} is accepted"
            )
            return None
        report.ok("algorithm", jose.ALGORITHM)
        try:
            node, key = self._key(header.get("kid"), credential)
        except _Failed as failure:
            report.failed("key", failure.reason)
            return None
        report.ok("key", f"{key.kid} of node {node.id}, valid at the credential's validFrom")
        if not jose.signature_valid(token, key.public_key.encode()):
            report.failed(
                "signature", f"the signature does not verify with {key.kid}: altered or forged"
            )
            return None
        report.ok("signature", f"signed with {key.kid}")
        return node, key

    def _key(self, kid: object, credential: dict[str, Any]) -> tuple[TrustedNode, TrustedKey]:
        if not isinstance(kid, str) or not kid:
            raise _Failed("the header names no `kid`")
        if self.trust is None:
            raise _Failed("this node has no trust list to find keys in")
        node = self.trust.node(node_of_key_id(kid))
        if node is None:
            raise _Failed(f"the key's node {node_of_key_id(kid)!r} is not in the trust list")
        key = next((k for k in node.keys if k.kid == kid), None)
        if key is None:
            raise _Failed(f"unknown key id {kid!r}")
        valid_from = _moment(credential.get("validFrom"), "validFrom")
        if not key.valid_at(valid_from):
            raise _Failed(f"key {kid!r} was not valid at {valid_from.isoformat()}")
        return node, key

    async def _content(
        self, report: _Report, node: TrustedNode, credential: dict[str, Any]
    ) -> None:
        issuer = documents.node_of_issuer(credential.get("issuer"))
        if issuer != node.id:
            report.failed("issuer", f"the issuer is {issuer!r} but node {node.id!r} signed it")
        else:
            report.ok("issuer", f"issued and signed by node {node.id}")
        body = documents.awarding_body(credential)
        country = body.get("country")
        if not isinstance(country, str) or country.upper() not in node.countries:
            report.failed(
                "authority",
                f"node {node.id!r} has no authority over {country!r}, the institution's country",
            )
        else:
            report.ok("authority", f"node {node.id} has authority over {country.upper()}")
        await self._institution(report, body, credential)
        self._period(report, credential)
        await self._status(report, node, documents.status_entries(credential))

    async def _institution(
        self, report: _Report, body: dict[str, Any], credential: dict[str, Any]
    ) -> None:
        institution_id = documents.institution_of(body.get("id"))
        authorities = {documents.STATEMENT_TYPE, documents.EVALUATION_TYPE}
        if institution_id is None and authorities & set(_types(credential.get("type"))):
            # A recognition authority or a QA agency stands behind it: no institution.
            report.ok("institution", f"issued on the authority of {body.get('id')}")
            return
        if institution_id is None:
            report.failed("institution", "the credential names no directory institution")
            return
        institution = await self.institutions.institution(institution_id)
        if institution is None:
            report.failed(
                "institution", f"institution {institution_id} is not in the federation's directory"
            )
        elif institution.country != str(body.get("country", "")).upper():
            report.failed(
                "institution",
                f"the directory places institution {institution_id} in {institution.country}",
            )
        else:
            report.ok("institution", f"{institution.name} ({institution.country}) in the directory")

    def _period(self, report: _Report, credential: dict[str, Any]) -> None:
        now = utcnow()
        try:
            valid_from = _moment(credential.get("validFrom"), "validFrom")
            valid_until = (
                _moment(credential["validUntil"], "validUntil")
                if "validUntil" in credential
                else None
            )
        except _Failed as failure:
            report.failed("validity_period", failure.reason)
            return
        if valid_from > now:
            report.failed("validity_period", f"not valid before {valid_from.isoformat()}")
        elif valid_until is not None and valid_until <= now:
            report.failed("validity_period", f"expired at {valid_until.isoformat()}")
        else:
            report.ok("validity_period", f"valid since {valid_from.isoformat()}")

    async def _status(self, report: _Report, node: TrustedNode, entries: list[object]) -> None:
        """Every status entry's bit: revoked (final) or suspended (reversible; why stays
        with the issuer, as it may speak of the holder). A credential must have a revocation
        entry; a suspension entry is optional."""
        try:
            purposes = [_purpose(entry) for entry in entries]
            if REVOCATION not in purposes:
                raise _Failed("no revocation entry: the issuer gave no way to revoke it")
            set_bits = {
                purpose
                for purpose, entry in zip(purposes, entries, strict=True)
                if await self._bit(node, entry)
            }
        except _Failed as failure:
            report.failed("status", failure.reason)
            return
        if REVOCATION in set_bits:
            report.failed("status", "revoked by its issuer")
        elif SUSPENSION in set_bits:
            report.failed(
                "status",
                "suspended by its issuer (reversible; the reason is kept by the issuing node)",
            )
        else:
            checked = " and ".join(sorted(set(purposes)))
            report.ok(
                "status",
                "not revoked (the issuer's status list as this node holds it)"
                + (", not suspended" if SUSPENSION in purposes else "")
                + f" — {checked} checked",
            )

    async def _bit(self, node: TrustedNode, entry: object) -> bool:
        assert isinstance(entry, dict)  # _purpose checked it
        list_id = documents.status_list_of(entry.get("statusListCredential"))
        if list_id is None:
            raise _Failed("the status list URL names no status list")
        index_text = entry.get("statusListIndex")
        if not isinstance(index_text, str) or not index_text.isdigit() or len(index_text) > 9:
            raise _Failed(f"the status list index {index_text!r} is not a non-negative integer")
        index = int(index_text)
        status_list = await self.status_lists.status_list(list_id)
        if status_list is None or status_list.origin_node != node.id:
            raise _Failed(f"node {node.id}'s status list {list_id} is not known at this node")
        if status_list.purpose != entry.get("statusPurpose"):
            raise _Failed(f"status list {list_id} is a {status_list.purpose} list")
        if index >= status_list.size:
            raise _Failed(f"index {index} is outside the list's {status_list.size} entries")
        try:
            bits = bitstring.decode(status_list.encoded_list)
        except bitstring.BadStatusList as error:
            raise _Failed(f"the status list cannot be read: {error}") from None
        if index >= len(bits) * 8:
            raise _Failed(f"index {index} is outside the list as published")
        return bitstring.get(bits, index)


def _purpose(entry: object) -> str:
    if not isinstance(entry, dict) or entry.get("type") != documents.STATUS_ENTRY_TYPE:
        raise _Failed("a status entry is not a BitstringStatusListEntry")
    purpose = entry.get("statusPurpose")
    if purpose not in (REVOCATION, SUSPENSION):
        raise _Failed(f"unknown status purpose {purpose!r}")
    return str(purpose)
