from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"

    def ready(self):
        # The start of a session is noted at every sign-in, also before the first request is handled.
        from . import sessions  # noqa: F401
