// The preview page: draws each snapshot the server sends on /events (server-sent events) and
// keeps it current without a reload. Text from specs is only ever set as text, never as markup.
"use strict";

const byId = (id) => document.getElementById(id);
let shown = null;          // the snapshot on the page
let drawing = 0;           // number of the latest snapshot being drawn; older ones are dropped
let events = null;         // the EventSource, closed while the tab is hidden
let viewerKey = null;      // audience in the full-size view
let viewerOpener = null;   // what had the focus when the view opened
const openProblems = new Map();  // problem key -> opened by hand

function make(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// -- the snapshot ---------------------------------------------------------------------------

async function show(state) {
  const number = ++drawing;
  drawStatus(state);
  if (state.building && shown) return;  // keep the pages until the new ones are ready
  // Load the new page images before swapping, so a page never flashes blank.
  await Promise.all(state.pages.filter((page) => page.built)
    .map((page) => preload(page.thumbnail.src)));
  if (number !== drawing) return;
  const focusKey = document.activeElement?.dataset?.focusKey;
  shown = state;
  document.title = `${state.brief || state.spec} · preview${state.errors ? " (errors)" : ""}`;
  byId("brief").textContent = state.brief || "Brief";
  byId("spec").textContent = state.spec;
  drawProblems(state);
  drawPages(state);
  drawStatus(state);
  if (viewerKey !== null) showInViewer(viewerKey);
  if (focusKey) document.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function preload(src) {
  const image = new Image();
  image.src = src;
  return image.decode().catch(() => undefined);
}

function drawStatus(state) {
  const status = byId("status");
  const unbuilt = state.pages.filter((page) => !page.current).length;
  let text;
  let kind = "error";
  if (state.building) {
    [text, kind] = ["Saved: building…", "building"];
  } else if (state.bug) {
    text = "Internal error: showing the last good pages";
  } else if (state.errors && (unbuilt === state.pages.length)) {
    text = `Not built: ${plural(state.errors, "error")}`
      + (state.pages.length ? "; the pages are from the last good build" : "");
  } else if (state.errors || unbuilt) {
    text = `${unbuilt} of ${plural(state.pages.length, "version")} not built: `
      + plural(state.errors, "error");
  } else {
    [text, kind] = [`Up to date · built at ${state.builtAt} in ${state.seconds.toFixed(2)} s`,
                    "ok"];
  }
  status.textContent = text;
  status.dataset.kind = kind;
}

function drawProblems(state) {
  const list = byId("problem-list");
  const { errors, warnings } = state;
  byId("problem-count").textContent = errors || warnings
    ? [errors && plural(errors, "error"), warnings && plural(warnings, "warning")]
      .filter(Boolean).join(", ")
    : "None: every rule passes.";
  const bug = byId("bug");
  bug.hidden = !state.bug;
  bug.textContent = state.bug || "";
  list.replaceChildren(...state.problems.map(drawProblem));
}

function drawProblem(problem) {
  const severity = problem.severity === "error" ? "Error" : "Warning";
  const summary = make("summary", { "data-focus-key": `problem:${problem.key}` },
    make("span", { className: "severity", text: severity }),
    make("code", { className: "where", text: problem.where }),
    make("span", { className: "message" },
      problem.field ? make("code", { className: "field", text: problem.field }) : null,
      problem.field ? ": " : "", problem.message),
    make("span", { className: "rule", text: problem.rule }));
  const details = make("details", { "data-key": problem.key }, summary,
    problem.hint ? make("p", { className: "hint", text: `Hint: ${problem.hint}` }) : null,
    drawExcerpt(problem));
  // Errors open by default (they stop the build); a problem opened or closed by hand stays so.
  details.open = openProblems.get(problem.key) ?? problem.severity === "error";
  details.addEventListener("toggle", () => openProblems.set(problem.key, details.open));
  return make("li", { className: `problem ${problem.severity}` }, details);
}

function drawExcerpt(problem) {
  const excerpt = problem.excerpt;
  if (!excerpt) {
    const why = problem.line
      ? "Its file lies outside the spec's folder: open it in your editor."
      : "No single line to show for this problem.";
    return make("p", { className: "no-excerpt", text: why });
  }
  const width = String(excerpt.lines[excerpt.lines.length - 1][0]).length;
  const rows = [];
  for (const [number, text] of excerpt.lines) {
    const here = number === excerpt.line;
    rows.push(make("span", { className: here ? "line here" : "line" },
      make("span", { className: "number", "aria-hidden": "true",
                     text: String(number).padStart(width) }),
      here ? make("span", { className: "visually-hidden", text: `line ${number}: ` }) : null,
      text || " "));
    if (here) {
      const caret = " ".repeat(width + 1 + Math.max(0, excerpt.column - 1)) + "^";
      rows.push(make("span", { className: "caret", "aria-hidden": "true", text: caret }));
    }
  }
  return make("figure", { className: "excerpt" },
    make("figcaption", { text: `${excerpt.file}, lines ${excerpt.lines[0][0]}–`
                               + `${excerpt.lines[excerpt.lines.length - 1][0]}` }),
    make("pre", {}, ...rows));
}

function drawPages(state) {
  const built = state.pages.filter((page) => page.built);
  const papers = [...new Set(built.map((page) => page.paper))].join(" and ");
  byId("page-count").textContent = state.pages.length
    ? `${plural(state.pages.length, "version")} · ${papers}`
    : "None built yet: fix the errors above and save.";
  byId("pages").replaceChildren(...state.pages.map(drawPage));
}

function pageAlt(page) {
  return `${page.name}: page 1 of 1 (${page.paper}, ${page.language || "no language"})`
    + (page.current ? "" : ", out of date");
}

function drawPage(page) {
  if (!page.built) {
    return make("li", { className: "page unbuilt", "data-key": page.key },
      make("div", { className: "placeholder" },
        make("p", { text: "Not built yet: see the errors above." })),
      make("h3", { text: page.name }));
  }
  const image = make("img", { src: page.thumbnail.src, width: page.thumbnail.width,
                              height: page.thumbnail.height, alt: pageAlt(page) });
  const opener = make("button", { type: "button", className: "thumb",
                                  "data-focus-key": `page:${page.key}` },
    image, page.current ? null : make("span", { className: "stale-badge", text: "Out of date" }),
    make("span", { className: "visually-hidden", text: " — show full size" }));
  opener.addEventListener("click", () => openViewer(page.key, opener));
  const facts = make("dl", { className: "facts" },
    fact("Language", page.languageName ? `${page.language} · ${page.languageName}`
                                        : page.language || "not declared"),
    fact("Paper", `${page.paper} · ${page.paperSize}`),
    fact("Fit", page.fit || "not known", page.tightened ? "tightened" : "room"));
  const links = make("p", { className: "files" },
    make("a", { href: page.pdf.href, target: "_blank", rel: "noopener",
                "aria-label": `PDF, ${page.name}`, "data-focus-key": `pdf:${page.key}`,
                text: "PDF" }),
    page.docx ? make("a", { href: page.docx.href, download: page.docx.name,
                            "aria-label": `DOCX, ${page.name}`,
                            "data-focus-key": `docx:${page.key}`, text: "DOCX" }) : null,
    make("span", { className: "built", text: page.current ? `built ${page.builtAt}`
                                                          : `last built ${page.builtAt}` }));
  return make("li", { className: page.current ? "page" : "page stale", "data-key": page.key },
    opener,
    make("h3", { text: page.name }),
    page.title ? make("p", { className: "title", lang: page.language || null,
                             text: page.title }) : null,
    facts, links);
}

function fact(term, value, kind) {
  return make("div", {}, make("dt", { text: term }),
              make("dd", { className: kind || null, text: value }));
}

// -- the full-size view ---------------------------------------------------------------------

function openViewer(key, opener) {
  viewerOpener = opener;
  showInViewer(key);
  const viewer = byId("viewer");
  if (!viewer.open) viewer.showModal();
}

function showInViewer(key) {
  const page = shown?.pages.find((candidate) => candidate.key === key && candidate.built);
  if (!page) {
    byId("viewer").close();
    return;
  }
  viewerKey = key;
  byId("viewer-name").textContent = page.name + (page.current ? "" : " (out of date)");
  byId("viewer-facts").textContent =
    `${page.paper} · ${page.languageName || page.language} · ${page.fit}`;
  const image = byId("viewer-image");
  image.alt = pageAlt(page);
  image.width = page.thumbnail.width * 2;
  image.height = page.thumbnail.height * 2;
  if (image.dataset.full !== page.full) {
    image.dataset.full = page.full;
    image.src = page.thumbnail.src;  // sharp enough to start with, and already loaded
    const full = new Image();
    full.src = page.full;
    full.decode().then(() => {
      if (image.dataset.full === page.full) image.src = page.full;
    }).catch(() => undefined);
  }
}

function stepViewer(step) {
  const keys = shown.pages.filter((page) => page.built).map((page) => page.key);
  const next = keys[(keys.indexOf(viewerKey) + step + keys.length) % keys.length];
  showInViewer(next);
  viewerOpener = document.querySelector(`[data-focus-key="page:${CSS.escape(next)}"]`);
}

function setUpViewer() {
  const viewer = byId("viewer");
  byId("viewer-close").addEventListener("click", () => viewer.close());
  byId("viewer-previous").addEventListener("click", () => stepViewer(-1));
  byId("viewer-next").addEventListener("click", () => stepViewer(1));
  viewer.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") stepViewer(-1);
    else if (event.key === "ArrowRight") stepViewer(1);
  });
  // A click on the dimmed backdrop (outside the dialog's box) closes it too.
  viewer.addEventListener("click", (event) => {
    if (event.target === viewer) viewer.close();
  });
  viewer.addEventListener("close", () => {
    viewerKey = null;
    const opener = viewerOpener
      && document.querySelector(`[data-focus-key="${CSS.escape(viewerOpener.dataset.focusKey)}"]`);
    opener?.focus();
  });
}

