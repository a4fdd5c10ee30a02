// Fixed inputs the fuzzer runs every time: the cases of issue 17 that once ended in a stack trace,
// a hang or a silent acceptance, and every failure the fuzzer found since (each shrunk, then kept
// here with the outcome it must have now).

import type { FuzzCase } from './hostile-cases.ts';

const SMALL = ['--scenario', 'check-small', '--set', 'durationMs=2000'];

export const REGRESSIONS: FuzzCase[] = [
  {
    family: 'scenario',
    argv: ['run', '--scenario', '@DIR/hold.json'],
    files: { 'hold.json': '{"model":"kafka","durationMs":1000,"faults":[{"atMs":10,"kind":"hold","from":"b1","to":"b1","durationMs":10}]}' },
    codes: [2],
    stderr: '"faults\\[0\\]\\.to" is "b1", the same node as "from"',
  },
  { family: 'bound', argv: ['run', '--set', 'cluster.brokers=4294967296'], files: {}, codes: [2], stderr: '"cluster\\.brokers": at most 200' },
  { family: 'argv', argv: ['check', '--seed', '1', '--path', 'x:y', '--traces-dir', '@DIR/t'], files: {}, codes: [2], stderr: '--path "x:y"' },
  { family: 'argv', argv: ['run', ...SMALL, '--trace', ''], files: {}, codes: [2], stderr: 'trace "": the path is empty' },
  { family: 'argv', argv: ['sweep', ...SMALL, '--out', '/proc/x'], files: {}, codes: [2], stderr: 'cannot create --out "/proc/x"' },
  { family: 'argv', argv: ['run', '--scenario', '@DIR/fifo'], files: {}, codes: [2], stderr: 'it is a FIFO' },
  { family: 'set', argv: ['run', ...SMALL, '--set', 'network.__proto__.x=1'], files: {}, codes: [2], stderr: '"__proto__" is not a scenario field' },
  { family: 'set', argv: ['run', ...SMALL, '--set', 'request.timeout.ms=0'], files: {}, codes: [2], stderr: 'request\\.timeout\\.ms must be at least 1 in ksim' },
  { family: 'argv', argv: ['check', '--runs', '0', '--traces-dir', '@DIR/t'], files: {}, codes: [2], stderr: '--runs "0"' },
  {
    family: 'set',
    argv: ['run', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=1000', '--set', 'faults=[]', '--set', 'heartbeat.intervalMs=1e-300'],
    files: {},
    codes: [2],
    stderr: 'without virtual time moving on',
  },
  {
    family: 'bound',
    argv: ['run', ...SMALL, '--set', 'cluster.brokers=9007199254741192'],
    files: {},
    codes: [2],
    stderr: '"cluster\\.brokers": at most 200',
  },
  // Found by the 2,000-case fuzz of the merged main (seed 17, path 562): a scenario path under a file.
  {
    family: 'argv',
    argv: ['run', '--scenario', '@DIR/plain.txt/x', '--set', 'durationMs=1500', '--set', 'faults=[]'],
    files: { 'plain.txt': 'not JSON, not a trace\n' },
    codes: [2],
    stderr: 'cannot read scenario ".*plain\\.txt/x": no such file',
  },
  // Found by the 2,000-case fuzz of the final main (seed 17): ksim with no arguments printed
  // commander's usage as an error, many lines, exit 2.
  { family: 'argv', argv: [], files: {}, codes: [0] },
];
