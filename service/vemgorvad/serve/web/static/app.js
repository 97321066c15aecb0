// The page at /: ask a question, compare the counties, list the agreements.
// Everything comes from the JSON API (/api/ask, /api/compare, /api/agreements, /api/topics,
// /api/passage) and is rendered with DOM APIs: user input and data are only ever text.
import { el, append, clear, highlighted, uid, api, errorBox } from "./dom.js";

const KIND_LABELS = {
  kommun: "Kommun",
  region: "Region",
  "kommun+region": "Kommun och region",
  other: "Annan aktör",
};
const DUTY_LABELS = {
  do: "utföra", pay: "betala", coordinate: "samordna", convene: "kalla till möte", participate: "delta",
  report: "anmäla eller rapportera", decide: "besluta", followup: "följa upp",
};
const SITUATION_LABELS = {
  placering: "vid placering", akut_placering: "vid akut placering", utskrivning: "vid utskrivning",
  oppen_tvangsvard: "vid öppen tvångsvård", permission: "vid permission", graviditet: "vid graviditet",
  tvist: "vid tvist", aldersovergang: "vid åldersövergång",
};
const IRI_BASE = "https://w3id.org/vemgorvad";
const ALL_LABEL = "Alla överenskommelser";

const $ = (id) => document.getElementById(id);
const ui = {
  askForm: $("fraga-form"), q: $("q"), qError: $("q-error"), agreement: $("agreement"),
  agreementDesc: $("agreement-desc"), results: $("svar"), status: $("svar-status"),
  compareForm: $("jamfor-form"), topic: $("topic"), topicError: $("topic-error"),
  compareResults: $("jamfor-resultat"), compareStatus: $("jamfor-status"), compareHeading: $("jamfor-rubrik"),
  agreementsBody: document.querySelector("#avtal-tabell tbody"),
};
const defaultAgreementHint = ui.agreementDesc.textContent;
const defaultTitle = document.title;

const meta = { agreements: new Map(), topics: new Map() };
let metaReady = null;

// ---------------------------------------------------------------- small renderers

function kindBadge(kind) {
  const label = KIND_LABELS[kind] || KIND_LABELS.other;
  const cls = { kommun: "kommun", region: "region", "kommun+region": "both" }[kind] || "other";
  return el("span", { class: `badge kind-${cls}`, text: label });
}

function countyOf(key) {
  const a = meta.agreements.get(key);
  return a && a.county ? a.county : "";
}

function agreementLabel(agreement) {
  if (!agreement) return "";
  const title = agreement.title || (meta.agreements.get(agreement.key) || {}).title || agreement.key;
  const county = countyOf(agreement.key);
  return county && !title.includes(county.replace(/ län$/, "")) ? `${title} (${county})` : title;
}

function sectionLabel(section) {
  return (section || "").split(" > ").join(" › ");
}

function graphPath(iri) {
  return typeof iri === "string" && iri.startsWith(`${IRI_BASE}/id/`) ? iri.slice(IRI_BASE.length) : null;
}

/** The agreement key in a minted IRI (…/id/agreement/KEY/…), or "". */
function agreementOfIri(iri) {
  const match = /\/id\/agreement\/([a-z0-9-]+)/.exec(iri || "");
  return match ? match[1] : "";
}

function normalised(text) {
  return (text || "").replace(/\s+/g, " ").trim().toLowerCase();
}

function announce(region, message) {
  // Cleared first so that the same message is announced again on a repeated search.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

function nextLevel(level) {
  return `h${Math.min(6, Number(level.slice(1)) + 1)}`;
}

/** "Visa i sitt sammanhang": the quote's whole section from /api/passage, the quote marked. */
function contextToggle(responsibility, level) {
  const regionId = uid("sammanhang");
  const region = el("div", { id: regionId, class: "context", hidden: true });
  const closedText = "Visa i sitt sammanhang";
  const button = el("button", {
    type: "button", class: "secondary context-toggle", "aria-expanded": "false", "aria-controls": regionId,
    text: closedText,
  });
  let loaded = false;
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-expanded") === "true") {
      region.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.textContent = closedText;
      return;
    }
    region.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Dölj sammanhanget";
    if (loaded) return;
    region.setAttribute("aria-busy", "true");
    clear(region).append(el("p", { class: "muted", text: "Hämtar stycket …" }));
    try {
      const p = await api("/api/passage", { params: { responsibility } });
      loaded = true;
      const where = [p.agreement && p.agreement.title, sectionLabel(p.section)].filter(Boolean).join(", avsnitt ");
      const passage = el("div", {
        class: "passage", tabindex: "0", role: "region", "aria-label": `Stycket i sitt sammanhang: ${where}`,
      }, highlighted(p.text, p.quote_start, p.quote_end));
      clear(region).append(
        el(level, { class: "context-title", text: sectionLabel(p.section) || "Stycket" }),
        passage,
        el("p", { class: "hint", text: `Ur ${p.agreement ? p.agreement.title : "överenskommelsen"}. Det markerade är citatet.` }),
      );
      const mark = passage.querySelector("mark");
      if (mark) passage.scrollTop = Math.max(0, mark.offsetTop - passage.clientHeight / 3);
    } catch (err) {
      clear(region).append(errorBox(err.message, "Stycket kunde inte hämtas", level));
    } finally {
      region.removeAttribute("aria-busy");
    }
  });
  return { button, region };
}

