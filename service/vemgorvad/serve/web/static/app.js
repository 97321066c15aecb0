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

/** One responsibility: who, unit, what, conditions, legal basis, where, the quote, its context. */
function answerCard(answer, { level = "h3", best = false, showAgreement = true } = {}) {
  const headingId = uid("ansvar");
  const principal = answer.principal || {};
  const card = el("article", {
    class: best ? "card card-best" : "card", "aria-labelledby": headingId,
    dataset: { agreement: (answer.agreement && answer.agreement.key) || "", kind: principal.kind || "" },
  });
  if (best) card.append(el("p", { class: "eyebrow", text: "Bästa svaret" }));
  card.append(el(level, { id: headingId, class: "card-title" },
    el("span", { class: "who", text: principal.label || "Okänd aktör" }), " ", kindBadge(principal.kind)));

  if (answer.statement && normalised(answer.statement) !== normalised(answer.quote)) {
    card.append(el("p", { class: "statement", text: answer.statement }));
  }
  const facts = el("dl", { class: "facts" });
  const fact = (term, value) => {
    if (value) append(facts, el("div", {}, el("dt", { text: term }), el("dd", { text: value })));
  };
  fact("Enhet", answer.unit && answer.unit.label);
  fact("Villkor", answer.conditions);
  fact("Lagstöd", answer.legal_basis);
  if (showAgreement) fact("Överenskommelse", agreementLabel(answer.agreement));
  fact("Avsnitt", sectionLabel(answer.section));
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
    const path = graphPath(answer.responsibility);
    if (path) actions.append(el("a", { class: "graph-link", href: path }, "Visa i grafen"));
  }
  if (actions.childElementCount) card.append(actions);
  if (context) card.append(context.region);
  return card;
}

function cardList(answers, options = {}) {
  const list = el("ol", { class: "cards" });
  answers.forEach((answer, i) => list.append(el("li", {}, answerCard(answer, { ...options, best: options.best && i === 0 }))));
  return list;
}

function interpretationLine(interp) {
  if (!interp) return null;
  const parts = [];
  const topics = (interp.topics || []).map((t) => meta.topics.get(t) || t);
  if (topics.length) parts.push(`område: ${topics.join(", ")}`);
  if (interp.agreement) parts.push(`län: ${countyOf(interp.agreement) || interp.agreement}`);
  if (interp.age !== null && interp.age !== undefined) parts.push(`ålder: ${interp.age} år`);
  const situations = (interp.situations || []).map((s) => SITUATION_LABELS[s] || s);
  if (situations.length) parts.push(`situation: ${situations.join(", ")}`);
  const duties = (interp.duties || []).map((d) => DUTY_LABELS[d] || d);
  if (duties.length) parts.push(`ansvar att ${duties.join(", ")}`);
  if (!parts.length) return null;
  return el("p", { class: "interpretation" }, el("span", { class: "label", text: "Tolkad som " }), parts.join(" · "));
}

function sparqlDetails(sparql) {
  if (!sparql) return null;
  return el("details", { class: "sparql" },
    el("summary", { text: "Visa SPARQL-frågan bakom svaret" }),
    el("pre", {}, el("code", { text: sparql })),
    el("p", {}, "Frågan kan köras mot grafen i ", el("a", { href: "/sparql" }, "SPARQL-ändpunkten"), "."));
}

/** One entry per agreement: regulated or not, the top responsibility and the rest on demand. */
function comparisonList(items, level = "h3") {
  const list = el("ul", { class: "cmp-list" });
  for (const item of items) {
    const key = item.agreement && item.agreement.key;
    const county = countyOf(key);
    const title = (item.agreement && item.agreement.title) || key;
    const regulated = Boolean(item.regulated);
    const entry = el("li", {
      class: regulated ? "cmp cmp-yes" : "cmp cmp-no", dataset: { agreement: key || "", status: item.status || "" },
    });
    entry.append(
      el("div", { class: "cmp-head" },
        el(level, { class: "cmp-title", text: county || title }),
        el("span", { class: regulated ? "badge status-yes" : "badge status-no", text: regulated ? "Reglerat" : "Inte reglerat" })),
      el("p", { class: "cmp-agreement", text: title }));
    const answers = item.answers || [];
    if (!regulated) {
      entry.append(el("p", { class: "cmp-none", text: "Inte reglerat i överenskommelsen: den säger inget om området." }));
    } else if (!answers.length) {
      entry.append(el("p", { class: "cmp-none", text: "Området nämns, men inget ansvar är utpekat." }));
    } else {
      entry.append(answerCard(answers[0], { level: nextLevel(level), showAgreement: false }));
      if (answers.length > 1) {
        const more = el("details", { class: "more" },
          el("summary", { text: `Visa ${answers.length - 1} ansvar till i ${county || "överenskommelsen"}` }));
        more.append(cardList(answers.slice(1), { level: nextLevel(level), showAgreement: false }));
        entry.append(more);
      }
    }
    list.append(entry);
  }
  return list;
}

