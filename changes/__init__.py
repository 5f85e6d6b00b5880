"""The change log: one record of every change to public content, and the delta sync that reads it."""
