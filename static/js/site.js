// Progressive enhancements; every page works without this file.
"use strict";

// Theme toggle: switch at once and remember the choice in the same cookie the server reads.
function setUpThemeToggle() {
  const button = document.querySelector("[data-theme-toggle]");
  if (!button) return;
  const root = document.documentElement;
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const current = () => root.dataset.theme || (systemDark.matches ? "dark" : "light");
  const label = () => {
    const next = current() === "dark" ? "light" : "dark";
    button.value = next;
    button.textContent = next === "dark" ? "Dark theme" : "Light theme";
  };
  label();
  systemDark.addEventListener("change", label);
  button.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = current() === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
    label();
  });
}

// The completion block is replaced after "Mark as complete": keep the keyboard focus on its button.
function refocusCompletion(event) {
  if (event.detail.elt && event.detail.elt.id !== "completion") return;
  const button = document.querySelector("#completion button");
  if (button) button.focus();
}

document.addEventListener("DOMContentLoaded", setUpThemeToggle);
document.addEventListener("htmx:afterSettle", refocusCompletion);

// A post that fails (server error, lost connection, a request too large to read) must not look
// like silence: say so where its answer would have gone. What was typed stays where it is.
const FAILURES = {
  check: {
    unreachable: "Could not reach the server to check your spec. Your text is safe; it will be checked when you type again.",
    refused: "The server refused to read this check: the text is far larger than a pod spec. Your text is safe; shorten it to check it.",
    failed: "The check failed on the server. Your text is safe; try again in a moment.",
  },
  run: {
    unreachable: "Could not reach the server, so nothing ran. Your entries are kept; press Run again.",
    refused: "The server refused to read this run: the spec is far larger than a pod spec. Shorten it to run it.",
    failed: "The run failed on the server. Your entries are kept; try again in a moment.",
  },
  form: {
    unreachable: "Could not reach the server, so nothing was saved. What you typed is still here; try again.",
    refused: "The server refused to read this: it is far larger than this form takes. Shorten it and send it again.",
    failed: "Something went wrong on the server, so nothing was saved. Try again in a moment.",
  },
};

function reportFailure(event) {
  const elt = event.detail.elt;
  // The Run panel's controls post the editor's form from outside it: their answer goes to the run.
  const runOutput = elt && elt.closest("#run") && document.getElementById("run-output");
  const form = elt && elt.closest("form");
  if (!form && !runOutput) return;
  const results = document.getElementById("results");
  const isCheck = Boolean(!runOutput && results && form.contains(document.getElementById("spec")));
  // A 400 or 413 is a request the server would not read: trying again cannot help.
  const refused = event.type === "htmx:responseError" && [400, 413].includes(event.detail.xhr.status);
  const kind = event.type === "htmx:sendError" ? "unreachable" : refused ? "refused" : "failed";
  const note = document.createElement("p");
  note.className = "problem error check-failure";
  note.setAttribute("role", "alert");
  note.textContent = FAILURES[runOutput ? "run" : isCheck ? "check" : "form"][kind];
  const place = runOutput || (isCheck ? results : form);
  place.querySelectorAll(".check-failure").forEach((old) => old.remove());
  place.prepend(note);
}

document.addEventListener("htmx:responseError", reportFailure);
document.addEventListener("htmx:sendError", reportFailure);

// After an answer is graded, move the keyboard focus to what the grading says, so a keyboard or
// screen-reader user lands on the feedback instead of the top of the page; a question opened to
// be tried again has neither, and the focus goes to its answer (the checked one) or first field.
function focusFeedback(event) {
  const question = event.detail.elt;
  if (!question || !question.classList || !question.classList.contains("question")) return;
  const target = question.querySelector(".feedback, .question__message")
    || question.querySelector("fieldset:not([disabled]) input:checked")
    || question.querySelector("fieldset:not([disabled]) :is(input, select, textarea)");
  // A learner who already went on to another question (the focus moves once the swap has settled)
  // keeps their place: their typing must not land here.
  const active = document.activeElement;
  if (!target || (active && active !== document.body && !question.contains(active))) return;
  if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
  target.focus();
}

document.addEventListener("htmx:load", focusFeedback);

// Enter in a field of the Run panel runs the Pod, as its Run button does; the form's own default
// button (Check) only checks the spec.
function runOnEnter(event) {
  if (event.key !== "Enter" || !event.target.matches("#run input")) return;
  const button = document.getElementById("run-button");
  if (!button) return;
  event.preventDefault();
  button.click();
}

document.addEventListener("keydown", runOnEnter);

