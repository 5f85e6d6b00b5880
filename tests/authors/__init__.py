"""Tests of the authors app: bylines in the importer, the admin and the API."""
