"""Exports: tables written to a stream (CSV, XLSX), and the response that sends them."""
