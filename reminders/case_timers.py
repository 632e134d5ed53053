"""Being written: case timers (triage, governance review, reporter feedback, removal requests)."""
