// The YAML editor: CodeMirror 6 over each <textarea data-editor-input>.
// The textarea stays the form's real control (posts, htmx, no-JavaScript use): it is hidden from view
// and kept equal to the editor's text, with a bubbling "input" event on every change so that htmx's
// hx-trigger checks as the learner types. Text set on the textarea by another script comes back in.
// Adds: the engine's problems on their exact spans (from #problems-data in each check's results),
// completion and field explanations from POST /playground/assist/, and a copy in localStorage.
// Built by frontend/build.mjs into static/vendor/codemirror/ (see `make editor`).
import { EditorSelection, EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  hoverTooltip, showTooltip, ViewPlugin, Decoration,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, syntaxTree, bracketMatching, indentUnit, indentOnInput } from "@codemirror/language";
import { searchKeymap } from "@codemirror/search";
import { autocompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter, lintKeymap, previousDiagnostic } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { tags, tagHighlighter } from "@lezer/highlight";

const SAVE_DELAY = 300;
const HOVER_DELAY = 400;
const WORD = /[^\s:,[\]{}#"']*$/;
const editors = new Set();
// CodeMirror writes its base styles into a <style> element: the site's CSP admits it with the
// nonce of the <script> that loaded this bundle (read now: currentScript is only set while it runs).
const NONCE = (document.currentScript && document.currentScript.nonce) || "";

/* ---------------------------------------------------------------- colours (classes in editor.css) */

const highlighter = tagHighlighter([
  { tag: tags.propertyName, class: "tok-key" },
  { tag: tags.string, class: "tok-string" },
  { tag: tags.special(tags.string), class: "tok-punct" },
  { tag: tags.lineComment, class: "tok-comment" },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], class: "tok-punct" },
  { tag: [tags.meta, tags.keyword, tags.attributeValue], class: "tok-doc" },
  { tag: tags.labelName, class: "tok-anchor" },
  { tag: tags.typeName, class: "tok-tag" },
]);

// The YAML grammar calls every plain value "content": numbers and booleans get their own colour here.
const BOOL_NULL = /^(?:true|false|yes|no|on|off|null|~)$/i;
const NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F_]+|0o[0-7_]+|\.inf|\.nan)$/i;
const boolMark = Decoration.mark({ class: "tok-bool" });
const numberMark = Decoration.mark({ class: "tok-number" });

function scalarMarks(view) {
  const marks = [];
  for (const { from, to } of view.visibleRanges) {
    syntaxTree(view.state).iterate({
      from, to,
      enter(node) {
        if (node.name !== "Literal" || node.node.parent?.name === "Key") return;
        const text = view.state.sliceDoc(node.from, node.to);
        if (BOOL_NULL.test(text)) marks.push(boolMark.range(node.from, node.to));
        else if (NUMBER.test(text)) marks.push(numberMark.range(node.from, node.to));
      },
    });
  }
  return Decoration.set(marks, true);
}

const scalarColours = ViewPlugin.fromClass(class {
  constructor(view) { this.decorations = scalarMarks(view); }
  update(update) {
    if (update.docChanged || update.viewportChanged || syntaxTree(update.startState) !== syntaxTree(update.state)) {
      this.decorations = scalarMarks(update.view);
    }
  }
}, { decorations: (plugin) => plugin.decorations });

// A wrapped line continues under its own text, not at the left edge: each line gets a class for
// its indent (and a list item's "- "), in steps of two columns (classes, not style attributes: the
// site's CSP refuses those).
const MAX_HANG = 32;
function hangMarks(view) {
  const marks = [];
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      const lead = /^( *)(- )?/.exec(line.text);
      const hang = Math.min(MAX_HANG, lead[0].length - (lead[0].length % 2));
      if (hang > 0 && hang < line.length) marks.push(Decoration.line({ class: `cm-hang-${hang}` }).range(line.from));
      pos = line.to + 1;
    }
  }
  return Decoration.set(marks);
}

const hangingIndent = ViewPlugin.fromClass(class {
  constructor(view) { this.decorations = hangMarks(view); }
  update(update) {
    if (update.docChanged || update.viewportChanged) this.decorations = hangMarks(update.view);
  }
}, { decorations: (plugin) => plugin.decorations });

