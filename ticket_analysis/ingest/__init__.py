"""Ingest: a ticket file's bytes to validated tickets, every row accounted for."""
