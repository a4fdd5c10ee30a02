// Every function of a source file with its name and length in lines: declarations, expressions,
// arrows, methods, constructors, getters and setters. A function is named after what it is bound
// to (`Class.method`, the variable or property it is assigned to), else `<anonymous>` in its
// enclosing function; a nested function counts on its own and in its parent's length. The body of
// a test suite (the function given to `describe`) is a list of cases, not a function to keep
// short: it is not counted, its cases are.

import type { Span } from '@swc/core';
import { parseSource } from './parse-source.ts';

interface FunctionSpan {
  name: string;
  /** First line, 1-based. */
  line: number;
  lines: number;
}

type Node = { type?: string; span?: Span; [field: string]: unknown };

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassMethod',
  'PrivateMethod',
  'Constructor',
  'MethodProperty',
  'GetterProperty',
  'SetterProperty',
]);

function keyName(key: unknown): string | undefined {
  const k = key as Node | undefined;
  if (!k) return undefined;
  if (k.type === 'Identifier' || k.type === 'StringLiteral') return String(k.value);
  if (k.type === 'PrivateName') return `#${String((k.id as Node | undefined)?.value ?? k.value)}`;
  return undefined;
}

/** The name a node gives to a function it holds (a declaration, variable, property or method). */
function bindingName(node: Node): string | undefined {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
      return keyName(node.identifier);
    case 'VariableDeclarator':
      return keyName(node.id);
    case 'KeyValueProperty':
    case 'ClassProperty':
    case 'PrivateProperty':
    case 'ClassMethod':
    case 'PrivateMethod':
    case 'MethodProperty':
    case 'GetterProperty':
    case 'SetterProperty':
      return keyName(node.key);
    case 'Constructor':
      return 'constructor';
    default:
      return undefined;
  }
}

/** How a call reads: `it`, `describe.each`, `items.map`. */
function calleeText(callee: unknown): string {
  const c = callee as Node | undefined;
  if (!c) return '';
  if (c.type === 'Identifier') return String(c.value);
  if (c.type === 'MemberExpression') {
    const object = calleeText(c.object);
    return `${object ? `${object}.` : ''}${keyName(c.property) ?? ''}`;
  }
  if (c.type === 'CallExpression') return calleeText(c.callee);
  return '';
}

/** A function passed to a call is named after the call: `it(keeps order)`, `items.map()`. */
function callbackName(call: Node): string {
  const first = (call.arguments as Node[])[0]?.expression as Node | undefined;
  const label = first && first.type === 'StringLiteral' ? String(first.value) : '';
  return `${calleeText(call.callee)}(${label})`;
}

/** `describe(...)`, `describe.each(...)(...)`, `describe.skip(...)`. */
function isSuite(callee: unknown): boolean {
  const c = callee as Node | undefined;
  if (!c) return false;
  if (c.type === 'Identifier') return c.value === 'describe';
  if (c.type === 'MemberExpression') return isSuite(c.object);
  if (c.type === 'CallExpression') return isSuite(c.callee);
  return false;
}

export function functionSpans(path: string, text: string): FunctionSpan[] {
  const source = parseSource(path, text);
  const out: FunctionSpan[] = [];
  const suites = new Set<unknown>();
  const visit = (value: unknown, owner: string, pending: string | undefined) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, owner, pending);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const node = value as Node;
    if (node.type === 'CallExpression' && isSuite(node.callee)) for (const arg of node.arguments as Node[]) suites.add(arg.expression);
    let name = bindingName(node) ?? pending;
    let scope = owner;
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression' || node.type === 'ObjectExpression') scope = name ?? owner;
    else if (node.type !== undefined && FUNCTION_TYPES.has(node.type) && node.span && !suites.has(node)) {
      const full = name ? (owner && !['FunctionDeclaration', 'VariableDeclarator'].includes(node.type) ? `${owner}.${name}` : name) : `<anonymous>${owner ? ` in ${owner}` : ''}`;
      out.push({ name: full, line: source.lineOf(node.span.start), lines: source.lines(node.span) });
      scope = full;
      name = undefined;
    }
    if (node.type === 'CallExpression') {
      visit(node.callee, scope, undefined);
      for (const arg of node.arguments as Node[]) visit(arg.expression, scope, callbackName(node));
      return;
    }
    for (const [field, child] of Object.entries(node)) {
      if (field === 'span' || field === 'key' || field === 'identifier') continue;
      // A name passes to the function it binds (a variable's init, a property's value), no further.
      const passes = field === 'init' || field === 'value' || field === 'function' || field === 'body';
      visit(child, scope, passes && name !== undefined && node.type !== 'ClassDeclaration' && node.type !== 'ObjectExpression' ? name : undefined);
    }
  };
  visit(source.module.body, '', undefined);
  return out;
}

/** Lines of a file, as an editor counts them (a final newline does not start a line). */
export function fileLines(text: string): number {
  if (text.length === 0) return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}
