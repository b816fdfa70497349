"""What the report notebook calls: its parameters, its display cells, the run status."""
