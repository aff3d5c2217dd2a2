// The lab console's page: plain JavaScript, no build step. It polls /api/state each second, follows the trace
// stream (/api/traces/stream) and draws the last five minutes with uPlot.
"use strict";

const ROWS_SHOWN = 25;
const WINDOW_SECONDS = 300;
const OUTCOMES = ["success", "stale", "client_error", "bad_gateway", "unavailable", "timeout", "error"];
const GOOD_ENDINGS = ["success"];
const WARN_ENDINGS = ["stale_fallback", "caller_error"];
const TCP_FAULTS = ["latency", "hang", "reset", "down", "slow-images"];

const state = { points: [], windows: [], faults: [], traces: [], openTrace: null, charts: {} };

const $ = (selector) => document.querySelector(selector);
const field = (name) => document.querySelector(`[data-field="${name}"]`);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  children.forEach((child) => node.append(child));
  return node;
};
const fmt = (value, digits = 1) => (value === null || value === undefined ? "–" : Number(value).toFixed(digits));
const BREAKER_WORDS = ["closed", "half-open", "open"];

async function api(method, path) {
  const response = await fetch(path, { method });
  const body = await response.json();
  if (!response.ok) throw new Error(body.reason || `${method} ${path}: ${response.status}`);
  return body;
}

// ---------------------------------------------------------------- faults

function renderFaults() {
  const box = $("#faults");
  if (!box.children.length) {
    state.faults.forEach((fault) => {
      const button = el("button", { type: "button", title: fault.description },
        el("span", { textContent: fault.label }), el("span", { className: "state" }));
      button.dataset.fault = fault.name;
      button.setAttribute("aria-describedby", "fault-message");
      button.addEventListener("click", () => applyFault(fault.name));
      box.append(button);
    });
  }
  state.faults.forEach((fault) => {
    const button = box.querySelector(`[data-fault="${fault.name}"]`);
    button.setAttribute("aria-pressed", String(fault.active));
    button.querySelector(".state").textContent = fault.active ? "ON" : "off";
  });
  const active = state.faults.filter((fault) => fault.active);
  const names = (list) => list.map((fault) => fault.label).join(", ") || "no fault";
  const tcp = active.filter((fault) => TCP_FAULTS.includes(fault.name));
  const http = active.filter((fault) => !TCP_FAULTS.includes(fault.name));
  field("tcp-faults").textContent = names(tcp);
  field("http-faults").textContent = names(http);
  $("#box-toxiproxy").classList.toggle("faulty", tcp.length > 0);
  $("#box-mock").classList.toggle("faulty", http.length > 0);
}

async function applyFault(name) {
  await faultAction(() => api("POST", `/api/faults/${encodeURIComponent(name)}`).then(() => ""));
}

async function clearFaults() {
  // Clearing goes on when one admin API cannot be reached; its note says which, so it is shown either way.
  await faultAction(() => api("DELETE", "/api/faults").then((cleared) => cleared.note));
}

/** Runs a fault action and shows its note, or why it failed, next to the buttons. */
async function faultAction(action) {
  const message = $("#fault-message");
  try {
    message.textContent = await action();
    message.classList.remove("failed");
  } catch (failed) {
    // A failure reads as one in words ("could not ...") and in colour.
    message.textContent = failed.message;
    message.classList.add("failed");
  }
  await refreshState();
}

/** Opens a shaded window for each fault that came on and closes the one of each that went off. */
function trackWindows(now) {
  state.faults.forEach((fault) => {
    const open = state.windows.find((w) => w.name === fault.name && w.to === null);
    if (fault.active && !open) state.windows.push({ name: fault.name, from: fault.since, to: null });
    if (!fault.active && open) open.to = now;
  });
  state.windows = state.windows.filter((w) => w.to === null || w.to > now - WINDOW_SECONDS * 1000);
}

// ---------------------------------------------------------------- the pod

