# A clause applies to its own topics and to their narrower topics: a rule on support for relatives
# also answers a question about children as relatives.
PREFIX vg:   <https://w3id.org/vemgorvad/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT { GRAPH ?g { ?clause vg:appliesTo ?topic } }
WHERE {
  GRAPH ?g { ?clause vg:topic ?own }
  GRAPH <https://w3id.org/vemgorvad/graph/vocabulary> { ?topic skos:broader* ?own . ?topic a vg:Topic }
}
