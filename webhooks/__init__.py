"""Signed webhooks (Standard Webhooks): endpoints, their deliveries, and the worker task that sends them."""
