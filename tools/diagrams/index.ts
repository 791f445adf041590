/**
 * `npm run diagrams [-- [--check] [stack ...]]`: the picture of each stack, `docs/<stack>.svg`,
 * drawn from its model (its synthesized Terraform and the relations its constructs recorded;
 * default settings, plan-time look-ups pinned as in `npm run plan`) by `graphOf` and laid out by
 * Graphviz (`@viz-js/viz`, WebAssembly).
 *
 * - no stack named: every stack of the app;
 * - `--check`: writes nothing, lists the pictures that differ from what the stacks give now and
 *   exits 1 when there is any (`__tests__/tools/diagrams.test.ts` does the same for every stack).
 *
 * Exit codes: 0 done (or up to date), 1 out of date or failed, 2 bad arguments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import type { Viz } from '@viz-js/viz';
import { enforce } from '../guardrails';
import { installFastPath, synthesizeInMemory } from '../synth';
import { asDeployed, stacksWithoutImages } from '../synth/deployed';
import { STACK_NAMES, buildApp } from '../../stacks';
import { StackModel } from '../model';
import { LAYOUTS, shownFont } from './dot';
import { graphOf } from './graph';

/** Where the pictures live. */
export const DOCS_DIR = path.resolve(__dirname, '..', '..', 'docs');

/** `docs/<stack>.svg`, relative to the repository (for messages). */
export function diagramFile(stack: string): string {
  return `docs/${stack}.svg`;
}

/**
 * The model of one stack with its default settings, as deployed (its images pushed: `imageTag` set
 * where it is unset, so services show their configured task ranges), synthesized in memory with
 * its constructs' relations.
 */
export function synthesizeStack(stack: string): StackModel {
  installFastPath();
  const app = Testing.app();
  const built = buildApp(app, { context: asDeployed({}, stacksWithoutImages({}, [stack])) }, { only: [stack], preview: true });
  const construct = built.get(stack);
  if (!construct) throw new Error(`unknown stack ${JSON.stringify(stack)}; stacks: ${STACK_NAMES.join(', ')}`);
  const { document } = synthesizeInMemory(construct as TerraformStack);
  // The guardrails, as on every synth: an error-severity finding stops the picture (warnings are synth's to print).
  enforce([{ name: stack, json: document }], () => undefined);
  return StackModel.fromStack(construct as TerraformStack, document);
}

/** The picture's width in points, as Graphviz writes it. */
export function svgWidth(svg: string): number {
  return Number(/<svg width="([\d.]+)pt"/.exec(svg)?.[1] ?? NaN);
}

/** A Graphviz instance (compiling the WebAssembly takes a moment: reuse it for every stack). */
export async function createViz(): Promise<Viz> {
  // The package's CommonJS entry.
  const { instance } = require('@viz-js/viz') as typeof import('@viz-js/viz');
  return instance();
}

/** DOT laid out by Graphviz `dot`, as SVG. */
export function svgOf(viz: Viz, dot: string): string {
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz failed: ${result.errors.map((e) => `${e.level ?? 'error'}: ${e.message}`).join('; ')}`);
  }
  const svg = shownFont(result.output);
  return svg.endsWith('\n') ? svg : `${svg}\n`;
}

/**
 * The picture of one stack, as it would be written to `docs/<stack>.svg`: laid out in each of
 * `LAYOUTS`, the narrowest kept (the first of equals), so it reads at the README's width.
 */
export function renderStack(viz: Viz, stack: string): string {
  const model = synthesizeStack(stack);
  const drawn = LAYOUTS.map((layout) => svgOf(viz, graphOf(model, stack, layout)));
  return drawn.reduce((best, svg) => (svgWidth(svg) < svgWidth(best) ? svg : best));
}

/** Runs the command; returns the exit code. */
export async function main(args: readonly string[], log: (line: string) => void = console.log, error: (line: string) => void = console.error): Promise<number> {
  const check = args.includes('--check');
  const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--check');
  const named = args.filter((a) => !a.startsWith('-'));
  const unknownStacks = named.filter((n) => !STACK_NAMES.includes(n));
  if (unknownFlags.length || unknownStacks.length) {
    for (const f of unknownFlags) error(`unknown option ${f}; usage: npm run diagrams -- [--check] [stack ...]`);
    for (const s of unknownStacks) error(`unknown stack ${s}; stacks: ${STACK_NAMES.join(', ')}`);
    return 2;
  }
  const stacks = named.length ? [...new Set(named)] : [...STACK_NAMES];
  const viz = await createViz();
  const stale: string[] = [];
  if (!check) fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const stack of stacks) {
    const svg = renderStack(viz, stack);
    const file = path.join(DOCS_DIR, `${stack}.svg`);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (check) {
      if (current !== svg) stale.push(diagramFile(stack));
    } else if (current === svg) {
      log(`${diagramFile(stack)} is up to date`);
    } else {
      fs.writeFileSync(file, svg);
      log(`wrote ${diagramFile(stack)}`);
    }
  }
  if (check) {
    if (stale.length) {
      for (const f of stale) error(`${f} is out of date: run npm run diagrams`);
      return 1;
    }
    log(`${stacks.length === 1 ? diagramFile(stacks[0]) : `${stacks.length} diagrams`} up to date`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
