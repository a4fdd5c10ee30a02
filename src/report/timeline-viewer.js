// The timeline page's script (inlined into the page as a module by timeline-html.ts; plain
// browser JS, no libraries). Reads the embedded TimelineData (timeline-data.ts) and draws it as one
// SVG: a fault row, node lanes grouped by AZ, then one row per band (the model's: a leader, an
// epoch and members over time, e.g. a replicated log's leader and in-sync copies). Colours, legend names and
// mark shapes come from the data's style (the model's, completed with the kernel's).
// Zoomed out, node lanes show activity aggregated from the buckets into pixel columns; zoomed in
// to a window of at most INDIVIDUAL_BUCKETS_MAX buckets, the sampled individual events appear as
// ticks. Wheel zooms around the pointer, drag pans, double-click resets. The violations list
// under the chart names every violating record; clicking one zooms to its events.

const data = JSON.parse(document.getElementById('timeline-data').textContent);
const style = data.style;
const LABEL_W = 190, AXIS_H = 26, FAULT_ROW_H = 18, AZ_H = 20, LANE_H = 34, BAND_H = 24, SECTION_H = 22, RIGHT_PAD = 16;
const INDIVIDUAL_BUCKETS_MAX = 60, MIN_SPAN_US = 200;
// Stacked bars, bottom up, in the style's order; recv/timer only for a lane that has nothing else.
const NOISE = ['recv', 'timer'];
const LEADER_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac', '#e15759'];
const leaderColor = {};
const leaderRole = style.bands ? style.bands.leaderRole : null;
data.lanes.filter((l) => l.role === leaderRole).forEach((l, i) => { leaderColor[l.name] = LEADER_COLORS[i % LEADER_COLORS.length]; });

const view = { t0: 0, t1: data.virtualUs };
const svg = document.getElementById('timeline');
const wrap = document.getElementById('timeline-wrap');
const bandIndex = {};
data.bands.forEach((b, i) => { bandIndex[b.name] = i; });
const recordsByEvent = [];
data.violations.forEach((v) => {
  v.records.forEach((r) => { r.events.forEach((e) => { recordsByEvent.push({ record: r.record, event: e }); }); });
});

function color(kind) { return style.colors[kind]; }
function plotW() { return Math.max(200, wrap.clientWidth - LABEL_W - RIGHT_PAD); }
function x(us) { return LABEL_W + (us - view.t0) / (view.t1 - view.t0) * plotW(); }
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }
function fmtUs(us) {
  if (us === 0) return '0 s';
  if (us >= 1e6) return (us / 1e6).toFixed(us % 1e6 === 0 ? 0 : (view.t1 - view.t0 < 2e6 ? 4 : 2)) + ' s';
  if (us >= 1e3) return (us / 1e3).toFixed(view.t1 - view.t0 < 2e4 ? 2 : 0) + ' ms';
  return us + ' µs';
}
/** Tick labels with as many decimals as the tick step needs, in s, ms or µs by the step. */
function fmtTick(us, step) {
  if (us === 0) return '0';
  const unit = step >= 1e5 ? 1e6 : step >= 100 ? 1e3 : 1, name = unit === 1e6 ? ' s' : unit === 1e3 ? ' ms' : ' µs';
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / unit) - 1e-9));
  return (us / unit).toFixed(decimals) + name;
}
/** The label cut to what fits in `widthPx` (about 5.6 px per character at 10 px), with an ellipsis. */
function fitText(text, widthPx) {
  const chars = Math.floor(widthPx / 5.6);
  if (chars >= text.length) return text;
  return chars < 2 ? '' : text.slice(0, chars - 1) + '…';
}
function niceStep(spanUs, targetTicks) {
  const raw = spanUs / targetTicks, p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const step of [1, 2, 5, 10]) if (step * p >= raw) return step * p;
  return 10 * p;
}
function clipX(a, b) {
  const l = Math.max(LABEL_W, x(a)), r = Math.min(LABEL_W + plotW(), x(b));
  return r > l ? [l, r] : null;
}

