// Import rules of ksim, checked by `npm run lint:deps` (CI) and properties/tidy/import-rules.test.ts:
//
//   no-circular        no import cycle between files (type-only imports count)
//   no-folder-cycles   no import cycle between folders (a folder counts with its subfolders)
//   src-not-to-models  the engine never imports a model; only src/cli and the library API (src/api)
//                      load the registry
//   kernel-not-upward  the kernel (sim, kernel, net, faults, trace, check, scenario) never imports
//                      the exploration, the reports or the CLI built on it
//   only-cli-to-cli    nothing imports the CLI but the CLI
//   not-to-properties  src/ and models/ never import the property suites
//
// Tests are left out of the cruise: a test is a leaf nothing imports, and a test of one folder
// through a higher one (a network test through the kernel's probe model) is not a layering cycle.
// Whether tests import models is checked by the tidy test, which cruises them too.
//
// TypeScript 7 has no JS API, so files are parsed with swc.

const KERNEL = '^src/(sim|kernel|net|faults|trace|check|scenario)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle between files: cut it with a narrow interface, or move what both need into a third file.',
      severity: 'error',
      from: { path: '^(src|models)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'An import cycle between folders: one of them must not know the other.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|models)' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-models',
      comment: 'The engine knows no model: a model hands it what it needs through its ModelDefinition. Only src/cli and src/api load the registry.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|api)/' },
      to: { path: '^models/' },
    },
    {
      name: 'kernel-not-upward',
      comment: 'The kernel never imports what is built on it (exploration, reports, the CLI).',
      severity: 'error',
      from: { path: KERNEL },
      to: { path: '^src/(explore|report|cli)/' },
    },
    {
      name: 'only-cli-to-cli',
      comment: 'The CLI is the top: nothing but the CLI imports it.',
      severity: 'error',
      from: { path: '^(src|models)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'not-to-properties',
      comment: 'The property suites test the product; the product never imports them.',
      severity: 'error',
      from: { path: '^(src|models)/' },
      to: { path: '^properties/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.test\\.ts$'] },
  },
};
