"""Benchmarks: commands that measure, never tests (results go to docs/benchmarks.md)."""