// A run shows the spec as it was when Run was pressed: once the spec is edited, say so beside it.
function markRunStale(event) {
  if (event.target.id !== "spec") return;
  const output = document.getElementById("run-output");
  if (!output || !output.querySelector("figure") || output.classList.contains("is-stale")) return;
  output.classList.add("is-stale");
  const note = document.createElement("p");
  note.className = "run-panel__stale";
  note.textContent = "The spec has changed since this run: press Run to run it again.";
  output.prepend(note);
}

document.addEventListener("input", markRunStale);

// A new run replaces what #run-output holds, the note included; the output itself stays.
function markRunFresh(event) {
  if (event.detail.target && event.detail.target.id === "run-output") {
    event.detail.target.classList.remove("is-stale");
  }
}

document.addEventListener("htmx:afterSwap", markRunFresh);

// The Run panel's fields come back with each answer: open them when one has a problem to show.
function openRunFieldsWithProblems(event) {
  const fields = event.detail.target;
  if (!fields || fields.id !== "run-fields" || !fields.querySelector("[aria-invalid]")) return;
  const details = fields.closest("details");
  if (details) details.open = true;
}

document.addEventListener("htmx:oobAfterSwap", openRunFieldsWithProblems);

// Copy buttons on code a learner is meant to reuse: a lesson's commands and code, a shared spec,
// the embed snippets, a class's join link ([data-copy]). Without JavaScript there is no button,
// and the text selects as any text does.
const COPYABLE = ".prose .highlight pre, pre.snippet, pre.snapshot-text, .snapshot-text pre, [data-copy]";

// The text to copy: without line numbers or shell prompts, which are not part of a command. A
// shell session (Pygments marks its prompts .gp and its output .go) gives only its commands, with
// their continuation lines, ready to paste into a terminal; a block without prompts is all copied.
function copyableText(element) {
  const clone = element.cloneNode(true);
  const session = clone.querySelector(".gp") !== null;
  const dropped = ".linenos, .numbered__number, .gp" + (session ? ", .go" : "");
  clone.querySelectorAll(dropped).forEach((part) => part.remove());
  const lines = clone.textContent.replace(/\n$/, "").split("\n");
  return session ? lines.filter((line) => line.trim() !== "").join("\n") : lines.join("\n");
}

// Sighted users see the result on the button itself, for a moment; screen readers hear it.
function showOnButton(button, message) {
  button.textContent = message;
  clearTimeout(button.copyTimer);
  button.copyTimer = setTimeout(() => { button.textContent = "Copy"; }, 2000);
}

function announce(message) {
  let status = document.getElementById("copy-status");
  if (!status) {
    status = document.createElement("p");
    status.id = "copy-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.append(status);
  }
  status.textContent = "";
  // A new text in a live region is read out, even the same words twice in a row.
  requestAnimationFrame(() => { status.textContent = message; });
}

// Without the Clipboard API (an insecure origin, an older browser) or its permission: select the
// text so that Ctrl+C (⌘C) copies it, and try the older copy command on that selection.
function selectToCopy(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
  announce(copied ? "Copied" : "Selected: press Ctrl+C (⌘C on a Mac) to copy");
  return copied ? "Copied" : "Selected";
}

function copyFrom(element, button) {
  const text = copyableText(element);
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    showOnButton(button, selectToCopy(element));
    return;
  }
  navigator.clipboard.writeText(text).then(
    () => { announce("Copied"); showOnButton(button, "Copied"); },
    () => showOnButton(button, selectToCopy(element)),
  );
}

function addCopyButtons(root) {
  root.querySelectorAll(COPYABLE).forEach((element) => {
    if (element.closest("figure, .pod-run") || element.dataset.copyReady) return;
    element.dataset.copyReady = "1";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", element.dataset.copy || "Copy this code");
    button.addEventListener("click", () => copyFrom(element, button));
    if (element.matches("pre")) {
      const holder = document.createElement("div");
      holder.className = "copyable";
      element.before(holder);
      holder.append(button, element);  // the button first: it is above the block, and focused first
    } else {
      element.after(" ", button);
    }
  });
}

// A lesson figure's drawing keeps its size (its words stay legible) and scrolls sideways where the
// column is narrower, as on a phone: say so above it, as the run figure does.
function markWideFigures() {
  for (const box of document.querySelectorAll(".pod-figure__diagram")) {
    box.closest(".pod-figure").classList.toggle("is-wide", box.scrollWidth > box.clientWidth + 1);
  }
}

document.addEventListener("DOMContentLoaded", markWideFigures);
window.addEventListener("resize", markWideFigures);
document.addEventListener("DOMContentLoaded", () => addCopyButtons(document));
// Results swapped in by htmx bring new snippets (the playground's diagram URLs).
document.addEventListener("htmx:load", (event) => addCopyButtons(event.detail.elt));
