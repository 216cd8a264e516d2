"""The JSON Schema of the `json` report, generated from the pydantic models.

models.Report keeps `stats` an open dict so that stages can add counts without touching
the wire model; the schema describes the keys this version writes, and still allows more
(version 1 only ever adds). `factcheck schema` prints it; docs/report.schema.json is a
checked-in copy that a test keeps equal.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field

from factcheck.models import Report

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class StaleEntry(BaseModel):
    id: str
    code: str
    paths: list[str] = Field(description="relative to the baseline file's folder")


class BaselineStats(BaseModel):
    path: str = Field(description="the baseline file as given")
    hidden: int = Field(description="findings not reported because the baseline lists them")
    stale: list[StaleEntry] = Field(description="baseline entries no longer found among the files read")


class ReportStats(BaseModel):
    model_config = ConfigDict(extra="allow")

    documents: int
    claims: int
    aligned_claims: int
    pairs_compared: int
    findings: int = Field(description="findings reported, after everything below was hidden")
    error: int
    warning: int
    info: int
    nli: dict | None = Field(description="NLI model, backend and counts; null when NLI did not run")
    nli_reason: str | None = Field(None, description="why NLI did not run")
    suppressed: int = Field(0, description="findings silenced by inline factcheck comments")
    deselected: int = Field(0, description="findings of codes not selected (--select / --ignore)")
    out_of_scope: int = Field(0, description="findings touching no draft (--against) or changed file (--changed-since)")
    baseline: BaselineStats | None = Field(None, description="null when no baseline was given")


class ReportSchema(Report):
    model_config = ConfigDict(title="factcheck report")

    stats: ReportStats  # type: ignore[assignment]


def report_schema() -> dict:
    schema = ReportSchema.model_json_schema(mode="serialization")
    return {"$schema": DIALECT, **schema}


def render_schema() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"
