// minigan lab, the games tab: min_x max_y x·y and the mean game, four dynamics side by side. The
// paths come from minigan.games on the server (api/games); this file only animates them.
"use strict";

const LabGames = (() => {
  const $ = (id) => document.getElementById(id);
  const COLOURS = { "gd": "#d95f02", "alt-gd": "#1f78b4", "omd": "#33a02c", "oadam": "#e7298a" };
  const SECONDS = 4;                     // one replay of the paths
  let paths = null, started = 0, raf = 0, timer = 0;

  function say(text) {
    $("game-message").textContent = text || "";
    $("game-message").className = text ? "error" : "";
  }

  async function load() {
    const query = new URLSearchParams({ game: $("game").value, lr: $("eta").value, steps: $("game-steps").value.trim() });
    const response = await fetch(`api/games?${query}`);
    const data = await response.json();
    if (!response.ok) { say(data.error); return; }
    say("");
    paths = data;
    $("game-value").textContent = `${data.value}; equilibrium (${data.equilibrium.join(", ")}); η = ${data.lr}`;
    boards();
    replay();
  }

  function boards() {
    const holder = $("game-boards");
    holder.innerHTML = "";
    for (const [name, run] of Object.entries(paths.dynamics)) {
      const box = document.createElement("div");
      box.className = "board";
      const title = document.createElement("div"); title.textContent = run.title;
      const canvas = document.createElement("canvas");
      canvas.width = 220; canvas.height = 220; canvas.id = `game-${name}`;
      const distance = document.createElement("div"); distance.className = "distance"; distance.id = `game-${name}-distance`;
      box.append(title, canvas, distance);
      holder.append(box);
    }
  }

  // the view around the equilibrium: the path's reach, at most 4 times its start's distance
  function extent(path, eq) {
    const start = Math.hypot(path[0][0] - eq[0], path[0][1] - eq[1]);
    let reach = 0;
    for (const p of path) if (p[0] !== null) reach = Math.max(reach, Math.hypot(p[0] - eq[0], p[1] - eq[1]));
    return 1.1 * Math.max(Math.min(reach, 4 * start), 1e-3);
  }

  function drawBoard(name, run, t) {
    const canvas = $(`game-${name}`), ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    const eq = paths.equilibrium, r = extent(run.path, eq);
    const X = (x) => ((x - eq[0] + r) / (2 * r)) * w, Y = (y) => h - ((y - eq[1] + r) / (2 * r)) * h;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = "#ddd"; ctx.beginPath();
    ctx.moveTo(X(eq[0]), 0); ctx.lineTo(X(eq[0]), h); ctx.moveTo(0, Y(eq[1])); ctx.lineTo(w, Y(eq[1])); ctx.stroke();
    ctx.strokeStyle = COLOURS[name]; ctx.lineWidth = 1.2; ctx.beginPath();
    for (let i = 0; i <= t; i++) {
      const p = run.path[i];
      if (p[0] === null) break;
      if (i === 0) ctx.moveTo(X(p[0]), Y(p[1])); else ctx.lineTo(X(p[0]), Y(p[1]));
    }
    ctx.stroke();
    const p = run.path[t];
    ctx.fillStyle = "#000"; ctx.beginPath(); ctx.arc(X(eq[0]), Y(eq[1]), 3, 0, 2 * Math.PI); ctx.fill();
    if (p[0] !== null) { ctx.fillStyle = COLOURS[name]; ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), 4, 0, 2 * Math.PI); ctx.fill(); }
    ctx.fillStyle = "#444"; ctx.font = "11px sans-serif"; ctx.textAlign = "left";
    ctx.fillText(`${paths.axes[0]} →`, w - 28, Y(eq[1]) - 4);
    ctx.fillText(`${paths.axes[1]} ↑`, X(eq[0]) + 4, 12);
    $(`game-${name}-distance`).textContent = `t = ${t}: distance ${LabViews.fmt(run.distance[t])}`;
  }

  function drawDistances(t) {
    const series = Object.entries(paths.dynamics).map(([name, run]) => ({
      name, points: run.distance.slice(0, t + 1).map((d, i) => [i, d > 0 ? Math.log10(d) : null]) }));
    LabViews.drawChart($("game-distance"), "log₁₀ distance to the equilibrium", series, "step");
  }

  function frame(now) {
    const total = paths.steps, t = Math.max(0, Math.min(total, Math.floor(((now - started) / 1000 / SECONDS) * total)));
    for (const [name, run] of Object.entries(paths.dynamics)) drawBoard(name, run, t);
    drawDistances(t);
    if (t < total && !$("games-tab").hidden) raf = requestAnimationFrame(frame);
  }

  function replay() {
    if (!paths) return;
    cancelAnimationFrame(raf);
    started = performance.now();
    raf = requestAnimationFrame(frame);
  }

  function start(query) {
    if (query.get("game")) $("game").value = query.get("game");
    if (query.get("eta")) $("eta").value = query.get("eta");
    $("eta-label").textContent = $("eta").value;
    $("eta").addEventListener("input", () => {
      $("eta-label").textContent = $("eta").value;
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    });
    $("game").addEventListener("change", load);
    $("game-steps").addEventListener("change", load);
    $("game-replay").addEventListener("click", replay);
    load();
  }

  return { start, replay, get paths() { return paths; } };
})();
