// The shell every ksim HTML page shares: a standalone UTF-8 document with its own inline style and
// nothing fetched, so a page works offline and renders the same bytes for the same input.

import { escapeHtml } from './html-escape.ts';

export function htmlDocument(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}`;
}
