/** The picture as Graphviz DOT: groups as clusters, ECS clusters inside compute, tiers kept top to bottom. */
import { DiagramBuilder, EdgeStyle, GraphEdge, GraphNode, Group, byKey } from './builder';

const GROUPS: readonly { readonly group: Group; readonly label: string; readonly fill: string; readonly line: string }[] = [
  { group: 'edge', label: 'Edge', fill: '#F4EFFC', line: '#8C4FFF' },
  { group: 'compute', label: 'Compute', fill: '#FDF3E7', line: '#ED7100' },
  { group: 'data', label: 'Data', fill: '#EDF6E7', line: '#3F8624' },
  { group: 'network', label: 'Network', fill: '#EAF1FB', line: '#2E73B8' },
  { group: 'observability', label: 'Observability', fill: '#FCEBF2', line: '#E7157B' },
];
/**
 * The font Graphviz measures labels with: DejaVu Sans, the widest of the fonts a browser shows for
 * the picture's `Helvetica,Arial,sans-serif` (Linux falls back to it), so every label fits its box
 * whichever of them the reader's browser has (Graphviz's own guess for an unknown family is the
 * narrower Times). `shownFont` names the fonts the picture asks for instead.
 */
const FONT = 'DejaVu Sans';
/** The fonts the picture asks a browser for. */
export const SHOWN_FONT = 'Helvetica,Arial,sans-serif';
/** How the rows are laid out (`npm run diagrams` tries each of `LAYOUTS` and keeps the narrowest picture). */
export interface Layout {
  /** At most this many data, network or observability nodes side by side: more go on a row below. */
  readonly maxRow: number;
}

/** The layouts tried, the default first. */
export const LAYOUTS: readonly Layout[] = [4, 3, 2, 5].map((maxRow) => ({ maxRow }));

