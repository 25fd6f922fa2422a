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

// A check that fails (server error, lost connection) must not look like silence: say so where
// the results go. The learner's text is in the editor and in this browser, untouched.
function reportFailure(event) {
  const target = document.getElementById("results");
  if (!target || !event.detail.elt || !event.detail.elt.closest("form")) return;
  const note = document.createElement("p");
  note.className = "problem error";
  note.setAttribute("role", "alert");
  // A 400 or 413 is a request the server would not read (far beyond any pod spec): trying again
  // cannot help, unlike after a failure.
  const refused = event.type === "htmx:responseError" && [400, 413].includes(event.detail.xhr.status);
  if (event.type === "htmx:sendError") {
    note.textContent = "Could not reach the server to check your spec. Your text is safe; it will be checked when you type again.";
  } else if (refused) {
    note.textContent = "The server refused to read this check: the text is far larger than a pod spec. Your text is safe; shorten it to check it.";
  } else {
    note.textContent = "The check failed on the server. Your text is safe; try again in a moment.";
  }
  target.querySelectorAll(".check-failure").forEach((old) => old.remove());
  note.classList.add("check-failure");
  target.prepend(note);
}

document.addEventListener("htmx:responseError", reportFailure);
document.addEventListener("htmx:sendError", reportFailure);

// After an answer is graded, move the keyboard focus to what the grading says, so a keyboard or
// screen-reader user lands on the feedback instead of the top of the page.
function focusFeedback(event) {
  const question = event.detail.elt;
  if (!question || !question.classList || !question.classList.contains("question")) return;
  const target = question.querySelector(".feedback") || question.querySelector(".question__message");
  if (!target) return;
  target.setAttribute("tabindex", "-1");
  target.focus();
}

document.addEventListener("htmx:load", focusFeedback);
