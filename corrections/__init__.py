"""Corrections and updates: append-only notes on an article, shown to readers instead of silent edits."""
