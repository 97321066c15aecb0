# Units sit under their principal: org:unitOf is a sub-property of org:subOrganizationOf (W3C ORG).
PREFIX org: <http://www.w3.org/ns/org#>
INSERT { GRAPH ?g { ?unit org:subOrganizationOf ?principal . ?principal org:hasSubOrganization ?unit } }
WHERE { GRAPH ?g { ?unit org:unitOf ?principal } }