// -- staying current ------------------------------------------------------------------------

function connect() {
  if (events) return;
  events = new EventSource("/events");
  events.addEventListener("state", (event) => show(JSON.parse(event.data)));
  events.addEventListener("error", () => {
    if (events && events.readyState === EventSource.CLOSED) {
      // Answered, but refused: the preview serves as many pages as it allows.
      events = null;
      showRefused();
    } else if (events && events.readyState !== EventSource.OPEN) {
      const status = byId("status");
      status.textContent = "Disconnected: the preview has stopped. Run briefgen preview again.";
      status.dataset.kind = "error";
      document.body.classList.add("offline");
    }
  });
  events.addEventListener("open", () => document.body.classList.remove("offline"));
}

// The pages as they are now, once, and why they will not update.
async function showRefused() {
  try {
    const reply = await fetch("/state", { cache: "no-store" });
    if (reply.ok) await show(await reply.json());
  } catch {
    // stopped meanwhile: the status below says enough
  }
  const status = byId("status");
  status.textContent = "Too many preview pages are open: this one will not update. "
    + "Close some, then reload this one.";
  status.dataset.kind = "error";
  document.body.classList.add("offline");
}

// A hidden tab lets go of its connection (browsers allow only a few per site), and catches
// up as soon as it is shown again: the server sends the latest snapshot on every connection.
document.addEventListener("visibilitychange", () => {
  if (document.hidden && events) {
    events.close();
    events = null;
  } else if (!document.hidden) {
    connect();
  }
});

setUpViewer();
connect();
