from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (seed_bench, run_bench); installed only by the bench's own settings (bench/settings.py)."""

    name = "bench"
    verbose_name = "Benchmark"