function renderPod(pod) {
  $("#connection").textContent = pod.ambassador_up ? "ambassador: up" : "ambassador: not answering on its admin port";
  const rates = Object.entries(pod.requests_per_second || {}).filter(([, rate]) => rate > 0);
  field("rates").textContent = rates.length ? rates.map(([status, rate]) => `${status} ${fmt(rate)}/s`).join(", ") : "none";
  field("latency").textContent = `${fmt(pod.p50_ms, 0)} / ${fmt(pod.p99_ms, 0)} ms`;
  field("retries").textContent = `${fmt(pod.retries_per_second)}/s`;
  const breakers = Object.entries(pod.breakers || {});
  field("breakers").textContent = breakers.length
    ? breakers.map(([upstream, value]) => `${upstream}: ${BREAKER_WORDS[value] || value}`).join(", ") : "–";
  field("bulkhead").textContent = pod.bulkhead_limit === null ? "–"
    : `${fmt(pod.bulkhead_in_use, 0)} of ${fmt(pod.bulkhead_limit, 0)} permits in use; ${fmt(pod.requests_in_flight, 0)} requests in flight`;
  field("budget").textContent = pod.retry_budget_left === null ? "–" : `${fmt(pod.retry_budget_left, 0)} retries`;
  field("amplification").textContent = pod.upstream_calls_per_request === null ? "–"
    : `${fmt(pod.upstream_calls_per_request)}`;
  const hedges = Object.entries(pod.hedges_per_second || {});
  field("hedges").textContent = hedges.length
    ? hedges.map(([result, rate]) => `${result} ${fmt(rate)}/s`).join(", ") : "none (HEDGE_REQUESTS off)";
}

async function refreshState() {
  try {
    const { pod, faults } = await api("GET", "/api/state");
    state.faults = faults;
    trackWindows(pod.time);
    renderFaults();
    renderPod(pod);
    const last = state.points[state.points.length - 1];
    if (!last || pod.time > last.time) state.points.push(pod);
    state.points = state.points.filter((p) => p.time > pod.time - WINDOW_SECONDS * 1000);
    drawCharts();
  } catch (failed) {
    $("#connection").textContent = `console not answering: ${failed.message}`;
  }
}

// ---------------------------------------------------------------- load

async function setLoad(rate) {
  const seconds = $("#load-seconds").value || "60";
  try {
    await api("POST", `/api/load?rate=${rate}&seconds=${encodeURIComponent(seconds)}`);
  } catch (failed) {
    $("#load-status").textContent = failed.message;
  }
  refreshLoad();
}

async function refreshLoad() {
  const load = await api("GET", "/api/load");
  const answered = Object.entries(load.answered_by_status).map(([status, count]) => `${status}: ${count}`).join(", ");
  $("#load-status").textContent = load.rate > 0
    ? `${load.rate}/s, ${load.seconds_left} s left; sent ${load.sent}; answered ${answered || "none yet"}`
    : `off${load.sent ? `; last run sent ${load.sent}, answered ${answered}` : ""}`;
  field("load").textContent = load.rate > 0 ? `load ${load.rate}/s` : "load off";
  if (load.rate === 0) document.querySelector('input[name="rate"][value="0"]').checked = true;
}

// ---------------------------------------------------------------- the waterfall

function endingClass(ended) {
  if (GOOD_ENDINGS.includes(ended)) return "good";
  return WARN_ENDINGS.includes(ended) ? "warn" : "bad";
}

function attemptText(attempt) {
  return attempt.status === undefined || attempt.status === null ? attempt.outcome : `${attempt.status}`;
}

/** " of 800 ms" when the ambassador says how long the request or the attempt had: the deadline shrinking. */
function given(limitMs) {
  return limitMs === undefined || limitMs === null ? "" : ` of ${limitMs} ms`;
}

function lane(trace, scale) {
  const at = (ms) => `${(100 * ms) / scale}%`;
  const box = el("div", { className: "lane" });
  trace.waits.forEach((wait) => {
    const gap = el("span", { className: "gap", textContent: `${wait.reason} ${wait.took_ms} ms`,
      title: `${wait.call}: wait ${wait.took_ms} ms (${wait.reason}) after attempt #${wait.after_attempt}` });
    Object.assign(gap.style, { left: at(wait.offset_ms), width: at(wait.took_ms) });
    box.append(gap);
  });
  trace.attempts.forEach((attempt) => {
    const failed = attempt.outcome !== "success";
    const name = `${attempt.call} #${attempt.number}${attempt.hedge ? " hedge" : ""}`;
    const bar = el("span", { className: `bar ${attempt.call}${failed ? " failed" : ""}${attempt.hedge ? " hedge" : ""}`,
      textContent: `${name} ${attemptText(attempt)}`,
      title: `${name}: ${attempt.outcome} ${attemptText(attempt)} (${attempt.took_ms} ms${given(attempt.limit_ms)})` });
    Object.assign(bar.style, { left: at(attempt.offset_ms), width: at(attempt.took_ms) });
    box.append(bar);
  });
  return box;
}

