// The README's command examples, as data: every fenced block holding `$ npx ksim ...` lines, each
// command (a trailing `\` continues it on the next line) with the output the README shows below
// it. `npm run readme` (write-readme.ts) runs every command for real and rewrites its output;
// readme-examples.test.ts runs them and checks their shape. Output is never edited by hand.
//
// Abridging, as the README marks it: a line that is only `...` stands for lines left out; an
// output line ending in ` ...` is a long line cut there. When the README shows an abridged
// output, the regenerated one keeps, in order, the real lines that begin as the shown ones do (the
// same indentation and words up to the first `:` or digit, else the same first word), cut at the
// same length, with the `...` lines where they were; when none is printed any more, all of it. A command shown without output is an example of usage: it is run by
// neither (the test checks its flags with --help only).
//
// Commands run in a scratch directory (`<tmp>/work`) that holds the fixtures the README's error
// examples name (bad.json, broken.json, edited.jsonl) and, as the repository's root does, traces/
// and examples/: nothing outside the repository, which a user who cloned it alone does not have.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface ReadmeCommand {
  /** The command's lines as written (continuations included), e.g. ["$ npx ksim run --seed 7"]. */
  lines: string[];
  /** The arguments after `npx ksim`. */
  argv: string[];
  /** The output the README shows below it. */
  output: string[];
  /** A blank line separates it from the next command. */
  gapAfter: boolean;
}

interface ReadmeBlock {
  /** Line index (0-based) of the opening fence and of the closing one. */
  start: number;
  end: number;
  commands: ReadmeCommand[];
}

/** Shell-like words of a command line: single and double quotes group, nothing else is special. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let word = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last && word !== '') {
      words.push(word);
      word = '';
    }
    word += m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
    last = re.lastIndex;
    if (text[last] === undefined || /\s/.test(text[last])) {
      words.push(word);
      word = '';
    }
  }
  if (word !== '') words.push(word);
  return words;
}

const PROMPT = '$ npx ksim ';
/** `npm start` is `ksim run` (package.json), shown as the README's first example. */
const NPM_START = '$ npm start';

const isCommand = (line: string | undefined) => line !== undefined && (line.startsWith(PROMPT) || line === NPM_START);

/** Every fenced block of `readme` with at least one `$ npx ksim` command. */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const body = lines.slice(start + 1, end);
    i = end;
    if (lines[start] !== '```' || !body.some(isCommand)) continue;
    const commands: ReadmeCommand[] = [];
    for (let j = 0; j < body.length; j++) {
      if (!isCommand(body[j])) {
        const last = commands[commands.length - 1];
        if (body[j] === '' && isCommand(body[j + 1])) {
          if (last) last.gapAfter = true;
        } else if (last) last.output.push(body[j]);
        continue;
      }
      const cmdLines = [body[j]];
      while (cmdLines[cmdLines.length - 1].endsWith('\\') && j + 1 < body.length) cmdLines.push(body[++j]);
      const text = body[j] === NPM_START ? 'run' : cmdLines.map((l) => l.replace(/\\$/, '')).join(' ').slice(PROMPT.length);
      commands.push({ lines: cmdLines, argv: shellWords(text), output: [], gapAfter: false });
    }
    blocks.push({ start, end, commands });
  }
  return blocks;
}

/** The words a shown line begins with, for finding the real line it stands for. */
export function lineKey(line: string): string {
  const m = /^(\s*[^:\d]*)/.exec(line);
  return (m ? m[1] : line).trimEnd();
}

const ELLIPSIS = /^\s*\.\.\.\s*$/;

/** The real output abridged as the README's shown output is (see the opening comment). */
export function abridgeLike(shown: readonly string[], real: readonly string[]): string[] {
  if (!shown.some((l) => ELLIPSIS.test(l) || l.endsWith(' ...'))) return [...real];
  const out: string[] = [];
  let from = 0;
  for (const line of shown) {
    if (ELLIPSIS.test(line)) {
      out.push(line);
      continue;
    }
    const key = lineKey(line);
    let at = real.findIndex((r, i) => i >= from && lineKey(r) === key);
    // A line whose first words changed (a path in them, say): the next one with its first word.
    if (at < 0) at = real.findIndex((r, i) => i >= from && firstWord(r) === firstWord(line));
    if (at < 0) continue;
    from = at + 1;
    const cut = line.endsWith(' ...') ? line.length - 4 : Infinity;
    out.push(real[at].length > cut ? `${real[at].slice(0, cut)} ...` : real[at]);
  }
  // Nothing the README showed is printed any more: the whole real output, not an empty block.
  return out.every((l) => ELLIPSIS.test(l)) ? [...real] : out;
}

/** The indentation and first word of a line. */
function firstWord(line: string): string {
  return /^\s*\S*/.exec(line)![0];
}

/** Commands whose real run takes minutes: the test checks their flags with --help only. */
export function isLong(argv: readonly string[]): boolean {
  const runs = argv.indexOf('--runs');
  return argv[0] === 'sweep' || argv[0] === 'bench' || argv[0] === 'report' || (argv[0] === 'check' && runs >= 0 && Number(argv[runs + 1]) > 50);
}

interface CommandResult {
  code: number;
  lines: string[];
}

const REPO = path.join(import.meta.dirname, '..', '..');
const BIN = path.join(REPO, 'src', 'cli', 'bin.mjs');

/** A scratch directory with the fixtures the README's examples name; returns its work directory. */
export function readmeWorkDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-readme-'));
  const work = path.join(root, 'work');
  fs.mkdirSync(work);
  // The corpus traces and example scenarios the README reads (`ksim history traces/...`,
  // `--scenario examples/scenarios/...`), as from the repository's root.
  for (const dir of ['traces', 'examples']) fs.symlinkSync(path.join(REPO, dir), path.join(work, dir));
  const bad = { model: 'kafka', durationMs: 1000, topics: [{ name: 't', 'replication.factor': 5 }], producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10 }] };
  fs.writeFileSync(path.join(work, 'bad.json'), JSON.stringify(bad, null, 2) + '\n');
  fs.writeFileSync(path.join(work, 'broken.json'), '{\n  "model": "kafka",\n}\n');
  runKsim(work, ['run', '--set', 'durationMs=1000', '--set', 'faults=[]', '--trace', 'edited.jsonl']);
  const trace = fs.readFileSync(path.join(work, 'edited.jsonl'), 'utf8').split('\n');
  trace[201] = trace[201].replace(/\d/, (d) => String((Number(d) + 1) % 10));
  fs.writeFileSync(path.join(work, 'edited.jsonl'), trace.join('\n'));
  return work;
}

/** Runs `ksim argv` in `cwd`: stdout, then stderr when it is an error (exit 2). */
export function runKsim(cwd: string, argv: readonly string[]): CommandResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const code = r.status ?? 1;
  const text = r.stdout + (code === 2 || r.stdout === '' ? r.stderr : '');
  return { code, lines: text.replace(/\n$/, '').split('\n') };
}

/** A line with its wall-clock figures masked (they differ from run to run, their unit too: 980 ms, 1.02 s). */
export function withoutWallClock(line: string): string {
  return line
    .replace(/[\d.,]+ (s|ms) wall/g, '# wall')
    .replace(/[\d.,]+x real time/g, '#x real time')
    .replace(/\([\d.,]+ runs\/s\)/g, '(# runs/s)');
}
