"""Per-language date formats (FORMAT_MODULE_PATH): what a format name writes; French keeps Django's."""