function compareSummary(label, items) {
  const regulated = items.filter((i) => i.regulated).length;
  return `${label}: ${regulated} av ${items.length} överenskommelser reglerar området.`;
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

async function ask(question, agreement) {
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
  try {
    data = await api("/api/ask", { params: { q: question, agreement }, signal });
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
    clear(ui.results).append(errorBox(error.message, "Frågan kunde inte besvaras"));
    announce(ui.status, `Frågan kunde inte besvaras. ${error.message}`);
    return;
  }
  document.title = `${data.question} – Vem gör vad?`;
  renderAnswer(data, agreement);
}

function renderAnswer(data, selectedAgreement) {
  const interp = data.interpretation || {};
  const answers = data.answers || [];
  const nodes = [
    el("p", { class: "asked" }, el("span", { class: "label", text: "Din fråga: " }), el("q", { class: "asked-q", text: data.question })),
    interpretationLine(interp),
  ];
  let message = "";
  const scopeKey = selectedAgreement || interp.agreement || "";

  if (data.status === "not_covered") {
    const heading = scopeKey ? "Inte reglerat i överenskommelsen" : "Inte reglerat i överenskommelserna";
    const where = scopeKey ? `Sökt i: ${agreementLabel({ key: scopeKey })}.` : `Sökt i: ${ALL_LABEL.toLowerCase()}.`;
    const box = el("div", { class: "notice notice-none", "data-status": "not_covered" },
      el("h2", { class: "notice-title", text: heading }),
      el("p", { text: data.reason || "Ingen bestämmelse i överenskommelsen reglerar det frågan gäller." }),
      el("p", { class: "muted", text: where }));
    const actions = el("div", { class: "actions" });
    if (selectedAgreement) {
      actions.append(el("button", {
        type: "button", class: "secondary", text: "Sök i alla överenskommelser",
        on: { click: () => { ui.agreement.value = ""; submitQuestion(); } },
      }));
    }
    for (const topic of (interp.topics || []).slice(0, 2)) {
      actions.append(compareButton(topic));
    }
    if (actions.childElementCount) box.append(actions);
    nodes.push(box);
    message = `${heading}. ${data.reason || ""}`;
  } else if (data.comparison && data.comparison.length) {
    const topic = (interp.topics || [])[0];
    const label = meta.topics.get(topic) || topic || "området";
    nodes.push(el("h2", { class: "results-title", text: `Så reglerar länen: ${label}` }),
      el("p", { class: "summary", text: compareSummary(label, data.comparison) }),
      comparisonList(data.comparison, "h3"));
    message = compareSummary(label, data.comparison);
  } else {
    if (data.status === "ambiguous") {
      const box = el("div", { class: "notice notice-ambiguous", "data-status": "ambiguous" },
        el("h2", { class: "notice-title", text: "Frågan kan gälla flera områden" }),
        el("p", { text: "Svaret nedan passar bäst. Frågan kan också gälla:" }));
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
          const context = alt.responsibility ? contextToggle(alt.responsibility, "h4") : null;
          const county = countyOf(agreementOfIri(alt.responsibility));
          who.append(el("li", {},
            el("span", {}, principal.label || "Okänd aktör", " ", principal.kind ? kindBadge(principal.kind) : null,
              county ? ` (${county})` : ""),
            " ", context && context.button, context && context.region));
        }
        list.append(el("li", {},
          el("h3", { class: "alt-topic", text: label }), who,
          topic && meta.topics.has(topic) ? el("div", { class: "actions" }, compareButton(topic)) : null));
      }
      box.append(list);
      nodes.push(box);
    }
    const best = answers[0];
    nodes.push(el("h2", { class: "results-title", text: answers.length === 1 ? "Svar" : `Svar (${answers.length})` }));
    nodes.push(cardList(answers, { level: "h3", best: true }));
    const who = best ? `${best.principal.label}, ${KIND_LABELS[best.principal.kind] || KIND_LABELS.other}` : "";
    const from = best && best.agreement ? `, ur ${countyOf(best.agreement.key) || best.agreement.title}` : "";
    if (data.status === "ambiguous") message = `Frågan kan gälla flera områden. Bästa svaret: ${who}${from}.`;
    else message = best ? `${answers.length} svar. Bästa svaret: ${who}${from}.` : "Inga svar.";
  }
  nodes.push(sparqlDetails(data.sparql));
  clear(ui.results);
  append(ui.results, nodes);
  announce(ui.status, message);
}

