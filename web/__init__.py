"""`kg serve`: a local web app for legal staff over the knowledge graph, and a SPARQL 1.1 endpoint."""

from web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
