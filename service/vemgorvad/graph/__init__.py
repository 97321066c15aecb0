"""Graph: extraction → RDF quads, one named graph per agreement plus one for the vocabularies."""
