"""Read-only Cypher for a public endpoint: plan check, READ transaction, time and row limits.

Asking the driver for READ access is only a routing hint, so the service itself decides
what may run. Every query is first planned with ``EXPLAIN`` (in a READ transaction that is
always rolled back) and refused unless

* the server classifies it as read-only (``summary.query_type == "r"``),
* it targets the configured database (no ``USE system`` or other graph),
* no plan operator writes, changes the schema, loads files/URLs, runs a command
  (``SHOW``/``TERMINATE``/administration) or calls a procedure outside
  :data:`ALLOWED_PROCEDURES`.

Only then does it run, again in a READ transaction with the server-side transaction
timeout, and fetching stops after ``row_limit`` rows. Parameters always travel as Bolt
parameters; the ``EXPLAIN`` prefix is the only text this module adds to a query.
"""

from __future__ import annotations

import base64
import logging
import math
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from ontology.errors import (
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

#: Schema introspection procedures a public endpoint may call (nothing touches files,
#: the network, settings, users or data).
ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)

#: Plan operators (Neo4j 5.26 names, checked by EXPLAINing examples) that write, change the
#: schema, read files or URLs, open inner transactions or run commands. Matched as prefixes.
REFUSED_OPERATOR_PREFIXES: tuple[str, ...] = (
    "Create",  # Create, CreateIndex, CreateConstraint, CreateUser, CreateDatabase, ...
    "Merge",
    "Delete",
    "DetachDelete",
    "Set",  # SetProperty, SetLabels, SetNodePropertiesFromMap, SetPassword, ...
    "Remove",  # RemoveLabels
    "Foreach",
    "LoadCSV",
    "TransactionApply",  # CALL { ... } IN TRANSACTIONS
    "TransactionForeach",
    "Drop",
    "Alter",
    "Rename",
    "Grant",
    "Deny",
    "Revoke",
    "Start",
    "Stop",
    "Enable",
    "Deallocate",
    "Show",  # SHOW USERS / SETTINGS / TRANSACTIONS / ... expose configuration and others' work
    "Terminate",
    "Assert",  # administration command guards
    "System",
    "Administration",
    "Command",
    "Wait",
    "Log",
    "EnsureValid",
    "EnsureNodeExists",
    "DoNothingIfExists",
)

# A query may not bring its own EXPLAIN/PROFILE: we plan it ourselves, and PROFILE executes.
_LEADING_PLAN_KEYWORD = re.compile(
    r"\A(?:\s|//[^\n]*\n?|/\*.*?\*/)*(?:EXPLAIN|PROFILE)\b", re.IGNORECASE | re.DOTALL
)
_PROCEDURE_NAME = re.compile(r"\s*([A-Za-z_][\w.]*)\s*\(")

MAX_QUERY_CHARS = 20_000
#: Upper bound on the scalar values put in one answer (a single row may hold a huge list).
MAX_VALUES = 1_000_000


class CypherQueryError(QuerySyntaxError):
    """Neo4j rejected the query as written (syntax, types, missing parameter, arithmetic)."""

    title = "Query failed"


class CypherResourceLimit(QueryTimeout):
    """The query needed more memory than the server grants one transaction."""

    title = "Query resource limit exceeded"


