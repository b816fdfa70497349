"""The benchmark data generator's parts (the command: ``benchmarks/generate.py``)."""
