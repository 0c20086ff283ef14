"""What the institutions API reads and writes, and what its events carry.

`InstitutionContent` is the one validation path of a record's content: the API's create and
(merged) update, the bulk imports and the events applied from other nodes all go through it.
What the events carry is the published language's `contracts.institutions.InstitutionState`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Self

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    PlainSerializer,
    UrlConstraints,
    field_validator,
    model_validator,
)

from contracts.institutions import InstitutionState
from services.institutions import caps
from services.institutions.registry.models import (
    IdentifierResource,
    InstitutionStatus,
    InstitutionType,
    LegalStatus,
    NameKind,
    RelationshipType,
)
from services.institutions.vocabularies.codes import (
    is_country,
    is_language,
    isni_checksum_ok,
    normalize_ror_id,
    ror_checksum_ok,
)
from shared.caps import CODE_MAX, NAME_MAX, NAMES_MAX
from shared.fields import IsoDate, PartialUpdate, ReferenceSource


def _country(value: str) -> str:
    code = value.upper()
    if not is_country(code):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _language(value: str) -> str:
    code = value.lower()
    if not is_language(code):
        raise ValueError(f"{value!r} is not an ISO 639-1 language code")
    return code


Country = Annotated[
    str,
    Field(min_length=2, max_length=2, examples=["MY"], description="ISO 3166-1 alpha-2."),
    AfterValidator(_country),
]
Language = Annotated[
    str,
    Field(min_length=2, max_length=2, examples=["ms"], description="ISO 639-1."),
    AfterValidator(_language),
]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX, examples=["Universiti Malaya"])]
# A URL is kept as the normalised string pydantic makes of it, so equal URLs compare equal.
# The `website` column holds 500 characters: one is kept for the "/" that normalising a URL
# without a path adds, so that a longer URL is a 422, never a database error.
WEBSITE_MAX = 499
WebUrl = Annotated[
    HttpUrl, UrlConstraints(max_length=WEBSITE_MAX), PlainSerializer(str, return_type=str)
]


class NameEntry(BaseModel):
    """One name of an institution; historical names keep `valid_to` and stay searchable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Name
    lang: Language | None = None
    kind: NameKind = NameKind.OFFICIAL
    valid_to: IsoDate | None = Field(default=None, description="Last day the name was in use.")

    @field_validator("value")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a name cannot be blank")
        return value


_IDENTIFIER_SHAPES: dict[IdentifierResource, tuple[re.Pattern[str], str]] = {
    IdentifierResource.WIKIDATA: (re.compile(r"^Q[1-9][0-9]*$"), "a Wikidata item id (Q42)"),
    IdentifierResource.ETER: (re.compile(r"^[A-Z]{2}[0-9]{4}$"), "an ETER id (AT0001)"),
    IdentifierResource.DEQAR: (
        re.compile(r"^DEQARINST[0-9]{4,}$"),
        "a DEQAR institution id (DEQARINST0001)",
    ),
    IdentifierResource.ERASMUS: (
        re.compile(r"^[A-Z]{1,3} {0,2}[A-Z][A-Z-]{1,9}[0-9]{2,3}$"),
        "an Erasmus code (D  BERLIN01)",
    ),
    IdentifierResource.SCHAC: (
        re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"),
        "a SCHAC home organisation (a domain name, e.g. um.edu.my)",
    ),
    IdentifierResource.WHED: (re.compile(r"^IAU-[0-9]{6}$"), "a WHED id (IAU-012345)"),
    IdentifierResource.EU_PIC: (re.compile(r"^[0-9]{9}$"), "a 9-digit EU Participant Id Code"),
    IdentifierResource.ERASMUS_CHARTER: (
        re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,79}$"),
        "an Erasmus Charter (ECHE) number",
    ),
    IdentifierResource.NATIONAL: (re.compile(r"^\S(.{0,198}\S)?$"), "a code without blanks"),
    IdentifierResource.LOCAL: (re.compile(r"^\S(.{0,198}\S)?$"), "a code without blanks"),
}


def canonical_identifier(resource: IdentifierResource, value: str) -> str:
    """The canonical form of an identifier of `resource` (its check digits verified), or
    ValueError saying what shape was expected."""
    value = value.strip()
    if resource is IdentifierResource.ROR:
        ror_id = normalize_ror_id(value)
        if not ror_checksum_ok(ror_id):
            raise ValueError(f"{value!r} is not a ROR id (bad shape or checksum)")
        return ror_id
    if resource is IdentifierResource.ISNI:
        isni = value.replace(" ", "").replace("-", "").upper()
        if not isni_checksum_ok(isni):
            raise ValueError(f"{value!r} is not an ISNI (16 characters with a valid check)")
        return isni
    if resource is IdentifierResource.SCHAC:
        value = value.lower()
    elif resource in (IdentifierResource.ETER, IdentifierResource.DEQAR, IdentifierResource.WHED):
        value = value.upper()
    pattern, shape = _IDENTIFIER_SHAPES[resource]
    if not pattern.match(value):
        raise ValueError(f"{value!r} is not {shape}")
    return value


class Identifier(BaseModel):
    """An identifier of the institution in another registry, with its validity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resource: IdentifierResource
    value: str = Field(min_length=1, max_length=CODE_MAX, examples=["00rzspn62"])
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        object.__setattr__(self, "value", canonical_identifier(self.resource, self.value))
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from must not be after valid_to")
        return self


class Relationship(BaseModel):
    """`this institution <type> institution_id`, e.g. `campus_of` a foreign university."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: RelationshipType
    institution_id: uuid.UUID