@dataclass(frozen=True)
class CypherResult:
    """Columns and JSON-ready rows of one query; ``truncated`` when a limit cut the answer."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_limit: int
    elapsed_ms: float

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "truncated": self.truncated,
            "row_limit": self.row_limit,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


def _operator_name(plan: Mapping[str, Any]) -> str:
    """``"ProcedureCall@neo4j"`` -> ``"ProcedureCall"``."""
    return str(plan.get("operatorType", "")).split("@", 1)[0]


def iter_plan(plan: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """Every operator of a plan tree (depth first)."""
    stack = [plan]
    while stack:
        op = stack.pop()
        yield op
        stack.extend(op.get("children") or ())


def _procedure_of(op: Mapping[str, Any]) -> str | None:
    details = (op.get("args") or {}).get("Details")
    if not isinstance(details, str):
        return None
    match = _PROCEDURE_NAME.match(details)
    return match.group(1) if match else None


def check_plan(plan: Mapping[str, Any], database: str | None = None) -> None:
    """Refuse a plan with any writing, schema, file, command or non-allowlisted operator.

    With ``database``, every operator must also run on that database (operator names are
    ``Name@database``; administration commands show up as ``AdministrationCommand@system``).
    """
    for op in iter_plan(plan):
        name = _operator_name(op)
        _, _, where = str(op.get("operatorType", "")).partition("@")
        if database is not None and where and where != database:
            raise QueryRefused(
                f"queries may only read the database {database!r}; the plan runs {name} "
                f"on {where!r}"
            )
        if name == "ProcedureCall":
            proc = _procedure_of(op)
            if proc is None or proc not in ALLOWED_PROCEDURES:
                allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
                raise QueryRefused(
                    f"procedure {proc or '(unknown)'} is not allowed on the public Cypher "
                    f"endpoint; allowed procedures: {allowed}"
                )
            continue
        if name.startswith(REFUSED_OPERATOR_PREFIXES):
            if name == "LoadCSV":
                why = "LOAD CSV reads files and URLs"
            elif name.startswith(("TransactionApply", "TransactionForeach")):
                why = "CALL { ... } IN TRANSACTIONS writes in inner transactions"
            else:
                why = "it writes, changes the schema or runs a command"
            raise QueryRefused(
                f"the Cypher endpoint is read-only: the plan has operator {name} ({why})"
            )


def check_summary(summary: Any, database: str) -> None:
    """Refuse by the server's own classification: query type, target database, plan."""
    if summary.database is not None and summary.database != database:
        raise QueryRefused(
            f"queries may only read the database {database!r}, not {summary.database!r}"
        )
    if summary.query_type != "r":
        kind = {"w": "writes", "rw": "reads and writes", "s": "changes the schema"}.get(
            str(summary.query_type), f"is of type {summary.query_type!r}"
        )
        raise QueryRefused(f"the Cypher endpoint is read-only: this query {kind}")
    if summary.plan is None:
        raise QueryRefused("Neo4j returned no query plan, so the query cannot be checked")
    check_plan(summary.plan, database)


def _check_text(query: str) -> None:
    if not query.strip():
        raise QueryRefused("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_CHARS} characters")
    if _LEADING_PLAN_KEYWORD.match(query):
        raise QueryRefused("EXPLAIN and PROFILE are not accepted: the service plans each query")


