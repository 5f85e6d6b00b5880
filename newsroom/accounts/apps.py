"""The accounts app, listed before django.contrib.auth so that its createsuperuser is the one that runs."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "newsroom.accounts"
    label = "accounts"
