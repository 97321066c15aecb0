// The page at /granska: upload an agreement, show the gap report of POST /api/check.
// The file name, the quotes and every message are put into the page as text only.
import { el, append, clear, api, errorBox } from "./dom.js";

const SEVERITIES = [
  { key: "violation", id: "brister", heading: "Brister mot lagen",
    intro: "Det här kräver lagen av en överenskommelse, men texten uppfyller det inte." },
  { key: "warning", id: "se-over", heading: "Att se över",
    intro: "Upphävda lagar, saknade uppgifter och sådant som de andra länens överenskommelser reglerar." },
  { key: "info", id: "kanna-till", heading: "Att känna till",
    intro: "Skrivningar som kan bli otydliga i praktiken, till exempel en skyldighet utan någon som ansvarar." },
];
// One label for every code a gap report can give (tests/test_check_codes.py holds the two lists equal).
const CODE_LABELS = {
  "missing-requirement": "Krav som saknas",
  "one-target-group": "Bara en målgrupp",
  "other-kind": "Annat slags överenskommelse",
  "repealed-law": "Upphävd lag",
  "peer-practice": "Andra län reglerar detta",
  "expired": "Giltighetstiden har gått ut",
  "validity-extended": "Förlängd giltighet",
  "validity-missing": "Giltighetstid saknas",
  "duty-without-bearer": "Ingen ansvarig",
};
const REQUIREMENT_LABELS = { law: "Lagkrav", recommended: "Rekommendation" };

const ui = {
  form: document.getElementById("granska-form"),
  file: document.getElementById("fil"),
  fileError: document.getElementById("fil-error"),
  button: document.getElementById("granska-knapp"),
  report: document.getElementById("rapport"),
  status: document.getElementById("granska-status"),
};
let busy = false;

function announce(message) {
  ui.status.textContent = "";
  window.setTimeout(() => { ui.status.textContent = message; }, 50);
}

function fieldError(message) {
  ui.fileError.textContent = message;
  ui.fileError.hidden = false;
  ui.file.setAttribute("aria-invalid", "true");
}

function clearFieldError() {
  ui.fileError.textContent = "";
  ui.fileError.hidden = true;
  ui.file.removeAttribute("aria-invalid");
}

function fileLine(name) {
  return el("p", { class: "asked" }, el("span", { class: "label", text: "Fil: " }), el("q", { class: "file-name", text: name }));
}

function quoteBlock(quote, caption) {
  return el("figure", { class: "quote" },
    el("blockquote", {}, el("p", {}, el("mark", { text: quote }))),
    el("figcaption", { text: caption }));
}

/** A source reference: plain text, with its https addresses as links (navigation, never fetched). */
function sourceItem(text) {
  const item = el("li", {});
  for (const part of String(text).split(/(https:\/\/[^\s;,)]+)/)) {
    if (/^https:\/\//.test(part)) item.append(el("a", { href: part, rel: "noopener noreferrer", text: part }));
    else if (part) item.append(part);
  }
  return item;
}

function facts(rows) {
  const dl = el("dl", { class: "facts" });
  for (const [term, value] of rows) {
    if (value === null || value === undefined || value === "") continue;
    append(dl, el("div", {}, el("dt", { text: term }), el("dd", {}, value)));
  }
  return dl.childElementCount ? dl : null;
}

function peersText(peers) {
  if (!peers || !peers.total) return "";
  return `${peers.covered} av ${peers.total} andra överenskommelser reglerar området`;
}

