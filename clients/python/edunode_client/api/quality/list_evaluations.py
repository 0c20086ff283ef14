import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.activity_type import ActivityType
from ...models.decision import Decision
from ...models.evaluation_status import EvaluationStatus
from ...models.flag_level import FlagLevel
from ...models.page_evaluation_read import PageEvaluationRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    agency: None | Unset | UUID = UNSET,
    institution: None | Unset | UUID = UNSET,
    country: None | str | Unset = UNSET,
    activity_type: ActivityType | None | Unset = UNSET,
    decision: Decision | None | Unset = UNSET,
    status: EvaluationStatus | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    valid_on: datetime.date | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    flag: FlagLevel | None | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    include_withdrawn: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_agency: None | str | Unset
    if isinstance(agency, Unset):
        json_agency = UNSET
    elif isinstance(agency, UUID):
        json_agency = str(agency)
    else:
        json_agency = agency
    params["agency"] = json_agency

    json_institution: None | str | Unset
    if isinstance(institution, Unset):
        json_institution = UNSET
    elif isinstance(institution, UUID):
        json_institution = str(institution)
    else:
        json_institution = institution
    params["institution"] = json_institution

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_activity_type: None | str | Unset
    if isinstance(activity_type, Unset):
        json_activity_type = UNSET
    elif isinstance(activity_type, ActivityType):
        json_activity_type = activity_type.value
    else:
        json_activity_type = activity_type
    params["activity_type"] = json_activity_type

    json_decision: None | str | Unset
    if isinstance(decision, Unset):
        json_decision = UNSET
    elif isinstance(decision, Decision):
        json_decision = decision.value
    else:
        json_decision = decision
    params["decision"] = json_decision

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, EvaluationStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_active: bool | None | Unset
    if isinstance(active, Unset):
        json_active = UNSET
    else:
        json_active = active
    params["active"] = json_active

    json_valid_on: None | str | Unset
    if isinstance(valid_on, Unset):
        json_valid_on = UNSET
    elif isinstance(valid_on, datetime.date):
        json_valid_on = valid_on.isoformat()
    else:
        json_valid_on = valid_on
    params["valid_on"] = json_valid_on

    json_year: int | None | Unset
    if isinstance(year, Unset):
        json_year = UNSET
    else:
        json_year = year
    params["year"] = json_year

    json_flag: None | str | Unset
    if isinstance(flag, Unset):
        json_flag = UNSET
    elif isinstance(flag, FlagLevel):
        json_flag = flag.value
    else:
        json_flag = flag
    params["flag"] = json_flag

    json_origin_node: None | str | Unset
    if isinstance(origin_node, Unset):
        json_origin_node = UNSET
    else:
        json_origin_node = origin_node
    params["origin_node"] = json_origin_node

    params["include_withdrawn"] = include_withdrawn

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quality/evaluations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageEvaluationRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageEvaluationRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageEvaluationRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    agency: None | Unset | UUID = UNSET,
    institution: None | Unset | UUID = UNSET,
    country: None | str | Unset = UNSET,
    activity_type: ActivityType | None | Unset = UNSET,
    decision: Decision | None | Unset = UNSET,
    status: EvaluationStatus | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    valid_on: datetime.date | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    flag: FlagLevel | None | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    include_withdrawn: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageEvaluationRead | Problem]:
    """Search evaluations

     DEQAR's report search over every evaluation this node knows (its own and replicas), in
    a stable order, one page at a time. Public: no token needed. High-flagged evaluations stay
    hidden until a node admin clears them (the node admin, and the agency itself, see them).

    Args:
        agency (None | Unset | UUID): The evaluating agency.
        institution (None | Unset | UUID): An institution covered.
        country (None | str | Unset): Country of an institution covered.
        activity_type (ActivityType | None | Unset):
        decision (Decision | None | Unset):
        status (EvaluationStatus | None | Unset):
        active (bool | None | Unset): Valid today and not withdrawn (or, if false, not).
        valid_on (datetime.date | None | Unset): Valid on this date.
        year (int | None | Unset): Valid at some time in this year.
        flag (FlagLevel | None | Unset):
        origin_node (None | str | Unset):
        include_withdrawn (bool | Unset): Also withdrawn evaluations. Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEvaluationRead | Problem]
    """

    kwargs = _get_kwargs(
        agency=agency,
        institution=institution,
        country=country,
        activity_type=activity_type,
        decision=decision,
        status=status,
        active=active,
        valid_on=valid_on,
        year=year,
        flag=flag,
        origin_node=origin_node,
        include_withdrawn=include_withdrawn,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    agency: None | Unset | UUID = UNSET,
    institution: None | Unset | UUID = UNSET,
    country: None | str | Unset = UNSET,
    activity_type: ActivityType | None | Unset = UNSET,
    decision: Decision | None | Unset = UNSET,
    status: EvaluationStatus | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    valid_on: datetime.date | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    flag: FlagLevel | None | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    include_withdrawn: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageEvaluationRead | Problem | None:
    """Search evaluations

     DEQAR's report search over every evaluation this node knows (its own and replicas), in
    a stable order, one page at a time. Public: no token needed. High-flagged evaluations stay
    hidden until a node admin clears them (the node admin, and the agency itself, see them).

    Args:
        agency (None | Unset | UUID): The evaluating agency.
        institution (None | Unset | UUID): An institution covered.
        country (None | str | Unset): Country of an institution covered.
        activity_type (ActivityType | None | Unset):
        decision (Decision | None | Unset):
        status (EvaluationStatus | None | Unset):
        active (bool | None | Unset): Valid today and not withdrawn (or, if false, not).
        valid_on (datetime.date | None | Unset): Valid on this date.
        year (int | None | Unset): Valid at some time in this year.
        flag (FlagLevel | None | Unset):
        origin_node (None | str | Unset):
        include_withdrawn (bool | Unset): Also withdrawn evaluations. Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEvaluationRead | Problem
    """

    return sync_detailed(
        client=client,
        agency=agency,
        institution=institution,
        country=country,
        activity_type=activity_type,
        decision=decision,
        status=status,
        active=active,
        valid_on=valid_on,
        year=year,
        flag=flag,
        origin_node=origin_node,
        include_withdrawn=include_withdrawn,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    agency: None | Unset | UUID = UNSET,
    institution: None | Unset | UUID = UNSET,
    country: None | str | Unset = UNSET,
    activity_type: ActivityType | None | Unset = UNSET,
    decision: Decision | None | Unset = UNSET,
    status: EvaluationStatus | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    valid_on: datetime.date | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    flag: FlagLevel | None | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    include_withdrawn: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageEvaluationRead | Problem]:
    """Search evaluations

     DEQAR's report search over every evaluation this node knows (its own and replicas), in
    a stable order, one page at a time. Public: no token needed. High-flagged evaluations stay
    hidden until a node admin clears them (the node admin, and the agency itself, see them).

    Args:
        agency (None | Unset | UUID): The evaluating agency.
        institution (None | Unset | UUID): An institution covered.
        country (None | str | Unset): Country of an institution covered.
        activity_type (ActivityType | None | Unset):
        decision (Decision | None | Unset):
        status (EvaluationStatus | None | Unset):
        active (bool | None | Unset): Valid today and not withdrawn (or, if false, not).
        valid_on (datetime.date | None | Unset): Valid on this date.
        year (int | None | Unset): Valid at some time in this year.
        flag (FlagLevel | None | Unset):
        origin_node (None | str | Unset):
        include_withdrawn (bool | Unset): Also withdrawn evaluations. Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEvaluationRead | Problem]
    """

    kwargs = _get_kwargs(
        agency=agency,
        institution=institution,
        country=country,
        activity_type=activity_type,
        decision=decision,
        status=status,
        active=active,
        valid_on=valid_on,
        year=year,
        flag=flag,
        origin_node=origin_node,
        include_withdrawn=include_withdrawn,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    agency: None | Unset | UUID = UNSET,
    institution: None | Unset | UUID = UNSET,
    country: None | str | Unset = UNSET,
    activity_type: ActivityType | None | Unset = UNSET,
    decision: Decision | None | Unset = UNSET,
    status: EvaluationStatus | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    valid_on: datetime.date | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    flag: FlagLevel | None | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    include_withdrawn: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageEvaluationRead | Problem | None:
    """Search evaluations

     DEQAR's report search over every evaluation this node knows (its own and replicas), in
    a stable order, one page at a time. Public: no token needed. High-flagged evaluations stay
    hidden until a node admin clears them (the node admin, and the agency itself, see them).

    Args:
        agency (None | Unset | UUID): The evaluating agency.
        institution (None | Unset | UUID): An institution covered.
        country (None | str | Unset): Country of an institution covered.
        activity_type (ActivityType | None | Unset):
        decision (Decision | None | Unset):
        status (EvaluationStatus | None | Unset):
        active (bool | None | Unset): Valid today and not withdrawn (or, if false, not).
        valid_on (datetime.date | None | Unset): Valid on this date.
        year (int | None | Unset): Valid at some time in this year.
        flag (FlagLevel | None | Unset):
        origin_node (None | str | Unset):
        include_withdrawn (bool | Unset): Also withdrawn evaluations. Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEvaluationRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            agency=agency,
            institution=institution,
            country=country,
            activity_type=activity_type,
            decision=decision,
            status=status,
            active=active,
            valid_on=valid_on,
            year=year,
            flag=flag,
            origin_node=origin_node,
            include_withdrawn=include_withdrawn,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