/** The SVG Graphviz drew, asking for `SHOWN_FONT` where it measured with DejaVu Sans. */
export function shownFont(svg: string): string {
  return svg.split(`font-family="${FONT}"`).join(`font-family="${SHOWN_FONT}"`);
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function nodeLabel(n: GraphNode): string {
  const parts: string[] = [];
  if (n.kind) parts.push(`<FONT POINT-SIZE="9" COLOR="#545B64">${html(n.kind)}</FONT>`);
  parts.push(`<B>${html(n.title)}</B>`);
  for (const l of n.lines) parts.push(html(l));
  return `<${parts.join('<BR/>')}>`;
}

const EDGE_STYLES: Record<EdgeStyle, string> = {
  traffic: 'color="#232F3E", penwidth=1.2',
  access: 'color="#3F8624", fontcolor="#3F8624"',
  redrive: 'color="#BF0816", fontcolor="#BF0816", style=dashed',
  trigger: 'color="#8C4FFF", fontcolor="#8C4FFF", style=dashed',
  notify: 'color="#E7157B", fontcolor="#E7157B", style=dashed',
  mesh: 'color="#232F3E", penwidth=1.2, dir=both, arrowtail=normal',
};

/** The built picture as DOT, titled `title`: nodes and edges sorted, so the output is deterministic. */
export function render(b: DiagramBuilder, title: string, layout: Layout = LAYOUTS[0]): string {
  const nodes = [...b.nodes.values()].sort((x, y) => byKey(x.id, y.id));
  const edges = [...b.edges.values()].sort((x, y) => byKey(x.from, y.from) || byKey(x.to, y.to));
  const out: string[] = [];
  const prefixes = [...b.shortened].sort().map((p) => `"${p}-"`);
  const titleLabel = `<B>${html(title)}</B><BR ALIGN="LEFT"/>${prefixes.length ? `<FONT POINT-SIZE="9" COLOR="#545B64">names shown without the prefix ${html(prefixes.join(', '))}</FONT><BR ALIGN="LEFT"/>` : ''}`;
  out.push(`digraph ${quote(title)} {`);
  out.push(`  graph [rankdir=TB, newrank=true, compound=true, fontname=${quote(FONT)}, fontsize=12, labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.5, pad=0.3, bgcolor="white", label=<${titleLabel}>];`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor="white", color="#545B64", fontname=${quote(FONT)}, fontsize=10, margin="0.12,0.06"];`);
  out.push(`  edge [fontname=${quote(FONT)}, fontsize=9, arrowsize=0.7, color="#545B64"];`);
  const nodeLine = (n: GraphNode, indent: string) => `${indent}${quote(n.id)} [label=${nodeLabel(n)}${n.shape ? `, shape=${n.shape}` : ''}${n.shape && n.shape !== 'box' ? ', style=filled' : ''}];`;

  for (const n of nodes.filter((x) => x.group === 'clients')) out.push(nodeLine(n, '  ').replace('];', ', fillcolor="#F2F3F3"];'));
  for (const g of GROUPS) {
    const members = nodes.filter((n) => n.group === g.group);
    if (!members.length) continue;
    out.push(`  subgraph ${quote(`cluster_${g.group}`)} {`);
    out.push(`    label=<<B>${html(g.label)}</B>>; style="rounded,filled"; fillcolor=${quote(g.fill)}; color=${quote(g.line)}; fontcolor=${quote(g.line)};`);
    const subs = [...new Set(members.map((n) => n.sub).filter((s): s is string => !!s))].sort();
    for (const [i, sub] of subs.entries()) {
      out.push(`    subgraph ${quote(`cluster_${g.group}_${i + 1}`)} {`);
      out.push(`      label=${quote(b.subClusters.get(sub) ?? sub)}; style="rounded,dashed"; color=${quote(g.line)}; fontcolor="#232F3E";`);
      for (const n of members.filter((x) => x.sub === sub)) out.push(nodeLine(n, '      '));
      out.push('    }');
    }
    for (const n of members.filter((x) => !x.sub)) out.push(nodeLine(n, '    '));
    out.push('  }');
  }

  // Rows of at most `maxRow`: data, then network and observability below everything else.
  const ids = (groups: string[]) => nodes.filter((n) => groups.includes(n.group)).map((n) => n.id);
  const data = rows(ids(['data']), layout.maxRow);
  const bottom = rows(ids(['network', 'observability']), layout.maxRow);
  for (const row of [...data, ...bottom]) if (row.length > 1) out.push(`  { rank=same; ${row.map(quote).join('; ')}; }`);
  // Invisible edges keep each tier below the previous one, also for nodes without edges, and each
  // row below the row before it (the network and observability rows below the data rows).
  const tiers = [ids(['clients']), ids(['edge']), ids(['compute']), data[0] ?? [], bottom[0] ?? []];
  const incoming = new Set(edges.map((e) => e.to));
  const depth = depths(nodes.map((n) => n.id), edges);
  let above: string[] = [];
  for (const tier of tiers) {
    if (!tier.length) continue;
    if (above.length) {
      const anchor = [...above].sort((x, y) => (depth.get(y) ?? 0) - (depth.get(x) ?? 0) || byKey(x, y))[0];
      const loose = tier === data[0] || tier === bottom[0] ? [tier[0]] : tier.filter((x) => !incoming.has(x));
      for (const id of loose) out.push(`  ${quote(anchor)} -> ${quote(id)} [style=invis];`);
    }
    above = [...above, ...tier];
  }
  const chain = [...data, ...bottom];
  for (let i = 1; i < chain.length; i++) out.push(`  ${quote(chain[i - 1][0])} -> ${quote(chain[i][0])} [style=invis];`);

  for (const e of edges) {
    const labels = [...e.labels].sort((x, y) => labelOrder(x) - labelOrder(y) || byKey(x, y));
    // A mount reads, and writes too unless it is read-only.
    const text = labels.includes('mount') ? [`mount ${labels.includes('write') ? 'read/write' : 'read-only'}`, ...labels.filter((l) => !['mount', 'read', 'write'].includes(l))] : labels;
    const label = text.length ? `, label=${quote(text.join('/'))}` : '';
    out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${EDGE_STYLES[e.style]}${label}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** `ids` in rows of at most `maxRow`, as even as they can be (7 -> 4 + 3, 9 -> 3 + 3 + 3). */
function rows(ids: readonly string[], maxRow: number): string[][] {
  const count = Math.ceil(ids.length / maxRow);
  const size = Math.ceil(ids.length / Math.max(1, count));
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

function labelOrder(l: string): number {
  const order = ['mount', 'read', 'write', 'send', 'consume', 'publish', 'submit', 'invoke'];
  const i = order.indexOf(l);
  return i < 0 ? order.length : i;
}

/** Longest path from a source to each node (cycles cut), to pick the deepest node of a tier. */
function depths(ids: readonly string[], edges: readonly GraphEdge[]): Map<string, number> {
  const out = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const visiting = new Set<string>();
  const visit = (id: string, d: number): void => {
    if ((out.get(id) ?? -1) >= d || visiting.has(id)) return;
    out.set(id, d);
    visiting.add(id);
    for (const n of next.get(id) ?? []) visit(n, d + 1);
    visiting.delete(id);
  };
  for (const id of ids) visit(id, 0);
  return out;
}