/** The agreement's status as a badge: "Upphörd 2016-12-31", "Gällande …", "Giltighetstid anges inte". */
function statusBadge(status) {
  if (!status || !status.label) return null;
  const cls = { "upphörd": "expired", "gällande": "valid" }[status.status] || "unknown";
  return el("span", { class: `badge agreement-${cls}`, text: status.label });
}

/** The provisions a duty rests on; a repealed one marked, with where the rule stands today. */
function lawList(laws, fallback) {
  if (!laws || !laws.length) return fallback ? el("span", { text: fallback }) : null;
  const list = el("ul", { class: "laws" });
  for (const law of laws) {
    const item = el("li", { class: law.repealed ? "law law-repealed" : "law" }, el("span", { class: "law-label", text: law.label }));
    if (law.repealed) {
      item.append(" ", el("span", { class: "badge law-repealed-badge", text: `Upphävd ${law.repealed_on || ""}`.trim() }));
      if (law.today) item.append(el("span", { class: "law-today" }, el("span", { class: "label", text: "I dag: " }), law.today));
    }
    list.append(item);
  }
  return list;
}

/** "Kopiera hänvisning": agreement, section, page and quote to the clipboard — or, where the page has
 * no clipboard (plain http on an intranet), the text selected in a field to copy by hand. */
function copyButton(reference) {
  const button = el("button", { type: "button", class: "secondary copy-ref", text: "Kopiera hänvisning" });
  button.addEventListener("click", async () => {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
      await navigator.clipboard.writeText(reference);
      button.textContent = "Hänvisningen är kopierad";
      announce(ui.status, "Hänvisningen är kopierad.");
      window.setTimeout(() => { button.textContent = "Kopiera hänvisning"; }, 2500);
    } catch (err) {
      const holder = button.parentElement.parentElement.querySelector(".ref-manual");
      if (holder) { holder.hidden = false; holder.querySelector("textarea").select(); return; }
      const id = uid("hanvisning");
      const field = el("textarea", { id, class: "ref-text", readonly: true, rows: "3", text: reference });
      const box = el("div", { class: "ref-manual" },
        el("label", { for: id, text: "Hänvisning – markerad, kopiera med Ctrl+C (⌘C)" }), field);
      button.parentElement.after(box);
      field.focus();
      field.select();
    }
  });
  return button;
}

/** One responsibility: who, unit, what, conditions, legal basis with repeal, agreement and its
 * status, section and page, the quote, its context and a reference to copy. */
function answerCard(answer, { level = "h3", best = false, showAgreement = true } = {}) {
  const headingId = uid("ansvar");
  const principal = answer.principal || {};
  const status = answer.agreement_status || {};
  const repealed = (answer.laws || []).some((l) => l.repealed);
  const card = el("article", {
    class: best ? "card card-best" : "card", "aria-labelledby": headingId,
    dataset: {
      agreement: (answer.agreement && answer.agreement.key) || "", kind: principal.kind || "",
      responsibility: answer.responsibility || "",
      agreementStatus: status.status || "", repealedLaw: repealed ? "true" : "false",
    },
  });
  if (best) card.append(el("p", { class: "eyebrow", text: "Bästa svaret" }));
  card.append(el(level, { id: headingId, class: "card-title" },
    el("span", { class: "who", text: principal.label || "Okänd aktör" }), " ", kindBadge(principal.kind)));

  if (answer.statement && normalised(answer.statement) !== normalised(answer.quote)) {
    card.append(el("p", { class: "statement", text: answer.statement }));
  }
  const facts = el("dl", { class: "facts" });
  const fact = (term, value) => {
    if (value) append(facts, el("div", {}, el("dt", { text: term }), el("dd", {}, value)));
  };
  fact("Enhet", answer.unit && answer.unit.label);
  fact("Villkor", answer.conditions);
  fact("Lagstöd", lawList(answer.laws, answer.legal_basis));
  if (showAgreement) {
    fact("Överenskommelse", el("span", {}, agreementLabel(answer.agreement), " ", statusBadge(status)));
  } else if (status.status === "upphörd") {
    fact("Överenskommelse", statusBadge(status));
  }
  if (status.note) fact("Observera", status.note);
  fact("Avsnitt", sectionLabel(answer.section));
  if (answer.page) fact("Sida", String(answer.page));
  if (facts.childElementCount) card.append(facts);

  if (answer.quote) {
    card.append(el("figure", { class: "quote" },
      el("blockquote", {}, el("p", {}, el("mark", { text: answer.quote }))),
      el("figcaption", { text: "Citat ur överenskommelsen" })));
  }
  const actions = el("div", { class: "actions" });
  let context = null;
  if (answer.responsibility) {
    context = contextToggle(answer.responsibility, nextLevel(level));
    actions.append(context.button);
  }
  if (answer.reference) actions.append(copyButton(answer.reference));
  const path = graphPath(answer.responsibility);
  if (path) actions.append(el("a", { class: "graph-link", href: path }, "Visa i grafen"));
  if (actions.childElementCount) card.append(actions);
  if (context) card.append(context.region);
  return card;
}

function cardList(answers, options = {}) {
  const list = el("ol", { class: "cards" });
  answers.forEach((answer, i) => list.append(el("li", {}, answerCard(answer, { ...options, best: options.best && i === 0 }))));
  return list;
}

/** A rule that depends on a condition the question did not give (an age limit, a cost share):
 * its cases as one card, a row per case, each with its quote. */
