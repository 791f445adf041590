/**
 * The committed pictures (docs/<stack>.svg) as a reader sees them in the README (about 800 px
 * wide): up to date with the stacks as deployed (`npm run diagrams -- --check`), readable at that
 * width, no label wider than its box in a browser (measured in DejaVu Sans, the widest font a
 * browser picks for them), task ranges as configured, and Service Connect drawn as one mesh.
 */
import * as fs from 'fs';
import * as path from 'path';
import { STACK_NAMES } from '../../../stacks';
import { DOCS_DIR, main } from '../../../tools/diagrams';
import { overflows, smallestText, textWidth, widthOf } from './svg-text';

/** The README's width, in CSS pixels. */
const README_WIDTH_PX = 800;
/** The smallest text a reader should have to read there, in CSS pixels. */
const READABLE_PX = 8;
/** Too wide still: it needs splitting into two pictures (its README section would show both); here it may not grow. */
const KNOWN_WIDE: Readonly<Record<string, number>> = { 'nutrition-video-analysis': 1600 };

const picture = (stack: string): string => fs.readFileSync(path.join(DOCS_DIR, `${stack}.svg`), 'utf8');

/** The size (CSS px) of the smallest text when the picture is shown `README_WIDTH_PX` wide (1 pt = 4/3 px on both sides). */
const smallestAtReadmeWidth = (svg: string): number => (smallestText(svg) * README_WIDTH_PX) / widthOf(svg);

it('are what npm run diagrams draws now (npm run diagrams -- --check)', async () => {
  const errors: string[] = [];
  expect(await main(['--check'], () => undefined, (l) => errors.push(l))).toBe(0);
  expect(errors).toEqual([]);
});

describe.each(STACK_NAMES.map((s) => [s]))('docs/%s.svg', (stack) => {
  const svg = picture(stack);

  it(`reads at ${README_WIDTH_PX} px: its smallest text is at least ${READABLE_PX} px there`, () => {
    if (KNOWN_WIDE[stack]) expect(widthOf(svg)).toBeLessThanOrEqual(KNOWN_WIDE[stack]);
    else expect(smallestAtReadmeWidth(svg)).toBeGreaterThanOrEqual(READABLE_PX);
  });

  it('has every label inside its box in a browser', () => {
    expect(overflows(svg)).toEqual([]);
  });

  it('shows the services as deployed: no service waits at 0 tasks', () => {
    expect(svg).not.toMatch(/>tasks 0(\.\.0)?</);
  });
});

describe('karmacadabra', () => {
  const svg = picture('karmacadabra');

  it('draws Service Connect as one mesh node joined to each agent, not an edge per pair', () => {
    const edges = [...svg.matchAll(/<title>([^<]+)&#45;&gt;([^<]+)<\/title>/g)].map(([, from, to]) => [from, to]);
    expect(edges.filter(([from, to]) => from.startsWith('service:') && to.startsWith('service:'))).toEqual([]);
    expect(edges.filter(([, to]) => to === 'mesh').map(([from]) => from).sort()).toEqual(['service:abracadabra', 'service:karma&#45;hello', 'service:skill&#45;extractor', 'service:validator', 'service:voice&#45;extractor']);
    expect(svg).toContain('>5 services call each other<');
  });

  it('was 1,752 pt wide with about 4 px text; it is now under 900 pt', () => {
    expect(widthOf(svg)).toBeLessThan(900);
  });
});

describe('the measuring', () => {
  it('takes DejaVu Sans widths (bold wider), and finds a label wider than its box', () => {
    expect(textWidth('Internet', 10, false)).toBeCloseTo(((295 + 634 + 392 + 615 + 411 + 634 + 615 + 392) * 10) / 1000, 6);
    expect(textWidth('Internet', 10, true)).toBeGreaterThan(textWidth('Internet', 10, false));
    const svg = '<svg width="100pt" height="50pt"><g id="graph0" class="graph"><title>g</title><polygon points="0,0 100,0 100,50 0,50"/><g id="node1" class="node">\n<title>a</title>\n<polygon points="10,10 60,10 60,40 10,40"/>\n<text text-anchor="middle" x="35" y="25" font-size="10.00">a very long label</text>\n</g>\n</g></svg>';
    expect(overflows(svg)).toEqual([expect.stringMatching(/^node1 a: "a very long label" needs /)]);
  });
});
