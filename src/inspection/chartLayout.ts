import type { InspectorGraph } from './inspectorGraph.js';

/** A state of the chart, placed. */
export interface PlacedState {
  readonly id: string;
  readonly description: string;
  /** Centre and size, in the chart's pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An arrow of the chart, routed around the states, with its label placed. */
export interface PlacedEdge {
  readonly source: string;
  readonly target: string;
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelX: number;
  readonly labelY: number;
}

/** The chart laid out for drawing: every state and arrow in place, and the drawing's size. */
export interface ChartLayout {
  readonly initial: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly states: readonly PlacedState[];
  readonly edges: readonly PlacedEdge[];
}

const MARGIN = 16;

/** The pseudo-state that stands for "any of these states" on a gathered arrow. */
export const ANY_STATE = 'any state';

/** From how many states one event into one state is drawn as a single arrow. */
const GATHER_FROM = 4;

/**
 * Draws an event that leads from many states into one (`session.logout` from every state into
 * `loggingOut`) as one arrow from an "any state" pill, so that arrows do not pile up on a
 * state; the pill's description names the states it stands for.
 */
function gatherCommonEdges(graph: InspectorGraph): InspectorGraph {
  const groups = new Map<string, InspectorGraph['edges'][number][]>();
  for (const edge of graph.edges) {
    for (const label of edge.label.split(', ')) {
      const key = `${edge.target}\u0000${label}`;
      groups.set(key, [...(groups.get(key) ?? []), { ...edge, label }]);
    }
  }
  const gathered = [...groups.values()].filter((group) => group.length >= GATHER_FROM);
  if (gathered.length === 0) return graph;
  const drop = new Set(
    gathered.flatMap((group) => group.map((e) => `${e.source}->${e.target}:${e.label}`)),
  );
  const edges = graph.edges
    .map((edge) => ({
      ...edge,
      label: edge.label
        .split(', ')
        .filter((label) => !drop.has(`${edge.source}->${edge.target}:${label}`))
        .join(', '),
    }))
    .filter((edge) => edge.label !== '');
  const sources = [...new Set(gathered.flatMap((group) => group.map((e) => e.source)))];
  return {
    initial: graph.initial,
    states: [...graph.states, { id: ANY_STATE, description: `any of: ${sources.join(', ')}` }],
    edges: [
      ...edges,
      ...gathered.map((group) => ({
        source: ANY_STATE,
        target: group[0]?.target ?? '',
        label: group[0]?.label ?? '',
      })),
    ],
  };
}
const FONT_PX = 13;
const LABEL_PX = 11;

/**
 * Lays the chart out with dagre (layered, top to bottom): states in ranks along the flow,
 * arrows routed between them without crossing under a state, and each arrow's events as a
 * label placed on it. Computed on the server, so the page needs no layout code; the session
 * machine's own layout is computed once when the package is built
 * (`defaultChartLayout.ts`), so dagre is needed only to draw another machine: it is an
 * optional peer dependency, loaded here on demand.
 */
export async function layoutChart(whole: InspectorGraph): Promise<ChartLayout> {
  let dagre: typeof import('@dagrejs/dagre')['default'];
  try {
    dagre = (await import('@dagrejs/dagre')).default;
  } catch {
    throw new Error(
      'drawing a machine other than the session machine needs @dagrejs/dagre: npm i @dagrejs/dagre',
    );
  }
  const graph = gatherCommonEdges(whole);
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'TB',
    nodesep: 24,
    ranksep: 46,
    edgesep: 10,
    marginx: MARGIN,
    marginy: MARGIN,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of graph.states) {
    g.setNode(s.id, { width: Math.max(112, s.id.length * FONT_PX * 0.62 + 28), height: 34 });
  }
  graph.edges.forEach((e, i) => {
    g.setEdge(
      e.source,
      e.target,
      { width: e.label.length * LABEL_PX * 0.58 + 8, height: LABEL_PX + 6, labelpos: 'c' },
      `e${i}`,
    );
  });
  // The chart reads from its initial state down the flow; the "any state" pill (logout from
  // anywhere) has no arrow into it, and would be ranked first: unseen edges from every other
  // state rank it (and the path it leads to) last, below the flow. They weigh nothing and are
  // not drawn.
  if (graph.states.some((s) => s.id === ANY_STATE)) {
    for (const s of graph.states) {
      if (
        s.id === ANY_STATE ||
        graph.edges.some((e) => e.source === ANY_STATE && e.target === s.id)
      )
        continue;
      g.setEdge(s.id, ANY_STATE, { width: 0, height: 0, weight: 0, minlen: 1 }, `rank-${s.id}`);
    }
  }
  dagre.layout(g);
  const states = graph.states.map((s) => {
    const node = g.node(s.id);
    return {
      id: s.id,
      description: s.description,
      x: node.x,
      y: node.y,
      width: node.width,
      height: node.height,
    };
  });
  const edges = graph.edges.map((e, i) => {
    const edge = g.edge({ v: e.source, w: e.target, name: `e${i}` }) as {
      points: { x: number; y: number }[];
      x: number;
      y: number;
    };
    return {
      source: e.source,
      target: e.target,
      label: e.label,
      points: edge.points.map((p) => ({ x: p.x, y: p.y })),
      labelX: edge.x,
      labelY: edge.y,
    };
  });
  const size = g.graph();
  return {
    initial: graph.initial,
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    states,
    edges,
  };
}
