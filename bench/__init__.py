"""Benchmarks of the platform (see docs/benchmarks.md); run bench/run_all.py or any script with --help."""