// ---- layout: rows from top to bottom ----
function layout() {
  const rows = [];
  let y = AXIS_H;
  rows.push({ kind: 'faults', y: y, h: FAULT_ROW_H * faultRowsNeeded() }); y += rows[0].h + 6;
  data.azs.forEach((g) => {
    rows.push({ kind: 'az', az: g.az, y: y, h: AZ_H }); y += AZ_H;
    g.lanes.forEach((lane) => { rows.push({ kind: 'lane', lane: lane, az: g.az, y: y, h: LANE_H }); y += LANE_H; });
  });
  if (data.bands.length > 0) {
    rows.push({ kind: 'section', title: style.bands ? style.bands.title : 'bands', y: y + 6, h: SECTION_H }); y += SECTION_H + 6;
    data.bands.forEach((b, i) => { rows.push({ kind: 'band', index: i, y: y, h: BAND_H }); y += BAND_H; });
  }
  return { rows: rows, height: y + 8 };
}
const faultSlots = [];
function faultRowsNeeded() {
  // Stack overlapping faults into slots, once (fault times do not change with zoom).
  if (faultSlots.length === 0 && data.faults.length > 0) {
    const ends = [];
    data.faults.forEach((f, i) => {
      const end = f.endUs === null ? data.virtualUs : f.endUs;
      let slot = 0;
      while (slot < ends.length && ends[slot] > f.startUs) slot++;
      ends[slot] = Math.max(end, f.startUs + 1);
      faultSlots[i] = slot;
    });
  }
  return Math.max(1, Math.min(6, faultSlots.reduce((m, s) => Math.max(m, s + 1), 1)));
}

function laneRow(rows, lane) { for (const r of rows) if (r.kind === 'lane' && r.lane === lane) return r; return null; }
function bandRow(rows, index) { for (const r of rows) if (r.kind === 'band' && r.index === index) return r; return null; }

function draw() {
  const L = layout(), rows = L.rows, W = LABEL_W + plotW() + RIGHT_PAD;
  const zoomedIn = (view.t1 - view.t0) / data.bucketUs <= INDIVIDUAL_BUCKETS_MAX;
  svg.setAttribute('width', W); svg.setAttribute('height', L.height);
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + L.height);
  svg.dataset.t0 = view.t0; svg.dataset.t1 = view.t1; svg.dataset.plotLeft = LABEL_W; svg.dataset.plotWidth = plotW();
  svg.dataset.mode = zoomedIn ? 'events' : 'aggregate';
  const out = [defs(L.height), axis(L.height)];
  rows.forEach((row) => out.push(drawRow(row, W, zoomedIn)));
  out.push(faultBands(rows), marks(rows), recordMarks(rows));
  svg.innerHTML = out.join('');
  document.getElementById('window-info').textContent = 'window ' + fmtUs(view.t0) + ' to ' + fmtUs(view.t1) + (zoomedIn
    ? ': individual events (a uniform sample of up to ' + data.samplePerBucket + ' per ' + fmtUs(data.bucketUs) + ' bucket)'
    : ': activity aggregated per ' + fmtUs(Math.max(data.bucketUs, columnUs())) + ' column; zoom in to a window of ' + fmtUs(INDIVIDUAL_BUCKETS_MAX * data.bucketUs) + ' or less for individual events');
}

function defs(height) {
  return '<defs><pattern id="hatch-down" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceff3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa0a6" stroke-width="2"/></pattern>' +
    '<pattern id="hatch-offline" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde8e8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d62728" stroke-width="2"/></pattern>' +
    '<clipPath id="plot-clip"><rect x="' + LABEL_W + '" y="0" width="' + plotW() + '" height="' + height + '"/></clipPath></defs>';
}

/** The time axis and its grid lines. */
function axis(height) {
  const step = niceStep(view.t1 - view.t0, Math.max(2, Math.floor(plotW() / 110)));
  const out = ['<g class="axis">'];
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
    const gx = x(t);
    out.push('<line x1="' + gx + '" x2="' + gx + '" y1="' + (AXIS_H - 4) + '" y2="' + height + '" stroke="#eee"/>');
    out.push('<text x="' + gx + '" y="' + (AXIS_H - 8) + '" text-anchor="middle" class="tick">' + esc(fmtTick(t, step)) + '</text>');
  }
  out.push('</g>');
  return out.join('');
}

