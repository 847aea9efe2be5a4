"""What the notes app adds to shared pages (home, contact file)."""
