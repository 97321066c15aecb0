"""SPARQL for integrators: the SPARQL 1.1 Protocol query endpoint at /sparql (read-only; default
graph = union of the agreement graphs), its service description and VoID, YASGUI for browsers.

Queries from clients run in worker processes (pool.py) so that the operator's time limit really
stops them; answers are cached until the store changes (a rebuild). See endpoint.py for the flow.
"""