function drawRow(row, W, zoomedIn) {
  switch (row.kind) {
    case 'faults': return faultRow(row);
    case 'az': return '<g class="az-header" data-az="' + esc(row.az) + '"><rect x="0" y="' + row.y + '" width="' + W + '" height="' + AZ_H + '" fill="#f3f4f8"/><text x="8" y="' + (row.y + 14) + '" class="az-label">AZ ' + esc(row.az) + '</text></g>';
    case 'lane': return drawLane(row, zoomedIn);
    case 'section': return '<text x="8" y="' + (row.y + 15) + '" class="section-label">' + esc(row.title) + '</text>';
    case 'band': return drawBand(row);
    default: return '';
  }
}

function faultRow(row) {
  const out = ['<text x="8" y="' + (row.y + 13) + '" class="lane-label">faults</text>', '<g clip-path="url(#plot-clip)">'];
  data.faults.forEach((f, i) => {
    const end = f.endUs === null ? data.virtualUs : f.endUs, c = clipX(f.startUs, Math.max(end, f.startUs + (view.t1 - view.t0) / plotW()));
    if (!c) return;
    const slot = Math.min(faultSlots[i] || 0, 5), fy = row.y + slot * FAULT_ROW_H;
    out.push('<g class="fault-label" data-fault-id="' + f.id + '"><rect x="' + c[0] + '" y="' + (fy + 1) + '" width="' + Math.max(2, c[1] - c[0]) + '" height="' + (FAULT_ROW_H - 3) + '" rx="3" fill="' + (f.layer === 'schedule' ? '#ffb74d' : '#ffe0b2') + '" stroke="#e65100" stroke-width="0.6"><title>' + esc(f.label + ': ' + fmtUs(f.startUs) + ' to ' + (f.endUs === null ? 'the end' : fmtUs(f.endUs))) + '</title></rect>' +
      '<text x="' + (c[0] + 4) + '" y="' + (fy + 12) + '" class="fault-text">' + esc(fitText(f.label, c[1] - c[0] - 6)) + '</text></g>');
  });
  out.push('</g>');
  return out.join('');
}

/** Fault bands over the lanes they hold (system-wide ones over every lane). */
function faultBands(rows) {
  const out = ['<g class="fault-bands" clip-path="url(#plot-clip)">'];
  data.faults.forEach((f) => {
    const end = f.endUs === null ? data.virtualUs : f.endUs;
    const c = clipX(f.startUs, Math.max(end, f.startUs + (view.t1 - view.t0) / plotW() * 2));
    if (!c) return;
    const lanes = f.lanes.length > 0 ? f.lanes : data.lanes.map((_, i) => i);
    lanes.forEach((lane) => {
      const r = laneRow(rows, lane); if (!r) return;
      out.push('<rect class="fault-band" data-fault-id="' + f.id + '" data-lane="' + lane + '" data-start-us="' + f.startUs + '" data-end-us="' + (f.endUs === null ? '' : f.endUs) + '" x="' + c[0] + '" y="' + r.y + '" width="' + Math.max(1, c[1] - c[0]) + '" height="' + (LANE_H - 1) + '" fill="#ff9800" fill-opacity="0.16" stroke="#ef6c00" stroke-opacity="0.5" stroke-dasharray="3,2"><title>' + esc(f.label) + '</title></rect>');
    });
  });
  out.push('</g>');
  return out.join('');
}

/** Marks: the model's (elections, truncations...) and the kernel's (node down/up), on their lanes and bands. */
function marks(rows) {
  const visible = data.marks.filter((m) => m[0] >= view.t0 && m[0] <= view.t1);
  const crowded = visible.length > 3000;
  const out = ['<g class="marks" clip-path="url(#plot-clip)">'];
  visible.forEach((m) => {
    // A fault's mark is its band over the lanes it holds.
    if (m[2] === 'fault') return;
    const markStyle = style.marks[m[2]];
    if (crowded && !(markStyle && markStyle.keepWhenCrowded)) return;
    const mx = x(m[0]);
    if (m[4] !== undefined && bandIndex[m[4]] !== undefined) {
      const br = bandRow(rows, bandIndex[m[4]]);
      if (br) out.push(markShape(m, mx, br.y + BAND_H / 2, 'band'));
    }
    const lr = m[1] >= 0 ? laneRow(rows, m[1]) : null;
    if (lr && !(markStyle && markStyle.bandOnly)) out.push(markShape(m, mx, lr.y + 9, 'lane'));
  });
  out.push('</g>');
  return out.join('');
}

