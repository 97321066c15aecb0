// YASGUI on /sparql (index.html). A file, not an inline script, so that the page runs under a
// Content-Security-Policy that allows scripts from this server only.
// Everything runs from this server: no autocompleter that asks an outside service (LOV),
// and the only endpoint offered is this one.
var endpoint = window.location.origin + window.location.pathname;
// The service's own root (the /sparql page's folder): IRIs of the project's namespace are served
// there as linked data, so result links open here — also on an intranet where the public
// namespace host does not resolve.
var NAMESPACE = "https://w3id.org/vemgorvad/";
var here = new URL(".", window.location.href).href;

Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (name) {
  return name !== "property" && name !== "class";
});
Yasgui.Yasqe.defaults.value = document.getElementById("default-query").textContent;
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

// Accessibility of YASGUI's own markup, applied again whenever YASGUI redraws a part of it (each
// change is made only when needed, so the observer's own changes end the loop):
// - names for the controls it leaves unnamed (endpoint field, editor, tab name, page size);
// - its tab strip holds a button among the tabs, which a tablist may not: the strip is given the
//   semantics of a list of links (the active one marked with aria-current) instead;
// - the editor's scrolling area reachable from the keyboard (a tab stop of its own);
// - result IRIs of the project's namespace linked to this server.
var LABELS = [
  [".autocomplete", "SPARQL-ändpunkt"],
  [".CodeMirror textarea", "SPARQL-fråga"],
  [".tabsList input[type=text]", "Flikens namn"],
  [".tableSizer", "Rader per sida"],
  [".tableFilter", "Filtrera svaren"]
];
function setAttr(node, name, value) {
  if (value === null) { if (node.hasAttribute(name)) { node.removeAttribute(name); } return; }
  if (node.getAttribute(name) !== value) { node.setAttribute(name, value); }
}
function fixMarkup(root) {
  LABELS.forEach(function (pair) {
    root.querySelectorAll(pair[0]).forEach(function (node) { setAttr(node, "aria-label", pair[1]); });
  });
  root.querySelectorAll(".tabsList").forEach(function (list) {
    setAttr(list, "role", "list");
    setAttr(list, "aria-label", "Flikar");
    Array.prototype.forEach.call(list.children, function (item) { setAttr(item, "role", "listitem"); });
  });
  root.querySelectorAll(".tabsList a").forEach(function (tab) {
    var active = tab.getAttribute("aria-selected") === "true" || tab.parentElement.classList.contains("active");
    setAttr(tab, "role", null);
    setAttr(tab, "aria-selected", null);
    setAttr(tab, "aria-controls", null);
    setAttr(tab, "aria-current", active ? "true" : null);
  });
  root.querySelectorAll(".CodeMirror-scroll").forEach(function (node) {
    setAttr(node, "tabindex", "0");
  });
  root.querySelectorAll("th.dt-orderable-none:empty, th:empty").forEach(function (th) {
    if (!th.querySelector(".visually-hidden")) {
      var span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = "Rad";
      th.appendChild(span);
    }
  });
  root.querySelectorAll("a[href^='" + NAMESPACE + "']").forEach(function (a) {
    a.setAttribute("href", here + a.getAttribute("href").slice(NAMESPACE.length));
    setAttr(a, "target", null);
  });
}
var container = document.getElementById("yasgui");
fixMarkup(document);
new MutationObserver(function () { fixMarkup(container); }).observe(container, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["aria-selected", "class", "role"]
});

// Result values are text, never markup: YASR's table builds each cell as an HTML string and puts an
// IRI into an attribute unescaped (an IRI may hold ' and so end the attribute), so every cell is
// rebuilt here with every value escaped, and only http(s) IRIs become links.
(function () {
  var Table = Yasgui.Yasr && Yasgui.Yasr.plugins && Yasgui.Yasr.plugins.table;
  if (!Table) { return; }
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  function esc(value) { return String(value).replace(/[&<>"'`]/g, function (c) { return ENTITIES[c]; }); }
  function shortForm(iri, prefixes) {
    for (var prefix in prefixes || {}) {
      var ns = prefixes[prefix];
      if (ns && iri.indexOf(ns) === 0) { return prefix + ":" + iri.substring(ns.length); }
    }
    return "<" + iri + ">";
  }
  function iriHtml(iri, prefixes) {
    var text = esc(shortForm(iri, prefixes));
    if (/^https?:\/\/[^\s]*$/i.test(iri)) {
      return '<a class="iri" target="_self" href="' + esc(iri) + '">' + text + "</a>";
    }
    return '<span class="iri">' + text + "</span>";
  }
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) { return iriHtml(binding.value, prefixes); };
  Table.prototype.formatLiteral = function (binding, prefixes) {
    var text = esc(binding.value);
    if (this.persistentConfig && this.persistentConfig.compact) { return text; }
    if (binding["xml:lang"]) { return '"' + text + '"<sup>@' + esc(binding["xml:lang"]) + "</sup>"; }
    if (binding.datatype) { return '"' + text + '"<sup>^^' + iriHtml(binding.datatype, prefixes) + "</sup>"; }
    return text;
  };
  Table.prototype.getCellContent = function (binding, prefixes) {
    var inner = binding.type === "uri" ? iriHtml(binding.value, prefixes)
      : '<span class="nonIri">' + this.formatLiteral(binding, prefixes) + "</span>";
    return "<div>" + inner + "</div>";
  };
})();
