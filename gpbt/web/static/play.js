// gpbt serve, the playground: rule files on the left, checked and previewed as you type; a link holds the rules.
// Started from one file of a served style, that file is the one editable tab; the style's other files are shown as
// read-only tabs and the server checks them with it (the body names the style as "context").
"use strict";
(function () {
  const words = JSON.parse(document.getElementById("config").textContent).labels;
  const editor = document.getElementById("editor");
  const tabs = document.getElementById("tabs");
  const topicBox = document.getElementById("topic");
  const seedBox = document.getElementById("seed");
  const lengthBox = document.getElementById("length");
  const startSelect = document.getElementById("start");
  const diagnosticsList = document.getElementById("diagnostics");
  const preview = document.getElementById("preview");
  const varietyText = document.getElementById("variety-text");
  const contextNote = document.getElementById("context-note");
  const BLANK = "@style mine\n@topic 主题\n@start 文章\n@length 300\n\n文章:\n    {标题}\\n　　{句子*fill}\n\n" +
    "标题:\n    论{主题}\n    {主题}之我见\n\n句子 (unique):\n    {主题}是一个值得思考的问题。\n" +
    "    说起{主题}，大家都不陌生。\n    我们不得不面对{主题}。\n";
  let state = { files: { "style.gpbt": BLANK }, active: "style.gpbt", topic: "学生会退会", seed: 1, length: 600 };
  let context = {}; // the context style's other files, read-only: shown, never posted (the server has them)
  let rules = [];
  let timer = null;
  let sequence = 0;

  // ---- the link: state as deflate-compressed JSON, base64url, in the fragment (never sent to the server) ----
  async function pack(value) {
    const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function unpack(text) {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return JSON.parse(await new Response(stream).text());
  }

  // what a request posts: the files, and the context style if any
  function sources() {
    return state.context ? { files: state.files, context: state.context } : { files: state.files };
  }

  // a file of its own whose text is JSON is a Tracery grammar: its name ends in .json, so the server reads it as
  // Tracery (and the download is named so); rule text again, and it is .gpbt again
  function nameByContent() {
    const names = Object.keys(state.files);
    if (state.context || names.length !== 1) return;
    const name = names[0];
    const json = state.files[name].trimStart().startsWith("{");
    const wanted = json ? name.replace(/\.gpbt$/, ".json") : name.replace(/\.json$/, ".gpbt");
    if (wanted === name) return;
    state.files = { [wanted]: state.files[name] };
    state.active = wanted;
    showTabs();
  }

  function allNames() {
    return [...Object.keys(state.files), ...Object.keys(context).filter((n) => !(n in state.files))];
  }

  function showTabs() {
    tabs.replaceChildren();
    for (const name of allNames()) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.textContent = name;
      if (!(name in state.files)) tab.className = "context";
      tab.setAttribute("aria-selected", String(name === state.active));
      tab.addEventListener("click", () => open(name));
      tabs.append(tab);
    }
    contextNote.hidden = !state.context;
    contextNote.textContent = state.context ? words.context_note.replace("{style}", state.context) : "";
  }

  function open(name, line, column) {
    state.active = name;
    const editable = name in state.files;
    editor.value = editable ? state.files[name] : context[name] || "";
    editor.readOnly = !editable;
    showTabs();
    if (line) {
      const lines = editor.value.split("\n");
      let offset = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      offset += Math.max(0, (column || 1) - 1);
      editor.focus();
      editor.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 20;
      editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
    }
    showVariety();
  }

  function schedule() {
    clearTimeout(timer);
    preview.classList.add("stale");
    timer = setTimeout(run, 250);
  }

  async function run() {
    const mine = ++sequence;
    let body;
    try {
      const response = await fetch("/api/preview", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...sources(), topic: topicBox.value, seed: Number(seedBox.value) || 0,
          length: lengthBox.value === "" ? null : Number(lengthBox.value) }),
      });
      body = await response.json();
      if (!response.ok) {
        body = { ok: false, diagnostics: [{ severity: "error", message: body.error.message, hint: body.error.hint }] };
      }
    } catch (error) {
      body = { ok: false, diagnostics: [{ severity: "error", message: String(error) }] };
    }
    if (mine !== sequence) return; // a newer edit already asked
    showDiagnostics(body.diagnostics || []);
    if (body.ok) {
      showText(body.essay.text);
      preview.classList.remove("stale");
    }
    document.body.dataset.checked = String(mine); // tests wait on this
    if (body.ok) fetchStats(mine);
  }

  // the variety figures come after the preview (the server has the check cached), so typing stays quick
  async function fetchStats(mine) {
    try {
      const response = await fetch("/api/stats", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(sources()),
      });
      const body = await response.json();
      if (mine === sequence && body.ok) {
        rules = body.rules;
        showVariety();
      }
    } catch (error) { /* the figures are a nicety */ }
  }

  function showDiagnostics(list) {
    diagnosticsList.replaceChildren();
    if (!list.length) {
      const li = document.createElement("li");
      li.className = "ok";
      li.textContent = words.no_problems;
      diagnosticsList.append(li);
      return;
    }
    for (const d of list) {
      const li = document.createElement("li");
      li.className = d.severity;
      const pos = document.createElement("span");
      pos.className = "pos";
      pos.textContent = d.line ? (allNames().length > 1 ? d.file + ":" : "") + d.line + ":" + d.column : "—";
      li.append(pos, d.message);
      if (d.hint) {
        const hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = d.hint;
        li.append(hint);
      }
      if (d.line) {
        li.addEventListener("click", () => {
          const name = d.file in state.files || d.file in context ? d.file : state.active;
          open(name, d.line, d.column);
        });
      }
      diagnosticsList.append(li);
    }
  }

  function showText(text) {
    preview.replaceChildren();
    let first = true;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const block = document.createElement(first ? "h2" : "p");
      first = false;
      block.textContent = line;
      preview.append(block);
    }
  }

  function cursorLine() {
    return editor.value.slice(0, editor.selectionStart).split("\n").length;
  }

  function showVariety() {
    const line = cursorLine();
    const here = rules.filter((r) => (r.file === state.active || r.file === "grammar.json") && r.line <= line)
      .sort((a, b) => b.line - a.line)[0];
    varietyText.textContent = here
      ? `${here.rule}: ${words.distinct} ${here.distinct} · ${words.expected} ${here.expected_length}`
      : "—";
  }

  // the picker's value is the query of the /play link: "" (blank), "from=STYLE" or "from=STYLE&file=NAME"
  async function startFrom(value) {
    const chosen = new URLSearchParams(value);
    const style = chosen.get("from");
    const file = chosen.get("file");
    delete state.context;
    context = {};
    rules = [];
    if (!style) {
      state.files = { "style.gpbt": BLANK };
    } else {
      const query = new URLSearchParams({ style });
      if (file) query.set("file", file);
      const response = await fetch("/api/style-files?" + query);
      const body = await response.json();
      if (!response.ok) {
        showDiagnostics([{ severity: "error", message: body.error.message }]);
        return;
      }
      state.files = body.files;
      if (file) {
        context = body.context;
        state.context = style;
      }
    }
    history.replaceState(null, "", location.pathname + (value ? "?" + value : ""));
    state.active = file || Object.keys(state.files).find((n) => /文章|essay|origin|\.json$/.test(n)) ||
      Object.keys(state.files)[0];
    open(state.active);
    schedule();
  }

  // show in the picker what the editor started from (matched by meaning: the encodings of a query may differ)
  function showStart(style, file) {
    for (const option of startSelect.options) {
      const value = new URLSearchParams(option.value);
      if (value.get("from") === style && value.get("file") === file) startSelect.value = option.value;
    }
  }

  // a shared link's context style: its other files, fetched again to show as read-only tabs
  async function fetchContext() {
    try {
      const response = await fetch("/api/style-files?" + new URLSearchParams({ style: state.context }));
      const body = await response.json();
      if (response.ok) {
        context = Object.fromEntries(Object.entries(body.files).filter(([n]) => !(n in state.files)));
      }
    } catch (error) { /* the preview says what is wrong */ }
  }

  editor.addEventListener("input", () => {
    if (!(state.active in state.files)) return; // a read-only context file
    state.files[state.active] = editor.value;
    nameByContent();
    schedule();
  });
  for (const event of ["keyup", "click", "select"]) editor.addEventListener(event, showVariety);
  for (const box of [topicBox, seedBox, lengthBox]) box.addEventListener("input", schedule);
  startSelect.addEventListener("change", () => startFrom(startSelect.value));
  document.getElementById("new-seed").addEventListener("click", () => {
    seedBox.value = String(Math.floor(Math.random() * 2 ** 31));
    schedule();
  });
  document.getElementById("share").addEventListener("click", async () => {
    state.topic = topicBox.value;
    state.seed = Number(seedBox.value) || 0;
    state.length = lengthBox.value === "" ? null : Number(lengthBox.value);
    const hash = "#s=" + (await pack(state));
    history.replaceState(null, "", location.pathname + hash);
    try { await navigator.clipboard.writeText(location.href); } catch (error) { /* the address bar has it */ }
    document.body.dataset.shared = "1";
  });
  document.getElementById("download-rules").addEventListener("click", () => {
    const name = state.active;
    const blob = new Blob([state.files[name] ?? context[name]], { type: "text/plain;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  async function boot() {
    if (location.hash.startsWith("#s=")) {
      try {
        state = await unpack(location.hash.slice(3));
        if (state.context) {
          await fetchContext();
          showStart(state.context, Object.keys(state.files)[0]);
        }
      } catch (error) {
        showDiagnostics([{ severity: "error", message: "the link's rules could not be read: " + error }]);
      }
    } else {
      const asked = new URLSearchParams(location.search);
      topicBox.value = state.topic;
      seedBox.value = state.seed;
      lengthBox.value = state.length;
      if (asked.get("from")) {
        const value = new URLSearchParams({ from: asked.get("from") });
        if (asked.get("file")) value.set("file", asked.get("file"));
        showStart(asked.get("from"), asked.get("file"));
        await startFrom(value.toString());
        return;
      }
    }
    topicBox.value = state.topic || "";
    seedBox.value = state.seed ?? 1;
    lengthBox.value = state.length ?? "";
    nameByContent();
    open(state.active in state.files || state.active in context ? state.active : Object.keys(state.files)[0]);
    run();
  }
  boot();
})();
