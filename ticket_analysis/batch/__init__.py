"""Batch runs: one report per agent, customer, priority or month end, in parallel.

``slices`` decides which reports a batch makes and their folder names, ``run``
parses the input once and runs the report notebook for each slice in worker
processes, ``index`` writes ``index.json`` and ``index.html`` over the slices.
"""
