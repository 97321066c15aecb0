"""Serve: the HTTP service — SPARQL endpoint and linked data for integrators, answers for staff,
gap checks for policy writers, and the Swedish web page."""
