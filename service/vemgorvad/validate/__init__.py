"""Validate: SHACL shapes over the built graph, OWL reasoning over the ontology and vocabularies,
and the SPARQL rules that materialise what the vocabularies imply."""
