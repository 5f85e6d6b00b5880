"""Tests of the corrections app: notes, the public update time, the admin action and the API."""
