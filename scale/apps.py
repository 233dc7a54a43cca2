from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Tools for county scale: a realistic county's data (seed_scale) and the signed-in floor page the benchmark
    measures against. At the top of the stack: it writes through every app's models and no app imports it."""

    name = "scale"
    verbose_name = "County scale"
