// Small DOM helpers shared by the pages. Data is only ever put into the page as text nodes or
// attribute values through DOM APIs — never parsed as HTML.

/**
 * Create an element. `props`: class, text, hidden, dataset {..}, attrs {..}, on {event: fn};
 * any other key is set as an attribute. Children: nodes or strings (added as text).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "hidden") node.hidden = true;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/**
 * `text` with the span [start, end) wrapped in <mark>. Offsets count Unicode code points (as the
 * API computes them in Python), not UTF-16 units, so they are applied to Array.from(text).
 */
export function highlighted(text, start, end) {
  const fragment = document.createDocumentFragment();
  const chars = Array.from(text || "");
  const s = Math.max(0, Math.min(chars.length, Number(start) || 0));
  const e = Math.max(s, Math.min(chars.length, Number(end) || 0));
  if (s > 0) fragment.append(chars.slice(0, s).join(""));
  if (e > s) fragment.append(el("mark", {}, chars.slice(s, e).join("")));
  if (e < chars.length) fragment.append(chars.slice(e).join(""));
  return fragment;
}

let counter = 0;
/** A unique id for aria-controls / aria-labelledby. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

export class ApiError extends Error {
  constructor(detail, status) {
    super(detail);
    this.status = status;
  }
}

/** GET or POST JSON from the service; a non-2xx answer throws ApiError with the Swedish detail. */
export async function api(path, { params = null, signal = undefined, method = "GET", body = undefined } = {}) {
  const url = new URL(path, window.location.origin);
  if (params) {
    for (const [key, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
    }
  }
  let response;
  try {
    response = await fetch(url, { method, body, signal, headers: { Accept: "application/json" } });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("Tjänsten kunde inte nås. Kontrollera anslutningen och försök igen.", 0);
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    data = null;
  }
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail
      : `Tjänsten svarade med ett fel (${response.status}). Försök igen om en stund.`;
    throw new ApiError(detail, response.status);
  }
  if (data === null) throw new ApiError("Tjänsten gav ett svar som inte gick att läsa.", response.status);
  return data;
}

/** A block announcing an error, with the service's Swedish detail as text. */
export function errorBox(message, heading = "Något gick fel", level = "h2") {
  return el("div", { class: "notice notice-error", role: "alert" },
    el(level, { class: "notice-title", text: heading }),
    el("p", { text: message }));
}