class _Budget:
    """Counts converted values so one enormous row cannot exhaust memory or the response."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _props(entity: Node | Relationship, budget: _Budget) -> dict[str, Any]:
    return {k: to_json_value(v, budget) for k, v in entity.items()}


def _node(node: Node, budget: _Budget) -> dict[str, Any]:
    props = _props(node, budget)
    return {
        "kind": "node",
        "element_id": node.element_id,
        "labels": sorted(node.labels),
        "iri": props.get("iri"),
        "properties": props,
    }


def _relationship(rel: Relationship, budget: _Budget) -> dict[str, Any]:
    start, end = rel.start_node, rel.end_node
    return {
        "kind": "relationship",
        "element_id": rel.element_id,
        "type": rel.type,
        "start": start.get("iri") if start is not None else None,
        "end": end.get("iri") if end is not None else None,
        "start_element_id": start.element_id if start is not None else None,
        "end_element_id": end.element_id if end is not None else None,
        "properties": _props(rel, budget),
    }


def to_json_value(value: Any, budget: _Budget | None = None) -> Any:
    """A Neo4j value as plain JSON: nodes/relationships as objects, paths as lists."""
    budget = budget or _Budget(MAX_VALUES)
    if not budget.take():
        return None
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return _node(value, budget)
    if isinstance(value, Relationship):
        return _relationship(value, budget)
    if isinstance(value, Path):
        nodes = value.nodes
        items: list[Any] = [_node(nodes[0], budget)]
        for rel, node in zip(value.relationships, nodes[1:], strict=True):
            items.append(_relationship(rel, budget))
            items.append(_node(node, budget))
        return items
    if isinstance(value, list | tuple):
        return [to_json_value(v, budget) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v, budget) for k, v in value.items()}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "iso_format"):  # neo4j.time Date/Time/DateTime
        return str(value.iso_format())
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)  # durations, points: their Cypher literal form


def _translate(
    exc: neo4j_errors.Neo4jError | neo4j_errors.DriverError, timeout_s: float
) -> Exception:
    """Map a driver/server error to the policykg error users see (no stack trace)."""
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return StoreUnavailable(
            "Neo4j is not reachable: start the local server with `policykg neo4j start` "
            "or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
        )
    if isinstance(exc, neo4j_errors.Neo4jError):
        code = exc.code or ""
        if "TransactionTimedOut" in code or code.endswith(
            ("Transaction.Terminated", "Transaction.LockClientStopped")
        ):
            return QueryTimeout(f"the query ran longer than the limit of {timeout_s:g} s")
        if "MemoryPoolOutOfMemoryError" in code or "OutOfMemory" in code:
            return CypherResourceLimit("the query needs more memory than a public query may use")
        if code.startswith("Neo.ClientError.Statement.SyntaxError"):
            return QuerySyntaxError(exc.message or "Cypher syntax error")
        if code.startswith("Neo.ClientError.Statement.AccessMode") or code.startswith(
            "Neo.ClientError.Security"
        ):
            return QueryRefused(f"the Cypher endpoint is read-only: {exc.message}")
        if code.startswith("Neo.ClientError"):
            return CypherQueryError(f"{code.rsplit('.', 1)[-1]}: {exc.message}")
    log.error("Neo4j failed on a public query: %s", exc)
    return StoreError("Neo4j failed to run the query; see the server log")


_EXPLAIN = "EXPLAIN "
_POSITION = re.compile(r"\(line 1, column (\d+) \(offset: (\d+)\)\)")


def _unprefix(message: str) -> str:
    """A server message about ``EXPLAIN <query>`` as if about ``<query>`` (positions too)."""
    n = len(_EXPLAIN)
    message = _POSITION.sub(
        lambda m: f"(line 1, column {int(m[1]) - n} (offset: {int(m[2]) - n}))", message
    )
    lines = message.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f'"{_EXPLAIN}'):
            lines[i] = '"' + line[n + 1 :]
            if i + 1 < len(lines) and lines[i + 1].strip() == "^":
                lines[i + 1] = lines[i + 1][n:]
    return "\n".join(lines)


def _unparsable(message: str) -> QuerySyntaxError:
    """Neo4j 5 fails to *plan* some malformed texts with an internal error instead of a
    syntax error ("Lexical error" for an unterminated comment, string or name; "Index N out
    of bounds" for odd characters in one): the text is at fault, so a 400 (found by the fuzz
    of tests/api/test_fuzz_endpoints.py)."""
    if "Lexical error" in message:
        return QuerySyntaxError(
            "the query text does not form Cypher tokens: an unterminated comment, string or "
            "`quoted name`?"
        )
    first = (message.splitlines() or ["no reason given"])[0][:120]
    return QuerySyntaxError(f"Neo4j cannot parse the query ({first})")


def _explain(
    session: neo4j.Session, query: str, parameters: dict[str, Any], database: str, timeout_s: float
) -> None:
    tx = session.begin_transaction(timeout=timeout_s, metadata={"app": "policykg-cypher-check"})
    try:
        # The only text our code ever adds to a user query: the EXPLAIN keyword, so the
        # server plans (and classifies) it without executing. Parameters stay parameters.
        summary = tx.run(_EXPLAIN + query, parameters).consume()
    except neo4j_errors.CypherSyntaxError as exc:
        raise QuerySyntaxError(_unprefix(exc.message or "Cypher syntax error")) from None
    except neo4j_errors.DatabaseError as exc:
        if not (exc.code or "").endswith("General.UnknownError"):
            raise
        raise _unparsable(exc.message or "") from None
    finally:
        tx.close()  # always a rollback
    if getattr(summary, "profile", None):
        raise QueryRefused("the query was profiled instead of planned; refused")
    check_summary(summary, database)


def run_read_query(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str,
    timeout_s: float,
    row_limit: int,
) -> CypherResult:
    """Check ``query`` is read-only by its plan, then run it with time and row limits."""
    _check_text(query)
    params = dict(parameters or {})
    started = time.monotonic()
    try:
        with driver.session(
            database=database,
            default_access_mode=neo4j.READ_ACCESS,
            fetch_size=max(1, min(row_limit + 1, 1000)),
        ) as session:
            _explain(session, query, params, database, timeout_s)
            tx = session.begin_transaction(timeout=timeout_s, metadata={"app": "policykg-cypher"})
            try:
                result = tx.run(query, params)
                columns = list(result.keys())
                budget = _Budget(MAX_VALUES)
                rows: list[list[Any]] = []
                truncated = False
                for record in result:
                    if len(rows) >= row_limit or budget.left <= 0:
                        truncated = True
                        break
                    rows.append([to_json_value(v, budget) for v in record.values()])
                truncated = truncated or budget.left < 0
            finally:
                tx.close()  # READ transaction: discard the rest and roll back
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
        raise _translate(exc, timeout_s) from None
    return CypherResult(
        columns=columns,
        rows=rows,
        truncated=truncated,
        row_limit=row_limit,
        elapsed_ms=(time.monotonic() - started) * 1000,
    )