class InstitutionContent(BaseModel):
    """Everything about an institution that its owner edits."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="The display name; it is always one of `names` too.")
    country: Country
    names: list[NameEntry] = Field(default_factory=list, max_length=NAMES_MAX)
    identifiers: list[Identifier] = Field(default_factory=list, max_length=caps.IDENTIFIERS_MAX)
    relationships: list[Relationship] = Field(
        default_factory=list, max_length=caps.RELATIONSHIPS_MAX
    )
    city: str | None = Field(
        default=None, min_length=1, max_length=caps.PLACE_MAX, examples=["Kuala Lumpur"]
    )
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geonames_id: int | None = Field(
        default=None,
        ge=1,
        description="The GeoNames id of the city, as ROR records it.",
        examples=[1735161],
    )
    website: WebUrl | None = Field(default=None, examples=["https://www.um.edu.my/"])
    type: InstitutionType = InstitutionType.UNIVERSITY
    legal_status: LegalStatus | None = None
    status: InstitutionStatus = InstitutionStatus.ACTIVE
    founded_on: IsoDate | None = None
    closed_on: IsoDate | None = None

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.founded_on and self.closed_on and self.founded_on > self.closed_on:
            raise ValueError("founded_on must not be after closed_on")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        if self.website is not None and self.website.scheme not in ("http", "https"):
            raise ValueError("website must be an http(s) URL")
        # Names: the display name first if missing, duplicates dropped, order kept.
        names = list(dict.fromkeys(self.names))
        if not any(entry.value == self.name for entry in names):
            names.insert(0, NameEntry(value=self.name))
        self.names = names
        seen: set[tuple[str, str]] = set()
        for identifier in self.identifiers:
            key = (identifier.resource.value, identifier.value)
            if key in seen:
                raise ValueError(f"identifier {key[0]}:{key[1]} is given twice")
            seen.add(key)
        self.relationships = list(dict.fromkeys(self.relationships))
        return self

    def content_hash(self) -> str:
        """A digest of the content: equal content, equal hash (whatever the input's order of
        keys)."""
        return hash_of_dump(self.model_dump(mode="json"))


def hash_of_dump(dumped: dict[str, Any]) -> str:
    """The content hash of `InstitutionContent.model_dump(mode="json")`. Fields added later
    are hashed only when set, so that the hashes of records without them do not change."""
    if dumped.get("geonames_id") is None:
        dumped = {key: value for key, value in dumped.items() if key != "geonames_id"}
    return hashlib.sha256(orjson.dumps(dumped, option=orjson.OPT_SORT_KEYS)).hexdigest()


class InstitutionCreate(InstitutionContent):
    """A new institution of a country this node has authority over; or, with its
    `reference_source`, a reference record of a country no node has authority over (node
    admin only)."""

    reference_source: ReferenceSource | None = None


class InstitutionUpdate(PartialUpdate):
    """A partial update: fields left out keep their value; `names`, `identifiers` and
    `relationships` are replaced as a whole when given. Closing is a status change (plus
    `closed_on`), never a delete."""

    not_null = ("name", "type", "status")

    name: Name | None = None
    names: list[NameEntry] | None = Field(default=None, max_length=NAMES_MAX)
    identifiers: list[Identifier] | None = Field(default=None, max_length=caps.IDENTIFIERS_MAX)
    relationships: list[Relationship] | None = Field(
        default=None, max_length=caps.RELATIONSHIPS_MAX
    )
    city: str | None = Field(default=None, min_length=1, max_length=caps.PLACE_MAX)
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = Field(default=None, ge=1)
    website: WebUrl | None = None
    type: InstitutionType | None = None
    legal_status: LegalStatus | None = None
    status: InstitutionStatus | None = None
    founded_on: IsoDate | None = None
    closed_on: IsoDate | None = None


class InstitutionRead(InstitutionContent):
    """An institution as the directory publishes it. `relationships` include the inverse of
    those other institutions declare towards this one."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    origin_node: str = Field(description="The node that owns (and alone may change) the record.")
    is_reference: bool = Field(
        default=False,
        description="A reference record of a country no node has authority over: loaded from a "
        "registry (e.g. ROR) or entered by a node admin with its source; superseded by the "
        "owner's record when that country's node publishes it.",
    )
    reference_source: str | None = Field(
        default=None, description="Where a reference record's facts come from."
    )
    superseded_by: uuid.UUID | None = Field(
        default=None,
        description="The owner's record that superseded this reference record: read that one.",
    )
    qa_status: str | None = Field(
        default=None, description="The QA status the quality service last published."
    )
    version: int
    created_at: datetime
    updated_at: datetime


def content_of(values: dict[str, Any]) -> InstitutionContent:
    """Validate content from a mapping that may hold more (e.g. a stored row's fields)."""
    return InstitutionContent.model_validate(
        {key: values[key] for key in InstitutionContent.model_fields if key in values}
    )


def content_of_state(state: InstitutionState) -> InstitutionContent:
    """The content an event's state carries, validated as the owner's entry was (the
    contract's defaults are the content's)."""
    return InstitutionContent.model_validate(state, from_attributes=True)