function casesCard(cases, level = "h3") {
  const headingId = uid("regel");
  const first = cases[0] || {};
  const status = first.agreement_status || {};
  const card = el("article", {
    class: "card card-cases", "aria-labelledby": headingId,
    dataset: { agreement: (first.agreement && first.agreement.key) || "", agreementStatus: status.status || "" },
  });
  card.append(el(level, { id: headingId, class: "card-title", text: "Regeln i överenskommelsen, fall för fall" }));
  const facts = el("dl", { class: "facts" });
  append(facts, el("div", {}, el("dt", { text: "Överenskommelse" }),
    el("dd", {}, agreementLabel(first.agreement), " ", statusBadge(status))));
  if (status.note) append(facts, el("div", {}, el("dt", { text: "Observera" }), el("dd", { text: status.note })));
  if (first.section) append(facts, el("div", {}, el("dt", { text: "Avsnitt" }), el("dd", { text: sectionLabel(first.section) })));
  card.append(facts);
  const table = el("table", { class: "cases" },
    el("caption", { class: "visually-hidden", text: "Vem som ansvarar i varje fall" }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "När" }), el("th", { scope: "col", text: "Vem" }),
      el("th", { scope: "col", text: "Citat" }))),
    el("tbody", {}, cases.map((c) => el("tr", {},
      el("th", { scope: "row", text: c.conditions || "–" }),
      el("td", {}, el("span", { class: "who", text: (c.principal && c.principal.label) || "Okänd aktör" }), " ",
        kindBadge(c.principal && c.principal.kind), c.unit && c.unit.label ? el("span", { class: "unit", text: ` (${c.unit.label})` }) : null),
      el("td", { class: "case-quote" }, el("mark", { text: c.quote || "" }))))));
  card.append(el("div", { class: "table-wrap" }, table));
  const actions = el("div", { class: "actions" });
  const reference = cases.map((c) => c.reference).filter(Boolean);
  if (reference.length) actions.append(copyButton([...new Set(reference)].join("\n")));
  const path = graphPath(first.responsibility);
  if (path) actions.append(el("a", { class: "graph-link", href: path }, "Visa i grafen"));
  if (actions.childElementCount) card.append(actions);
  return card;
}

/** Answers grouped by agreement (in the order of their best answer), each group headed by its
 * county and the agreement's status. */
function groupedAnswers(answers, cases) {
  const caseIris = new Set((cases || []).map((c) => c.responsibility));
  const rest = answers.filter((a) => !caseIris.has(a.responsibility));
  const groups = new Map();
  if (cases && cases.length) {
    const key = (cases[0].agreement && cases[0].agreement.key) || "";
    groups.set(key, { cases, answers: [], agreement: cases[0].agreement, status: cases[0].agreement_status });
  }
  for (const a of rest) {
    const key = (a.agreement && a.agreement.key) || "";
    if (!groups.has(key)) groups.set(key, { cases: null, answers: [], agreement: a.agreement, status: a.agreement_status });
    groups.get(key).answers.push(a);
  }
  const wrap = el("div", { class: "answer-groups" });
  let first = true;
  for (const [key, g] of groups) {
    const headingId = uid("grupp");
    const county = countyOf(key) || (g.agreement && g.agreement.title) || key;
    const section = el("section", { class: "agreement-group", "aria-labelledby": headingId, dataset: { agreement: key } },
      el("h3", { id: headingId, class: "group-title" },
        el("span", { class: "badge county", text: county }), " ",
        el("span", { class: "group-agreement", text: (g.agreement && g.agreement.title) || key })),
      statusBadge(g.status) ? el("p", { class: "group-status" }, statusBadge(g.status)) : null);
    const list = el("ol", { class: "cards" });
    if (g.cases) list.append(el("li", {}, casesCard(g.cases, "h4")));
    g.answers.forEach((a, i) => list.append(el("li", {}, answerCard(a, { level: "h4", best: first && !g.cases && i === 0, showAgreement: false }))));
    section.append(list);
    wrap.append(section);
    first = false;
  }
  return wrap;
}

const LEVEL_LABELS = { county: "Länsgemensam", local: "Lokal" };

/** A place under several agreements (issue 16): every agreement in force for it, county-wide first,
 * as a group — its name, whether it is county-wide or local, its validity, and its answers (the rule
 * case by case where the answer depends on a condition the question does not give), or "Inte reglerat
 * i …" where it has none. The best answer of all keeps its mark wherever its group stands. */
