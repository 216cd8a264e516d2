"""The JSON Schema of the `json` report, generated from the pydantic models.

models.ReportStats lists the keys this version writes and still allows more (version 1
only ever adds). `factcheck schema` prints it, and `factcheck schema claims` the schema of
`factcheck claims --format json`; docs/report.schema.json and docs/claims.schema.json are
checked-in copies that a test keeps equal.
"""

from __future__ import annotations

import json

from pydantic import ConfigDict

from factcheck.models import ClaimsReport, Report

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class ReportSchema(Report):
    model_config = ConfigDict(title="factcheck report")


class ClaimsSchema(ClaimsReport):
    model_config = ConfigDict(title="factcheck claims")


SCHEMAS = {"report": ReportSchema, "claims": ClaimsSchema}


def report_schema(which: str = "report") -> dict:
    schema = SCHEMAS[which].model_json_schema(mode="serialization")
    return {"$schema": DIALECT, **schema}


def render_schema(which: str = "report") -> str:
    return json.dumps(report_schema(which), indent=2, ensure_ascii=False) + "\n"
