"""The monitoring shipped in `deploy/`: Prometheus's alert rules (`deploy/prometheus/alerts.yml`)
and the Grafana dashboard (`deploy/grafana/edunode.json`). Every expression is parsed as PromQL
(promql-parser, a port of Prometheus's own parser), and every series it selects, and every label
it matches or groups by, is one edunode actually exports — read from the metric objects the
services register, so a renamed metric or label breaks this test, not a 3 a.m. page. (Prometheus's
`promtool check rules` is not installed here; this covers its syntax check and adds the names.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import promql_parser
import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

import services.gateway.metrics
import shared.metrics
from tests.deploy.conftest import ROOT

ALERTS = ROOT / "deploy/prometheus/alerts.yml"
DASHBOARD = ROOT / "deploy/grafana/edunode.json"

# Labels Prometheus attaches to every scraped series (its "Jobs and instances" documentation),
# and its synthetic `up` series of each scrape.
TARGET_LABELS = {"job", "instance"}
PROMETHEUS_OWN: dict[str, set[str]] = {"up": set()}


def exported() -> dict[str, set[str]]:
    """Every series name edunode exports (as Prometheus's text format names them: a
    counter's `_total`, a histogram's `_bucket`, `_sum`, `_count`) with its labels."""
    series: dict[str, set[str]] = {}
    for module in (shared.metrics, services.gateway.metrics):
        for metric in vars(module).values():
            if not isinstance(metric, MetricWrapperBase):
                continue
            (family,) = metric.describe()
            labels = set(metric._labelnames)
            suffixes = {
                "counter": ["_total", "_created"],
                "histogram": ["_bucket", "_sum", "_count", "_created"],
                "gauge": [""],
            }[family.type]
            for suffix in suffixes:
                series[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return series


@dataclass
class Selected:
    name: str
    labels: set[str]


def selectors(expr: Any) -> Iterator[Selected]:
    """The vector selectors in a parsed PromQL expression."""
    if isinstance(expr, promql_parser.VectorSelector):
        yield Selected(expr.name or "", {m.name for m in expr.matchers.matchers})
    elif isinstance(expr, promql_parser.MatrixSelector):
        yield from selectors(expr.vector_selector)
    elif isinstance(expr, promql_parser.BinaryExpr):
        yield from selectors(expr.lhs)
        yield from selectors(expr.rhs)
    elif isinstance(expr, promql_parser.AggregateExpr):
        yield from selectors(expr.expr)
        if expr.param is not None:
            yield from selectors(expr.param)
    elif isinstance(expr, promql_parser.Call):
        for argument in expr.args:
            yield from selectors(argument)
    elif isinstance(
        expr, promql_parser.ParenExpr | promql_parser.UnaryExpr | promql_parser.SubqueryExpr
    ):
        yield from selectors(expr.expr)


def grouping(expr: Any) -> Iterator[str]:
    """The labels an expression's aggregations group by (`sum by (service)`)."""
    if isinstance(expr, promql_parser.AggregateExpr):
        if expr.modifier is not None:
            yield from expr.modifier.labels
        yield from grouping(expr.expr)
    elif isinstance(expr, promql_parser.BinaryExpr):
        yield from grouping(expr.lhs)
        yield from grouping(expr.rhs)
    elif isinstance(expr, promql_parser.Call):
        for argument in expr.args:
            yield from grouping(argument)
    elif isinstance(expr, promql_parser.ParenExpr | promql_parser.UnaryExpr):
        yield from grouping(expr.expr)


def check_expression(expr_text: str) -> set[str]:
    """Parse `expr_text` and check its names against what edunode exports; the series it
    reads."""
    known = {**exported(), **PROMETHEUS_OWN}
    parsed = promql_parser.parse(expr_text)
    names = set()
    available: set[str] = set(TARGET_LABELS)
    for selected in selectors(parsed):
        assert selected.name in known, f"{selected.name!r} is not exported: {expr_text}"
        labels = known[selected.name] | TARGET_LABELS | {"__name__"}
        assert selected.labels <= labels, f"{selected.labels - labels} on {selected.name}"
        names.add(selected.name)
        available |= labels
    unknown = set(grouping(parsed)) - available
    assert not unknown, f"grouped by {unknown}, which no selected series has: {expr_text}"
    return names


def alert_rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    assert set(document) == {"groups"}
    rules = []
    for group in document["groups"]:
        assert set(group) == {"name", "rules"}, group.keys()
        rules += group["rules"]
    return rules


def test_the_exported_names_are_read_from_the_metrics_themselves() -> None:
    series = exported()
    assert series["edunode_http_requests_total"] == {"service", "method", "route", "status"}
    assert "le" in series["edunode_http_request_duration_seconds_bucket"]
    assert series["edunode_outbox_backlog"] == {"service"}
    with pytest.raises(AssertionError, match="not exported"):
        check_expression("edunode_outbox_lag > 0")
    with pytest.raises(AssertionError):
        check_expression('edunode_outbox_backlog{consumer="x"} > 0')
    with pytest.raises(AssertionError, match="grouped by"):
        check_expression("sum by (reason) (edunode_outbox_backlog)")


def test_the_alert_rules_are_valid_prometheus_rules_over_exported_metrics() -> None:
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    read: set[str] = set()
    for rule in rules:
        # The fields of an alerting rule (Prometheus, "Alerting rules"); nothing else.
        assert set(rule) <= {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rule["alert"]), rule["alert"]
        if "for" in rule:
            promql_parser.parse_duration(rule["for"])
        assert rule["labels"]["severity"] in {"critical", "warning"}
        assert {"summary", "description"} <= set(rule["annotations"])
        read |= check_expression(rule["expr"])
    # What the issue asks to be alerted on, each by the series that measures it.
    by_name = {rule["alert"]: rule["expr"] for rule in rules}
    assert "up" in read  # a service down
    assert "edunode_outbox_backlog" in read
    assert "edunode_consumer_pending" in read
    assert "edunode_events_quarantined_total" in read
    assert any('outcome="dead_lettered"' in expr for expr in by_name.values())
    assert any("histogram_quantile(0.99" in expr for expr in by_name.values())


def grafana_variables(expr: str) -> str:
    """A panel's query as Prometheus receives it: Grafana's variables replaced."""
    return (
        expr.replace("$__rate_interval", "1m").replace("$__range", "6h").replace("$service", ".*")
    )


def test_the_dashboard_shows_each_figure_from_exported_metrics() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["uid"] and dashboard["title"]
    variables = {variable["name"] for variable in dashboard["templating"]["list"]}
    assert variables == {"datasource", "service"}
    panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    read: set[str] = set()
    for panel in panels:
        assert panel["datasource"]["uid"] == "${datasource}"
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            used = set(re.findall(r"\$(\w+)", target["expr"])) - {"__rate_interval", "__range"}
            assert used <= variables, used
            read |= check_expression(grafana_variables(target["expr"]))
    # Request rate, latency and errors per service, outbox backlog, consumer lag, quarantined
    # events, dead letters (the list).
    assert {
        "edunode_http_requests_total",
        "edunode_http_request_duration_seconds_bucket",
        "edunode_outbox_backlog",
        "edunode_consumer_pending",
        "edunode_events_quarantined_total",
        "edunode_events_consumed_total",
    } <= read
    titles = " ".join(panel["title"].lower() for panel in panels)
    for figure in ("request rate", "latency", "errors", "backlog", "lag", "quarantined", "dead"):
        assert figure in titles, figure
