"""The one settings object. Nothing else in policykg reads the environment.

Values come from ``POLICYKG_*`` environment variables, a ``policykg.env`` file in the
working directory, or the defaults below. ``NEO4J_URI``, ``NEO4J_USER`` and
``NEO4J_PASSWORD`` are also accepted unprefixed, as every Neo4j tool uses them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "policykg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POLICYKG_", env_file="policykg.env", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    base_iri: str = "http://localhost:8000"

    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("POLICYKG_NEO4J_URI", "NEO4J_URI")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("POLICYKG_NEO4J_USER", "NEO4J_USER")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr("policykg-dev"),
        validation_alias=AliasChoices("POLICYKG_NEO4J_PASSWORD", "NEO4J_PASSWORD"),
    )
    neo4j_database: str = "neo4j"
    # The local development server started by `policykg neo4j start`.
    neo4j_bolt_port: int = 7687
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    neo4j_version: str = "5.26.30"

    host: str = "127.0.0.1"
    port: int = 8000

    query_timeout_s: float = 10.0
    query_row_limit: int = 10_000
    # SPARQL workers run in a network namespace of their own (no usable network); turn off
    # only where namespaces are not available, and know that the guard is then the only wall.
    sparql_sealed: bool = True
    cypher_timeout_s: float = 10.0
    cypher_row_limit: int = 10_000
    # REST detail answers kept in memory per app (0 = no cache); see api/routes/rest.py.
    rest_cache_entries: int = Field(default=4096, ge=0)
    # Corpora of at least this many measures get their corpus-wide coordination answers and
    # views made once per write by the writer and kept (api/kept_answers.py); smaller ones
    # are computed per request, in well under a second.
    kept_answers_from: int = Field(default=500, ge=0)
    upload_token: SecretStr | None = None
    upload_max_bytes: int = 5 * 1024 * 1024
    # Largest body of POST /sparql and POST /cypher (query text and parameters); 413 above.
    query_max_bytes: int = Field(default=1_000_000, gt=0)
    # True under CI: tests that need Neo4j or Chromium fail instead of skipping.
    ci: bool = Field(default=False, validation_alias=AliasChoices("POLICYKG_CI", "CI"))

    @property
    def rdf_store_dir(self) -> Path:
        return self.data_dir / "oxigraph"

    @property
    def neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"

    def normalised_base(self) -> str:
        return self.base_iri.rstrip("/")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