/* ---------------------------------------------------------------- positions */

// The engine counts 1-based lines and columns in Unicode code points; CodeMirror counts UTF-16 units.
function offsetAt(doc, line, column) {
  if (line > doc.lines) return doc.length;
  const { from, text } = doc.line(Math.max(1, line));
  let i = 0;
  for (let left = Math.max(1, column) - 1; left > 0 && i < text.length; left -= 1) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return from + i;
}

function positionOf(doc, pos) {
  const line = doc.lineAt(pos);
  return { line: line.number, column: [...line.text.slice(0, pos - line.from)].length + 1 };
}

/* ---------------------------------------------------------------- storage */

function readStored(key) {
  if (!key) return null;
  try { return window.localStorage.getItem(key); } catch (error) { return null; }
}

function writeStored(key, value) {
  if (!key) return;
  try { window.localStorage.setItem(key, value); } catch (error) { /* private mode or full: keep going */ }
}

function scheduleSave(ed) {
  clearTimeout(ed.saveTimer);
  ed.saveTimer = setTimeout(() => save(ed), SAVE_DELAY);
}

function save(ed) {
  clearTimeout(ed.saveTimer);
  writeStored(ed.storageKey, ed.view.state.doc.toString());
}

// After an example or a shared link replaced the learner's text, offer it back (once).
function offerRestore(ed, previous) {
  const note = document.createElement("p");
  note.className = "editor__restore";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.textContent = "Bring back the text you had before";
  button.addEventListener("click", () => {
    setText(ed, previous);
    note.remove();
    ed.view.focus();
  });
  note.append(button);
  ed.root.after(note);
}

/* ---------------------------------------------------------------- the textarea underneath */

function setText(ed, text) {
  const { doc } = ed.view.state;
  if (doc.toString() !== text) ed.view.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
}

function onUpdate(ed, update) {
  if (!update.docChanged) return;
  ed.hover = new Map(); // explanations belong to the text they were asked for
  const text = update.state.doc.toString();
  if (ed.textarea.value === text) return;
  ed.textarea.value = text;
  ed.echo = true;
  ed.textarea.dispatchEvent(new Event("input", { bubbles: true }));
  ed.echo = false;
  scheduleSave(ed);
}

/* ---------------------------------------------------------------- the assist endpoint */

function formValue(ed, name) {
  const scope = ed.textarea.form || document;
  const field = scope.querySelector(`[name="${name}"]`) || document.querySelector(`[name="${name}"]`);
  return field ? field.value : "";
}

// One POST to /playground/assist/; null when it fails, is refused or is aborted.
async function assist(ed, state, pos, what, signal) {
  if (!ed.assistUrl || Date.now() < ed.pausedUntil) return null;
  const { line, column } = positionOf(state.doc, pos);
  const body = new URLSearchParams({
    text: state.doc.toString(), line: String(line), column: String(column), what,
    kubernetes_version: formValue(ed, "kubernetes_version"),
  });
  try {
    const response = await fetch(ed.assistUrl, {
      method: "POST", body, signal, credentials: "same-origin",
      headers: { "X-CSRFToken": formValue(ed, "csrfmiddlewaretoken"), Accept: "application/json" },
    });
    if (response.status === 429) {
      ed.pausedUntil = Date.now() + 1000 * (parseInt(response.headers.get("Retry-After"), 10) || 5);
      return null;
    }
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null; // aborted, offline: no suggestions this time
  }
}

/* ---------------------------------------------------------------- completion */

