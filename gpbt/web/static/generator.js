// gpbt serve, the generator page. The page works without this script (the server renders the essay); this adds
// generation without reloading, the address bar as a share link, copy, sources and re-rolling one sentence.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  const words = config.labels;
  const form = document.getElementById("form");
  if (!form) return;
  const results = document.getElementById("results");
  const styleSelect = document.getElementById("style");
  const topicBox = document.getElementById("topic");
  const lengthBox = document.getElementById("length");
  let current = null; // {params: URLSearchParams, essays: [...], trees: [...]}

  function newSeed() {
    const a = new Uint32Array(1);
    crypto.getRandomValues(a);
    return String(a[0]);
  }

  function formParams(seed) {
    const p = new URLSearchParams();
    p.set("topic", topicBox.value.split("\n").map((t) => t.trim()).filter(Boolean).join("\n"));
    p.set("length", lengthBox.value || "");
    p.set("style", styleSelect.value);
    p.set("seed", seed);
    for (const input of document.querySelectorAll("#slots input")) {
      if (input.value !== "") p.set(input.name, input.value);
    }
    return p;
  }

  function essayQuery(params, index, tree) {
    const q = new URLSearchParams();
    q.set("topic", params.get("topic").split("\n")[index]);
    for (const [k, v] of params) if (k !== "topic" && k !== "seed" && k !== "r") q.set(k, v);
    q.set("seed", String(BigInt(params.get("seed")) + BigInt(index)));
    const mine = (params.get("r") || "").split(",").filter(Boolean)
      .map((item) => (item.includes(".") ? item.split(".") : ["0", item]))
      .filter(([i]) => Number(i) === index).map(([, pair]) => pair);
    if (mine.length) q.set("r", mine.join(","));
    if (tree) q.set("trace", "tree");
    return q;
  }

  async function fetchEssays(params, tree) {
    const topics = params.get("topic").split("\n").filter(Boolean);
    const essays = [];
    for (let i = 0; i < topics.length; i++) {
      const response = await fetch("/api/essay?" + essayQuery(params, i, tree));
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
      essays.push(body);
    }
    return essays;
  }

  function showError(message) {
    results.replaceChildren();
    const box = document.createElement("section");
    box.className = "error";
    box.setAttribute("role", "alert");
    const h = document.createElement("h2");
    h.textContent = words.error;
    const p = document.createElement("p");
    p.textContent = message;
    box.append(h, p);
    results.append(box);
  }

  function button(id, label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = id;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function toolbar(params, essays) {
    const tools = document.createElement("div");
    tools.className = "tools";
    tools.id = "tools";
    const download = document.createElement("a");
    download.id = "download";
    download.className = "button";
    download.href = "/download?" + params;
    download.textContent = words.download;
    const toggle = document.createElement("label");
    toggle.className = "toggle";
    toggle.id = "source-toggle";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = "show-source";
    box.checked = !!(current && current.trees);
    box.addEventListener("change", () => (box.checked ? showSources() : render(current.params, current.essays)));
    toggle.append(box, words.show_source);
    const count = document.createElement("span");
    count.className = "count";
    count.id = "count";
    count.textContent = words.count.replace("{n}", essays.reduce((n, e) => n + [...e.text].length, 0));
    tools.append(button("copy", words.copy, () => copy(essays.map((e) => e.text.replace(/\n+$/, "")).join("\n\n") + "\n")),
      button("copy-link", words.copy_link, () => copy(location.href)), download, toggle, count);
    return tools;
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      flash(words.copied);
    } catch (error) {
      flash(String(error));
    }
  }

  function flash(message) {
    let note = document.getElementById("flash");
    if (!note) {
      note = document.createElement("span");
      note.id = "flash";
      note.className = "flash";
      document.getElementById("tools").append(note);
    }
    note.textContent = message;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => (note.textContent = ""), 2500);
  }

  // An essay's text as a title and paragraphs; with a tree, each sentence is a span that knows its node.
  function renderEssay(essay, index, tree) {
    const article = document.createElement("article");
    article.className = "essay" + (tree ? " sourced" : "");
    article.dataset.index = index;
    article.dataset.seed = essay.seed;
    const text = essay.text;
    const sentences = tree ? tree.sentences : [];
    let offset = 0;
    let first = true;
    for (const line of text.split("\n")) {
      const start = offset;
      const end = offset + line.length;
      offset = end + 1;
      if (!line.trim()) continue;
      const block = document.createElement(first ? "h2" : "p");
      first = false;
      let at = start;
      for (const s of sentences) {
        if (s.end <= start || s.start >= end) continue;
        const from = Math.max(s.start, start);
        const to = Math.min(s.end, end);
        if (from > at) block.append(text.slice(at, from));
        const span = document.createElement("span");
        span.className = "s";
        span.dataset.node = s.node;
        span.textContent = text.slice(from, to);
        const node = tree.nodes[s.node];
        span.title = node.rule + " · " + baseName(node.file) + ":" + node.line;
        span.addEventListener("click", (event) => sentenceMenu(event, index, node, span));
        block.append(span);
        at = to;
      }
      if (at < end) block.append(text.slice(at, end));
      article.append(block);
    }
    return article;
  }

  function render(params, essays, trees) {
    current = { params, essays, trees: trees || null };
    closeMenu();
    results.replaceChildren(toolbar(params, essays),
      ...essays.map((essay, i) => renderEssay(essay, i, trees ? trees[i] : null)));
  }

  function baseName(path) {
    return String(path || "").split("/").pop();
  }

  let menu = null;
  function closeMenu() {
    if (menu) menu.remove();
    menu = null;
    for (const s of document.querySelectorAll(".s.active")) s.classList.remove("active");
  }

  function sentenceMenu(event, index, node, span) {
    event.stopPropagation();
    closeMenu();
    span.classList.add("active");
    menu = document.createElement("div");
    menu.className = "popover";
    menu.id = "sentence-menu";
    const where = document.createElement("div");
    where.className = "where";
    where.textContent = words.from + ": " + node.rule + " #" + node.alternative + " · " + baseName(node.file) + ":" + node.line;
    menu.append(where, button("reroll", words.reroll, () => reroll(index, node.id)));
    document.body.append(menu);
    const box = span.getBoundingClientRect();
    menu.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + innerWidth - menu.offsetWidth - 8)) + "px";
    menu.style.top = window.scrollY + box.bottom + 6 + "px";
  }
  document.addEventListener("click", (event) => { if (menu && !menu.contains(event.target)) closeMenu(); });
  window.addEventListener("resize", closeMenu);

  async function reroll(index, node) {
    const params = new URLSearchParams(current.params);
    const items = (params.get("r") || "").split(",").filter(Boolean);
    items.push((index ? index + "." : "") + node + ":" + newSeed());
    params.set("r", items.join(","));
    await show(params, true, true);
  }

  async function showSources() {
    await show(current.params, true, false);
  }

  async function show(params, tree, push) {
    try {
      const essays = await fetchEssays(params, tree);
      render(params, essays, tree ? essays : null);
      if (push) history.pushState(null, "", "/?" + params);
      document.title = params.get("topic").split("\n")[0] + " · " + words.title;
    } catch (error) {
      showError(error.message);
    }
  }

  function setSlots(styleName) {
    const info = config.styles[styleName];
    const slots = document.getElementById("slots");
    const old = {};
    for (const input of slots.querySelectorAll("input")) old[input.name] = input.value;
    slots.replaceChildren();
    for (const [name, def] of info.slots) {
      const label = document.createElement("label");
      label.className = "field slot";
      const input = document.createElement("input");
      input.name = "slot." + name;
      input.placeholder = def || "";
      input.value = old[input.name] || "";
      label.append(name, input);
      slots.append(label);
    }
  }

  styleSelect.addEventListener("change", () => {
    const info = config.styles[styleSelect.value];
    lengthBox.value = info.default_length;
    setSlots(styleSelect.value);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!topicBox.value.trim()) { topicBox.focus(); return; }
    const fresh = event.submitter && event.submitter.id === "new-seed";
    const seedInput = form.querySelector("input[name=seed]");
    const seed = !fresh && seedInput ? seedInput.value : newSeed();
    const params = formParams(seed);
    setSeed(seed);
    show(params, !!(current && current.trees), true);
  });

  function setSeed(seed) {
    let seedInput = form.querySelector("input[name=seed]");
    if (!seedInput) {
      seedInput = document.createElement("input");
      seedInput.type = "hidden";
      seedInput.name = "seed";
      form.append(seedInput);
    }
    seedInput.value = seed;
  }

  window.addEventListener("popstate", () => {
    const params = new URLSearchParams(location.search);
    if (!params.get("topic")) { location.reload(); return; }
    topicBox.value = params.get("topic");
    if (params.get("length")) lengthBox.value = params.get("length");
    if (params.get("style")) styleSelect.value = params.get("style");
    setSeed(params.get("seed"));
    show(params, !!(current && current.trees), false);
  });

  // The server rendered the essays already; fetch them again as data (the same text) so the tools work on them.
  const initial = new URLSearchParams(location.search);
  if (initial.get("topic") && initial.get("seed") && document.querySelector("article.essay")) {
    show(initial, false, false);
  }
})();
