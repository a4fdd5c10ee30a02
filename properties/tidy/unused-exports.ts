// Exports nothing imports. Every file's exports are matched against every import, re-export and
// dynamic import of the project (tests and property suites included: an export a test uses is
// used); a namespace import, `export *`, a dynamic `import()` or a `new URL(..., import.meta.url)`
// of a file (a module loaded by URL: a worker's registry, the timeline's script) uses all of its
// exports; an import of x.mjs uses the same names of its declarations, x.d.mts. Default exports are entry points (vitest config, worker tasks) and never count.

import { dirname, join, normalize } from 'node:path';
import { parseSource } from './parse-source.ts';
import type { SourceFile } from './source-files.ts';

type Node = { type?: string; [field: string]: unknown };

interface ModuleFacts {
  exports: string[];
  /** Imported file (project-relative) -> names used, '*' for all. */
  uses: Map<string, Set<string>>;
}

function name(node: unknown): string | undefined {
  const n = node as Node | undefined;
  return n && (n.type === 'Identifier' || n.type === 'StringLiteral') ? String(n.value) : undefined;
}

function declaredNames(decl: Node): string[] {
  if (decl.type === 'VariableDeclaration') return (decl.declarations as Node[]).map((d) => name(d.id)).filter((n): n is string => n !== undefined);
  const id = name(decl.identifier ?? decl.id);
  return id === undefined ? [] : [id];
}

function exportsOf(body: Node[]): string[] {
  const out: string[] = [];
  for (const item of body) {
    if (item.type === 'ExportDeclaration') out.push(...declaredNames(item.declaration as Node));
    else if (item.type === 'ExportNamedDeclaration')
      for (const s of item.specifiers as Node[]) out.push(name(s.exported) ?? name(s.orig) ?? '');
  }
  return out.filter((n) => n !== '' && n !== 'default');
}

/** The name an import specifier takes from its module: its own, 'default', or '*' for a namespace. */
function importedName(s: Node): string {
  if (s.type === 'ImportSpecifier') return name(s.imported) ?? name(s.local)!;
  return s.type === 'ImportNamespaceSpecifier' ? '*' : 'default';
}

/** Every module specifier the file uses and which of its names (walks the whole tree for import() and new URL()). */
function usesOf(path: string, body: Node[]): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  const use = (specifier: string, names: string[]) => {
    if (!specifier.startsWith('.')) return;
    const target = normalize(join(dirname(path), specifier)).split('\\').join('/');
    // A JavaScript module's declarations (x.d.mts beside x.mjs) are used as the module is.
    for (const file of target.endsWith('.mjs') ? [target, target.replace(/\.mjs$/, '.d.mts')] : [target]) {
      const set = uses.get(file) ?? new Set<string>();
      for (const n of names) set.add(n);
      uses.set(file, set);
    }
  };
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Node;
    const source = name(node.source);
    if (node.type === 'ImportDeclaration' && source !== undefined) use(source, (node.specifiers as Node[]).map(importedName));
    else if (node.type === 'ExportNamedDeclaration' && source !== undefined) use(source, (node.specifiers as Node[]).map((s) => name(s.orig) ?? '*'));
    else if (node.type === 'ExportAllDeclaration' && source !== undefined) use(source, ['*']);
    else if ((node.type === 'CallExpression' && (node.callee as Node).type === 'Import') || (node.type === 'NewExpression' && name(node.callee) === 'URL')) {
      const first = name(((node.arguments as Node[] | undefined)?.[0] as Node | undefined)?.expression);
      if (first !== undefined) use(first, ['*']);
    }
    for (const [field, child] of Object.entries(node)) if (field !== 'span') visit(child);
  };
  visit(body);
  return uses;
}

function facts(file: SourceFile): ModuleFacts {
  const body = parseSource(file.path, file.text).module.body as unknown as Node[];
  return { exports: exportsOf(body), uses: usesOf(file.path, body) };
}

/**
 * "path: name" for every export of `checked` that no file of `all` uses. `checked` is the files
 * whose exports are judged (tests are left out: nothing imports a test).
 */
export function unusedExports(checked: readonly SourceFile[], all: readonly SourceFile[]): string[] {
  const used = new Map<string, Set<string>>();
  for (const file of all)
    for (const [target, names] of facts(file).uses) {
      const set = used.get(target) ?? new Set<string>();
      for (const n of names) set.add(n);
      used.set(target, set);
    }
  const out: string[] = [];
  for (const file of checked) {
    const names = used.get(file.path);
    if (names?.has('*')) continue;
    for (const e of facts(file).exports) if (!names?.has(e)) out.push(`${file.path}: ${e}`);
  }
  return out;
}