/** The violating records, on the lanes where their events happened. */
function recordMarks(rows) {
  const out = ['<g class="record-marks" clip-path="url(#plot-clip)">'];
  recordsByEvent.forEach((re) => {
    const e = re.event;
    if (e[0] < view.t0 || e[0] > view.t1) return;
    const r = e[1] >= 0 ? laneRow(rows, e[1]) : null; if (!r) return;
    const mx = x(e[0]), my = r.y + LANE_H - 9;
    out.push('<path class="record-mark" data-record="' + re.record + '" d="M' + mx + ' ' + (my - 6) + ' l5 6 l-5 6 l-5 -6 z" fill="#e00000" stroke="#fff" stroke-width="1"><title>' + esc('r' + re.record + ': ' + e[3] + ' at ' + fmtUs(e[0])) + '</title></path>');
  });
  out.push('</g>');
  return out.join('');
}

function columnUs() {
  const columns = Math.max(1, Math.floor(plotW() / 3));
  return Math.ceil((view.t1 - view.t0) / columns / data.bucketUs) * data.bucketUs;
}

function markShape(m, mx, my, where) {
  const title = '<title>' + esc(m[3] + ' at ' + fmtUs(m[0])) + '</title>';
  const cls = 'mark mark-' + m[2] + ' on-' + where;
  const s = style.marks[m[2]] || { shape: 'dot', color: color(m[2]) || '#555' };
  switch (s.shape) {
    case 'flag': return '<path class="' + cls + '" d="M' + (mx - 5) + ' ' + (my - 9) + ' h10 l-5 8 z" fill="' + s.color + '">' + title + '</path><line class="' + cls + '" x1="' + mx + '" x2="' + mx + '" y1="' + (my - 10) + '" y2="' + (my + 10) + '" stroke="' + s.color + '" stroke-width="1.5">' + title + '</line>';
    case 'ring': return '<circle class="' + cls + '" cx="' + mx + '" cy="' + (my + 6) + '" r="3" fill="#fff" stroke="' + s.color + '" stroke-width="1.5">' + title + '</circle>';
    case 'cross': return '<path class="' + cls + '" d="M' + (mx - 5) + ' ' + (my - 5) + ' l10 10 m0 -10 l-10 10" stroke="' + s.color + '" stroke-width="2.5">' + title + '</path>';
    case 'tick': return '<path class="' + cls + '" d="M' + mx + ' ' + (my - 6) + ' v12" stroke="' + s.color + '" stroke-width="2">' + title + '</path>';
    default: return '<circle class="' + cls + '" cx="' + mx + '" cy="' + my + '" r="2.5" fill="' + s.color + '">' + title + '</circle>';
  }
}

function drawLane(row, zoomedIn) {
  const lane = data.lanes[row.lane], out = [];
  out.push('<g class="lane" data-lane="' + row.lane + '" data-node="' + esc(lane.name) + '" data-az="' + esc(lane.az) + '" data-role="' + esc(lane.role) + '">');
  out.push('<rect x="0" y="' + row.y + '" width="' + (LABEL_W + plotW()) + '" height="' + LANE_H + '" fill="' + (row.lane % 2 ? '#fcfcfd' : '#fff') + '"/>');
  out.push('<line x1="0" x2="' + (LABEL_W + plotW()) + '" y1="' + (row.y + LANE_H) + '" y2="' + (row.y + LANE_H) + '" stroke="#eee"/>');
  out.push('<text x="16" y="' + (row.y + 15) + '" class="lane-label">' + esc(lane.name) + '</text><text x="16" y="' + (row.y + 28) + '" class="lane-role">' + esc(lane.role) + '</text>');
  // outages: down (crash, power loss) and paused
  data.outages.forEach((o) => {
    if (o.lane !== row.lane) return;
    const c = clipX(o.fromUs, o.toUs === null ? data.virtualUs : o.toUs); if (!c) return;
    out.push('<rect class="outage" data-kind="' + esc(o.kind) + '" x="' + c[0] + '" y="' + (row.y + 2) + '" width="' + (c[1] - c[0]) + '" height="' + (LANE_H - 4) + '" fill="url(#hatch-down)" opacity="0.8"><title>' + esc(lane.name + ' ' + o.kind + ' ' + fmtUs(o.fromUs) + ' to ' + (o.toUs === null ? 'the end' : fmtUs(o.toUs))) + '</title></rect>');
  });
  const series = data.activity[row.lane];
  let cats = style.barOrder.filter((c) => series[c]);
  if (cats.length === 0) cats = NOISE.filter((c) => series[c]);
  // Zoomed in, the buckets' totals stay behind the sampled events, faint, so a bucket whose
  // events were only partly sampled still shows its activity across its whole width.
  if (cats.length > 0) out.push(drawActivity(row, series, cats, zoomedIn ? 0.22 : 1));
  if (zoomedIn) out.push(drawSample(row));
  out.push('</g>');
  return out.join('');
}

