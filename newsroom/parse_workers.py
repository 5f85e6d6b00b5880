"""Preloaded by the importer's fork server: Django is set up once there, and every parse worker forks ready.

Setting Django up costs about a second of CPU per process; without this, each worker paid it at start.
"""

import django

django.setup()

import articles.importing.parsing  # noqa: E402, F401  (imported here so that workers inherit it)