function findingCard(finding, topicLabels) {
  const topic = finding.topic ? topicLabels.get(finding.topic) || finding.topic : "";
  const card = el("article", { class: `finding finding-${finding.severity}`, "data-code": finding.code || "" });
  card.append(el("p", { class: "finding-kind" },
    el("span", { class: `badge severity-${finding.severity}`, text: CODE_LABELS[finding.code] || finding.code || "Anmärkning" }),
    topic ? ` ${topic}` : ""));
  card.append(el("p", { class: "finding-message", text: finding.message || "" }));
  if (finding.quote) card.append(quoteBlock(finding.quote, "Ur den uppladdade texten"));
  const details = facts([
    ["Grund i lag", finding.basis],
    ["Hänvisar till", finding.cited],
    ["Motsvaras i dag av", finding.current],
    ["Så gör andra län", peersText(finding.peers)],
  ]);
  if (details) card.append(details);
  if (finding.sources && finding.sources.length) {
    card.append(el("details", { class: "sources" },
      el("summary", { text: `Källor för lagtexten (${finding.sources.length})` }),
      el("ul", {}, finding.sources.map(sourceItem))));
  }
  return card;
}

function topicTable(topics) {
  const order = (t) => (t.status === "missing" ? 0 : 2) + (t.requirement === "law" ? 0 : 1);
  const sorted = [...topics].sort((a, b) => order(a) - order(b) || a.label.localeCompare(b.label, "sv"));
  const rows = sorted.map((t) => {
    const evidence = t.evidence || [];
    const proof = el("td", { class: "evidence" });
    if (evidence.length) {
      const first = evidence[0];
      proof.append(el("blockquote", { class: "evidence-quote", text: first.quote }),
        el("span", { class: "muted", text: first.section ? `Avsnitt: ${first.section.split(" > ").join(" › ")}` : "" }));
      if (evidence.length > 1) {
        proof.append(el("details", { class: "more" },
          el("summary", { text: `${evidence.length - 1} belägg till` }),
          el("ul", {}, evidence.slice(1).map((e) => el("li", {}, el("span", { class: "evidence-more", text: e.quote }),
            e.section ? ` (${e.section.split(" > ").join(" › ")})` : "")))));
      }
    } else {
      proof.append(el("span", { class: "muted", text: "Inget i texten" }));
    }
    return el("tr", { dataset: { topic: t.topic, status: t.status } },
      el("th", { scope: "row", text: t.label }),
      el("td", {}, el("span", { class: t.status === "covered" ? "badge status-yes" : "badge status-no",
        text: t.status === "covered" ? "Täckt" : "Saknas" })),
      el("td", {}, el("span", { class: "requirement", text: REQUIREMENT_LABELS[t.requirement] || t.requirement || "" }),
        t.basis ? el("span", { class: "basis", text: t.basis }) : null),
      el("td", { class: "num", text: t.peers && t.peers.total ? `${t.peers.covered} av ${t.peers.total}` : "–" }),
      proof);
  });
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "omraden-rubrik" },
    el("table", { id: "omraden-tabell" },
      el("caption", { class: "visually-hidden", text: "Varje område: täckt eller saknas, krav, grund, andra överenskommelser och belägg ur texten" }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", class: "col-topic", text: "Område" }), el("th", { scope: "col", class: "col-status", text: "Status" }),
        el("th", { scope: "col", class: "col-basis", text: "Krav och grund" }),
        el("th", { scope: "col", class: "num col-peers", text: "Andra län" }),
        el("th", { scope: "col", class: "col-evidence", text: "Belägg i texten" }))),
      el("tbody", {}, rows)));
}