function compareButton(topic) {
  const label = meta.topics.get(topic) || topic;
  return el("button", {
    type: "button", class: "secondary", text: `Jämför länen: ${label}`,
    on: { click: () => openComparison(topic) },
  });
}

function submitQuestion() {
  const question = ui.q.value.trim();
  if (!question) {
    showFieldError(ui.q, ui.qError, "Skriv en fråga i fältet Din fråga.");
    ui.q.focus();
    return;
  }
  clearFieldError(ui.q, ui.qError);
  writeUrl({ q: question, agreement: ui.agreement.value }, true);
  ask(question, ui.agreement.value);
}

// ---------------------------------------------------------------- comparing

let compareSeq = 0;
let compareController = null;

async function compare(topic) {
  const seq = ++compareSeq;
  if (compareController) compareController.abort();
  compareController = new AbortController();
  const { signal } = compareController;
  ui.compareResults.setAttribute("aria-busy", "true");
  clear(ui.compareResults).append(el("p", { class: "loading", text: "Jämför överenskommelserna …" }));
  let data = null;
  try {
    data = await api("/api/compare", { params: { topic }, signal });
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
  const label = data.label || meta.topics.get(topic) || topic;
  const items = data.agreements || [];
  clear(ui.compareResults).append(
    el("p", { class: "summary", text: compareSummary(label, items) }),
    comparisonList(items, "h3"),
    sparqlDetails(data.sparql) || "");
  announce(ui.compareStatus, compareSummary(label, items));
}

function submitComparison() {
  const topic = ui.topic.value;
  if (!topic) {
    showFieldError(ui.topic, ui.topicError, "Välj ett område att jämföra.");
    ui.topic.focus();
    return;
  }
  clearFieldError(ui.topic, ui.topicError);
  writeUrl({ topic }, true);
  compare(topic);
}

/** From an answer: open the comparison for a topic and move the reader there. */
function openComparison(topic) {
  if (meta.topics.has(topic)) ui.topic.value = topic;
  clearFieldError(ui.topic, ui.topicError);
  writeUrl({ topic }, true);
  compare(topic);
  ui.compareHeading.setAttribute("tabindex", "-1");
  ui.compareHeading.focus();
  ui.compareHeading.scrollIntoView({ block: "start" });
}

// ---------------------------------------------------------------- agreements and topics

function validity(a) {
  if (!a.valid_from && !a.valid_to) return "Anges inte";
  if (!a.valid_to) return `från ${a.valid_from}`;
  const text = a.valid_from ? `${a.valid_from} – ${a.valid_to}` : `till ${a.valid_to}`;
  const today = new Date().toISOString().slice(0, 10);
  return a.valid_to < today ? `${text} (slutdatum passerat)` : text;
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
      type: "button", class: "link-button", text: "Fråga i den här överenskommelsen",
      "aria-label": `Fråga i ${a.county || a.title}`,
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
async function applyUrl() {
  const params = currentParams();
  const question = (params.get("q") || "").trim();
  const agreement = params.get("agreement") || "";
  const topic = params.get("topic") || "";
  ui.q.value = question;
  clearFieldError(ui.q, ui.qError);
  if (question) {
    const pending = ask(question, agreement);
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
  if (topic) {
    if (meta.topics.has(topic)) ui.topic.value = topic;
    compare(topic);
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
  if (ui.q.value.trim()) submitQuestion();
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
applyUrl();