function inForceGroups(data) {
  const groups = data.in_force || [];
  const cases = data.cases && data.cases.length ? data.cases : null;
  const caseKey = cases ? ((cases[0].agreement && cases[0].agreement.key) || "") : null;
  const caseIris = new Set((cases || []).map((c) => c.responsibility));
  const bestIri = ((data.answers || [])[0] || {}).responsibility;
  const place = (data.interpretation && data.interpretation.place) || null;
  const answered = groups.filter((g) => g.answers && g.answers.length).length;
  const wrap = el("div", { class: "answer-groups in-force" });
  const where = place && place.label ? `För ${place.label} gäller` : "Här gäller";
  wrap.append(el("p", { class: "in-force-intro" },
    `${where} ${groups.length} överenskommelser. ${answered} av dem reglerar det frågan gäller.`));
  for (const g of groups) {
    const key = (g.agreement && g.agreement.key) || "";
    const title = (g.agreement && g.agreement.title) || key;
    const headingId = uid("grupp");
    const level = LEVEL_LABELS[g.level] || "";
    const county = g.county || countyOf(key);
    const section = el("section", {
      class: `agreement-group level-${g.level || "other"}`, "aria-labelledby": headingId,
      dataset: { agreement: key, level: g.level || "", status: g.status || "" },
    },
    el("h3", { id: headingId, class: "group-title" },
      level ? el("span", { class: `badge level level-badge-${g.level}`, text: `${level} överenskommelse` }) : null, " ",
      el("span", { class: "group-name", text: title })),
    el("p", { class: "group-status" },
      county ? el("span", { class: "badge county", text: county }) : null, " ",
      el("span", { class: "visually-hidden", text: "Giltighetstid: " }),
      statusBadge(g.agreement_status)));
    const own = (g.answers || []).filter((a) => !(key === caseKey && caseIris.has(a.responsibility)));
    if (!own.length && key !== caseKey) {
      // the cards say what to check about an ended agreement; a group without cards says it itself
      if (g.agreement_status && g.agreement_status.note) section.append(el("p", { class: "muted group-note", text: g.agreement_status.note }));
      section.dataset.status = "not_covered";
      section.append(el("div", { class: "notice notice-none group-none" },
        el("p", { class: "notice-title", text: `Inte reglerat i ${title}` }),
        el("p", { text: "Överenskommelsen har inget ansvar som svarar på frågan." })));
    } else {
      const list = el("ol", { class: "cards" });
      if (key === caseKey) list.append(el("li", {}, casesCard(cases, "h4")));
      own.forEach((a) => list.append(el("li", {},
        answerCard(a, { level: "h4", best: a.responsibility === bestIri && !caseIris.has(bestIri), showAgreement: false }))));
      section.append(list);
    }
    wrap.append(section);
  }
  return wrap;
}

/** The agreements in force for the place the question names, county-wide first. */
function placeAgreements(interp) {
  const levels = (interp && interp.place && interp.place.in_force) || {};
  return [...(levels.county || []), ...(levels.local || [])];
}

/** What the question was read as — only what the user said (or chose), and what was corrected. */
function interpretationLine(interp, question) {
  if (!interp) return null;
  const parts = [];
  const topics = (interp.topics || []).map((t) => meta.topics.get(t) || t);
  if (topics.length) parts.push(`område: ${topics.join(", ")}`);
  const keys = interp.agreements && interp.agreements.length ? interp.agreements : (interp.agreement ? [interp.agreement] : []);
  if (interp.place && interp.place.label) parts.push(`plats: ${interp.place.label}`);
  else if (keys.length) parts.push(`län: ${[...new Set(keys.map((k) => countyOf(k) || k))].join(", ")}`);
  const said = (word) => new RegExp(`(^|[^0-9])${word}([^0-9]|$)`).test(question || "");
  if (interp.age !== null && interp.age !== undefined && said(String(interp.age))) parts.push(`ålder: ${interp.age} år`);
  else if (interp.age_group) parts.push(`ålder: ”${interp.age_group}”`);
  if (interp.days !== null && interp.days !== undefined && said(String(interp.days))) parts.push(`tid: ${interp.days} dagar`);
  const situations = (interp.situations || []).map((s) => SITUATION_LABELS[s] || s);
  if (situations.length) parts.push(`situation: ${situations.join(", ")}`);
  const duties = (interp.duties || []).map((d) => DUTY_LABELS[d] || d);
  if (duties.length) parts.push(`ansvar att ${duties.join(", ")}`);
  const nodes = [];
  if (parts.length) {
    nodes.push(el("p", { class: "interpretation" }, el("span", { class: "label", text: "Tolkad som " }), parts.join(" · ")));
  }
  const corrected = Object.entries(interp.corrected || {});
  if (interp.did_you_mean || corrected.length) {
    const line = el("p", { class: "did-you-mean" });
    if (interp.did_you_mean) line.append(el("strong", { text: interp.did_you_mean }), " ");
    const words = corrected.map(([from, to]) => `”${from}” som ”${to}”`);
    if (words.length) line.append(`Läste ${words.join(", ")}.`);
    nodes.push(line);
  }
  return nodes;
}

function sparqlDetails(sparql) {
  if (!sparql) return null;
  return el("details", { class: "sparql" },
    el("summary", { text: "Visa SPARQL-frågan bakom svaret" }),
    el("pre", {}, el("code", { text: sparql })),
    el("p", {}, "Frågan kan köras mot grafen i ", el("a", { href: `/sparql?query=${encodeURIComponent(sparql)}` }, "SPARQL-ändpunkten"), "."));
}