/** The buckets in view summed into pixel columns: per column, the sum of each category. */
function activityColumns(series, cats) {
  const perCol = columnUs() / data.bucketUs;
  const first = Math.max(0, Math.floor(view.t0 / data.bucketUs)), last = Math.min(data.bucketCount - 1, Math.floor((view.t1 - 1) / data.bucketUs));
  const cols = [];
  for (let b = first - (first % perCol); b <= last; b += perCol) {
    const sums = cats.map((c) => { let s = 0; const arr = series[c]; for (let k = b; k < b + perCol && k < data.bucketCount; k++) s += arr[k]; return s; });
    cols.push({ b: b, sums: sums, total: sums.reduce((a, v) => a + v, 0) });
  }
  return { cols: cols, perCol: perCol };
}

function drawActivity(row, series, cats, opacity) {
  const { cols, perCol } = activityColumns(series, cats);
  const max = cols.reduce((m, col) => Math.max(m, col.total), 0);
  if (max === 0) return '';
  const out = ['<g class="activity" clip-path="url(#plot-clip)" opacity="' + opacity + '">'], barH = LANE_H - 8;
  cols.forEach((col) => {
    if (col.total === 0) return;
    // Square-root scale: a catch-up burst must not flatten the steady traffic next to it.
    const x0 = x(col.b * data.bucketUs), x1 = x((col.b + perCol) * data.bucketUs), w = Math.max(1, x1 - x0 - 0.5);
    let y = row.y + LANE_H - 2;
    const colH = Math.sqrt(col.total / max) * barH;
    const tip = fmtUs(col.b * data.bucketUs) + ': ' + cats.map((c, i) => (col.sums[i] ? c + ' ' + col.sums[i] : '')).filter(Boolean).join(', ');
    out.push('<g class="activity-column"><title>' + esc(tip) + '</title>');
    cats.forEach((c, i) => {
      if (!col.sums[i]) return;
      const h = col.sums[i] / col.total * colH; y -= h;
      out.push('<rect x="' + x0 + '" y="' + y + '" width="' + w + '" height="' + Math.max(0.5, h) + '" fill="' + (color(c) || '#999') + '"/>');
    });
    out.push('</g>');
  });
  out.push('</g><text x="' + (LABEL_W - 6) + '" y="' + (row.y + LANE_H - 4) + '" text-anchor="end" class="lane-scale"><title>bar height: square root of the events per column, relative to the busiest column in view</title>max ' + max + '/col</text>');
  return out.join('');
}

function drawSample(row) {
  const out = ['<g class="events" clip-path="url(#plot-clip)">'];
  data.sample.forEach((e) => {
    if (e[1] !== row.lane || e[0] < view.t0 || e[0] > view.t1) return;
    const ex = x(e[0]);
    out.push('<line class="event" data-kind="' + esc(e[2]) + '" x1="' + ex + '" x2="' + ex + '" y1="' + (row.y + 12) + '" y2="' + (row.y + LANE_H - 3) + '" stroke="' + (color(e[2]) || '#555') + '" stroke-width="2"><title>' + esc(fmtUs(e[0]) + ' ' + e[3]) + '</title></line>');
  });
  out.push('</g>');
  return out.join('');
}

