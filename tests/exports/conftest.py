from tests.imports.conftest import write_file  # noqa: F401  (the same fixture: a file in tmp_path)
