// The workbench's diagram (playground, exercise, shared spec): kept while the YAML is broken for a
// moment, and shown full screen with zoom. Without this file the diagram shows as the server drew it.
"use strict";

// While the text does not parse (mid-typing, most of the time), the check has no diagram to show:
// keep the last one drawn, dimmed and marked, rather than make the picture vanish and come back at
// every keystroke. The results say why a diagram is missing (data-unparsed-line); a text that
// parses but describes no pod has nothing to keep.
let lastDrawing = null;

function keepLastDiagram(panel) {
  const body = panel.querySelector(".diagram-panel__body");
  if (panel.querySelector(".diagram-scroll svg")) {
    lastDrawing = body;
    return;
  }
  const line = panel.dataset.unparsedLine;
  if (!line) lastDrawing = null;
  if (!line || !lastDrawing || !body) return;
  body.replaceWith(lastDrawing);
  panel.classList.add("is-stale");
  const notice = document.createElement("p");
  notice.className = "diagram-stale";
  notice.textContent = `Out of date: the YAML does not parse yet (line ${line}).`;
  panel.querySelector(".diagram-panel__head").after(notice);
}

// A button that opens the diagram full screen: added here, since without JavaScript there is no
// dialog to open.
function addFullScreenButton(panel) {
  const head = panel.querySelector(".diagram-panel__head");
  if (!head || head.querySelector(".diagram-panel__open") || !panel.querySelector(".diagram-scroll svg")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--quiet diagram-panel__open";
  button.textContent = "Full screen";
  button.setAttribute("aria-haspopup", "dialog");
  button.addEventListener("click", () => openDiagram(panel, button));
  head.append(button);
}

function enhanceResults() {
  const panel = document.querySelector("#results .diagram-panel");
  if (!panel) return;
  keepLastDiagram(panel);
  addFullScreenButton(panel);
}

// A copy of a drawing can stand beside the original only with ids of its own (the SVG's title,
// description and patterns are referenced by id); every reference inside the copy follows.
function copyWithOwnIds(node, suffix) {
  const copy = node.cloneNode(true);
  const ids = new Map();
  copy.querySelectorAll("[id]").forEach((element) => {
    ids.set(element.id, element.id + suffix);
    element.id += suffix;
  });
  const renamed = (value) => value.replace(/#([\w-]+)/g, (whole, id) => (ids.has(id) ? `#${ids.get(id)}` : whole));
  const idList = (value) => value.split(/\s+/).map((id) => ids.get(id) || id).join(" ");
  [copy, ...copy.querySelectorAll("*")].forEach((element) => {
    for (const attribute of [...element.attributes]) {
      if (/^(aria-labelledby|aria-describedby|for)$/.test(attribute.name)) {
        element.setAttribute(attribute.name, idList(attribute.value));
      } else if (attribute.name !== "id" && attribute.value.includes("#")) {
        element.setAttribute(attribute.name, renamed(attribute.value));
      }
    }
  });
  return copy;
}

// The full-screen dialog, built once. Its zoom is a scale of the drawing's own size.
const ZOOM_STEP = 1.25;
const ZOOM_MIN = 0.25;
const ZOOM_MAX = 6;
let viewer = null;

function buildViewer() {
  const dialog = document.createElement("dialog");
  dialog.className = "diagram-dialog";
  dialog.setAttribute("aria-labelledby", "diagram-dialog-title");
  dialog.innerHTML = `
    <div class="diagram-dialog__bar">
      <h2 id="diagram-dialog-title">The pod</h2>
      <div class="diagram-dialog__zoom" role="group" aria-label="Zoom">
        <button type="button" class="button button--quiet" data-zoom="out" aria-label="Zoom out" aria-keyshortcuts="-">−</button>
        <output aria-label="Zoom level">100%</output>
        <button type="button" class="button button--quiet" data-zoom="in" aria-label="Zoom in" aria-keyshortcuts="+">+</button>
        <button type="button" class="button button--quiet" data-zoom="fit" aria-keyshortcuts="0">Fit</button>
      </div>
      <button type="button" class="button diagram-dialog__close">Close</button>
    </div>
    <div class="diagram-dialog__view" tabindex="0" role="region" aria-label="The diagram: + and - zoom, the arrow keys scroll"></div>
    <div class="diagram-dialog__text"></div>`;
  document.body.append(dialog);
  const state = {
    dialog,
    title: dialog.querySelector("h2"),
    view: dialog.querySelector(".diagram-dialog__view"),
    text: dialog.querySelector(".diagram-dialog__text"),
    level: dialog.querySelector("output"),
    svg: null,
    width: 0,
    height: 0,
    scale: 1,
    opener: null,
  };
  dialog.querySelector(".diagram-dialog__close").addEventListener("click", () => dialog.close());
  dialog.querySelector(".diagram-dialog__zoom").addEventListener("click", (event) => {
    const button = event.target.closest("[data-zoom]");
    if (button) zoomBy(state, button.dataset.zoom);
  });
  dialog.addEventListener("keydown", (event) => zoomByKey(state, event));
  dialog.addEventListener("close", () => closeViewer(state));
  followPointers(state);
  return state;
}

function openDiagram(panel, opener) {
  const svg = panel.querySelector(".diagram-scroll svg");
  if (!svg) return;
  viewer = viewer || buildViewer();
  const box = svg.viewBox.baseVal;
  viewer.svg = copyWithOwnIds(svg, "-full");
  viewer.width = (box && box.width) || svg.getBoundingClientRect().width;
  viewer.height = (box && box.height) || svg.getBoundingClientRect().height;
  viewer.opener = opener;
  const title = svg.querySelector("title");
  viewer.title.textContent = title ? title.textContent : "The pod";
  viewer.view.replaceChildren(viewer.svg);
  const notice = panel.querySelector(".diagram-stale");
  const words = panel.querySelector(".diagram-text");
  viewer.text.replaceChildren(...[notice, words].filter(Boolean).map((part) => copyWithOwnIds(part, "-full")));
  viewer.dialog.showModal();
  setScale(viewer, fitScale(viewer));
  viewer.view.focus();
}

function closeViewer(state) {
  state.view.replaceChildren();
  state.text.replaceChildren();
  state.svg = null;
  // The opener is gone when a check replaced the results meanwhile: its successor takes the focus.
  const opener = state.opener && state.opener.isConnected ? state.opener : document.querySelector(".diagram-panel__open");
  if (opener) opener.focus();
}

function fitScale(state) {
  const style = getComputedStyle(state.view);
  const across = state.view.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const down = state.view.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return clamp(Math.min(across / state.width, down / state.height));
}

function clamp(scale) {
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, scale));
}