/** The comparison as a table: a row per agreement — county and status, who, on what condition, the quote. */
function comparisonTable(data, level = "h3") {
  const rows = data.agreements || [];
  const regulated = rows.filter((r) => r.regulated).length;
  const wrap = el("div", { class: "comparison", dataset: { question: data.question || "" } });
  const title = data.label ? `Så reglerar länen: ${data.label}` : "Så svarar överenskommelserna";
  wrap.append(el(level, { class: "results-title cmp-heading", text: title }),
    el("p", { class: "summary" }, `${regulated} av ${rows.length} överenskommelser har ett svar på frågan `,
      el("q", { text: data.question || "" }), "."));
  const headers = ["Län och överenskommelse", "Vem", "Villkor", "Citat"];
  const head = el("tr", { role: "row" }, headers.map((h) => el("th", { scope: "col", role: "columnheader", text: h })));
  const body = el("tbody", { role: "rowgroup" });
  for (const row of rows) {
    const key = row.agreement && row.agreement.key;
    const county = row.county || countyOf(key) || (row.agreement && row.agreement.title) || key;
    const answers = row.answers || [];
    const top = answers[0];
    const askLink = el("a", { class: "ask-here", href: `/?${new URLSearchParams({ q: data.question || "", agreement: key || "" })}` },
      `Fråga i ${county}`);
    const place = el("th", { scope: "row", role: "rowheader", "data-label": headers[0] },
      el("span", { class: "cmp-county", text: county }),
      el("span", { class: "cmp-agreement", text: (row.agreement && row.agreement.title) || "" }),
      statusBadge(row.agreement_status));
    const tr = el("tr", { role: "row", class: row.regulated ? "cmp cmp-yes" : "cmp cmp-no",
      dataset: { agreement: key || "", status: row.status || "", agreementStatus: (row.agreement_status || {}).status || "" } }, place);
    if (!top) {
      tr.append(el("td", { role: "cell", colspan: "3", class: "cmp-none", "data-label": "Svar" },
        el("span", { class: "badge status-no", text: "Inte reglerat" }), " ",
        el("span", { text: "Överenskommelsen har inget ansvar som svarar på frågan." }), " ", askLink));
      body.append(tr);
      continue;
    }
    const cases = row.cases && row.cases.length ? row.cases : null;
    const who = el("td", { role: "cell", "data-label": headers[1] });
    const when = el("td", { role: "cell", "data-label": headers[2] });
    if (cases) {
      who.append(el("ul", { class: "cmp-cases" }, cases.map((c) => el("li", {},
        el("span", { class: "who", text: c.principal.label }), " ", kindBadge(c.principal.kind)))));
      when.append(el("ul", { class: "cmp-cases" }, cases.map((c) => el("li", { text: c.conditions || "–" }))));
    } else {
      append(who, el("span", { class: "who", text: top.principal.label }), " ", kindBadge(top.principal.kind),
        top.unit && top.unit.label ? el("span", { class: "unit", text: ` (${top.unit.label})` }) : null);
      when.append(top.conditions || "–");
    }
    const repealed = (top.laws || []).filter((l) => l.repealed);
    if (repealed.length) {
      when.append(el("p", { class: "cmp-law" }, el("span", { class: "badge law-repealed-badge", text: "Upphävd lag" }), " ",
        repealed.map((l) => `${l.label}${l.today ? ` – i dag ${l.today}` : ""}`).join("; ")));
    }
    const quote = el("td", { role: "cell", class: "cmp-quote", "data-label": headers[3] },
      el("blockquote", {}, el("mark", { text: top.quote })),
      el("span", { class: "muted", text: sectionLabel(top.section) }), " ");
    const path = graphPath(top.responsibility);
    if (path) quote.append(el("a", { href: path, text: "Citatet i överenskommelsen" }), " · ");
    quote.append(askLink);
    if (answers.length > 1 && !cases) {
      quote.append(el("details", { class: "more" }, el("summary", { text: `${answers.length - 1} ansvar till` }),
        el("ul", {}, answers.slice(1).map((a) => el("li", {}, el("strong", { text: a.principal.label }),
          a.conditions ? ` (${a.conditions})` : "", ": ", el("q", { text: a.quote }))))));
    }
    tr.append(who, when, quote);
    body.append(tr);
  }
  wrap.append(el("div", { class: "table-wrap cmp-wrap", role: "region", tabindex: "0", "aria-label": title },
    el("table", { class: "cmp-table", role: "table" },
      el("caption", { class: "visually-hidden", text: `${title}: län, vem som ansvarar, villkor och citat` }),
      el("thead", { role: "rowgroup" }, head), body)));
  return wrap;
}

function compareSummary(data) {
  const rows = data.agreements || [];
  const regulated = rows.filter((r) => r.regulated).length;
  return `${data.label || data.question}: ${regulated} av ${rows.length} överenskommelser har ett svar.`;
}

// ---------------------------------------------------------------- URL state

function currentParams() {
  return new URLSearchParams(window.location.search);
}

/** Put the given parameters into the address (pushing a history entry if asked and changed). */
function writeUrl(changes, push) {
  const params = currentParams();
  for (const [key, value] of Object.entries(changes)) {
    if (value) params.set(key, value); else params.delete(key);
  }
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
  const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  if (url === here) return;
  if (push) window.history.pushState(null, "", url); else window.history.replaceState(null, "", url);
}

// ---------------------------------------------------------------- asking

let askSeq = 0;
let askController = null;

function showFieldError(input, box, message) {
  box.textContent = message;
  box.hidden = false;
  input.setAttribute("aria-invalid", "true");
}

function clearFieldError(input, box) {
  box.textContent = "";
  box.hidden = true;
  input.removeAttribute("aria-invalid");
}

/** Bring the answer's first sentence into view and give it focus, so a reader on a phone sees the
 * answer at once and a screen reader reads it next. Only after the user asked (not while they
 * change the county in the list: focus stays where they are). */
function revealSummary() {
  const target = document.getElementById("svar-sammanfattning");
  if (!target) return;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "start", behavior: "instant" });
}

