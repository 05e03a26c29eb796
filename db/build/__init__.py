"""Reproducible commands that build the data files shipped in qexplore.db/data."""
