"""Bylines: public author profiles, separate from user accounts, and the ordered authors of each article."""