async function ask(question, agreement, { reveal = false } = {}) {
  const seq = ++askSeq;
  if (askController) askController.abort();
  askController = new AbortController();
  const { signal } = askController;
  ui.results.setAttribute("aria-busy", "true");
  ui.results.classList.add("is-loading");
  const slow = window.setTimeout(() => {
    if (seq !== askSeq) return;
    clear(ui.results).append(el("p", { class: "loading", text: "Söker svar …" }));
    ui.status.textContent = "Söker svar …";
  }, 150);
  let data = null;
  let error = null;
  let comparison = null;
  try {
    data = await api("/api/ask", { params: { q: question, agreement }, signal });
    if (data.comparison && data.comparison.length) {
      comparison = await api("/api/compare", { params: { q: question }, signal });
    }
    await metaReady;
  } catch (err) {
    if (err && err.name === "AbortError") return;
    error = err;
  } finally {
    window.clearTimeout(slow);
  }
  if (seq !== askSeq) return;
  ui.results.removeAttribute("aria-busy");
  ui.results.classList.remove("is-loading");
  if (error) {
    clear(ui.results).append(el("div", { id: "svar-sammanfattning", tabindex: "-1", class: "answer-summary" },
      errorBox(error.message, "Frågan kunde inte besvaras")));
    announce(ui.status, `Frågan kunde inte besvaras. ${error.message}`);
    if (reveal) revealSummary();
    return;
  }
  document.title = `${data.question} – Vem gör vad?`;
  renderAnswer(data, agreement, comparison);
  if (reveal) revealSummary();
}

/** The sentence above the cards: the engine's summary, or the best answer in words. */
function summarySentence(data) {
  if (data.summary) return data.summary;
  const best = (data.answers || [])[0];
  if (!best) return "";
  const county = countyOf(best.agreement && best.agreement.key);
  const who = `${best.principal.label}${best.unit && best.unit.label ? ` (${best.unit.label})` : ""}`;
  return `Bästa svaret: ${who}${best.conditions ? `, ${best.conditions}` : ""}${county ? ` – ${county}` : ""}.`;
}

function renderAnswer(data, selectedAgreement, comparison) {
  const interp = data.interpretation || {};
  const answers = data.answers || [];
  const head = el("div", { id: "svar-sammanfattning", class: "answer-summary", tabindex: "-1", "aria-labelledby": "svar-rubrik" });
  const nodes = [head];
  let message = "";
  const scopeKey = selectedAgreement || interp.agreement || "";
  const asked = el("p", { class: "asked" }, el("span", { class: "label", text: "Din fråga: " }), el("q", { class: "asked-q", text: data.question }));

  if (data.status === "not_covered") {
    const inForce = selectedAgreement ? [] : placeAgreements(interp);
    const heading = scopeKey && inForce.length < 2 ? "Inte reglerat i överenskommelsen" : "Inte reglerat i överenskommelserna";
    const where = inForce.length > 1 ? `Sökt i alla ${inForce.length} överenskommelser som gäller för ${interp.place.label}: ${inForce.map((k) => agreementLabel({ key: k })).join("; ")}.`
      : scopeKey ? `Sökt i: ${agreementLabel({ key: scopeKey })}.` : `Sökt i: ${ALL_LABEL.toLowerCase()}.`;
    head.classList.add("notice", "notice-none");
    head.dataset.status = "not_covered";
    append(head, el("h2", { id: "svar-rubrik", class: "notice-title", text: heading }),
      el("p", { class: "summary-sentence", text: data.reason || "Ingen bestämmelse i överenskommelsen reglerar det frågan gäller." }),
      el("p", { class: "muted", text: where }), asked, interpretationLine(interp, data.question));
    const actions = el("div", { class: "actions" });
    if (selectedAgreement) {
      actions.append(el("button", {
        type: "button", class: "secondary", text: "Sök i alla överenskommelser",
        on: { click: () => { ui.agreement.value = ""; submitQuestion(); } },
      }));
    }
    for (const topic of (interp.topics || []).slice(0, 2)) actions.append(compareButton(topic));
    if (actions.childElementCount) append(head, actions);
    const nearest = data.nearest || [];
    if (nearest.length) {
      nodes.push(el("details", { class: "more nearest" },
        el("summary", { text: `Närmaste stycken (${nearest.length}) – inget av dem svarar på frågan` }),
        el("ul", {}, nearest.map((n) => el("li", {}, el("q", { text: n.quote }), " ",
          el("span", { class: "muted", text: `(${countyOf(n.agreement && n.agreement.key) || ""}${n.section ? `, ${sectionLabel(n.section)}` : ""})` }))))));
    }
    message = `${heading}. ${data.reason || ""}`;
  } else if (comparison) {
    append(head, el("h2", { id: "svar-rubrik", class: "results-title", text: "Svar: län för län" }),
      el("p", { class: "summary-sentence", text: compareSummary(comparison) }), asked, interpretationLine(interp, data.question));
    nodes.push(comparisonTable(comparison, "h3"));
    message = compareSummary(comparison);
  } else {
    const sentence = summarySentence(data);
    append(head, el("h2", { id: "svar-rubrik", class: "results-title", text: "Svar" }),
      el("p", { class: "summary-sentence", text: sentence }), asked, interpretationLine(interp, data.question));
    if (data.status === "ambiguous") append(head, ambiguityBox(data));
    const actions = el("div", { class: "actions" });
    actions.append(el("button", {
      type: "button", class: "secondary", text: "Jämför frågan mellan länen",
      on: { click: () => openComparison({ question: data.question }) },
    }));
    append(head, actions);
    const groups = data.in_force && data.in_force.length ? inForceGroups(data) : groupedAnswers(answers, data.cases);
    nodes.push(el("h2", { class: "visually-hidden", text: `Svaren (${answers.length})` }), groups);
    const inForce = data.in_force || [];
    const withAnswers = inForce.filter((g) => g.answers && g.answers.length).length;
    message = inForce.length
      ? `${sentence} ${withAnswers} av ${inForce.length} överenskommelser som gäller har svar.` : `${sentence} ${answers.length} svar.`;
  }
  nodes.push(sparqlDetails(data.sparql));
  clear(ui.results);
  append(ui.results, nodes);
  announce(ui.status, message);
}

