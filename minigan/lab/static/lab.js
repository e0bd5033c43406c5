// minigan lab, the live page: settings -> a session on the server; Step D / Step G / Step / Play
// ask the server for one more update and draw the frame it sends back (LabViews).
"use strict";

const $ = (id) => document.getElementById(id);
const KEYS = ["generator_loss", "k", "clip_value", "n_critic", "gp_weight", "optimizer", "lr", "lr_d",
              "batch_size", "latent_dim", "seed", "steps", "margin", "pt_weight", "members"];
const SPEEDS = [{ steps: 1, delay: 400, label: "slow motion: 1 iteration per frame" }].concat(
  [1, 2, 5, 10, 20, 50, 100].map((n) => ({ steps: n, delay: 0, label: `${n} iteration${n > 1 ? "s" : ""} per frame` })));

class LabError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// what the page's own frame counter shows (the benchmark and the browser tests read it)
const lab = window.lab = { frames: 0, fps: 0, drawMs: 0, sessionId: null, playing: false, lastFrame: null, errors: 0 };
const state = { ws: null, scene: null, history: new LabViews.History(), ready: false, centers: [], plane: [-2, 2],
                recipe: null, fpsTimes: [] };

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) throw new LabError(response.status, (data && data.error) || `${response.status} ${response.statusText}`);
  return data;
}

function say(text, kind) {
  const box = $("message");
  box.textContent = text || "";
  box.className = text ? kind || "info" : "";
  if (kind === "error") lab.errors += 1;
}

// ------------------------------------------------------------------ settings
function visibleKeys() {
  return KEYS.filter((key) => state.recipe && key in state.recipe);
}

// a field's value: a number where it reads as one, else the text itself (the server says what is wrong)
function fieldValue(key) {
  const el = $(`set-${key}`), text = el.value.trim();
  if (el.tagName === "SELECT") return text;
  const number = Number(text);
  return text !== "" && Number.isFinite(number) ? number : text;
}

function readSettings() {
  const settings = { data: $("set-data").value, algorithm: $("set-algorithm").value };
  for (const key of visibleKeys()) settings[key] = fieldValue(key);
  if (settings.data === "drawn") settings.centers = state.centers;
  return settings;
}

function fillSettings(recipe) {
  state.recipe = recipe;
  for (const label of document.querySelectorAll(".field[data-key]")) label.hidden = !(label.dataset.key in recipe);
  for (const key of KEYS) if (key in recipe) $(`set-${key}`).value = recipe[key];
  $("draw-help").hidden = $("set-data").value !== "drawn";
}

async function loadDefaults() {
  const query = new URLSearchParams({ data: $("set-data").value, algorithm: $("set-algorithm").value });
  const answer = await api("GET", `api/defaults?${query}`);
  state.plane = answer.plane;
  fillSettings(answer.settings);
}

// ------------------------------------------------------------------ the session
async function createSession() {
  closeSocket();
  const answer = await api("POST", "api/sessions", readSettings());
  lab.sessionId = answer.id;
  openSocket(answer.id);
  showFrame(answer.frame);
}

async function reset() {
  await pause();
  try {
    if (!lab.sessionId) await createSession();
    else showFrame(await api("POST", `api/sessions/${lab.sessionId}/reset`, readSettings()));
  } catch (e) {
    failed(e);
    if (e.status === 404) { lab.sessionId = null; return reset(); }
  }
}

function failed(e) {
  state.ready = false;
  enable();
  say(e.message, "error");
  if ($("set-data").value === "drawn") LabViews.drawPending($("plane"), state.plane, state.centers);
}

async function step(action) {
  await pause();
  try {
    showFrame(await api("POST", `api/sessions/${lab.sessionId}/step`, { action }));
  } catch (e) {
    say(e.message, "error");
    if (e.status === 404) { lab.sessionId = null; await reset(); say("the session had expired: a new one started", "info"); }
  }
}

function showFrame(frame) {
  if (frame.scene) {
    state.scene = frame.scene;
    state.history = new LabViews.History();
    state.ready = true;
    $("surface-name").textContent = frame.scene.surface;
    say("", "");
  }
  lab.lastFrame = frame;
  state.history.add(frame);
  const began = performance.now();
  draw(frame);
  lab.drawMs = 0.8 * lab.drawMs + 0.2 * (performance.now() - began);     // the page's drawing time
  countFrame();
  if (frame.diverged) {
    state.ready = false;
    say(frame.diverged, "error");
  }
  enable();
}

function draw(frame) {
  const scene = state.scene;
  const show = { heatmap: $("show-heatmap").checked, real: $("show-real").checked,
                 fake: $("show-fake").checked, arrows: $("show-arrows").checked };
  const range = LabViews.drawPlane($("plane"), scene, frame, show);
  LabViews.drawScale($("scale"), range, scene.surface);
  LabViews.drawManifold($("manifold"), scene, frame);
  LabViews.drawCharts([$("chart-losses"), $("chart-d"), $("chart-quality")], scene, state.history);
  LabViews.drawLines($("lines"), scene, frame);
  $("metrics").textContent = LabViews.metricsText(frame);
  $("progress").textContent = LabViews.statusText(frame);
}

function countFrame() {
  lab.frames += 1;
  const now = performance.now();
  state.fpsTimes.push(now);                                   // the last 10 frames, or 3 s of them
  while (state.fpsTimes.length > 10 || (state.fpsTimes.length > 2 && now - state.fpsTimes[0] > 3000)) {
    state.fpsTimes.shift();
  }
  const span = (now - state.fpsTimes[0]) / 1000;
  lab.fps = span > 0 ? (state.fpsTimes.length - 1) / span : 0;
  $("frame-counter").textContent = `frame ${lab.frames}` + (lab.playing ? ` · ${lab.fps.toFixed(1)} fps` : "");
}