/** A band's row: its segments, coloured by leader, fuller the more members, hatched when offline. */
function drawBand(row) {
  const b = data.bands[row.index], out = [];
  const members = style.bands ? style.bands.membersName : 'members';
  out.push('<g class="band" data-band="' + esc(b.name) + '"><text x="16" y="' + (row.y + 16) + '" class="lane-label">' + esc(b.name) + '</text>');
  b.segments.forEach((s, i) => {
    const end = i + 1 < b.segments.length ? b.segments[i + 1].fromUs : data.virtualUs;
    const c = clipX(s.fromUs, end); if (!c) return;
    const fill = s.leader === null ? 'url(#hatch-offline)' : (leaderColor[s.leader] || '#888');
    const text = s.leader === null ? 'offline, epoch ' + s.epoch : s.leader + ' · e' + s.epoch + ' · ' + members + ' ' + s.members.join(',');
    const tip = b.name + ' ' + fmtUs(s.fromUs) + ' to ' + fmtUs(end) + ': ' + (s.leader === null ? 'offline (no leader)' : 'leader ' + s.leader) + ', epoch ' + s.epoch + ', ' + members + ' [' + s.members.join(',') + ']';
    out.push('<g class="leader-segment" data-leader="' + esc(s.leader === null ? '' : s.leader) + '" data-members="' + esc(s.members.join(',')) + '"><title>' + esc(tip) + '</title>');
    out.push('<rect x="' + c[0] + '" y="' + (row.y + 3) + '" width="' + Math.max(1, c[1] - c[0] - 1) + '" height="' + (BAND_H - 6) + '" fill="' + fill + '" fill-opacity="' + (s.leader === null ? 1 : 0.35 + 0.65 * Math.min(1, s.members.length / 3)) + '" rx="2"/>');
    if (c[1] - c[0] > text.length * 6.2 + 8) out.push('<text x="' + (c[0] + 4) + '" y="' + (row.y + 16) + '" class="segment-text' + (s.leader === null ? ' offline' : '') + '">' + esc(text) + '</text>');
    out.push('</g>');
  });
  out.push('</g>');
  return out.join('');
}

// ---- interaction ----
function setWindow(t0, t1) {
  const span = Math.max(MIN_SPAN_US, Math.min(data.virtualUs, t1 - t0));
  t0 = Math.max(0, Math.min(data.virtualUs - span, t0));
  view.t0 = t0; view.t1 = t0 + span;
  draw();
}
function zoomAt(px, factor) {
  const at = view.t0 + (px - LABEL_W) / plotW() * (view.t1 - view.t0);
  setWindow(at - (at - view.t0) * factor, at + (view.t1 - at) * factor);
}

function listen() {
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const rect = svg.getBoundingClientRect();
    zoomAt(Math.max(LABEL_W, ev.clientX - rect.left), ev.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, t0: view.t0, t1: view.t1 }; svg.classList.add('dragging'); });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const dt = (ev.clientX - drag.x) / plotW() * (drag.t1 - drag.t0);
    setWindow(drag.t0 - dt, drag.t1 - dt);
  });
  window.addEventListener('mouseup', () => { drag = null; svg.classList.remove('dragging'); });
  svg.addEventListener('dblclick', () => setWindow(0, data.virtualUs));
  document.getElementById('zoom-in').addEventListener('click', () => zoomAt(LABEL_W + plotW() / 2, 0.5));
  document.getElementById('zoom-out').addEventListener('click', () => zoomAt(LABEL_W + plotW() / 2, 2));
  document.getElementById('zoom-reset').addEventListener('click', () => setWindow(0, data.virtualUs));
  window.addEventListener('resize', draw);
  document.querySelectorAll('[data-zoom-from]').forEach((el) => {
    el.addEventListener('click', (ev) => {
      ev.preventDefault();
      const from = Number(el.getAttribute('data-zoom-from')), to = Number(el.getAttribute('data-zoom-to')), pad = Math.max((to - from) * 0.1, 50 * 1000);
      setWindow(from - pad, to + pad);
      wrap.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  });
}

function legend() {
  document.getElementById('legend').innerHTML = style.barOrder.concat(NOISE).filter((c) => data.activityTotals[c]).map((c) =>
    '<span class="key"><i style="background:' + color(c) + '"></i>' + esc(style.legend[c] || c) + ' ' + data.activityTotals[c].toLocaleString('en-US') + '</span>',
  ).join('') + Object.keys(leaderColor).map((name) =>
    '<span class="key"><i style="background:' + leaderColor[name] + '"></i>leader ' + esc(name) + '</span>',
  ).join('');
}

listen();
legend();
window.ksimTimeline = { view: view, setWindow: setWindow, x: x };
draw();
document.body.dataset.ready = 'true';
