"""Tests of the feeds: parsed by feedparser, scoped, linked, cached."""
