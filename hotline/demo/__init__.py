"""Synthetic demo data: a realistic, reproducible data set for training, demonstrations and
the benchmarks (``hotline demo``). Nothing here is about a real person."""
