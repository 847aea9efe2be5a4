"""The CSV / Excel / vCard import engine shared by the import commands (see engine.py)."""
