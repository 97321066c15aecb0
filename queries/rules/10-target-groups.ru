# A clause for a target group is also for every broader group: samsjuklighet counts under both
# psykisk funktionsnedsättning and missbruk (skos:broader in ontology/target-groups.ttl).
PREFIX vg:   <https://w3id.org/vemgorvad/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT { GRAPH ?g { ?clause vg:targetGroup ?broader } }
WHERE {
  GRAPH ?g { ?clause vg:targetGroup ?group }
  GRAPH <https://w3id.org/vemgorvad/graph/vocabulary> { ?group skos:broader+ ?broader }
}
