from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (seed_bench, run_bench); installed only when CRM_BENCH=on."""

    name = "bench"
    verbose_name = "Benchmark"
