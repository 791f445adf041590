/**
 * Reading a Graphviz SVG the way a browser shows it: each label's width in DejaVu Sans (the widest
 * font a browser picks for the pictures' `Helvetica,Arial,sans-serif`: Linux falls back to it), and
 * the box it must fit in. The advance widths are DejaVu Sans 2.37's (units per 1000 em).
 */
const CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~·→…×–—≥’';
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
  752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635,
  635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 318, 838, 1000, 838, 500, 1000, 838, 318,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821,
  837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716,
  716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838, 380, 838, 1000, 838, 500, 1000, 838, 380,
];

/** The width (pt) of `text` in DejaVu Sans at `size` pt; a character outside the table counts as a full em. */
export function textWidth(text: string, size: number, bold: boolean): number {
  const table = bold ? BOLD : REGULAR;
  return [...text].reduce((w, c) => w + (CHARS.includes(c) ? table[CHARS.indexOf(c)] : 1000), 0) * (size / 1000);
}

/** A label line of the picture. */
export interface TextLine {
  readonly text: string;
  readonly x: number;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly size: number;
  readonly bold: boolean;
}

/** A node or cluster: the horizontal extent of its shape and its label lines. */
export interface Box {
  readonly id: string;
  readonly kind: 'node' | 'cluster' | 'graph';
  readonly minX: number;
  readonly maxX: number;
  readonly lines: readonly TextLine[];
}

const entity = (s: string): string =>
  s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The x coordinates of a shape element (polygon, polyline, path, ellipse). */
function xsOf(element: string): number[] {
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];
  if (element.startsWith('<ellipse')) return [Number(attr('cx')) - Number(attr('rx')), Number(attr('cx')) + Number(attr('rx'))];
  const coordinates = (attr('points') ?? attr('d') ?? '').match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
  return coordinates.filter((_, i) => i % 2 === 0);
}

function linesOf(group: string): TextLine[] {
  return [...group.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, text]) => ({
    text: entity(text),
    x: Number(/\bx="([^"]*)"/.exec(attrs)![1]),
    anchor: (/text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start') as TextLine['anchor'],
    size: Number(/font-size="([^"]*)"/.exec(attrs)![1]),
    bold: attrs.includes('font-weight="bold"'),
  }));
}

/** The nodes and clusters of a Graphviz SVG, and the graph itself (its title against the background). */
export function boxesOf(svg: string): Box[] {
  const boxes: Box[] = [];
  for (const [, id, kind, body] of svg.matchAll(/<g id="([^"]+)" class="(node|cluster)">([\s\S]*?)<\/g>/g)) {
    const shapes = [...body.matchAll(/<(?:polygon|polyline|path|ellipse)\b[^>]*>/g)].map((m) => m[0]);
    const xs = shapes.flatMap(xsOf);
    boxes.push({ id: `${id} ${/<title>([^<]*)<\/title>/.exec(body)?.[1] ?? ''}`, kind: kind as Box['kind'], minX: Math.min(...xs), maxX: Math.max(...xs), lines: linesOf(body) });
  }
  const graph = /<g id="graph0" class="graph"[^>]*>\s*<title>[^<]*<\/title>\s*(<polygon[^>]*>)([\s\S]*?)<g id=/.exec(svg);
  if (graph) boxes.push({ id: 'graph', kind: 'graph', minX: Math.min(...xsOf(graph[1])), maxX: Math.max(...xsOf(graph[1])), lines: linesOf(graph[2]) });
  return boxes;
}

/** Each label line wider than its box (in DejaVu Sans, with `slack` pt to spare on each side). */
export function overflows(svg: string, slack = 0): string[] {
  return boxesOf(svg).flatMap((box) =>
    box.lines.flatMap((l) => {
      const w = textWidth(l.text, l.size, l.bold);
      const [from, to] = l.anchor === 'middle' ? [l.x - w / 2, l.x + w / 2] : l.anchor === 'start' ? [l.x, l.x + w] : [l.x - w, l.x];
      return from < box.minX + slack || to > box.maxX - slack ? [`${box.id}: "${l.text}" needs ${from.toFixed(1)}..${to.toFixed(1)}, box ${box.minX.toFixed(1)}..${box.maxX.toFixed(1)}`] : [];
    }),
  );
}

/** The picture's width in pt (Graphviz writes `width="<n>pt"`). */
export function widthOf(svg: string): number {
  return Number(/<svg width="([\d.]+)pt"/.exec(svg)![1]);
}

/** The smallest font size (pt) of the picture's text. */
export function smallestText(svg: string): number {
  return Math.min(...[...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1])));
}
