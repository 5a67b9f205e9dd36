import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countryLabels } from '../../scripts/country-labels.js';
import { cityLabels } from '../../scripts/map-assets.js';
import { squeezeLitCss } from '../../scripts/squeeze-lit-css.js';

describe("the widget build's squeezed component CSS", () => {
  it('drops comments and white space but keeps selectors, values, strings and interpolations', () => {
    const source = `const a = css\`
      /* a comment */
      :host([theme='dark']) .pin ,  .ring {
        box-shadow: 0 0 0 4px color-mix(in srgb, var(--x) 30%, transparent);
        content: '…';
      }
      \${other}
    \`;`;
    expect(squeezeLitCss(source)).toBe(
      "const a = css`:host([theme='dark']) .pin,.ring{box-shadow: 0 0 0 4px color-mix(in srgb,var(--x) 30%,transparent);content: '…';}${other}`;",
    );
  });

  it('leaves code outside css templates alone', () => {
    const source = 'const s = `a,  b`; html`<p> a ,  b </p>`;';
    expect(squeezeLitCss(source)).toBe(source);
  });
});

describe('the labels of the outline-only map', () => {
  const atlas: unknown = JSON.parse(
    readFileSync('node_modules/world-atlas/countries-110m.json', 'utf8'),
  );

  it('puts each country’s name on its own land, with the room it has there', () => {
    const labels = countryLabels(atlas);
    expect(labels.length).toBeGreaterThan(150);
    const at = (name: string) => labels.find((l) => l.name === name)!;
    // Inside the country's rough box, even for long thin ones.
    expect(at('Germany').lat).toBeGreaterThan(48);
    expect(at('Germany').lat).toBeLessThan(54);
    expect(at('Germany').lng).toBeGreaterThan(7);
    expect(at('Germany').lng).toBeLessThan(14);
    expect(at('Chile').lng).toBeGreaterThan(-76);
    expect(at('Chile').lng).toBeLessThan(-66);
    expect(at('Norway').lng).toBeGreaterThan(4);
    expect(at('Norway').lng).toBeLessThan(16);
    expect(at('Russia').span).toBeGreaterThan(at('Germany').span * 5);
  });

  it('labels capitals and big cities, biggest first, smaller ones only closer in, and no part of a city', () => {
    const line = (name: string, code: string, population: number) =>
      [
        '1',
        name,
        name,
        '',
        '10',
        '20',
        'P',
        code,
        'XX',
        '',
        '',
        '',
        '',
        '',
        String(population),
      ].join('\t');
    const rows = cityLabels(
      [
        line('Mid', 'PPL', 600_000),
        line('Huge', 'PPL', 9_000_000),
        line('Village', 'PPL', 2_000),
        line('Capital', 'PPLC', 40_000),
        line('Big', 'PPLA', 1_500_000),
        line('Quarter', 'PPLX', 587_000),
      ].join('\n'),
    );
    expect(rows.map((r) => [r[0], r[3]])).toEqual([
      ['Huge', 3],
      ['Big', 4],
      ['Mid', 5],
      ['Capital', 4],
    ]);
  });
});
