// YASGUI on /sparql (index.html). A file, not an inline script, so that the page runs under a
// Content-Security-Policy that allows scripts from this server only.
// Everything runs from this server: no autocompleter that asks an outside service (LOV),
// and the only endpoint offered is this one.
var endpoint = window.location.origin + window.location.pathname;
Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (name) {
  return name !== "property" && name !== "class";
});
Yasgui.Yasqe.defaults.value = [
  "PREFIX vg: <https://w3id.org/vemgorvad/ontology#>",
  "PREFIX dcterms: <http://purl.org/dc/terms/>",
  "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
  "",
  "# Vem ansvarar för hjälpmedel i varje överenskommelse?",
  "SELECT ?agreement ?bearer ?statement WHERE {",
  "  ?r a vg:Responsibility ; vg:topic ?topic ; vg:agreement/dcterms:identifier ?agreement ;",
  "     vg:bearer/rdfs:label ?bearer ; vg:statement ?statement .",
  "  ?topic skos:notation \"hjalpmedel\" .",
  "} ORDER BY ?agreement LIMIT 100"
].join("\n");
var yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  persistenceId: "vemgorvad",
  endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] }
});
// a link to /sparql?query=… opens the query in the editor (it is run when the user asks)
var shared = new URLSearchParams(window.location.search).get("query");
if (shared) { yasgui.getTab().setQuery(shared); }
window.yasgui = yasgui;
