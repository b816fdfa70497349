"""Benchmarks: a realistic ticket CSV generator and a whole-process timing harness."""
