// The search page: queries the Pagefind index that `facttrack build` wrote into
// pagefind/. This is the site's only script; every other page works without it.
// Paths are worked out from this file's own address, so the site can live under
// any sub-path. A classic script (not a module), so that opened from disk it still
// runs and can say that search needs a web server.
(() => {
"use strict";

const root = new URL(".", document.currentScript.src);
const SHOWN = 25; // results shown at once; the status line says when there are more

const form = document.getElementById("search-form");
const status = document.getElementById("search-status");
const output = document.getElementById("search-results");
const fields = ["q", "figure", "speaker"].map((name) => form.elements.namedItem(name));
const [query, figure, speaker] = fields;

let pagefind = null;
let latest = 0; // only the newest search may write its results

async function load() {
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ baseUrl: root.pathname });
  } catch (error) {
    pagefind = null;
    status.textContent =
      "Search could not start: it needs the site served by a web server, not opened " +
      "as a file. Browse the figures, speakers, sources or timeline instead.";
  }
}

// Pagefind's excerpts are HTML with <mark> around the matches; keep only the text
// and the marks, so nothing else from the index can reach the page.
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(node.textContent);
    }
  }
  return fragment;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  if (data.meta.kind) {
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = data.meta.kind + ": ";
    heading.prepend(kind);
  }
  const text = document.createElement("p");
  text.append(excerpt(data.excerpt));
  item.append(heading, text);
  return item;
}

function describe(term, count) {
  const filters = [figure.value, speaker.value].filter(Boolean);
  const what = term ? `for “${term}”` : "";
  const within = filters.length ? ` in ${filters.join(" and ")}` : "";
  const noun = count === 1 ? "result" : "results";
  const shown = count > SHOWN ? `; showing the first ${SHOWN}` : "";
  return `${count} ${noun} ${what}${within}${shown}.`.replace(/ +/g, " ").replace(" .", ".");
}

function rememberInAddress() {
  const params = new URLSearchParams();
  for (const field of fields) {
    if (field.value) params.set(field.name, field.value);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

async function run() {
  const ticket = ++latest;
  const term = query.value.trim();
  const filters = {};
  if (figure.value) filters.figure = figure.value;
  if (speaker.value) filters.speaker = speaker.value;
  rememberInAddress();
  if (!term && !Object.keys(filters).length) {
    output.replaceChildren();
    output.removeAttribute("aria-busy");
    status.textContent = "";
    return;
  }
  output.setAttribute("aria-busy", "true");
  await ready; // a search typed while the index loads runs once it is there
  if (!pagefind) {
    output.removeAttribute("aria-busy");
    return;
  }
  const found = await pagefind.search(term || null, { filters });
  const shown = await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data()));
  if (ticket !== latest) return;
  output.removeAttribute("aria-busy");
  const list = document.createElement("ol");
  list.className = "results";
  list.append(...shown.map(resultItem));
  output.replaceChildren(...(shown.length ? [list] : []));
  status.textContent = describe(term, found.results.length);
}

const ready = load();
let typing = 0;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  run();
});
query.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(run, 250);
});
figure.addEventListener("change", run);
speaker.addEventListener("change", run);

const params = new URLSearchParams(location.search);
for (const field of fields) {
  field.value = params.get(field.name) ?? field.value;
}
if (location.search) run();
})();