function renderReport(report, fileName) {
  const agreement = report.agreement || {};
  const findings = report.findings || [];
  const topics = report.topics || [];
  const topicLabels = new Map(topics.map((t) => [t.topic, t.label]));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s.key, findings.filter((f) => f.severity === s.key).length]));
  const covered = topics.filter((t) => t.status === "covered").length;
  const lawMissing = topics.filter((t) => t.status === "missing" && t.requirement === "law");
  const summaryText = `${counts.violation} brister mot lagen, ${counts.warning} att se över, ${counts.info} att känna till. `
    + `${covered} av ${topics.length} områden täcks.`;

  const heading = el("h2", { id: "rapport-rubrik", class: "results-title", tabindex: "-1", text: "Granskningens resultat" });
  const nodes = [heading, fileLine(fileName),
    facts([
      ["Överenskommelse", agreement.title || "Titeln kunde inte läsas ut"],
      ["Parter", (agreement.parties || []).join(", ") || "Anges inte"],
      ["Gäller från", agreement.valid_from || "Anges inte"],
      ["Gäller till", agreement.valid_to || "Anges inte"],
    ]),
    el("p", { class: "summary", text: summaryText })];
  if (lawMissing.length) {
    nodes.push(el("p", {}, "Lagkrav som inte är uppfyllda: ", lawMissing.map((t) => t.label).join(", "), "."));
  }
  const s = report.summary;
  if (s && s.clauses !== undefined) {
    nodes.push(el("p", { class: "muted", text: `I texten hittades ${s.clauses} bestämmelser, ${s.responsibilities} ansvar och `
      + `${s.citations} hänvisningar till lagrum; jämförelsen gjordes mot ${s.peers} andra överenskommelser.` }));
  }
  if (report.shacl) {
    nodes.push(el("p", { class: "muted", text: report.shacl.conforms
      ? "Kontrollen mot formkraven (SHACL) visar inga avvikelser."
      : `Kontrollen mot formkraven (SHACL) visar ${report.shacl.results} avvikelser.` }));
  }
  nodes.push(el("nav", { class: "toc", "aria-label": "Delar av granskningen" },
    el("ul", {},
      SEVERITIES.map((sv) => el("li", {}, el("a", { href: `#${sv.id}`, text: `${sv.heading} (${counts[sv.key]})` }))),
      el("li", {}, el("a", { href: "#omraden", text: `Områden (${topics.length})` })))));

  for (const sv of SEVERITIES) {
    const list = findings.filter((f) => f.severity === sv.key);
    const section = el("section", { id: sv.id, class: `severity severity-block-${sv.key}`, "aria-labelledby": `${sv.id}-rubrik` },
      el("h2", { id: `${sv.id}-rubrik`, text: `${sv.heading} (${list.length})` }),
      el("p", { class: "muted", text: sv.intro }));
    if (list.length) section.append(el("ol", { class: "findings" }, list.map((f) => el("li", {}, findingCard(f, topicLabels)))));
    else section.append(el("p", { class: "none", text: "Inga anmärkningar här." }));
    nodes.push(section);
  }
  nodes.push(el("section", { id: "omraden", "aria-labelledby": "omraden-rubrik" },
    el("h2", { id: "omraden-rubrik", text: "Områden: täckta och saknade" }),
    el("p", { class: "muted", text: "Saknade lagkrav först. ”Andra län” anger hur många av de andra överenskommelserna som reglerar området." }),
    topicTable(topics)));

  clear(ui.report);
  append(ui.report, nodes);
  heading.focus();
  announce(`Granskningen är klar. ${summaryText}`);
}

async function submit(event) {
  event.preventDefault();
  if (busy) return;
  const file = ui.file.files && ui.file.files[0];
  if (!file) {
    fieldError("Välj en fil att granska.");
    ui.file.focus();
    return;
  }
  clearFieldError();
  busy = true;
  ui.button.setAttribute("aria-disabled", "true");
  ui.report.setAttribute("aria-busy", "true");
  clear(ui.report).append(el("p", { class: "loading" }, "Granskar ", el("q", { text: file.name }), " …"));
  announce("Granskar filen …");
  const body = new FormData();
  body.append("file", file, file.name);
  try {
    const report = await api("/api/check", { method: "POST", body });
    renderReport(report, file.name);
  } catch (err) {
    clear(ui.report).append(errorBox(err.message, "Filen kunde inte granskas"), fileLine(file.name));
    announce(`Filen kunde inte granskas. ${err.message}`);
  } finally {
    busy = false;
    ui.button.removeAttribute("aria-disabled");
    ui.report.removeAttribute("aria-busy");
  }
}

ui.form.addEventListener("submit", submit);
ui.file.addEventListener("change", () => {
  if (ui.file.files && ui.file.files.length) clearFieldError();
});
