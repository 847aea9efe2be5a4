"""The machine a benchmark ran on (no Django needed)."""

import os
import platform
from pathlib import Path

import django


def machine() -> dict:
    cpu = ""
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "memory": memory,
            "load_average": [round(load, 2) for load in os.getloadavg()],
            "python": platform.python_version(), "django": django.get_version()}
