"""Turn a configuration error into one line on stderr instead of a traceback."""

import sys


def load_settings_or_exit() -> None:
    from django.conf import settings

    from config.settings.env import ConfigurationError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ConfigurationError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None
