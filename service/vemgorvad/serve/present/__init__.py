"""Presentation-only additions to answers and comparisons: what a careful reader needs beside the
ranked answers — whether the agreement is still in force, whether a cited law has been repealed
and where the rule stands today, a reference to copy — and the comparison table built from the
same engine as the answers. Nothing here ranks, filters or reorders answers (that is serve/ask/)."""