function detail(trace) {
  const steps = [
    ...trace.attempts.map((a) => ({ offset: a.offset_ms, cells: [a.call,
      a.hedge ? `hedge of #${a.number}` : `attempt #${a.number}`, a.outcome, a.status ?? "no answer",
      `${a.took_ms} ms${given(a.limit_ms)}`] })),
    ...trace.waits.map((w) => ({ offset: w.offset_ms, cells: [w.call, `wait after #${w.after_attempt}`, w.reason, "",
      `${w.took_ms} ms`] })),
  ].sort((a, b) => a.offset - b.offset);
  const head = el("tr", {}, ...["at", "call", "step", "outcome", "status", "took (of its time)"].map((h) => el("th", { textContent: h })));
  const rows = steps.map((s) => el("tr", {}, el("td", { textContent: `${s.offset} ms` }),
    ...s.cells.map((c) => el("td", { textContent: String(c) }))));
  return el("div", { className: "detail" },
    el("p", { textContent: `${trace.method} ${trace.path} -> ${trace.status ?? "no answer"} ${trace.ended} `
      + `(${trace.took_ms} ms${given(trace.deadline_ms)}), request ${trace.request_id}`
      + `${trace.started_at ? `, started ${trace.started_at}` : ""}` }),
    steps.length ? el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)) : el("p", { textContent: "no upstream attempt" }));
}

function renderWaterfall() {
  const focused = document.activeElement && document.activeElement.dataset.requestId;
  const shown = state.traces.slice(0, ROWS_SHOWN);
  const scale = Math.max(100, ...shown.map((t) => t.took_ms));
  const rows = shown.map((trace) => {
    const row = el("div", { className: "row", tabIndex: 0, role: "button" },
      el("span", {}, el("span", { className: `badge ${endingClass(trace.ended)}`, textContent: trace.ended })),
      el("span", { className: "what", textContent: `${trace.status ?? "—"} ${trace.path} ${trace.took_ms} ms` }),
      lane(trace, scale));
    row.dataset.requestId = trace.request_id;
    row.dataset.attempts = String(trace.attempts.length);
    row.dataset.ended = trace.ended;
    const open = state.openTrace === trace.request_id;
    row.setAttribute("aria-expanded", String(open));
    row.setAttribute("aria-label", `${trace.path} ended ${trace.ended} after ${trace.attempts.length} attempts`);
    const toggle = () => { state.openTrace = open ? null : trace.request_id; renderWaterfall(); };
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
    });
    if (open) row.append(detail(trace));
    return row;
  });
  $("#waterfall").replaceChildren(...rows);
  if (focused) focusRow(focused);
}

function focusRow(requestId) {
  const row = document.querySelector(`.row[data-request-id="${CSS.escape(requestId)}"]`);
  if (row) row.focus();
}

function followTraces() {
  const stream = new EventSource("/api/traces/stream");
  stream.addEventListener("trace", (event) => {
    const trace = JSON.parse(event.data);
    trace.attempts = trace.attempts || [];
    trace.waits = trace.waits || [];
    // The stream sends the traces it kept again after a reconnect: those are skipped. A caller may send the same
    // X-Request-Id twice, so a trace is the same one only if it also started at the same time.
    if (state.traces.some((t) => t.request_id === trace.request_id && t.started_at === trace.started_at)) return;
    state.traces.unshift(trace);
    state.traces.length = Math.min(state.traces.length, 200);
    scheduleWaterfall();
  });
}

let waterfallPending = false;
function scheduleWaterfall() {
  if (waterfallPending) return;
  waterfallPending = true;
  requestAnimationFrame(() => { waterfallPending = false; renderWaterfall(); });
}

// ---------------------------------------------------------------- charts

