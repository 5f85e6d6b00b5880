"""The public API of authors: /api/v1/authors/ and /api/v1/authors/{slug}/."""
