"""Tests of the sitemaps and robots.txt."""