/** Shades each fault window and writes the fault's name at its top. */
const faultShading = {
  hooks: {
    drawAxes: [(u) => {
      const { ctx } = u;
      const { top, height, left, width } = u.bbox;
      state.windows.forEach((w) => {
        const now = state.points.length ? state.points[state.points.length - 1].time : Date.now();
        const x0 = Math.max(left, u.valToPos(w.from / 1000, "x", true));
        const x1 = Math.min(left + width, u.valToPos((w.to ?? now) / 1000, "x", true));
        if (x1 <= x0) return;
        ctx.save();
        ctx.fillStyle = "rgba(200, 30, 30, 0.12)";
        ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
        ctx.fillStyle = "#7a1010";
        ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.fillText(w.name, x0 + 4, top + 14 * devicePixelRatio);
        ctx.restore();
      });
    }],
  },
};

const PALETTE = ["#1a6b2f", "#2d5ca8", "#b06000", "#a3141c", "#6b3fa0", "#555", "#00838f", "#8d6e00"];
const DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3]];

const oneDecimal = (v) => v.toFixed(1);

function series(labels, word = oneDecimal) {
  return labels.map((label, i) => ({ label, stroke: PALETTE[i % PALETTE.length], width: 2, dash: DASHES[i % DASHES.length],
    value: (u, v) => (v === null ? "–" : word(v)) }));
}

/** The breaker chart's y axis: the three states the ambassador's gauge takes, by name, and nothing between. */
const BREAKER_AXIS = {
  scale: { range: [-0.1, 2.1] },
  axis: { size: 80, splits: () => [0, 1, 2], values: (u, splits) => splits.map((v) => BREAKER_WORDS[v] ?? "") },
  word: (v) => BREAKER_WORDS[v] ?? String(v),
};

/** Draws (or updates) one chart of the last five minutes; yAxis fixes its scale, ticks and legend words. */
function chart(id, labels, values, yAxis = {}) {
  const key = `${id}:${labels.join(",")}`;
  const data = [state.points.map((p) => p.time / 1000), ...values];
  const existing = state.charts[id];
  if (existing && existing.key === key) {
    existing.plot.setData(data);
    return;
  }
  if (existing) existing.plot.destroy();
  const target = document.getElementById(id);
  // The x axis always spans the last five minutes, so a fault's shade sits where it happened.
  const lastFive = () => { const end = state.points[state.points.length - 1].time / 1000; return [end - WINDOW_SECONDS, end]; };
  const opts = { width: Math.max(400, target.clientWidth || 560), height: 220, plugins: [faultShading],
    series: [{}, ...series(labels, yAxis.word)], axes: [{}, { size: 60, ...yAxis.axis }],
    scales: { x: { time: true, range: lastFive }, ...(yAxis.scale ? { y: yAxis.scale } : {}) } };
  state.charts[id] = { key, plot: new uPlot(opts, data, target) };
}

function drawCharts() {
  if (!state.points.length || typeof uPlot === "undefined") return;
  const pick = (f) => state.points.map((p) => (p.ambassador_up ? f(p) ?? null : null));
  chart("chart-requests", OUTCOMES, OUTCOMES.map((o) => pick((p) => p.requests_per_second[o] ?? 0)));
  chart("chart-latency", ["p50", "p99"], [pick((p) => p.p50_ms), pick((p) => p.p99_ms)]);
  chart("chart-retries", ["retries"], [pick((p) => p.retries_per_second)]);
  chart("chart-amplification", ["calls per request"], [pick((p) => p.upstream_calls_per_request)]);
  const upstreams = [...new Set(state.points.flatMap((p) => Object.keys(p.breakers || {})))].sort();
  if (upstreams.length) {
    chart("chart-breakers", upstreams, upstreams.map((u) => pick((p) => p.breakers[u])), BREAKER_AXIS);
  }
}

// ---------------------------------------------------------------- start

async function start() {
  $("#clear-all").addEventListener("click", clearFaults);
  document.querySelectorAll('input[name="rate"]').forEach((radio) =>
    radio.addEventListener("change", () => radio.checked && setLoad(radio.value)));
  const history = await api("GET", "/api/history");
  state.points = history.points;
  state.windows = history.fault_windows;
  followTraces();
  await refreshState();
  setInterval(refreshState, 1000);
  setInterval(refreshLoad, 1000);
  refreshLoad();
}

start();