// Zoom about a point of the view (its centre unless given), which stays where it is on the screen.
function setScale(state, next, x = state.view.clientWidth / 2, y = state.view.clientHeight / 2) {
  const scale = clamp(next);
  const ratio = scale / state.scale;
  const left = (state.view.scrollLeft + x) * ratio - x;
  const top = (state.view.scrollTop + y) * ratio - y;
  state.scale = scale;
  state.svg.style.width = `${state.width * scale}px`;
  state.view.scrollLeft = left;
  state.view.scrollTop = top;
  state.level.textContent = `${Math.round(scale * 100)}%`;
}

function zoomBy(state, how) {
  if (how === "fit") setScale(state, fitScale(state));
  else setScale(state, how === "in" ? state.scale * ZOOM_STEP : state.scale / ZOOM_STEP);
}

function zoomByKey(state, event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return; // the browser's own zoom
  const how = { "+": "in", "=": "in", "-": "out", _: "out", 0: "fit" }[event.key];
  if (!how) return;
  event.preventDefault();
  zoomBy(state, how);
}

// Fingers on the drawing: one pans, two pinch to zoom (the view's touch-action is none, so the
// browser leaves both to this code; a mouse scrolls as usual).
function followPointers(state) {
  const pointers = new Map();
  let pinch = null;
  const spread = () => {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };
  state.view.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse") return;
    state.view.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    pinch = pointers.size === 2 ? { ...spread(), scale: state.scale } : null;
  });
  state.view.addEventListener("pointermove", (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const moved = { x: event.clientX, y: event.clientY };
    pointers.set(event.pointerId, moved);
    if (pinch && pointers.size === 2) {
      const now = spread();
      const rect = state.view.getBoundingClientRect();
      setScale(state, pinch.scale * (now.distance / pinch.distance), now.x - rect.left, now.y - rect.top);
    } else if (pointers.size === 1) {
      state.view.scrollLeft -= moved.x - last.x;
      state.view.scrollTop -= moved.y - last.y;
    }
  });
  const lift = (event) => {
    pointers.delete(event.pointerId);
    pinch = null;
  };
  state.view.addEventListener("pointerup", lift);
  state.view.addEventListener("pointercancel", lift);
}

document.addEventListener("DOMContentLoaded", enhanceResults);
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target && event.target.id === "results") enhanceResults();
});
