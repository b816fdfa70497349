"""Reference implementations of the analysis in other libraries (benchmark peers)."""
