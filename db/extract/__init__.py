"""Extractors that turn an article's sentences into mentions, actors, claims and events."""