function ambiguityBox(data) {
  const box = el("div", { class: "notice notice-ambiguous", "data-status": "ambiguous" },
    el("h3", { class: "notice-title", text: "Frågan kan gälla flera områden" }),
    el("p", { text: "Svaren nedan passar bäst. Frågan kan också gälla:" }));
  const list = el("ul", { class: "alternatives" });
  const byTopic = new Map();
  for (const alt of data.alternatives || []) {
    const key = alt.topic || alt.label || "";
    if (!byTopic.has(key)) byTopic.set(key, []);
    byTopic.get(key).push(alt);
  }
  for (const [topic, alts] of byTopic) {
    const label = alts[0].label || meta.topics.get(topic) || topic;
    const who = el("ul", { class: "alt-who" });
    for (const alt of alts) {
      const principal = alt.principal || {};
      const context = alt.responsibility ? contextToggle(alt.responsibility, "h5") : null;
      const county = countyOf(agreementOfIri(alt.responsibility));
      who.append(el("li", {},
        el("span", {}, principal.label || "Okänd aktör", " ", principal.kind ? kindBadge(principal.kind) : null,
          county ? ` (${county})` : ""),
        " ", context && context.button, context && context.region));
    }
    list.append(el("li", {},
      el("h4", { class: "alt-topic", text: label }), who,
      topic && meta.topics.has(topic) ? el("div", { class: "actions" }, compareButton(topic)) : null));
  }
  box.append(list);
  return box;
}

function compareButton(topic) {
  const label = meta.topics.get(topic) || topic;
  return el("button", {
    type: "button", class: "secondary", text: `Jämför länen: ${label}`,
    on: { click: () => openComparison({ topic }) },
  });
}

function submitQuestion({ reveal = true } = {}) {
  const question = ui.q.value.trim();
  if (!question) {
    showFieldError(ui.q, ui.qError, "Skriv en fråga i fältet Din fråga.");
    ui.q.focus();
    return;
  }
  clearFieldError(ui.q, ui.qError);
  writeUrl({ q: question, agreement: ui.agreement.value }, true);
  ask(question, ui.agreement.value, { reveal });
}

// ---------------------------------------------------------------- comparing

let compareSeq = 0;
let compareController = null;

/** A comparison by topic (`{topic}`) or by a question (`{question}`): a row per agreement. */
async function compare(what, { reveal = false } = {}) {
  const seq = ++compareSeq;
  if (compareController) compareController.abort();
  compareController = new AbortController();
  const { signal } = compareController;
  ui.compareResults.setAttribute("aria-busy", "true");
  clear(ui.compareResults).append(el("p", { class: "loading", text: "Jämför överenskommelserna …" }));
  let data = null;
  try {
    data = await api("/api/compare", { params: what.topic ? { topic: what.topic } : { q: what.question }, signal });
    await metaReady;
  } catch (err) {
    if (err && err.name === "AbortError") return;
    if (seq !== compareSeq) return;
    ui.compareResults.removeAttribute("aria-busy");
    clear(ui.compareResults).append(errorBox(err.message, "Jämförelsen kunde inte göras", "h3"));
    announce(ui.compareStatus, `Jämförelsen kunde inte göras. ${err.message}`);
    return;
  }
  if (seq !== compareSeq) return;
  ui.compareResults.removeAttribute("aria-busy");
  const table = comparisonTable(data, "h3");
  clear(ui.compareResults).append(table);
  announce(ui.compareStatus, compareSummary(data));
  if (reveal) {
    const heading = table.querySelector(".cmp-heading");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start", behavior: "instant" });
  }
}

function submitComparison() {
  const topic = ui.topic.value;
  if (!topic) {
    showFieldError(ui.topic, ui.topicError, "Välj ett område att jämföra.");
    ui.topic.focus();
    return;
  }
  clearFieldError(ui.topic, ui.topicError);
  writeUrl({ topic, jamfor: "" }, true);
  compare({ topic }, { reveal: true });
}

/** From an answer: open the comparison (of a topic or of the same question) and move the reader there. */
function openComparison(what) {
  if (what.topic && meta.topics.has(what.topic)) ui.topic.value = what.topic;
  clearFieldError(ui.topic, ui.topicError);
  writeUrl(what.topic ? { topic: what.topic, jamfor: "" } : { jamfor: what.question, topic: "" }, true);
  compare(what, { reveal: true });
}

// ---------------------------------------------------------------- agreements and topics

function validity(a) {
  if (!a.valid_from && !a.valid_to) return "Anges inte";
  if (!a.valid_to) return `från ${a.valid_from}`;
  const text = a.valid_from ? `${a.valid_from} – ${a.valid_to}` : `till ${a.valid_to}`;
  const today = new Date().toISOString().slice(0, 10);
  return a.valid_to < today ? `${text} (upphörd)` : text;
}

