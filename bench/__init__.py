"""Benchmarks for the hot paths (`make bench` runs `python -m bench`)."""
