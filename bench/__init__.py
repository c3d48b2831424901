"""Benchmarks of Regional at national and 20x national scale, each measured side by side with a baseline.

`python -m bench` (or `make bench`) runs everything and writes bench/results/latest.json and latest.md;
see bench/README.md for what each ratio means and how to reproduce it.
"""
