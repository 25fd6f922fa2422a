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
