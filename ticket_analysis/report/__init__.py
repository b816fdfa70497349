"""Rendering of the report: HTML blocks from Jinja2 templates, tables and charts."""
