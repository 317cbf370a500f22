import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { layoutChart } from '../../src/inspection/chartLayout.js';
import { DEFAULT_CHART_LAYOUT } from '../../src/inspection/defaultChartLayout.js';
import { inspectorGraph } from '../../src/inspection/inspectorGraph.js';
import { startInspector } from '../../src/inspection/startInspector.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the inspector chart', () => {
  it('ships the session machine laid out (run `npm run docs` after changing the machine)', async () => {
    expect(DEFAULT_CHART_LAYOUT).toEqual(await layoutChart(inspectorGraph(gstrSessionMachine)));
  });

  it('needs no layout library at run time: dagre is an optional peer, not a dependency', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(pkg.dependencies['@dagrejs/dagre']).toBeUndefined();
    expect(pkg.peerDependenciesMeta['@dagrejs/dagre']?.optional).toBe(true);
    const built = await readFile(join(ROOT, 'src', 'inspection', 'startInspector.ts'), 'utf8');
    expect(built).not.toMatch(/from '@dagrejs\/dagre'/);
  });

  it('lays out another machine on demand', async () => {
    // Arrange
    const machine = createMachine({
      id: 'door',
      initial: 'closed',
      states: { closed: { on: { OPEN: 'open' } }, open: { on: { CLOSE: 'closed' } } },
    });
    const inspector = await startInspector({ machine });

    // Act
    const chart = (await (await fetch(`${inspector.url}graph`)).json()) as {
      initial: string;
      states: { id: string }[];
    };
    await inspector.close();

    // Assert
    expect(chart.initial).toBe('closed');
    expect(chart.states.map((s) => s.id).sort()).toEqual(['closed', 'open']);
  });
});
