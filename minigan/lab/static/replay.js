// minigan lab, the exported replay: the recorded frames of a session, played or scrubbed, offline.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const recording = JSON.parse($("lab-recording").textContent);
  const scene = recording.scene, frames = recording.frames;
  const replay = window.replay = { index: 0, drawn: 0, playing: false, count: frames.length };
  const FPS = 10;
  let timer = 0;

  function historyUpTo(index) {
    const history = new LabViews.History();
    for (let i = 0; i <= index; i++) history.add(frames[i]);
    return history;
  }

  function show(index) {
    replay.index = index;
    const frame = frames[index];
    const range = LabViews.drawPlane($("plane"), scene, frame, { heatmap: true, real: true, fake: true, arrows: true });
    LabViews.drawScale($("scale"), range, scene.surface);
    LabViews.drawManifold($("manifold"), scene, frame);
    LabViews.drawCharts([$("chart-losses"), $("chart-d"), $("chart-quality")], scene, historyUpTo(index));
    LabViews.drawLines($("lines"), scene, frame);
    $("metrics").textContent = LabViews.metricsText(frame);
    $("progress").textContent = LabViews.statusText(frame);
    $("frame-label").textContent = `frame ${index + 1} / ${frames.length}`;
    $("scrub").value = index;
    $("message").textContent = frame.diverged || "";
    $("message").className = frame.diverged ? "error" : "";
    replay.drawn += 1;
  }

  function setPlaying(playing) {
    replay.playing = playing;
    $("play").textContent = playing ? "Pause" : "Play";
    clearInterval(timer);
    if (playing) {
      if (replay.index >= frames.length - 1) show(0);
      timer = setInterval(() => {
        if (replay.index >= frames.length - 1) setPlaying(false);
        else show(replay.index + 1);
      }, 1000 / FPS);
    }
  }

  for (const [key, value] of Object.entries(scene.settings)) {
    if (key === "centers") continue;
    const row = document.createElement("tr");
    const name = document.createElement("td"); name.textContent = key;
    const cell = document.createElement("td"); cell.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    row.append(name, cell);
    $("settings-table").append(row);
  }
  $("surface-name").textContent = scene.surface;
  $("scrub").max = frames.length - 1;
  $("scrub").addEventListener("input", () => { setPlaying(false); show(Number($("scrub").value)); });
  $("play").addEventListener("click", () => setPlaying(!replay.playing));
  show(0);
})();
