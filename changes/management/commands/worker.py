"""`manage.py worker`: django-tasks-db's `db_worker` (webhooks, renditions) plus the periodic catch-up thread."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from changes.periodic import CatchUpThread


class Command(DatabaseWorkerCommand):
    help = (
        "Run queued tasks (webhook deliveries, renditions) from the database backend and, every "
        "--catch-up-every seconds, publish due scheduled articles and prune the change log past its horizon."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--catch-up-every", type=float, default=None,
            help="Seconds between catch-up rounds (default: CHANGES_CATCH_UP_SECONDS); 0 turns them off.",
        )
        # The catch-up thread runs in this process: the autoreloader would run the command in a child instead.
        parser.set_defaults(reload=False)

    def handle(self, *args, catch_up_every=None, **options):
        options["reload"] = False
        thread = CatchUpThread(catch_up_every)
        if thread.interval:
            thread.start()
            self.stdout.write(f"Catch-up every {thread.interval:g} s (scheduled articles, change log horizon).")
        super().handle(*args, **options)
