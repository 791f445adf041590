// The boundaries between the three parts of the project (docs/architecture.md), checked by
// `npm run lint` with dependency-cruiser: the library (src/) stands alone, the app (stacks/) uses
// the library, the toolchain (tools/) reads the app's public surface and synthesized output.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle anywhere: each module can be read, tested and loaded on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'library-stands-alone',
      severity: 'error',
      comment: 'src/ is the construct library: it imports nothing of the app, the toolchain or the tests.',
      from: { path: '^src/' },
      to: { path: '^(stacks|tools|scripts|__tests__)/|^main\\.ts$' },
    },
    {
      name: 'library-dependencies',
      severity: 'error',
      comment: 'src/ depends only on cdktf, constructs, @cdktf/provider-aws and Node itself.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(cdktf|constructs|@cdktf/provider-aws)/' },
    },
    {
      name: 'core-imports-no-construct',
      severity: 'error',
      comment: 'src/core is the ground floor (stack base, naming, validation, iam, metrics, json): it imports no construct.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'constructs-use-no-pattern',
      severity: 'error',
      comment: 'Patterns compose constructs; a construct never imports a pattern.',
      from: { path: '^src/(?!patterns/|index\\.ts$)' },
      to: { path: '^src/patterns/' },
    },
    {
      name: 'library-uses-no-private-cdktf',
      severity: 'error',
      comment: "cdktf's internals (cdktf/lib/...) are patched in one place, tools/synth/fast-path.ts; the library uses cdktf's public API.",
      from: { path: '^src/' },
      to: { path: '(^|/)node_modules/cdktf/lib/', pathNot: '(^|/)node_modules/cdktf/lib/index\\.js$' },
    },
    {
      name: 'app-uses-the-library',
      severity: 'error',
      comment: 'stacks/ composes the library; the toolchain runs it, never the reverse.',
      from: { path: '^stacks/' },
      to: { path: '^(tools|scripts|__tests__)/|^main\\.ts$' },
    },
    {
      name: 'app-creates-no-raw-resources',
      severity: 'error',
      comment: 'Stacks compose constructs and patterns; provider resources are the library\'s to create.',
      from: { path: '^stacks/' },
      to: { path: '(^|/)node_modules/@cdktf/provider-aws/' },
    },
    {
      name: 'stacks-are-independent',
      severity: 'error',
      comment: 'One stack never imports another stack (shared shapes live in stacks/settings, shared code in src/).',
      from: { path: '^stacks/([^/]+)/' },
      to: { path: '^stacks/([^/]+)/', pathNot: ['^stacks/$1/', '^stacks/settings/'] },
    },
    {
      name: 'toolchain-reads-the-app-surface',
      severity: 'error',
      comment: "tools/ reads the app through stacks/index.ts (the stack registry) and stacks/settings (the settings loader), never a stack's internals.",
      from: { path: '^tools/' },
      to: { path: '^stacks/(?!index\\.ts$|settings/)' },
    },
    {
      name: 'nothing-imports-tests',
      severity: 'error',
      from: { path: '^(src|stacks|tools)/|^main\\.ts$' },
      to: { path: '^__tests__/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdktf\\.out|\\.gen|\\.terraform-cli|\\.test-out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'default'] },
  },
};
