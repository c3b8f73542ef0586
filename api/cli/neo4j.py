"""`policykg neo4j` commands (registered on the shared app)."""

from __future__ import annotations
