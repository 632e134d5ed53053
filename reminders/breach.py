"""Being written: the personal data breach clock."""
