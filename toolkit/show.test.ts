import { afterEach, describe, expect, it, vi } from 'vitest';
import { markdownTable, showMermaid, showTable } from './show';

afterEach(() => vi.restoreAllMocks());

describe('show', () => {
  it('formats a table with numbers right-aligned and pipes escaped', () => {
    expect(markdownTable([{ guarantee: 'at-most-once | fast', lost: 3, ratio: 0.125 }])).toBe(
      '| guarantee | lost | ratio |\n| --- | ---: | ---: |\n| at-most-once \\| fast | 3 | 0.13 |',
    );
  });

  it('prints Markdown when there is no notebook kernel to display it', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    showMermaid('sequenceDiagram\n  a->>b: hi\n');
    showTable([{ a: 1 }]);
    expect(log.mock.calls.map((c) => c[0] as string)).toEqual(['```mermaid\nsequenceDiagram\n  a->>b: hi\n```', '| a |\n| ---: |\n| 1 |']);
  });
});
