// minigan lab: the views, drawn on <canvas> from the frames that minigan computes on the server.
// Shared by the live page (lab.js) and the exported replay (replay.js). Nothing here computes a
// number of the model: every value drawn is in the frame (see minigan/lab/frames.py).
"use strict";

const LabViews = (() => {
  const REAL = "#1b9e4b", FAKE = "#7b3fb5", ARROW = "rgba(40, 20, 60, 0.75)";
  const SERIES_COLOURS = ["#d95f02", "#1f78b4", "#33a02c", "#e7298a", "#666666"];

  // the plane [low, high]² onto a canvas of w × h pixels, y up
  function mapper(plane, w, h) {
    const [low, high] = plane, span = high - low;
    return {
      x: (x) => ((x - low) / span) * w,
      y: (y) => h - ((y - low) / span) * h,
      invert: (px, py) => [low + (px / w) * span, low + ((h - py) / h) * span],
    };
  }

  // purple (low: where D says "generated") through white to green (high: "real")
  function colour(t) {
    t = Math.max(0, Math.min(1, t));
    const lowC = [123, 63, 181], mid = [247, 247, 247], highC = [27, 158, 75];
    const [a, b, s] = t < 0.5 ? [lowC, mid, t * 2] : [mid, highC, (t - 0.5) * 2];
    return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
  }

  // the colour scale of a heatmap: D(x) on [0, 1]; the critic's f(x) on its range in this frame
  function scaleOf(scene, heatmap) {
    if (scene.kind === "gan" || scene.kind === "bayesian-gan") return [0, 1];
    let lo = heatmap.min, hi = heatmap.max;
    if (lo === null || hi === null) return [0, 1];
    if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
    return [lo, hi];
  }

  function drawHeatmap(ctx, heatmap, range, w, h) {
    const n = heatmap.size, image = new ImageData(n, n), [lo, hi] = range;
    for (let i = 0; i < n; i++) {          // row i of the grid is y = ys[i], drawn from the bottom
      for (let j = 0; j < n; j++) {
        const v = heatmap.values[i * n + j];
        const [r, g, b] = v === null ? [0, 0, 0] : colour((v - lo) / (hi - lo));
        const k = ((n - 1 - i) * n + j) * 4;
        image.data[k] = r; image.data[k + 1] = g; image.data[k + 2] = b; image.data[k + 3] = 255;
      }
    }
    const off = document.createElement("canvas");
    off.width = n; off.height = n;
    off.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, w, h);
  }

  function dots(ctx, points, m, fill, radius) {
    ctx.fillStyle = fill;
    for (const p of points) {
      if (p[0] === null || p[1] === null) continue;
      ctx.beginPath();
      ctx.arc(m.x(p[0]), m.y(p[1]), radius, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  // a colour per category: the conditional GAN's labels y, the Bayesian GAN's generator samples
  const CATEGORY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                            "#7f7f7f", "#bcbd22", "#17becf"];

  // the conditional GAN's samples G(z | y), each in its label's colour (the modes' index y)
  function labelledDots(ctx, points, labels, m, radius) {
    points.forEach((p, i) => {
      if (p[0] === null || p[1] === null) return;
      ctx.fillStyle = CATEGORY_COLOURS[labels[i] % CATEGORY_COLOURS.length];
      ctx.beginPath();
      ctx.arc(m.x(p[0]), m.y(p[1]), radius, 0, 2 * Math.PI);
      ctx.fill();
    });
  }

  // the Bayesian GAN's samples: consecutive runs of `sizes` points, one colour per generator sample
  function memberDots(ctx, points, sizes, m) {
    let start = 0;
    sizes.forEach((size, i) => {
      dots(ctx, points.slice(start, start + size), m, CATEGORY_COLOURS[i % CATEGORY_COLOURS.length], 2.0);
      start += size;
    });
  }

  // arrows of −∇ₓ ℓ: lengths scaled so that the longest is a tenth of the canvas
  function arrows(ctx, points, grads, m, w) {
    let longest = 0;
    for (const g of grads) if (g[0] !== null) longest = Math.max(longest, Math.hypot(g[0], g[1]));
    if (!(longest > 0)) return 0;
    const scale = (0.1 * w) / longest;
    ctx.strokeStyle = ARROW;
    ctx.lineWidth = 1;
    ctx.beginPath();
    points.forEach((p, i) => {
      const g = grads[i];
      if (p[0] === null || g[0] === null) return;
      const x0 = m.x(p[0]), y0 = m.y(p[1]), x1 = x0 + g[0] * scale, y1 = y0 - g[1] * scale;
      ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
      const angle = Math.atan2(y1 - y0, x1 - x0), head = Math.min(4, Math.hypot(x1 - x0, y1 - y0) / 2);
      ctx.moveTo(x1, y1); ctx.lineTo(x1 - head * Math.cos(angle - 0.5), y1 - head * Math.sin(angle - 0.5));
      ctx.moveTo(x1, y1); ctx.lineTo(x1 - head * Math.cos(angle + 0.5), y1 - head * Math.sin(angle + 0.5));
    });
    ctx.stroke();
    return longest;
  }

  function crosses(ctx, centers, m) {
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1.5;
    for (const c of centers) {
      const x = m.x(c[0]), y = m.y(c[1]);
      ctx.beginPath();
      ctx.moveTo(x - 5, y); ctx.lineTo(x + 5, y); ctx.moveTo(x, y - 5); ctx.lineTo(x, y + 5);
      ctx.stroke();
    }
  }

  // the plane: heatmap, real samples, generated samples and their arrows (each can be switched off)
  function drawPlane(canvas, scene, frame, show) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    const m = mapper(scene.plane, w, h);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    const range = scaleOf(scene, frame.heatmap);
    if (show.heatmap) drawHeatmap(ctx, frame.heatmap, range, w, h);
    if (show.real) dots(ctx, scene.real, m, REAL, 1.6);
    if (scene.settings.data === "drawn") crosses(ctx, scene.centers, m);
    if (show.fake && frame.fake_labels) labelledDots(ctx, frame.fake, frame.fake_labels, m, 2.0);
    else if (show.fake && frame.members) memberDots(ctx, frame.fake, frame.members, m);
    else if (show.fake) dots(ctx, frame.fake, m, FAKE, 2.0);
    if (show.arrows) arrows(ctx, frame.fake, frame.arrows, m, w);
    return range;
  }

  // the drawn modes before a session trains them (the page's own clicks)
  function drawPending(canvas, plane, centers) {
    const ctx = canvas.getContext("2d"), m = mapper(plane, canvas.width, canvas.height);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    crosses(ctx, centers, m);
  }

  function drawScale(canvas, range, label) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    for (let x = 0; x < w; x++) {
      const [r, g, b] = colour(x / (w - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, 0, 1, h - 14);
    }
    ctx.fillStyle = "#222";
    ctx.font = "11px sans-serif";
    const [lo, hi] = range;
    ctx.textAlign = "left"; ctx.fillText(fmt(lo), 0, h - 2);
    ctx.textAlign = "center"; ctx.fillText(`${label} = ${fmt((lo + hi) / 2)}`, w / 2, h - 2);
    ctx.textAlign = "right"; ctx.fillText(fmt(hi), w, h - 2);
  }

  // G's image of a grid of z (a mesh: neighbours in z joined), over the real samples
  function drawManifold(canvas, scene, frame) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    const m = mapper(scene.plane, w, h);
    dots(ctx, scene.real, m, "rgba(27, 158, 75, 0.35)", 1.4);
    const n = scene.manifold_size, grid = frame.manifold;
    if (!n || !grid) {
      ctx.fillStyle = "#555"; ctx.font = "12px sans-serif"; ctx.textAlign = "center";
      ctx.fillText(`z has ${scene.latent_dim} dimensions: set z size to 2`, w / 2, h / 2 - 8);
      ctx.fillText("to see G's image of a grid of z", w / 2, h / 2 + 8);
      return;
    }
    ctx.strokeStyle = "rgba(123, 63, 181, 0.8)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const p = grid[i * n + j];
        if (p[0] === null) continue;
        if (j + 1 < n && grid[i * n + j + 1][0] !== null) {
          const q = grid[i * n + j + 1];
          ctx.moveTo(m.x(p[0]), m.y(p[1])); ctx.lineTo(m.x(q[0]), m.y(q[1]));
        }
        if (i + 1 < n && grid[(i + 1) * n + j][0] !== null) {
          const q = grid[(i + 1) * n + j];
          ctx.moveTo(m.x(p[0]), m.y(p[1])); ctx.lineTo(m.x(q[0]), m.y(q[1]));
        }
      }
    }
    ctx.stroke();
  }

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
    if (a >= 100) return String(Math.round(v));
    return v.toPrecision(3).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }

  // curves: series [{name, points: [[x, y], ...]}] on one chart, the y axis fitted to them
  function drawChart(canvas, title, series, xLabel) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    const left = 46, right = 6, top = 16, bottom = 18;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#222"; ctx.font = "11px sans-serif"; ctx.textAlign = "left";
    ctx.fillText(title, left, 11);
    let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
    for (const s of series) for (const [x, y] of s.points) {
      if (y === null || !isFinite(y)) continue;
      xmin = Math.min(xmin, x); xmax = Math.max(xmax, x); ymin = Math.min(ymin, y); ymax = Math.max(ymax, y);
    }
    ctx.strokeStyle = "#bbb"; ctx.strokeRect(left, top, w - left - right, h - top - bottom);
    if (!isFinite(xmin)) return;
    if (xmax === xmin) xmax = xmin + 1;
    if (ymax - ymin < 1e-12) { ymin -= 0.5; ymax += 0.5; }
    const X = (x) => left + ((x - xmin) / (xmax - xmin)) * (w - left - right);
    const Y = (y) => top + (1 - (y - ymin) / (ymax - ymin)) * (h - top - bottom);
    ctx.fillStyle = "#444"; ctx.textAlign = "right";
    ctx.fillText(fmt(ymax), left - 3, top + 8); ctx.fillText(fmt(ymin), left - 3, h - bottom);
    ctx.textAlign = "center"; ctx.fillText(`${xLabel} ${fmt(xmax)}`, w / 2 + left / 2, h - 4);
    let legend = left + ctx.measureText(title).width + 14;
    series.forEach((s, k) => {
      const c = SERIES_COLOURS[k % SERIES_COLOURS.length];
      ctx.strokeStyle = c; ctx.lineWidth = 1.2; ctx.beginPath();
      let started = false;
      for (const [x, y] of s.points) {
        if (y === null || !isFinite(y)) { started = false; continue; }
        if (!started) { ctx.moveTo(X(x), Y(y)); started = true; } else ctx.lineTo(X(x), Y(y));
      }
      ctx.stroke();
      ctx.fillStyle = c; ctx.textAlign = "left";
      ctx.fillText(s.name, legend, 11);
      legend += ctx.measureText(s.name).width + 12;
    });
  }

  // the curves of a session, from its frames: one point per frame at x = D updates + G updates
  class History {
    constructor() { this.series = {}; }
    add(frame) {
      const x = frame.d_updates + frame.g_updates;
      for (const [name, value] of Object.entries(frame.log || {})) this.push(name, x, value);
      const mt = frame.metrics;
      this.push("modes captured / K", x, mt.modes / mt.n_modes);
      this.push("high quality", x, mt.high_quality);
      if (mt.on_label !== null && mt.on_label !== undefined) this.push("on their label", x, mt.on_label);
    }
    push(name, x, y) { (this.series[name] = this.series[name] || []).push([x, y]); }
    pick(names) {
      return names.filter((n) => this.series[n]).map((n) => ({ name: n, points: this.series[n] }));
    }
  }

  // the three charts: losses; D(x), D(G(z)) (or the W estimate and the penalty); the metrics
  function drawCharts(canvases, scene, history) {
    const x = "updates";
    drawChart(canvases[0], "losses", history.pick(["loss_d", "loss_g"]), x);
    if (scene.kind === "gan") drawChart(canvases[1], "D", history.pick(["D(x)", "D(G(z))"]), x);
    else if (scene.kind === "cgan") drawChart(canvases[1], "D", history.pick(["D(x|y)", "D(G(z|y)|y)"]), x);
    else drawChart(canvases[1], "critic", history.pick(["wasserstein", "gradient_penalty"]), x);
    drawChart(canvases[2], "quality", history.pick(["modes captured / K", "high quality", "on their label"]), x);
  }

  function drawLines(list, scene, frame) {
    if (list.dataset.owner !== JSON.stringify(scene.lines)) {
      list.innerHTML = "";
      for (const [text, id] of scene.lines) {
        const li = document.createElement("li");
        const code = document.createElement("code"); code.textContent = text;
        const tag = document.createElement("span"); tag.className = "formula-id"; tag.textContent = `[${id}]`;
        li.append(code, " ", tag);
        list.append(li);
      }
      list.dataset.owner = JSON.stringify(scene.lines);
    }
    [...list.children].forEach((li, i) => li.classList.toggle("lit", frame.lit.includes(i)));
  }

  function metricsText(frame) {
    const mt = frame.metrics;
    const onLabel = mt.on_label === null || mt.on_label === undefined ? ""
      : ` · on their label's mode ${(100 * mt.on_label).toFixed(1)}%`;
    return `modes captured ${mt.modes} / ${mt.n_modes} · high-quality samples ${(100 * mt.high_quality).toFixed(1)}%` + onLabel;
  }

  function statusText(frame) {
    const [lrG, lrD] = frame.lr;
    return `iteration ${frame.iteration} · ${frame.d_updates} D updates · ${frame.g_updates} G updates · ` +
      `learning rates now: G ${fmt(lrG)}, D ${fmt(lrD)}`;
  }

  return { mapper, drawPlane, drawPending, drawScale, drawManifold, drawChart, drawCharts, drawLines, History,
           metricsText, statusText, fmt, colour };
})();