// Code spans as the problem list beside the editor reads them (figure.py's _TICKS): a run of
// backticks closed by a run as long; a lone backtick stays a backtick.
const CODE_SPAN = /(?<!`)(`+)(?!`) ?(.+?) ?(?<!`)\1(?!`)/g;

// A <p> of plain text (never markup: the texts come from the server and the learner's spec), with
// its code spans as code.
function paragraph(text, className = "") {
  const p = document.createElement("p");
  if (className) p.className = className;
  let from = 0;
  for (const found of text.matchAll(CODE_SPAN)) {
    const code = document.createElement("code");
    code.textContent = found[2];
    p.append(text.slice(from, found.index), code);
    from = found.index + found[0].length;
  }
  p.append(text.slice(from));
  return p;
}

// Beside the list where it fits; on a narrow screen under the whole list, or above it where there
// is no room below (CodeMirror's own choice there covers the options below the selected one).
const INFO_WIDTH = 400;
const INFO_MARGIN = 30;
function positionInfo(view, list, option, info, space) {
  const width = info.right - info.left;
  const height = info.bottom - info.top;
  for (const [side, room] of [["right", space.right - list.right], ["left", list.left - space.left]]) {
    if (width <= room) {
      const top = Math.max(space.top, Math.min(option.top, space.bottom - height)) - list.top;
      return { style: `top: ${top}px; max-width: ${Math.min(INFO_WIDTH, room)}px`, class: `cm-completionInfo-${side}` };
    }
  }
  const room = Math.min(INFO_WIDTH, space.right - list.left - INFO_MARGIN);
  const narrow = { class: "cm-completionInfo-right-narrow" };
  if (space.bottom - list.bottom >= height || list.top - space.top < height) {
    return { ...narrow, style: `top: ${list.bottom - list.top}px; max-width: ${room}px` };
  }
  return { ...narrow, style: `bottom: ${list.bottom - list.top}px; max-width: ${room}px` }; // above it
}

function optionInfo(option) {
  if (!option.detail && !option.info) return undefined;
  return () => {
    const box = document.createElement("div");
    box.className = "explain";
    if (option.detail) box.append(paragraph(option.detail + (option.required ? " · required" : ""), "explain__type"));
    if (option.info) box.append(paragraph(option.info));
    return box;
  };
}

const KINDS = { field: "property", value: "enum", name: "variable" };

// Field names complete to "name: " (the value, or the nested block, is the learner's next step).
function toCompletion(option) {
  return {
    label: option.label,
    type: KINDS[option.kind] || "text",
    detail: option.required ? `${option.detail} (required)` : option.detail,
    info: optionInfo(option),
    apply: option.kind === "field" ? `${option.label}: ` : option.label,
    boost: option.required ? 1 : 0,
  };
}

// One request per word: while the learner types within it, `validFor` filters the answer locally.
function completionSource(ed) {
  return async (context) => {
    const word = context.matchBefore(WORD);
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (!context.explicit && !word.text && !/(?:^\s*(?:- )?|: )$/.test(before)) return null;
    const controller = new AbortController();
    context.addEventListener("abort", () => controller.abort(), { onDocChange: true });
    const found = await assist(ed, context.state, context.pos, "complete", controller.signal);
    if (!found || !Array.isArray(found.options)) return null;
    return { from: word.from, options: found.options.map(toCompletion), validFor: /^[^\s:,[\]{}#"']*$/ };
  };
}

/* ---------------------------------------------------------------- explain (hover and keyboard) */

function explainDom(found) {
  const box = document.createElement("div");
  box.className = "explain";
  const head = document.createElement("p");
  const name = document.createElement("code");
  name.textContent = found.name;
  head.append(name, ` ${found.type || ""}${found.required ? " · required" : ""}`);
  box.append(head);
  if (found.path) box.append(paragraph(found.path, "explain__type"));
  if (Array.isArray(found.enum) && found.enum.length) box.append(paragraph(`One of: ${found.enum.join(", ")}`));
  if (found.description) box.append(paragraph(found.description, "explain__description"));
  if (found.lesson) {
    const link = document.createElement("a");
    link.href = found.lesson;
    link.textContent = "Read the lesson";
    box.append(link);
  }
  return box;
}

// Explanations are cached per position until the text changes.
function explain(ed, state, pos) {
  const word = state.wordAt(pos);
  const at = word ? word.from : pos;
  if (!ed.hover.has(at)) ed.hover.set(at, assist(ed, state, at, "hover"));
  return ed.hover.get(at);
}

async function explainTooltip(ed, state, pos) {
  const found = await explain(ed, state, pos);
  if (!found || !found.name) return null;
  const word = state.wordAt(pos);
  return {
    pos: word ? word.from : pos, end: word ? word.to : pos, above: true,
    create: () => ({ dom: explainDom(found) }),
  };
}

const setExplained = StateEffect.define();
const explainedField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setExplained)) return effect.value;
    return tr.docChanged || tr.selection ? null : value;
  },
  provide: (field) => showTooltip.from(field),
});

function explainAtCursor(ed) {
  return (view) => {
    const { head } = view.state.selection.main;
    const state = view.state;
    explainTooltip(ed, state, head).then((tooltip) => {
      if (view.state === state) view.dispatch({ effects: setExplained.of(tooltip) });
    });
    return true;
  };
}

function closeExplained(view) {
  if (!view.state.field(explainedField)) return false;
  view.dispatch({ effects: setExplained.of(null) });
  return true;
}

/* ---------------------------------------------------------------- problems */

const SEVERITIES = new Set(["error", "warning", "info"]);
// Said in words too: the underline's colour alone does not tell them apart for everyone.
const SEVERITY_WORDS = { error: "Error", warning: "Warning", info: "Info" };

function problemMessage(problem) {
  return () => {
    const box = document.createElement("div");
    const message = paragraph(problem.message);
    const severity = document.createElement("strong");
    severity.textContent = `${SEVERITY_WORDS[problem.severity] || "Info"}: `;
    message.prepend(severity);
    box.append(message);
    if (problem.hint) box.append(paragraph(problem.hint, "editor__hint"));
    return box;
  };
}

function toDiagnostics(doc, problems) {
  return problems.filter((p) => p && p.line > 0).map((p) => {
    const from = offsetAt(doc, p.line, p.column || 1);
    const to = Math.max(from, offsetAt(doc, p.endLine || p.line, p.endColumn || p.column || 1));
    return {
      from, to,
      severity: SEVERITIES.has(p.severity) ? p.severity : "info",
      source: p.code || undefined,
      message: p.hint ? `${p.message} ${p.hint}` : p.message,
      renderMessage: problemMessage(p),
    };
  });
}

function readProblems(ed) {
  const scope = document.getElementById(ed.resultsId);
  // The playground's results hold one (#problems-data); a quiz's question its own (#problems-data-<id>).
  const data = scope && scope.querySelector('script[id^="problems-data"]');
  if (!data) return ed.resultsId === "results" && scope ? [] : null;
  try {
    const problems = JSON.parse(data.textContent);
    return Array.isArray(problems) ? problems : [];
  } catch (error) {
    return [];
  }
}

function refreshProblems() {
  for (const ed of editors) {
    if (!ed.root.isConnected) { editors.delete(ed); continue; }
    const problems = readProblems(ed);
    if (problems === null) continue;
    // A check answers for the text it was sent; CodeMirror maps the spans through any typed since.
    ed.view.dispatch(setDiagnostics(ed.view.state, toDiagnostics(ed.view.state.doc, problems)));
  }
}

/* ---------------------------------------------------------------- go to line */

function goToLine(ed, line, column) {
  const pos = offsetAt(ed.view.state.doc, line || 1, column || 1);
  ed.view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
  ed.view.focus();
}

function editorFor(link) {
  const live = [...editors].filter((ed) => ed.root.isConnected);
  const href = link.getAttribute("href") || "";
  if (href.startsWith("#") && href.length > 1) {
    let id = href.slice(1);
    try { id = decodeURIComponent(id); } catch (error) { /* keep it as written */ }
    const target = document.getElementById(id);
    const found = target && live.find((ed) => ed.textarea === target || ed.root.contains(target));
    if (found) return found;
  }
  const near = link.closest("[data-editor]");
  return live.find((ed) => ed.root === near) || live[0] || null;
}

function onGoto(event) {
  const link = event.target.closest && event.target.closest("[data-goto-line]");
  if (!link) return;
  const ed = editorFor(link);
  if (!ed) return;
  event.preventDefault();
  goToLine(ed, parseInt(link.dataset.gotoLine, 10), parseInt(link.dataset.gotoColumn, 10));
}

/* ---------------------------------------------------------------- Enter */

// The indentation a new line gets after `before` (the text left of the caret on its line): the
// line's own, except after "- key: value" (the key's column, so the next key joins the same mapping)
// and after "key:" or a block scalar's "|" / ">" (two more than the key, to open its block).
function newLineIndent(before) {
  const code = before.replace(/(^|[ \t])#.*$/, "").replace(/[ \t]+$/, "");
  if (/:$/.test(code) || /(^|[\s:])[|>][-+0-9]*$/.test(code)) return /^ *(?:[-?] +)*/.exec(before)[0].length + 2;
  const item = /^( *(?:[-?] +)+)[^\s#]/.exec(before);
  if (item && /^ *(?:[-?] +)+(?:"[^"]*"|'[^']*'|[^\s"'#][^#]*?) *:(?:[ \t]|$)/.test(before)) return item[1].length;
  return /^ */.exec(before)[0].length;
}

function insertYamlNewline(view) {
  const { state } = view;
  if (state.readOnly) return false;
  view.dispatch(state.update(state.changeByRange((range) => {
    const line = state.doc.lineAt(range.from);
    const insert = `\n${" ".repeat(newLineIndent(line.text.slice(0, range.from - line.from)))}`;
    return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + insert.length) };
  }), { scrollIntoView: true, userEvent: "input" }));
  return true;
}

/* ---------------------------------------------------------------- typing over several lines */

// Chrome, typing over a selection that spans lines or inserting text with line breaks (a paste by
// keyboard emulation, a test's fill), merges or splits the lines' elements and gives them style
// attributes of its own, which the site's CSP refuses (and reports) before CodeMirror redraws the
// lines anyway: such typing is applied here, and the browser's own editing skipped. The range comes
// from the event itself: a selection made just before (select all, then type or paste at once)
// reaches CodeMirror's state only at the next "selectionchange", after this event.
function typeOverLines(event, view) {
  if (event.inputType !== "insertText" || event.isComposing || !event.data) return false;
  const range = typedOver(event, view);
  if (!range) return false;
  const { doc } = view.state;
  if (!event.data.includes("\n") && doc.lineAt(range.from).number === doc.lineAt(range.to).number) return false;
  event.preventDefault();
  view.dispatch({
    changes: { ...range, insert: event.data },
    selection: EditorSelection.cursor(range.from + event.data.length),
    scrollIntoView: true,
    userEvent: "input.type",
  });
  return true;
}

// The document range an input event replaces (Chrome gives no target range for text with line
// breaks: the DOM selection then), or null when it is not inside the editor's text.
function typedOver(event, view) {
  const selection = view.root.getSelection();
  const target = event.getTargetRanges()[0] || (selection && selection.rangeCount ? selection.getRangeAt(0) : null);
  if (!target || !view.contentDOM.contains(target.startContainer) || !view.contentDOM.contains(target.endContainer)) return null;
  const ends = [view.posAtDOM(target.startContainer, target.startOffset), view.posAtDOM(target.endContainer, target.endOffset)];
  return { from: Math.min(...ends), to: Math.max(...ends) };
}

/* ---------------------------------------------------------------- the editor */

// The textarea's label and description name the editor now; a click on the label goes to the editor.
function accessibleName(ed) {
  const { textarea } = ed;
  const names = {};
  const described = textarea.getAttribute("aria-describedby");
  if (described) names["aria-describedby"] = described;
  const label = textarea.labels && textarea.labels[0];
  if (!label) return names;
  if (!label.id) label.id = `${textarea.id || "editor"}-label`;
  label.addEventListener("click", (event) => { event.preventDefault(); ed.view.focus(); });
  return { ...names, "aria-labelledby": label.id };
}

function extensions(ed) {
  return [
    lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
    yaml(), syntaxHighlighting(highlighter), scalarColours, hangingIndent, bracketMatching(), indentOnInput(),
    indentUnit.of("  "), EditorState.tabSize.of(2), EditorView.lineWrapping, lintGutter(),
    // Suggestions come from the server: Enter pressed as they appear picks the one shown selected,
    // not a new line (CodeMirror's default ignores Enter for 75 ms after the list opens).
    autocompletion({ override: [completionSource(ed)], icons: false, interactionDelay: 0, positionInfo }),
    hoverTooltip((view, pos) => explainTooltip(ed, view.state, pos), { hoverTime: HOVER_DELAY }),
    explainedField,
    keymap.of([
      { key: "Mod-k Mod-i", run: explainAtCursor(ed) },
      { key: "Escape", run: closeExplained },
      { key: "Shift-F8", run: previousDiagnostic },
      { key: "Enter", run: insertYamlNewline },
      ...lintKeymap, ...searchKeymap, ...historyKeymap, ...defaultKeymap, indentWithTab,
    ]),
    // tabindex: the content is focusable anyway (contenteditable); saying so lets checkers such as
    // axe see that the scrolling region around it is reachable by keyboard.
    EditorView.contentAttributes.of({
      ...accessibleName(ed), tabindex: "0", spellcheck: "false", autocapitalize: "off", autocorrect: "off",
    }),
    // An answer already graded (its fieldset disabled) can be read, not changed.
    EditorState.readOnly.of(ed.textarea.matches(":disabled")),
    EditorView.editable.of(!ed.textarea.matches(":disabled")),
    EditorView.updateListener.of((update) => onUpdate(ed, update)),
    EditorView.domEventHandlers({ beforeinput: typeOverLines }),
    EditorView.cspNonce.of(NONCE),
  ];
}

function enhance(textarea) {
  if (textarea.dataset.editorReady) return;
  textarea.dataset.editorReady = "1";
  const root = textarea.closest("[data-editor]") || textarea.parentElement;
  const ed = {
    root, textarea, view: null, echo: false, saveTimer: 0, hover: new Map(), pausedUntil: 0,
    storageKey: textarea.dataset.storageKey || "",
    assistUrl: textarea.dataset.assistUrl || "",
    resultsId: root.dataset.editorResults || "results",
  };

  // Nothing typed is lost: the server's text wins when it just received it, otherwise the browser's.
  let restored = false;
  const stored = readStored(ed.storageKey);
  const offer = textarea.hasAttribute("data-editor-server-text") && stored !== null && stored.trim() && stored !== textarea.value;
  if (textarea.hasAttribute("data-editor-server-text")) {
    writeStored(ed.storageKey, textarea.value);
  } else if (stored !== null && stored !== textarea.value) {
    textarea.value = stored;
    restored = true;
  }

  ed.view = new EditorView({ state: EditorState.create({ doc: textarea.value, extensions: extensions(ed) }) });
  textarea.after(ed.view.dom);
  // Out of sight (root.is-enhanced: site.css), kept for the form alone.
  textarea.setAttribute("tabindex", "-1");
  textarea.setAttribute("aria-hidden", "true");
  root.classList.add("is-enhanced");
  editors.add(ed);
  if (offer) offerRestore(ed, stored);

  // Another script (or a test) that sets the textarea and says so with an input event.
  textarea.addEventListener("input", () => { if (!ed.echo) setText(ed, textarea.value); });

  if (restored) {
    // htmx's "changed" filter took the restored text as the starting value, so an input event would
    // not reach the server: once htmx has attached its listeners, ask it to send the form instead.
    const announce = () => setTimeout(() => {
      if (window.htmx && textarea.form) window.htmx.trigger(textarea.form, "submit");
      else textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }, 0);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce, { once: true });
    else announce();
  }
}

function enhanceAll() {
  for (const textarea of document.querySelectorAll("textarea[data-editor-input]")) enhance(textarea);
}

function start() {
  enhanceAll();
  refreshProblems();
}

function saveAll() {
  for (const ed of editors) if (ed.root.isConnected) save(ed);
}

document.addEventListener("click", onGoto);
document.addEventListener("keydown", (event) => {
  // Links already turn Enter into a click; other elements carrying data-goto-line need this.
  if (event.key !== "Enter" || event.defaultPrevented) return;
  const link = event.target.closest && event.target.closest("[data-goto-line]");
  if (link && !link.matches("a[href], button, input, summary")) onGoto(event);
});
document.addEventListener("htmx:afterSettle", start);
document.addEventListener("htmx:load", enhanceAll);
document.addEventListener("editor:refresh", start);
window.addEventListener("pagehide", saveAll);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") saveAll();
});

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
