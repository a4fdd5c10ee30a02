// The timeline page's script (inlined into the page by timeline-html.ts; plain browser JS, no
// libraries). Reads the embedded TimelineData (timeline-data.ts) and draws it as one SVG:
// a fault row, node lanes grouped by AZ, then one lane per partition (leader and ISR over time).
// Zoomed out, node lanes show activity aggregated from the buckets into pixel columns; zoomed in
// to a window of at most INDIVIDUAL_BUCKETS_MAX buckets, the sampled individual events appear as
// ticks. Wheel zooms around the pointer, drag pans, double-click resets. The violations list
// under the chart names every violating record; clicking one zooms to its events.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var svgNs = 'http://www.w3.org/2000/svg';
  var LABEL_W = 190, AXIS_H = 26, FAULT_ROW_H = 18, AZ_H = 20, LANE_H = 34, PART_H = 24, SECTION_H = 22, RIGHT_PAD = 16;
  var INDIVIDUAL_BUCKETS_MAX = 60, MIN_SPAN_US = 200;
  var CATEGORY_COLORS = {
    send: '#9aa5b1', ack: '#2ca02c', fail: '#d62728', unknown: '#ff7f0e',
    append: '#1f77b4', replicate: '#9ecae1', hw: '#6baed6', drop: '#e377c2', control: '#9467bd',
    truncate: '#b00020', 'log-lost': '#8c564b', 'produce-error': '#d62728', poll: '#17becf', process: '#bcbd22', commit: '#7f7f7f',
    recv: '#c7c7c7', timer: '#e0e0e0', other: '#bbbbbb'
  };
  var CATEGORY_NAMES = { ack: 'acks', send: 'sends', fail: 'failed sends', unknown: 'unknown outcomes', append: 'leader appends (records)', replicate: 'follower appends (records)', hw: 'HW updates', control: 'elections, ISR changes', drop: 'dropped messages', recv: 'messages received', timer: 'timers', truncate: 'truncations', 'log-lost': 'log losses' };
  // Drawn as stacked bars, bottom up; recv/timer only for a lane that has nothing else.
  var BAR_ORDER = ['ack', 'send', 'unknown', 'fail', 'append', 'replicate', 'hw', 'poll', 'process', 'commit', 'control', 'drop', 'produce-error', 'truncate', 'log-lost', 'other'];
  var NOISE = ['recv', 'timer'];
  var BROKER_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac', '#e15759'];
  var brokerColor = {};
  data.lanes.filter(function (l) { return l.role === 'broker'; }).forEach(function (l, i) { brokerColor[l.name] = BROKER_COLORS[i % BROKER_COLORS.length]; });

  var view = { t0: 0, t1: data.virtualUs };
  var svg = document.getElementById('timeline');
  var wrap = document.getElementById('timeline-wrap');
  var partitionIndex = {};
  data.partitions.forEach(function (p, i) { partitionIndex[p.name] = i; });
  var recordsByEvent = [];
  data.violations.forEach(function (v) {
    v.records.forEach(function (r) { r.events.forEach(function (e) { recordsByEvent.push({ record: r.record, event: e }); }); });
  });

  function plotW() { return Math.max(200, wrap.clientWidth - LABEL_W - RIGHT_PAD); }
  function x(us) { return LABEL_W + (us - view.t0) / (view.t1 - view.t0) * plotW(); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function fmtUs(us) {
    if (us === 0) return '0 s';
    if (us >= 1e6) return (us / 1e6).toFixed(us % 1e6 === 0 ? 0 : (view.t1 - view.t0 < 2e6 ? 4 : 2)) + ' s';
    if (us >= 1e3) return (us / 1e3).toFixed(view.t1 - view.t0 < 2e4 ? 2 : 0) + ' ms';
    return us + ' µs';
  }
  /** Tick labels with as many decimals as the tick step needs, in s, ms or µs by the step. */
  function fmtTick(us, step) {
    if (us === 0) return '0';
    var unit = step >= 1e5 ? 1e6 : step >= 100 ? 1e3 : 1, name = unit === 1e6 ? ' s' : unit === 1e3 ? ' ms' : ' µs';
    var decimals = Math.max(0, Math.ceil(-Math.log10(step / unit) - 1e-9));
    return (us / unit).toFixed(decimals) + name;
  }
  /** The label cut to what fits in `widthPx` (about 5.6 px per character at 10 px), with an ellipsis. */
  function fitText(text, widthPx) {
    var chars = Math.floor(widthPx / 5.6);
    if (chars >= text.length) return text;
    return chars < 2 ? '' : text.slice(0, chars - 1) + '…';
  }
  function niceStep(spanUs, targetTicks) {
    var raw = spanUs / targetTicks, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }
  function clipX(a, b) {
    var l = Math.max(LABEL_W, x(a)), r = Math.min(LABEL_W + plotW(), x(b));
    return r > l ? [l, r] : null;
  }

  // ---- layout: rows from top to bottom ----
  function layout() {
    var rows = [], y = AXIS_H;
    rows.push({ kind: 'faults', y: y, h: FAULT_ROW_H * faultRowsNeeded() }); y += rows[0].h + 6;
    data.azs.forEach(function (g) {
      rows.push({ kind: 'az', az: g.az, y: y, h: AZ_H }); y += AZ_H;
      g.lanes.forEach(function (lane) { rows.push({ kind: 'lane', lane: lane, az: g.az, y: y, h: LANE_H }); y += LANE_H; });
    });
    if (data.partitions.length > 0) {
      rows.push({ kind: 'section', title: 'partitions: leader (colour), epoch and ISR', y: y + 6, h: SECTION_H }); y += SECTION_H + 6;
      data.partitions.forEach(function (p, i) { rows.push({ kind: 'partition', index: i, y: y, h: PART_H }); y += PART_H; });
    }
    return { rows: rows, height: y + 8 };
  }
  var faultSlots = [];
  function faultRowsNeeded() {
    // Stack overlapping faults into slots, once (fault times do not change with zoom).
    if (faultSlots.length === 0 && data.faults.length > 0) {
      var ends = [];
      data.faults.forEach(function (f, i) {
        var end = f.endUs === null ? data.virtualUs : f.endUs;
        var slot = 0;
        while (slot < ends.length && ends[slot] > f.startUs) slot++;
        ends[slot] = Math.max(end, f.startUs + 1);
        faultSlots[i] = slot;
      });
    }
    return Math.max(1, Math.min(6, faultSlots.reduce(function (m, s) { return Math.max(m, s + 1); }, 1)));
  }

  function laneRowY(rows, lane) { for (var i = 0; i < rows.length; i++) if (rows[i].kind === 'lane' && rows[i].lane === lane) return rows[i]; return null; }
  function partRow(rows, index) { for (var i = 0; i < rows.length; i++) if (rows[i].kind === 'partition' && rows[i].index === index) return rows[i]; return null; }

  function draw() {
    var L = layout(), rows = L.rows, W = LABEL_W + plotW() + RIGHT_PAD, out = [];
    var span = view.t1 - view.t0, zoomedIn = span / data.bucketUs <= INDIVIDUAL_BUCKETS_MAX;
    svg.setAttribute('width', W); svg.setAttribute('height', L.height);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + L.height);
    svg.dataset.t0 = view.t0; svg.dataset.t1 = view.t1; svg.dataset.plotLeft = LABEL_W; svg.dataset.plotWidth = plotW();
    svg.dataset.mode = zoomedIn ? 'events' : 'aggregate';
    out.push('<defs><pattern id="hatch-down" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceff3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa0a6" stroke-width="2"/></pattern>' +
      '<pattern id="hatch-offline" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde8e8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d62728" stroke-width="2"/></pattern>' +
      '<clipPath id="plot-clip"><rect x="' + LABEL_W + '" y="0" width="' + plotW() + '" height="' + L.height + '"/></clipPath></defs>');

    // time axis and grid
    var step = niceStep(span, Math.max(2, Math.floor(plotW() / 110)));
    out.push('<g class="axis">');
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var gx = x(t);
      out.push('<line x1="' + gx + '" x2="' + gx + '" y1="' + (AXIS_H - 4) + '" y2="' + L.height + '" stroke="#eee"/>');
      out.push('<text x="' + gx + '" y="' + (AXIS_H - 8) + '" text-anchor="middle" class="tick">' + esc(fmtTick(t, step)) + '</text>');
    }
    out.push('</g>');

    rows.forEach(function (row) {
      if (row.kind === 'faults') {
        out.push('<text x="8" y="' + (row.y + 13) + '" class="lane-label">faults</text>');
        out.push('<g clip-path="url(#plot-clip)">');
        data.faults.forEach(function (f, i) {
          var end = f.endUs === null ? data.virtualUs : f.endUs, c = clipX(f.startUs, Math.max(end, f.startUs + (view.t1 - view.t0) / plotW()));
          if (!c) return;
          var slot = Math.min(faultSlots[i] || 0, 5), fy = row.y + slot * FAULT_ROW_H;
          out.push('<g class="fault-label" data-fault-id="' + f.id + '"><rect x="' + c[0] + '" y="' + (fy + 1) + '" width="' + Math.max(2, c[1] - c[0]) + '" height="' + (FAULT_ROW_H - 3) + '" rx="3" fill="' + (f.layer === 'schedule' ? '#ffb74d' : '#ffe0b2') + '" stroke="#e65100" stroke-width="0.6"><title>' + esc(f.label + ': ' + fmtUs(f.startUs) + ' to ' + (f.endUs === null ? 'the end' : fmtUs(f.endUs))) + '</title></rect>' +
            '<text x="' + (c[0] + 4) + '" y="' + (fy + 12) + '" class="fault-text">' + esc(fitText(f.label, c[1] - c[0] - 6)) + '</text></g>');
        });
        out.push('</g>');
      } else if (row.kind === 'az') {
        out.push('<g class="az-header" data-az="' + esc(row.az) + '"><rect x="0" y="' + row.y + '" width="' + W + '" height="' + AZ_H + '" fill="#f3f4f8"/><text x="8" y="' + (row.y + 14) + '" class="az-label">AZ ' + esc(row.az) + '</text></g>');
      } else if (row.kind === 'lane') {
        out.push(drawLane(row, zoomedIn));
      } else if (row.kind === 'section') {
        out.push('<text x="8" y="' + (row.y + 15) + '" class="section-label">' + esc(row.title) + '</text>');
      } else if (row.kind === 'partition') {
        out.push(drawPartition(row));
      }
    });

    // fault bands over the lanes they hold (cluster-wide ones over every lane)
    out.push('<g class="fault-bands" clip-path="url(#plot-clip)">');
    data.faults.forEach(function (f) {
      var end = f.endUs === null ? data.virtualUs : f.endUs;
      var c = clipX(f.startUs, Math.max(end, f.startUs + (view.t1 - view.t0) / plotW() * 2));
      if (!c) return;
      var lanes = f.lanes.length > 0 ? f.lanes : data.lanes.map(function (_, i) { return i; });
      lanes.forEach(function (lane) {
        var r = laneRowY(rows, lane); if (!r) return;
        out.push('<rect class="fault-band" data-fault-id="' + f.id + '" data-lane="' + lane + '" data-start-us="' + f.startUs + '" data-end-us="' + (f.endUs === null ? '' : f.endUs) + '" x="' + c[0] + '" y="' + r.y + '" width="' + Math.max(1, c[1] - c[0]) + '" height="' + (LANE_H - 1) + '" fill="#ff9800" fill-opacity="0.16" stroke="#ef6c00" stroke-opacity="0.5" stroke-dasharray="3,2"><title>' + esc(f.label) + '</title></rect>');
      });
    });
    out.push('</g>');

    // marks: elections, ISR changes, truncations, log losses, failed sends, node down/up
    var visible = data.marks.filter(function (m) { return m[0] >= view.t0 && m[0] <= view.t1; });
    var crowded = visible.length > 3000;
    out.push('<g class="marks" clip-path="url(#plot-clip)">');
    visible.forEach(function (m) {
      if (crowded && ['election', 'truncate', 'log-lost', 'fault', 'down', 'up'].indexOf(m[2]) < 0) return;
      var mx = x(m[0]);
      if (m[4] !== undefined && partitionIndex[m[4]] !== undefined) {
        var pr = partRow(rows, partitionIndex[m[4]]);
        if (pr) out.push(markShape(m, mx, pr.y + PART_H / 2, 'partition'));
      }
      var lr = m[1] >= 0 ? laneRowY(rows, m[1]) : null;
      if (lr && m[2] !== 'election' && m[2] !== 'isr') out.push(markShape(m, mx, lr.y + 9, 'lane'));
    });
    out.push('</g>');

    // the violating records, on the lanes where their events happened
    out.push('<g class="record-marks" clip-path="url(#plot-clip)">');
    recordsByEvent.forEach(function (re) {
      var e = re.event;
      if (e[0] < view.t0 || e[0] > view.t1) return;
      var r = e[1] >= 0 ? laneRowY(rows, e[1]) : null; if (!r) return;
      var mx = x(e[0]), my = r.y + LANE_H - 9;
      out.push('<path class="record-mark" data-record="' + re.record + '" d="M' + mx + ' ' + (my - 6) + ' l5 6 l-5 6 l-5 -6 z" fill="#e00000" stroke="#fff" stroke-width="1"><title>' + esc('r' + re.record + ': ' + e[3] + ' at ' + fmtUs(e[0])) + '</title></path>');
    });
    out.push('</g>');

    svg.innerHTML = out.join('');
    var info = document.getElementById('window-info');
    info.textContent = 'window ' + fmtUs(view.t0) + ' to ' + fmtUs(view.t1) + (zoomedIn
      ? ': individual events (a uniform sample of up to ' + data.samplePerBucket + ' per ' + fmtUs(data.bucketUs) + ' bucket)'
      : ': activity aggregated per ' + fmtUs(Math.max(data.bucketUs, columnUs())) + ' column; zoom in to a window of ' + fmtUs(INDIVIDUAL_BUCKETS_MAX * data.bucketUs) + ' or less for individual events');
  }

  function columnUs() {
    var columns = Math.max(1, Math.floor(plotW() / 3));
    return Math.ceil((view.t1 - view.t0) / columns / data.bucketUs) * data.bucketUs;
  }

  function markShape(m, mx, my, where) {
    var title = '<title>' + esc(m[3] + ' at ' + fmtUs(m[0])) + '</title>';
    var cls = 'mark mark-' + m[2] + ' on-' + where;
    switch (m[2]) {
      case 'election': return '<path class="' + cls + '" d="M' + (mx - 5) + ' ' + (my - 9) + ' h10 l-5 8 z" fill="#6a1b9a">' + title + '</path><line class="' + cls + '" x1="' + mx + '" x2="' + mx + '" y1="' + (my - 10) + '" y2="' + (my + 10) + '" stroke="#6a1b9a" stroke-width="1.5">' + title + '</line>';
      case 'isr': return '<circle class="' + cls + '" cx="' + mx + '" cy="' + (my + 6) + '" r="3" fill="#fff" stroke="#6a1b9a" stroke-width="1.5">' + title + '</circle>';
      case 'truncate': case 'log-lost': return '<path class="' + cls + '" d="M' + (mx - 5) + ' ' + (my - 5) + ' l10 10 m0 -10 l-10 10" stroke="' + (m[2] === 'truncate' ? '#b00020' : '#8c564b') + '" stroke-width="2.5">' + title + '</path>';
      case 'down': case 'pause': return '<path class="' + cls + '" d="M' + mx + ' ' + (my - 6) + ' v12" stroke="#333" stroke-width="2">' + title + '</path>';
      case 'up': case 'resume': return '<path class="' + cls + '" d="M' + mx + ' ' + (my - 6) + ' v12" stroke="#2e7d32" stroke-width="2">' + title + '</path>';
      case 'fault': return '';
      default: return '<circle class="' + cls + '" cx="' + mx + '" cy="' + my + '" r="2.5" fill="' + (CATEGORY_COLORS[m[2]] || '#555') + '">' + title + '</circle>';
    }
  }

  function drawLane(row, zoomedIn) {
    var lane = data.lanes[row.lane], out = [];
    out.push('<g class="lane" data-lane="' + row.lane + '" data-node="' + esc(lane.name) + '" data-az="' + esc(lane.az) + '" data-role="' + lane.role + '">');
    out.push('<rect x="0" y="' + row.y + '" width="' + (LABEL_W + plotW()) + '" height="' + LANE_H + '" fill="' + (row.lane % 2 ? '#fcfcfd' : '#fff') + '"/>');
    out.push('<line x1="0" x2="' + (LABEL_W + plotW()) + '" y1="' + (row.y + LANE_H) + '" y2="' + (row.y + LANE_H) + '" stroke="#eee"/>');
    out.push('<text x="16" y="' + (row.y + 15) + '" class="lane-label">' + esc(lane.name) + '</text><text x="16" y="' + (row.y + 28) + '" class="lane-role">' + lane.role + '</text>');
    // outages: down (crash, power loss) and paused
    data.outages.forEach(function (o) {
      if (o.lane !== row.lane) return;
      var c = clipX(o.fromUs, o.toUs === null ? data.virtualUs : o.toUs); if (!c) return;
      out.push('<rect class="outage" data-kind="' + esc(o.kind) + '" x="' + c[0] + '" y="' + (row.y + 2) + '" width="' + (c[1] - c[0]) + '" height="' + (LANE_H - 4) + '" fill="url(#hatch-down)" opacity="0.8"><title>' + esc(lane.name + ' ' + o.kind + ' ' + fmtUs(o.fromUs) + ' to ' + (o.toUs === null ? 'the end' : fmtUs(o.toUs))) + '</title></rect>');
    });
    var series = data.activity[row.lane], cats = BAR_ORDER.filter(function (c) { return series[c]; });
    if (cats.length === 0) cats = NOISE.filter(function (c) { return series[c]; });
    // Zoomed in, the buckets' totals stay behind the sampled events, faint, so a bucket whose
    // events were only partly sampled still shows its activity across its whole width.
    if (cats.length > 0) out.push(drawActivity(row, series, cats, zoomedIn ? 0.22 : 1));
    if (zoomedIn) out.push(drawSample(row));
    out.push('</g>');
    return out.join('');
  }

  function drawActivity(row, series, cats, opacity) {
    var colUs = columnUs(), first = Math.max(0, Math.floor(view.t0 / data.bucketUs)), last = Math.min(data.bucketCount - 1, Math.floor((view.t1 - 1) / data.bucketUs));
    var perCol = colUs / data.bucketUs, cols = [], max = 0;
    for (var b = first - (first % perCol); b <= last; b += perCol) {
      var sums = cats.map(function (c) { var s = 0, arr = series[c]; for (var k = b; k < b + perCol && k < data.bucketCount; k++) s += arr[k]; return s; });
      var total = sums.reduce(function (a, v) { return a + v; }, 0);
      if (total > max) max = total;
      cols.push({ b: b, sums: sums, total: total });
    }
    if (max === 0) return '';
    var out = ['<g class="activity" clip-path="url(#plot-clip)" opacity="' + opacity + '">'], barH = LANE_H - 8;
    cols.forEach(function (col) {
      if (col.total === 0) return;
      // Square-root scale: a catch-up burst must not flatten the steady traffic next to it.
      var x0 = x(col.b * data.bucketUs), x1 = x((col.b + perCol) * data.bucketUs), w = Math.max(1, x1 - x0 - 0.5), y = row.y + LANE_H - 2;
      var colH = Math.sqrt(col.total / max) * barH;
      var tip = fmtUs(col.b * data.bucketUs) + ': ' + cats.map(function (c, i) { return col.sums[i] ? c + ' ' + col.sums[i] : ''; }).filter(Boolean).join(', ');
      out.push('<g class="activity-column"><title>' + esc(tip) + '</title>');
      cats.forEach(function (c, i) {
        if (!col.sums[i]) return;
        var h = col.sums[i] / col.total * colH; y -= h;
        out.push('<rect x="' + x0 + '" y="' + y + '" width="' + w + '" height="' + Math.max(0.5, h) + '" fill="' + (CATEGORY_COLORS[c] || '#999') + '"/>');
      });
      out.push('</g>');
    });
    out.push('</g><text x="' + (LABEL_W - 6) + '" y="' + (row.y + LANE_H - 4) + '" text-anchor="end" class="lane-scale"><title>bar height: square root of the events per column, relative to the busiest column in view</title>max ' + max + '/col</text>');
    return out.join('');
  }

  function drawSample(row) {
    var out = ['<g class="events" clip-path="url(#plot-clip)">'];
    data.sample.forEach(function (e) {
      if (e[1] !== row.lane || e[0] < view.t0 || e[0] > view.t1) return;
      var ex = x(e[0]);
      out.push('<line class="event" data-kind="' + e[2] + '" x1="' + ex + '" x2="' + ex + '" y1="' + (row.y + 12) + '" y2="' + (row.y + LANE_H - 3) + '" stroke="' + (CATEGORY_COLORS[e[2]] || '#555') + '" stroke-width="2"><title>' + esc(fmtUs(e[0]) + ' ' + e[3]) + '</title></line>');
    });
    out.push('</g>');
    return out.join('');
  }

  function drawPartition(row) {
    var p = data.partitions[row.index], out = [];
    out.push('<g class="partition" data-partition="' + esc(p.name) + '"><text x="16" y="' + (row.y + 16) + '" class="lane-label">' + esc(p.name) + '</text>');
    p.segments.forEach(function (s, i) {
      var end = i + 1 < p.segments.length ? p.segments[i + 1].fromUs : data.virtualUs;
      var c = clipX(s.fromUs, end); if (!c) return;
      var fill = s.leader === null ? 'url(#hatch-offline)' : (brokerColor[s.leader] || '#888');
      var text = s.leader === null ? 'offline, epoch ' + s.leaderEpoch : s.leader + ' · e' + s.leaderEpoch + ' · ISR ' + s.isr.join(',');
      var tip = p.name + ' ' + fmtUs(s.fromUs) + ' to ' + fmtUs(end) + ': ' + (s.leader === null ? 'offline (no leader)' : 'leader ' + s.leader) + ', epoch ' + s.leaderEpoch + ', ISR [' + s.isr.join(',') + ']';
      out.push('<g class="leader-segment" data-leader="' + esc(s.leader === null ? '' : s.leader) + '" data-isr="' + esc(s.isr.join(',')) + '"><title>' + esc(tip) + '</title>');
      out.push('<rect x="' + c[0] + '" y="' + (row.y + 3) + '" width="' + Math.max(1, c[1] - c[0] - 1) + '" height="' + (PART_H - 6) + '" fill="' + fill + '" fill-opacity="' + (s.leader === null ? 1 : 0.35 + 0.65 * Math.min(1, s.isr.length / 3)) + '" rx="2"/>');
      if (c[1] - c[0] > text.length * 6.2 + 8) out.push('<text x="' + (c[0] + 4) + '" y="' + (row.y + 16) + '" class="segment-text' + (s.leader === null ? ' offline' : '') + '">' + esc(text) + '</text>');
      out.push('</g>');
    });
    out.push('</g>');
    return out.join('');
  }

  // ---- interaction ----
  function setWindow(t0, t1) {
    var span = Math.max(MIN_SPAN_US, Math.min(data.virtualUs, t1 - t0));
    t0 = Math.max(0, Math.min(data.virtualUs - span, t0));
    view.t0 = t0; view.t1 = t0 + span;
    draw();
  }
  function zoomAt(px, factor) {
    var at = view.t0 + (px - LABEL_W) / plotW() * (view.t1 - view.t0);
    setWindow(at - (at - view.t0) * factor, at + (view.t1 - at) * factor);
  }
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var rect = svg.getBoundingClientRect();
    zoomAt(Math.max(LABEL_W, ev.clientX - rect.left), ev.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  var drag = null;
  svg.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, t0: view.t0, t1: view.t1 }; svg.classList.add('dragging'); });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var dt = (ev.clientX - drag.x) / plotW() * (drag.t1 - drag.t0);
    setWindow(drag.t0 - dt, drag.t1 - dt);
  });
  window.addEventListener('mouseup', function () { drag = null; svg.classList.remove('dragging'); });
  svg.addEventListener('dblclick', function () { setWindow(0, data.virtualUs); });
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt(LABEL_W + plotW() / 2, 0.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt(LABEL_W + plotW() / 2, 2); });
  document.getElementById('zoom-reset').addEventListener('click', function () { setWindow(0, data.virtualUs); });
  window.addEventListener('resize', draw);
  Array.prototype.forEach.call(document.querySelectorAll('[data-zoom-from]'), function (el) {
    el.addEventListener('click', function (ev) {
      ev.preventDefault();
      var from = Number(el.getAttribute('data-zoom-from')), to = Number(el.getAttribute('data-zoom-to')), pad = Math.max((to - from) * 0.1, 50 * 1000);
      setWindow(from - pad, to + pad);
      wrap.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  });

  // legend
  var legend = document.getElementById('legend');
  legend.innerHTML = BAR_ORDER.concat(NOISE).filter(function (c) { return data.activityTotals[c]; }).map(function (c) {
    return '<span class="key"><i style="background:' + CATEGORY_COLORS[c] + '"></i>' + esc(CATEGORY_NAMES[c] || c) + ' ' + data.activityTotals[c].toLocaleString('en-US') + '</span>';
  }).join('') + Object.keys(brokerColor).map(function (b) {
    return '<span class="key"><i style="background:' + brokerColor[b] + '"></i>leader ' + esc(b) + '</span>';
  }).join('');

  window.ksimTimeline = { view: view, setWindow: setWindow, x: x };
  draw();
  document.body.dataset.ready = 'true';
})();
