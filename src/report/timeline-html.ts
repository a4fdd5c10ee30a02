// The timeline page: one self-contained HTML file for one run. The run's aggregated data
// (timeline-data.ts) is embedded as JSON, the viewer (timeline-viewer.js, plain browser JS) is
// inlined, and the styles too: nothing is fetched, so the page works offline and from a CI
// artifact. Around the chart, plain HTML says what the run was and lists every violation with its
// explanation and the records it names; each record links to its window on the chart.

import * as fs from 'node:fs';
import { htmlDocument } from './html-document.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { escapeHtml, jsonForScript } from './html-escape.ts';
import type { TimelineEvent } from '../scenario/model-timeline.ts';
import { SAMPLE_MAX, type TimelineData } from './timeline-data.ts';

const VIEWER_SCRIPT_URL = new URL('./timeline-viewer.js', import.meta.url);

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 20px 24px; color: #1d1d1f; background: #fff; }
  h1 { font-size: 21px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 22px 0 8px; }
  .meta { color: #555; margin: 2px 0; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .controls { display: flex; gap: 8px; align-items: center; margin: 10px 0 6px; flex-wrap: wrap; }
  .controls button { font: inherit; padding: 2px 10px; border: 1px solid #bbb; background: #f7f7f9; border-radius: 4px; cursor: pointer; }
  #window-info { color: #444; font-size: 12px; }
  #legend { font-size: 12px; color: #333; margin-bottom: 6px; }
  #legend .key { margin-right: 12px; white-space: nowrap; }
  #legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
  #timeline-wrap { border: 1px solid #ddd; border-radius: 6px; overflow: hidden; }
  #timeline { display: block; cursor: grab; user-select: none; }
  #timeline.dragging { cursor: grabbing; }
  #timeline text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  .tick { font-size: 11px; fill: #555; }
  .lane-label { font-size: 12px; font-weight: 600; fill: #222; }
  .lane-role, .lane-scale { font-size: 10px; fill: #777; }
  .az-label { font-size: 12px; font-weight: 700; fill: #37474f; }
  .section-label { font-size: 12px; font-weight: 700; fill: #37474f; }
  .fault-text { font-size: 10px; fill: #4e2a00; pointer-events: none; }
  .segment-text { font-size: 10px; fill: #111; pointer-events: none; }
  .segment-text.offline { fill: #b00020; font-weight: 600; }
  .violation { border: 1px solid #f0c2c2; background: #fff7f7; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
  .violation.permitted { border-color: #f3d9a6; background: #fffaf0; }
  .badge { display: inline-block; font-size: 11px; font-weight: 700; padding: 0 6px; border-radius: 8px; color: #fff; background: #b00020; margin-right: 6px; }
  .permitted .badge { background: #b26a00; }
  .violation .message { margin: 4px 0; }
  .violating-record { margin: 4px 0; }
  .violating-record > a { color: #b00020; font-weight: 600; }
  .record-events { font-size: 12px; margin: 2px 0 6px 16px; padding: 0; list-style: none; }
  .record-events a { color: #444; text-decoration: none; }
  .record-events a:hover { text-decoration: underline; }
  .note { color: #555; font-size: 12px; }
`;

export function renderTimelineHtml(data: TimelineData): string {
  const script = fs.readFileSync(VIEWER_SCRIPT_URL, 'utf8');
  const title = `ksim timeline: ${data.scenarioName}, seed ${data.seed}`;
  const bands = data.style.bands ? `${data.bands.length} ${data.style.bands.noun}, ` : '';
  const counts =
    `${data.eventLines.toLocaleString('en-US')} events over ${(data.virtualUs / 1e6).toFixed(1)} s virtual; ` +
    `${data.lanes.length} nodes in ${data.azs.length} AZs, ${bands}${data.faults.length} faults`;
  const marks = data.style.legendNote ? `${data.style.legendNote}; ` : '';
  return htmlDocument(title, STYLE, `<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(counts)}; model ${escapeHtml(data.model)}, trace hash <code>${escapeHtml(data.traceHash)}</code></p>
<p class="meta">Trace <code>${escapeHtml(data.tracePath)}</code>; replay it with <code>${escapeHtml(ksimCommandLine(['replay', data.tracePath]))}</code></p>
<div class="controls">
  <button id="zoom-in" type="button" title="zoom in">+</button>
  <button id="zoom-out" type="button" title="zoom out">&minus;</button>
  <button id="zoom-reset" type="button" title="whole run (or double-click the chart)">whole run</button>
  <span id="window-info"></span>
</div>
<div id="legend"></div>
<div id="timeline-wrap"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="timeline of the run"></svg></div>
<p class="note">Wheel: zoom at the pointer; drag: pan; double-click: whole run. Orange bands: faults (over the nodes they hold); grey hatching: a node down or paused;
${escapeHtml(marks)}red diamonds: events of the violating records.
Activity is aggregated per ${escapeHtml(formatBucket(data.bucketUs))} bucket, bar heights on a square-root scale per lane; zoomed in, individual events are a sample (up to ${data.samplePerBucket} per bucket, picked uniformly, at most ${SAMPLE_MAX.toLocaleString('en-US')} in all${data.sampleDropped > 0 ? `; ${data.sampleDropped.toLocaleString('en-US')} events not sampled` : ''}).${data.marksDropped > 0 ? ` ${data.marksDropped.toLocaleString('en-US')} marks beyond the cap are not shown.` : ''}</p>

<h2>Violations</h2>
${renderViolations(data)}
<script type="application/json" id="timeline-data">${jsonForScript(data)}</script>
<script type="module">
${script}
</script>
</body>
</html>
`);
}

function formatBucket(us: number): string {
  return us >= 1000 ? `${us / 1000} ms` : `${us} µs`;
}

function renderViolations(data: TimelineData): string {
  const note = `<p class="note">${escapeHtml(data.violationsNote)}</p>`;
  if (data.violations.length === 0) return `<p id="no-violations">Every checked property holds.</p>${note}`;
  const items = data.violations.map((v, i) => {
    const cls = v.classification === 'permitted' ? 'permitted' : 'breach';
    const records = v.records.map((r) => {
      const times = r.events.map((e) => e[0]);
      const zoom = times.length > 0 ? ` data-zoom-from="${Math.min(...times)}" data-zoom-to="${Math.max(...times)}"` : '';
      const events = r.events
        .map((e) => `<li><a href="#timeline" class="event-link" data-zoom-from="${e[0]}" data-zoom-to="${e[0]}" title="zoom to this event">${escapeHtml(formatEvent(e, data))}</a></li>`)
        .join('');
      return (
        `<li class="violating-record" data-record="${r.record}" data-property="${escapeHtml(v.property)}">` +
        `<a href="#timeline"${zoom}>r${r.record}${r.offset === null ? '' : ` at offset ${r.offset}`}</a>` +
        `${v.band ? ` in ${escapeHtml(v.band)}` : ''}: <span class="explanation">${escapeHtml(v.property)}, ${escapeHtml(v.classification ?? 'unclassified')}: ${escapeHtml(recordStory(r.events, data) || 'no events of this record in the trace')}</span>` +
        `<ul class="record-events">${events}</ul></li>`
      );
    });
    return (
      `<div class="violation ${cls}" data-violation="${i}" data-property="${escapeHtml(v.property)}">` +
      `<span class="badge">${escapeHtml(v.classification ?? 'violation')}</span><b>${escapeHtml(v.property)}</b>${v.band ? ` in ${escapeHtml(v.band)}` : ''}` +
      `<p class="message">${escapeHtml(v.message)}</p>` +
      (records.length > 0 ? `<ul class="records">${records.join('')}</ul>` : '') +
      `</div>`
    );
  });
  return items.join('\n') + note;
}

function formatEvent(e: TimelineEvent, data: TimelineData): string {
  const node = e[1] >= 0 ? data.lanes[e[1]].name : 'cluster';
  return `${(e[0] / 1e6).toFixed(6)} s ${node}: ${e[3]}`;
}

/** One line: the record's events of the kinds that tell its story (sent, acknowledged, truncated...). */
function recordStory(events: TimelineEvent[], data: TimelineData): string {
  const pick = events.filter((e) => data.style.storyKinds.includes(e[2]));
  return pick.map((e) => `${e[3]} (${(e[0] / 1e6).toFixed(3)} s${e[1] >= 0 ? `, ${data.lanes[e[1]].name}` : ''})`).join('; ');
}
