// gpbt serve, the playground: rule files on the left, checked and previewed as you type; a link holds the rules.
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
  const BLANK = "@style mine\n@topic 主题\n@start 文章\n@length 300\n\n文章:\n    {标题}\\n　　{句子*fill}\n\n" +
    "标题:\n    论{主题}\n    {主题}之我见\n\n句子 (unique):\n    {主题}是一个值得思考的问题。\n" +
    "    说起{主题}，大家都不陌生。\n    我们不得不面对{主题}。\n";
  let state = { files: { "style.gpbt": BLANK }, active: "style.gpbt", topic: "学生会退会", seed: 1, length: 600 };
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

  function files() {
    const names = Object.keys(state.files);
    // one pasted Tracery grammar: send it as .json so the server reads it as Tracery
    if (names.length === 1 && state.files[names[0]].trimStart().startsWith("{") && !names[0].endsWith(".json")) {
      return { "grammar.json": state.files[names[0]] };
    }
    return state.files;
  }

  function showTabs() {
    tabs.replaceChildren();
    for (const name of Object.keys(state.files)) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.textContent = name;
      tab.setAttribute("aria-selected", String(name === state.active));
      tab.addEventListener("click", () => open(name));
      tabs.append(tab);
    }
  }

  function open(name, line, column) {
    state.active = name;
    editor.value = state.files[name];
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
        body: JSON.stringify({ files: files(), topic: topicBox.value, seed: Number(seedBox.value) || 0,
          length: lengthBox.value === "" ? null : Number(lengthBox.value) }),
      });
      body = await response.json();
      if (!response.ok) body = { ok: false, diagnostics: [{ severity: "error", message: body.error.message, hint: body.error.hint }] };
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
        body: JSON.stringify({ files: files() }),
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
      pos.textContent = d.line ? (Object.keys(state.files).length > 1 ? d.file + ":" : "") + d.line + ":" + d.column : "—";
      li.append(pos, d.message);
      if (d.hint) {
        const hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = d.hint;
        li.append(hint);
      }
      if (d.line) {
        li.addEventListener("click", () => {
          const name = d.file in state.files ? d.file : state.active;
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

  async function startFrom(name) {
    if (!name) {
      state.files = { "style.gpbt": BLANK };
    } else {
      const response = await fetch("/api/style-files?style=" + encodeURIComponent(name));
      state.files = (await response.json()).files;
    }
    state.active = Object.keys(state.files).find((n) => /文章|essay|origin|\.json$/.test(n)) || Object.keys(state.files)[0];
    open(state.active);
    schedule();
  }

  editor.addEventListener("input", () => {
    state.files[state.active] = editor.value;
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
    const blob = new Blob([state.files[name]], { type: "text/plain;charset=utf-8" });
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
      } catch (error) {
        showDiagnostics([{ severity: "error", message: "the link's rules could not be read: " + error }]);
      }
    } else {
      const from = new URLSearchParams(location.search).get("from");
      topicBox.value = state.topic;
      seedBox.value = state.seed;
      lengthBox.value = state.length;
      if (from) {
        startSelect.value = from;
        await startFrom(from);
        return;
      }
    }
    topicBox.value = state.topic || "";
    seedBox.value = state.seed ?? 1;
    lengthBox.value = state.length ?? "";
    open(state.active in state.files ? state.active : Object.keys(state.files)[0]);
    run();
  }
  boot();
})();
