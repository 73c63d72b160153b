/** The dashboard page: plain HTML and JS, fed by /events (server-sent events) with /api/summary's shape. */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>caldp batch</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 1em; }
 table { border-collapse: collapse; width: 100%; }
 th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: middle; }
 .counts span { margin-right: 1.2em; }
 .processed { color: #176917; } .error { color: #b00020; } .terminated { color: #7a4b00; }
 .bar { height: 10px; background: #eee; width: 300px; display: inline-block; vertical-align: middle; }
 .bar div { height: 10px; background: #3a7; }
 .cause { max-width: 40em; }
 #problem { color: #b00020; font-weight: bold; }
 img { height: 48px; }
</style>
</head>
<body>
<h1>caldp batch</h1>
<p id="problem"></p>
<p class="counts" id="counts"></p>
<!-- divs, not a p: a div inside a p closes the p, which left the bar's fill outside the bar (never shown) -->
<div><div class="bar"><div id="progress" style="width:0"></div></div> <span id="progress-text"></span></div>
<p>
 <label>state <select id="state-filter"><option value="">all</option></select></label>
 <label>instrument <select id="instrument-filter"><option value="">all</option></select></label>
 <span id="live">connecting…</span>
</p>
<table>
 <thead><tr><th>dataset</th><th>state</th><th>instrument</th><th>rung</th><th>attempts</th><th>exit</th>
 <th>explanation</th><th>cause</th><th>log</th><th>wall (s)</th><th>peak memory (MB)</th><th>previews</th></tr></thead>
 <tbody id="rows"></tbody>
</table>
<script>
const STATES = ["placed", "submitted", "processing", "processed", "error", "terminated"];
const stateFilter = document.getElementById("state-filter");
const instrumentFilter = document.getElementById("instrument-filter");
for (const s of STATES) stateFilter.add(new Option(s, s));
let latest;

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

function render() {
  if (!latest) return;
  const s = latest;
  document.getElementById("problem").textContent = s.problem || "";
  document.getElementById("counts").innerHTML = "";
  for (const state of STATES) {
    const span = document.createElement("span");
    span.dataset.state = state;
    span.textContent = state + ": " + s.counts[state];
    document.getElementById("counts").append(span);
  }
  const ended = s.counts.processed + s.counts.error + s.counts.terminated;
  document.getElementById("progress").style.width = (s.total ? (300 * ended) / s.total : 0) + "px";
  document.getElementById("progress-text").textContent = ended + "/" + s.total + " ended";
  const instruments = [...new Set(s.rows.map((r) => r.instrument))].sort();
  for (const name of instruments) {
    if (![...instrumentFilter.options].some((o) => o.value === name)) instrumentFilter.add(new Option(name, name));
  }
  const body = document.getElementById("rows");
  body.innerHTML = "";
  for (const r of s.rows) {
    if (stateFilter.value && r.state !== stateFilter.value) continue;
    if (instrumentFilter.value && r.instrument !== instrumentFilter.value) continue;
    const row = body.insertRow();
    row.dataset.dataset = r.dataset;
    row.dataset.state = r.state;
    cell(row, r.dataset);
    cell(row, r.state, r.state);
    cell(row, r.instrument + (r.detector ? "/" + r.detector : ""));
    cell(row, r.rung + (r.rung !== r.predictedRung ? " (predicted " + r.predictedRung + ")" : ""));
    cell(row, r.attempts);
    cell(row, r.exitCode === undefined ? "" : r.exitCode + (r.exitName ? " " + r.exitName : ""), "exit");
    cell(row, r.explanation);
    cell(row, r.state === "error" || r.state === "terminated" ? r.cause || r.statusReason : "", "cause");
    const log = cell(row, "");
    if (r.log) {
      const a = document.createElement("a");
      a.href = "/log/" + encodeURIComponent(r.dataset);
      a.textContent = "log";
      a.title = r.log;
      log.append(a);
    }
    cell(row, r.wallSeconds === undefined ? "" : r.wallSeconds.toFixed(1));
    cell(row, r.maxRssKb === undefined ? "" : (r.maxRssKb / 1000).toFixed(0));
    const previews = cell(row, "");
    for (const name of s.thumbs[r.dataset] || []) {
      const img = document.createElement("img");
      img.src = "/thumb/" + encodeURIComponent(r.dataset) + "/" + encodeURIComponent(name);
      img.alt = name;
      img.title = name;
      previews.append(img);
    }
  }
}

stateFilter.onchange = render;
instrumentFilter.onchange = render;
const events = new EventSource("/events");
events.onopen = () => { document.getElementById("live").textContent = "live"; };
events.onerror = () => { document.getElementById("live").textContent = "reconnecting…"; };
events.onmessage = (e) => { latest = JSON.parse(e.data); render(); };
</script>
</body>
</html>
`;
