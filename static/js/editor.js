// A small YAML editor that enhances <textarea data-editor-input> inside [data-editor].
// Without this file the textarea works as an ordinary form control. With it, the textarea stays the
// real control (focus, screen readers, form posts, htmx) and gains: a line-number gutter, a coloured
// layer underneath its transparent text, YAML-friendly Tab/Shift+Tab/Enter, problem marks in the
// gutter, "go to line" links and a copy of the text in localStorage.
// Plain ES2020, no libraries, no inline style attributes (the site's CSP forbids them); only the
// CSSOM (element.style) is used from here.
"use strict";

(() => {
  const INDENT = "  ";
  const SAVE_DELAY = 300;
  const editors = new Set();

  /* ---------------------------------------------------------------- YAML colouring */

  const BOOL_NULL = /^(?:true|false|yes|no|on|off|null|~)$/i;
  const NUMBER =
    /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
  const FLOW_CHARS = ",[]{}";

  const isSpace = (ch) => ch === " " || ch === "\t";
  const isEnd = (line, i) => i >= line.length || isSpace(line[i]);

  function classifyPlain(text) {
    if (BOOL_NULL.test(text)) return "tok-bool";
    if (NUMBER.test(text)) return "tok-number";
    return null;
  }

  // Index just after a quoted scalar that opens at `start` (or line.length if it stays open).
  function quoteEnd(line, start, quote) {
    let i = start;
    while (i < line.length) {
      const ch = line[i];
      if (quote === '"' && ch === "\\") { i += 2; continue; }
      if (ch === quote) {
        if (quote === "'" && line[i + 1] === "'") { i += 2; continue; }
        return i + 1;
      }
      i += 1;
    }
    return -1;
  }

  // Splits one line into [className|null, text] pieces. `state` carries what spans lines:
  // block scalars (| and >), flow collections ([ ] { }) and quoted strings left open.
  function tokenizeLine(line, state) {
    const out = [];
    const push = (cls, text) => { if (text) out.push([cls, text]); };
    const n = line.length;
    let i = 0;

    if (state.block !== null) {
      const indent = /^[ \t]*/.exec(line)[0].length;
      if (indent === n || indent > state.block) { push("tok-string", line); return out; }
      state.block = null;
    }
    if (state.quote) {
      const end = quoteEnd(line, 0, state.quote);
      if (end === -1) { push("tok-string", line); return out; }
      push("tok-string", line.slice(0, end));
      state.quote = null;
      i = end;
    }

    let nodeCol = 0;
    let lead = i === 0; // only indentation and "- " seen so far on this line
    if (i === 0) {
      while (i < n && isSpace(line[i])) {
        let j = i;
        while (j < n && line[j] === line[i]) j += 1;
        push(line[i] === "\t" ? "tok-tab" : null, line.slice(i, j));
        i = j;
      }
      nodeCol = i;
      if (i === 0 && state.flow === 0) {
        const doc = /^(?:---|\.\.\.)(?=[ \t]|$)/.exec(line);
        if (doc) { push("tok-doc", doc[0]); i = doc[0].length; nodeCol = -1; }
        else if (line[0] === "%") { push("tok-doc", line); return out; }
      }
    }

    while (i < n) {
      const ch = line[i];
      const next = line[i + 1];
      if (isSpace(ch)) {
        let j = i;
        while (j < n && isSpace(line[j])) j += 1;
        push(null, line.slice(i, j));
        i = j;
        continue;
      }
      if (ch === "#" && (i === 0 || isSpace(line[i - 1]))) { push("tok-comment", line.slice(i)); break; }
      if ((ch === "-" || ch === "?") && lead && state.flow === 0 && isEnd(line, i + 1)) {
        push("tok-dash", ch);
        nodeCol = i;
        i += 1;
        continue;
      }
      lead = false;
      if (ch === "[" || ch === "{") { push("tok-punct", ch); state.flow += 1; i += 1; continue; }
      if (ch === "]" || ch === "}") { push("tok-punct", ch); state.flow = Math.max(0, state.flow - 1); i += 1; continue; }
      if (ch === "," && state.flow > 0) { push("tok-punct", ch); i += 1; continue; }
      if (ch === ":" && (isEnd(line, i + 1) || (state.flow > 0 && FLOW_CHARS.includes(next)))) {
        push("tok-punct", ch);
        i += 1;
        continue;
      }
      if (ch === "&" || ch === "*") {
        const m = /^[&*][^\s,[\]{}]+/.exec(line.slice(i));
        if (m) { push("tok-anchor", m[0]); i += m[0].length; continue; }
      }
      if (ch === "!") {
        const m = /^![^\s,[\]{}]*/.exec(line.slice(i));
        push("tok-tag", m[0]);
        i += m[0].length;
        continue;
      }
      if ((ch === "|" || ch === ">") && state.flow === 0) {
        const m = /^[|>][-+0-9]*(?=[ \t]|$)/.exec(line.slice(i));
        if (m) { push("tok-punct", m[0]); state.block = nodeCol; i += m[0].length; continue; }
      }
      if (ch === '"' || ch === "'") {
        const end = quoteEnd(line, i + 1, ch);
        if (end === -1) { push("tok-string", line.slice(i)); state.quote = ch; break; }
        const after = line.slice(end);
        const isKey = state.flow > 0 ? /^[ \t]*:(?=[ \t]|$|[,[\]{}])/.test(after) : /^[ \t]*:(?=[ \t]|$)/.test(after);
        push(isKey ? "tok-key" : "tok-string", line.slice(i, end));
        if (isKey) nodeCol = i;
        i = end;
        continue;
      }
      // A plain scalar: up to " #", ": " (a key), end of line, or a flow indicator inside [ ] / { }.
      let j = i;
      let isKey = false;
      while (j < n) {
        const c = line[j];
        if (c === ":" && (isEnd(line, j + 1) || (state.flow > 0 && FLOW_CHARS.includes(line[j + 1])))) { isKey = true; break; }
        if (c === "#" && j > i && isSpace(line[j - 1])) break;
        if (state.flow > 0 && FLOW_CHARS.includes(c)) break;
        j += 1;
      }
      if (j === i) { push(null, ch); i += 1; continue; }
      const raw = line.slice(i, j);
      const text = raw.replace(/[ \t]+$/, "");
      push(isKey ? "tok-key" : classifyPlain(text), text);
      push(null, raw.slice(text.length));
      if (isKey) nodeCol = i;
      i = j;
    }
    return out;
  }

  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

  function highlight(text) {
    const state = { block: null, flow: 0, quote: null };
    const html = [];
    const lines = text.split("\n");
    for (let k = 0; k < lines.length; k += 1) {
      if (k) html.push("\n");
      for (const [cls, piece] of tokenizeLine(lines[k], state)) {
        html.push(cls ? `<span class="${cls}">${escapeHtml(piece)}</span>` : escapeHtml(piece));
      }
    }
    // A trailing newline needs something after it, or the last (empty) line has no height.
    if (text.endsWith("\n")) html.push(" ");
    return html.join("");
  }

  /* ---------------------------------------------------------------- storage */

  // After an example or a shared link replaced the learner's text, offer it back (once).
  function offerRestore(root, textarea, previous) {
    const note = document.createElement("p");
    note.className = "editor__restore";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = "Bring back the text you had before";
    button.addEventListener("click", () => {
      textarea.value = previous;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      note.remove();
      textarea.focus();
    });
    note.append(button);
    root.after(note);
  }

  function readStored(key) {
    if (!key) return null;
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }

  function writeStored(key, value) {
    if (!key) return;
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode or full: keep going */ }
  }

  /* ---------------------------------------------------------------- text helpers */

  const lineStartOf = (value, pos) => value.lastIndexOf("\n", pos - 1) + 1;
  const lineEndOf = (value, pos) => {
    const k = value.indexOf("\n", pos);
    return k === -1 ? value.length : k;
  };
  const lineNumberOf = (value, pos) => {
    let count = 1;
    for (let k = value.indexOf("\n"); k !== -1 && k < pos; k = value.indexOf("\n", k + 1)) count += 1;
    return count;
  };
  const offsetOfLine = (value, line) => {
    let pos = 0;
    for (let k = 1; k < line; k += 1) {
      const nl = value.indexOf("\n", pos);
      if (nl === -1) return pos;
      pos = nl + 1;
    }
    return pos;
  };

  // Replaces value[start:end] with text, keeping the browser's undo history when it can; always ends
  // with a bubbling "input" event (execCommand fires one itself; the fallback dispatches one).
  function replaceRange(textarea, start, end, text) {
    const before = textarea.value;
    const expected = before.slice(0, start) + text + before.slice(end);
    textarea.setSelectionRange(start, end);
    let done = false;
    try {
      if (typeof document.execCommand === "function" && document.activeElement === textarea) {
        done = document.execCommand("insertText", false, text);
      }
    } catch (error) {
      done = false;
    }
    if (done && textarea.value === expected) return;
    if (done) {
      textarea.value = expected; // execCommand did something unexpected: put the text right
    } else {
      textarea.setRangeText(text, start, end, "end");
    }
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---------------------------------------------------------------- the editor */

  function enhance(root) {
    const textarea = root.querySelector("[data-editor-input]") || root.querySelector("textarea");
    if (!textarea || root.classList.contains("is-enhanced")) return;

    const gutter = document.createElement("div");
    gutter.className = "editor__gutter";
    gutter.setAttribute("aria-hidden", "true");
    const numbers = document.createElement("div");
    numbers.className = "editor__numbers";
    gutter.append(numbers);

    const body = document.createElement("div");
    body.className = "editor__body";
    const pre = document.createElement("pre");
    pre.className = "editor__highlight";
    pre.setAttribute("aria-hidden", "true");
    const code = document.createElement("code");
    code.className = "editor__code";
    pre.append(code);

    textarea.parentNode.insertBefore(body, textarea);
    body.append(pre, textarea);
    root.insertBefore(gutter, body);
    textarea.setAttribute("wrap", "off");
    textarea.classList.add("editor__input");

    const ed = {
      root, textarea, gutter, numbers, pre, code,
      lineCount: 0,
      rendered: null,
      marks: new Map(),
      activeLine: 0,
      tabReleased: false,
      saveTimer: 0,
      storageKey: textarea.dataset.storageKey || "",
    };
    editors.add(ed);
    root.classList.add("is-enhanced");

    // Nothing typed is lost: the server's text wins when it just received it, otherwise the browser's.
    let restored = false;
    const stored = readStored(ed.storageKey);
    if (textarea.hasAttribute("data-editor-server-text")) {
      if (stored !== null && stored.trim() && stored !== textarea.value) {
        offerRestore(root, textarea, stored); // an example or a shared spec replaced the learner's own
      }
      writeStored(ed.storageKey, textarea.value);
    } else if (stored !== null && stored !== textarea.value) {
      textarea.value = stored;
      restored = true;
    }

    render(ed);

    textarea.addEventListener("input", () => {
      render(ed);
      scheduleSave(ed);
    });
    textarea.addEventListener("change", () => render(ed));
    textarea.addEventListener("scroll", () => syncScroll(ed), { passive: true });
    textarea.addEventListener("keydown", (event) => onKeydown(ed, event));
    for (const type of ["keyup", "click", "select", "focus"]) {
      textarea.addEventListener(type, () => markActiveLine(ed));
    }
    textarea.addEventListener("focus", () => {
      ed.tabReleased = false;
      if (ed.rendered !== textarea.value) render(ed); // changed by another script without an event
    });
    textarea.addEventListener("blur", () => { ed.tabReleased = false; });
    gutter.addEventListener("mousedown", (event) => {
      const number = event.target.closest(".editor__line");
      if (!number) return;
      event.preventDefault();
      goToLine(ed, Number(number.dataset.n), 1, false);
    });
    if ("ResizeObserver" in window) {
      new ResizeObserver(() => syncScroll(ed)).observe(textarea);
    }

    if (restored) {
      // Let htmx (initialised on DOMContentLoaded) attach its listeners first, then check the text.
      // htmx's "changed" filter took the restored text as the starting value, so an input event
      // would not reach the server: ask htmx to send the form instead.
      const announce = () => setTimeout(() => {
        if (window.htmx && textarea.form) window.htmx.trigger(textarea.form, "submit");
        else textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }, 0);
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce, { once: true });
      else announce();
    }
  }

  function render(ed) {
    const value = ed.textarea.value;
    if (ed.rendered !== value) {
      ed.code.innerHTML = highlight(value);
      ed.rendered = value;
    }
    const count = value.split("\n").length;
    if (count !== ed.lineCount) {
      const fragment = document.createDocumentFragment();
      for (let k = 1; k <= count; k += 1) {
        const line = document.createElement("span");
        line.className = "editor__line";
        line.dataset.n = String(k);
        line.textContent = String(k);
        fragment.append(line);
      }
      ed.numbers.replaceChildren(fragment);
      ed.lineCount = count;
      ed.root.style.setProperty("--editor-digits", String(Math.max(2, String(count).length)));
      ed.activeLine = 0;
      applyMarks(ed);
    }
    markActiveLine(ed);
    syncScroll(ed);
  }

  function syncScroll(ed) {
    const { scrollTop, scrollLeft } = ed.textarea;
    ed.code.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    ed.numbers.style.transform = `translateY(${-scrollTop}px)`;
  }

  function scheduleSave(ed) {
    clearTimeout(ed.saveTimer);
    ed.saveTimer = setTimeout(() => save(ed), SAVE_DELAY);
  }

  function save(ed) {
    clearTimeout(ed.saveTimer);
    ed.saveTimer = 0;
    writeStored(ed.storageKey, ed.textarea.value);
  }

  function markActiveLine(ed) {
    const line = lineNumberOf(ed.textarea.value, ed.textarea.selectionStart);
    if (line === ed.activeLine) return;
    const old = ed.numbers.children[ed.activeLine - 1];
    if (old) old.classList.remove("is-active");
    const now = ed.numbers.children[line - 1];
    if (now) now.classList.add("is-active");
    ed.activeLine = line;
  }

  /* ---------------------------------------------------------------- keyboard */

  function onKeydown(ed, event) {
    const { textarea } = ed;
    if (event.defaultPrevented || event.isComposing || event.keyCode === 229) return;
    if (event.key === "Escape") { ed.tabReleased = true; return; }
    if (event.key === "Tab") {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (ed.tabReleased) { ed.tabReleased = false; return; } // let focus move on
      event.preventDefault();
      indentLines(textarea, event.shiftKey);
      return;
    }
    if (!["Shift", "Control", "Alt", "Meta"].includes(event.key)) ed.tabReleased = false;
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      newLine(textarea);
    }
  }

  function indentLines(textarea, outdent) {
    const value = textarea.value;
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    const multi = value.slice(start, end).includes("\n");
    if (!outdent && !multi) { replaceRange(textarea, start, end, INDENT); return; }

    const blockStart = lineStartOf(value, start);
    // A selection that ends at the start of a line does not include that line.
    const lastPos = multi && value[end - 1] === "\n" ? end - 1 : end;
    const blockEnd = lineEndOf(value, lastPos);
    const lines = value.slice(blockStart, blockEnd).split("\n");
    let shiftStart = 0;
    let shiftEnd = 0;
    let lineStart = blockStart;
    const changed = lines.map((line) => {
      let result = line;
      if (outdent) {
        const k = /^ {0,2}/.exec(line)[0].length;
        result = line.slice(k);
        shiftStart -= Math.min(k, Math.max(0, start - lineStart));
        shiftEnd -= Math.min(k, Math.max(0, end - lineStart));
      } else if (line.length) {
        result = INDENT + line;
        if (start > lineStart) shiftStart += INDENT.length;
        if (end > lineStart) shiftEnd += INDENT.length;
      }
      lineStart += line.length + 1;
      return result;
    });
    const text = changed.join("\n");
    if (text === value.slice(blockStart, blockEnd)) return;
    replaceRange(textarea, blockStart, blockEnd, text);
    textarea.setSelectionRange(start + shiftStart, end + shiftEnd);
  }

  function newLine(textarea) {
    const value = textarea.value;
    const start = textarea.selectionStart;
    const before = value.slice(lineStartOf(value, start), start);
    // Keep the line's indentation; after "- key: value" that means the key's column, so the next
    // key lands in the same mapping (a bare "- item" keeps the dash's column for the next item).
    let indent = /^ */.exec(before)[0].length;
    const item = /^( *(?:[-?] +)+)[^\s#]/.exec(before);
    const codePart = before.replace(/(^|[ \t])#.*$/, "").replace(/[ \t]+$/, "");
    if (item && /^ *(?:[-?] +)+(?:"[^"]*"|'[^']*'|[^\s"'#][^#]*?) *:(?:[ \t]|$)/.test(before)) {
      indent = item[1].length;
    }
    // "key:" and "key: |" / "key: >" open a nested block: indent two more than the key.
    if (/:$/.test(codePart) || /(^|[\s:])[|>][-+0-9]*$/.test(codePart)) {
      indent = /^ *(?:[-?] +)*/.exec(before)[0].length + INDENT.length;
    }
    replaceRange(textarea, start, textarea.selectionEnd, "\n" + " ".repeat(indent));
  }

  /* ---------------------------------------------------------------- go to line */

  function goToLine(ed, line, column, flash) {
    const { textarea } = ed;
    const value = textarea.value;
    const lineCount = value.split("\n").length;
    const target = Math.min(Math.max(1, line || 1), lineCount);
    const lineStart = offsetOfLine(value, target);
    const lineEnd = lineEndOf(value, lineStart);
    const pos = Math.min(lineStart + Math.max(0, (column || 1) - 1), lineEnd);

    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(pos, pos);

    const style = getComputedStyle(textarea);
    const lineHeight = parseFloat(style.lineHeight) || 21;
    const padTop = parseFloat(style.paddingTop) || 0;
    const padLeft = parseFloat(style.paddingLeft) || 0;
    const top = (target - 1) * lineHeight;
    const visible = textarea.clientHeight - padTop;
    if (top < textarea.scrollTop || top + lineHeight > textarea.scrollTop + visible) {
      textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
    }
    const x = (pos - lineStart) * charWidth(ed);
    if (x < textarea.scrollLeft || x + padLeft * 2 > textarea.scrollLeft + textarea.clientWidth) {
      textarea.scrollLeft = Math.max(0, x - textarea.clientWidth / 2);
    }
    syncScroll(ed);
    markActiveLine(ed);

    // Bring the line itself into the window.
    const y = textarea.getBoundingClientRect().top + padTop + top - textarea.scrollTop;
    if (y < 0 || y + lineHeight > window.innerHeight) {
      window.scrollBy(0, y - window.innerHeight / 3);
    }

    if (flash) {
      const number = ed.numbers.children[target - 1];
      if (number) {
        number.classList.remove("is-target");
        void number.offsetWidth; // restart the animation
        number.classList.add("is-target");
        setTimeout(() => number.classList.remove("is-target"), 1600);
      }
    }
  }

  function charWidth(ed) {
    const probe = document.createElement("span");
    probe.textContent = "0".repeat(20);
    ed.pre.append(probe);
    const width = probe.getBoundingClientRect().width / 20;
    probe.remove();
    return width || 8.4;
  }

  function editorFor(link) {
    const live = [...editors].filter((ed) => ed.root.isConnected);
    const href = link.getAttribute("href") || "";
    if (href.startsWith("#") && href.length > 1) {
      let id = href.slice(1);
      try { id = decodeURIComponent(id); } catch (error) { /* keep it as written */ }
      const target = document.getElementById(id);
      const found = target && live.find((ed) => ed.textarea === target || ed.root.contains(target) || target.contains(ed.root));
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
    goToLine(ed, parseInt(link.dataset.gotoLine, 10), parseInt(link.dataset.gotoColumn, 10), true);
  }

  /* ---------------------------------------------------------------- problem marks */

  function refreshProblems() {
    for (const ed of editors) {
      if (!ed.root.isConnected) { editors.delete(ed); continue; }
      const scopeId = ed.root.dataset.editorResults || "results";
      const scope = document.getElementById(scopeId) || document;
      const marks = new Map();
      for (const item of scope.querySelectorAll("[data-line]")) {
        if (item.closest("[data-editor]")) continue;
        const line = parseInt(item.dataset.line, 10);
        if (!(line > 0)) continue;
        const kind = item.classList.contains("error") ? "error" : item.classList.contains("warning") ? "warning" : "info";
        const mark = marks.get(line) || { kinds: new Set(), messages: [] };
        mark.kinds.add(kind);
        const text = item.textContent.replace(/\s+/g, " ").trim();
        if (text) mark.messages.push(text);
        marks.set(line, mark);
      }
      ed.marks = marks;
      if (ed.rendered !== ed.textarea.value) render(ed);
      applyMarks(ed);
    }
  }

  function applyMarks(ed) {
    for (const number of ed.numbers.querySelectorAll(".is-error, .is-warning, .is-info")) {
      number.classList.remove("is-error", "is-warning", "is-info");
      number.removeAttribute("title");
    }
    for (const [line, mark] of ed.marks) {
      const number = ed.numbers.children[line - 1];
      if (!number) continue;
      const kind = mark.kinds.has("error") ? "error" : mark.kinds.has("warning") ? "warning" : "info";
      number.classList.add(`is-${kind}`);
      if (mark.messages.length) number.title = mark.messages.join("\n");
    }
  }

  /* ---------------------------------------------------------------- start */

  function enhanceAll() {
    for (const root of document.querySelectorAll("[data-editor]")) enhance(root);
  }

  function saveAll() {
    for (const ed of editors) if (ed.root.isConnected) save(ed);
  }

  function start() {
    enhanceAll();
    refreshProblems();
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
  window.addEventListener("resize", () => { for (const ed of editors) syncScroll(ed); });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