function enable() {
  for (const id of ["step-d", "step-g", "step", "play"]) $(id).disabled = !state.ready && !lab.playing;
  $("export").disabled = !lab.sessionId;
}

// ------------------------------------------------------------------ Play: frames over a WebSocket
function openSocket(id) {
  const url = new URL(`api/sessions/${id}/live`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  state.ws = ws;
  ws.addEventListener("close", () => {
    if (state.ws !== ws) return;                      // closed by the page itself (a new session)
    state.ws = null;
    lab.sessionId = null;
    state.ready = false;
    setPlaying(false);
    say("the server closed this session (it stopped, or the session was idle too long): Reset starts a new one", "error");
  });
  state.wsOpen = new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "frame") {
      showFrame(message.frame);       // a frame sent before a Pause arrived is an update all the same
      if (lab.playing) setTimeout(() => send({ type: "ack" }), SPEEDS[$("speed").value].delay);
    } else if (message.type === "paused") {
      setPlaying(false);
      if (state.pausing) { state.pausing(); state.pausing = null; }
      if (message.reason) say(message.reason, "error");
    }
  });
}

function closeSocket() {
  const ws = state.ws;
  state.ws = null;
  if (ws) ws.close();
  setPlaying(false);
}

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

function setPlaying(playing) {
  lab.playing = playing;
  $("play").textContent = playing ? "Pause" : "Play";
  $("play").classList.toggle("playing", playing);
  enable();
}

async function play() {
  if (!state.ready) return;
  await state.wsOpen;
  setPlaying(true);
  state.fpsTimes = [];
  send({ type: "play", speed: SPEEDS[$("speed").value].steps });
}

function pause() {
  if (!lab.playing) return Promise.resolve();
  const paused = new Promise((resolve) => { state.pausing = resolve; });
  setPlaying(false);
  send({ type: "pause" });
  return Promise.race([paused, new Promise((resolve) => setTimeout(resolve, 5000))]);
}

async function exportSession() {
  await pause();
  try {
    const response = await fetch(`api/sessions/${lab.sessionId}/export`);
    if (!response.ok) throw new LabError(response.status, (await response.json()).error);
    const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = match ? match[1] : "minigan-lab.html";
    document.body.append(link);
    link.click();
    link.remove();
    say(`exported ${link.download}: open it in any browser to replay this session`, "info");
  } catch (e) {
    say(e.message, "error");
  }
}

// ------------------------------------------------------------------ wiring
function addMode(event) {
  if ($("set-data").value !== "drawn") return;
  const canvas = $("plane"), box = canvas.getBoundingClientRect();
  const px = ((event.clientX - box.left) / box.width) * canvas.width;
  const py = ((event.clientY - box.top) / box.height) * canvas.height;
  const [x, y] = LabViews.mapper(state.plane, canvas.width, canvas.height).invert(px, py);
  state.centers.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]);
  reset();
}

async function changeModel(event) {
  if (event.target.id === "set-data" || event.target.id === "set-algorithm") {
    try { await loadDefaults(); } catch (e) { say(e.message, "error"); return; }
  }
  await reset();
}

function applyQuery(query) {
  for (const key of KEYS) if (query.has(key) && $(`set-${key}`)) $(`set-${key}`).value = query.get(key);
}

async function start() {
  const query = new URLSearchParams(location.search);
  if (query.get("data")) $("set-data").value = query.get("data");
  if (query.get("algorithm")) $("set-algorithm").value = query.get("algorithm");
  for (const button of document.querySelectorAll("nav .tab")) button.addEventListener("click", () => showTab(button.dataset.tab));
  $("step-d").addEventListener("click", () => step("d"));
  $("step-g").addEventListener("click", () => step("g"));
  $("step").addEventListener("click", () => step("step"));
  $("play").addEventListener("click", () => (lab.playing ? pause() : play()));
  $("reset").addEventListener("click", reset);
  $("export").addEventListener("click", exportSession);
  $("clear").addEventListener("click", () => { state.centers = []; reset(); });
  $("plane").addEventListener("click", addMode);
  $("speed").addEventListener("input", () => {
    $("speed-label").textContent = SPEEDS[$("speed").value].label;
    if (lab.playing) send({ type: "speed", speed: SPEEDS[$("speed").value].steps });
  });
  $("speed-label").textContent = SPEEDS[$("speed").value].label;
  for (const el of document.querySelectorAll("#settings select, #settings input")) el.addEventListener("change", changeModel);
  for (const id of ["show-heatmap", "show-real", "show-fake", "show-arrows"]) {
    $(id).addEventListener("change", () => lab.lastFrame && state.scene && draw(lab.lastFrame));
  }
  window.addEventListener("pagehide", () => closeSocket());
  enable();
  try {
    await loadDefaults();
    applyQuery(query);
    await createSession();
  } catch (e) {
    failed(e);
  }
  LabGames.start(query);
  if (query.get("tab") === "games") showTab("games-tab");
}

function showTab(id) {
  for (const page of document.querySelectorAll(".tab-page")) page.hidden = page.id !== id;
  for (const button of document.querySelectorAll("nav .tab")) button.classList.toggle("active", button.dataset.tab === id);
  if (id === "games-tab") LabGames.replay();
}

start();