function fillAgreements(list) {
  const counties = new Map();
  for (const a of list) counties.set(a.county, (counties.get(a.county) || 0) + 1);
  const options = list.map((a) => {
    const unique = a.county && counties.get(a.county) === 1;
    return el("option", { value: a.key, title: a.title, text: unique ? a.county : `${a.county || ""} – ${a.title}`.replace(/^ – /, "") });
  });
  clear(ui.agreement).append(el("option", { value: "", text: ALL_LABEL }), ...options);

  const rows = list.map((a) => {
    const path = graphPath(a.id);
    const askHere = el("button", {
      type: "button", class: "link-button", text: `Fråga i ${a.county || a.title}`,
      on: {
        click: () => {
          ui.agreement.value = a.key;
          describeAgreement();
          ui.q.focus();
          ui.q.scrollIntoView({ block: "center" });
        },
      },
    });
    return el("tr", { dataset: { agreement: a.key } },
      el("th", { scope: "row" }, el("span", { class: "agreement-title", text: a.title }),
        el("span", { class: "row-actions" }, askHere, path ? el("a", { href: path }, "Visa i grafen") : null)),
      el("td", { text: a.county || "" }),
      el("td", { text: validity(a) }),
      el("td", { class: "num", text: String(a.responsibilities) }),
      el("td", { class: "num", text: String((a.topics || []).length) }));
  });
  clear(ui.agreementsBody).append(...rows);
}

function fillTopics(list) {
  const sorted = [...list].sort((a, b) => a.label.localeCompare(b.label, "sv"));
  clear(ui.topic).append(el("option", { value: "", text: "Välj ett område …" }),
    ...sorted.map((t) => el("option", { value: t.key, text: t.label })));
}

function describeAgreement() {
  const a = meta.agreements.get(ui.agreement.value);
  ui.agreementDesc.textContent = a ? `Söker i: ${a.title}.` : defaultAgreementHint;
}

/** GET with one retry after a short pause: the lists are small and the page needs them. */
async function fetchList(path) {
  try {
    return await api(path);
  } catch (err) {
    await new Promise((resolve) => { window.setTimeout(resolve, 400); });
    return api(path);
  }
}

async function loadMeta() {
  const [agreements, topics] = await Promise.allSettled([fetchList("/api/agreements"), fetchList("/api/topics")]);
  if (agreements.status === "fulfilled") {
    for (const a of agreements.value) meta.agreements.set(a.key, a);
    fillAgreements(agreements.value);
  } else {
    clear(ui.agreementsBody).append(el("tr", {}, el("td", { colspan: "5" },
      errorBox(agreements.reason.message, "Överenskommelserna kunde inte hämtas", "h3"))));
  }
  if (topics.status === "fulfilled") {
    for (const t of topics.value) meta.topics.set(t.key, t.label);
    fillTopics(topics.value);
  }
}

// ---------------------------------------------------------------- wiring

/** Show what the address says: the question and its scope, the comparison. */
async function applyUrl({ reveal = false } = {}) {
  const params = currentParams();
  const question = (params.get("q") || "").trim();
  const agreement = params.get("agreement") || "";
  const topic = params.get("topic") || "";
  ui.q.value = question;
  clearFieldError(ui.q, ui.qError);
  if (question) {
    const pending = ask(question, agreement, { reveal });
    await metaReady;
    ui.agreement.value = meta.agreements.has(agreement) ? agreement : "";
    describeAgreement();
    await pending;
  } else {
    askSeq += 1;
    if (askController) askController.abort();
    clear(ui.results);
    ui.results.removeAttribute("aria-busy");
    ui.results.classList.remove("is-loading");
    document.title = defaultTitle;
    await metaReady;
    ui.agreement.value = meta.agreements.has(agreement) ? agreement : "";
    describeAgreement();
  }
  const compareQuestion = (params.get("jamfor") || "").trim();
  if (topic || compareQuestion) {
    if (topic && meta.topics.has(topic)) ui.topic.value = topic;
    compare(topic ? { topic } : { question: compareQuestion });
  } else {
    compareSeq += 1;
    if (compareController) compareController.abort();
    ui.topic.value = "";
    clear(ui.compareResults);
    ui.compareResults.removeAttribute("aria-busy");
  }
}

ui.askForm.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuestion();
});
ui.q.addEventListener("input", () => {
  if (ui.q.value.trim()) clearFieldError(ui.q, ui.qError);
});
ui.agreement.addEventListener("change", () => {
  describeAgreement();
  if (ui.q.value.trim()) submitQuestion({ reveal: false });
  else writeUrl({ agreement: ui.agreement.value }, false);
});
for (const button of document.querySelectorAll("button.example")) {
  button.addEventListener("click", () => {
    ui.q.value = button.dataset.q;
    if ("agreement" in button.dataset) {
      ui.agreement.value = button.dataset.agreement;
      describeAgreement();
    }
    submitQuestion();
  });
}
ui.compareForm.addEventListener("submit", (event) => {
  event.preventDefault();
  submitComparison();
});
ui.topic.addEventListener("change", () => {
  if (ui.topic.value) clearFieldError(ui.topic, ui.topicError);
});
window.addEventListener("popstate", () => { applyUrl(); });

metaReady = loadMeta();
applyUrl({ reveal: true });
