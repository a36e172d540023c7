"""The hostile corpus: submissions that try to break, cheat or escape grading."""
