// Fits the locator's scorer (server/geo/scorer.ts) on the development sets and writes its weights
// to server/geo/scorer-weights.ts. Never reads a blind set.
//
//   npx tsx scripts/fit-locator-scorer.ts --cv      leave-one-set-out: fit on all sets but one,
//                                                   score that one, hand rules beside it
//   npx tsx scripts/fit-locator-scorer.ts --write   fit on every development set, write the weights
//
// The model is an L2-regularised logistic regression fitted by Newton's method (IRLS): ~30
// features and a few thousand candidates, so a 30×30 solve per step. Written here because no
// well-kept npm package does this small job without pulling in a numeric stack.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadCases, toInput } from '../bench/locate.bench.js';
import type { Case } from '../bench/locate.bench.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { FEATURE_NAMES, candidatesOf, featuresOf, likelihood } from '../server/geo/scorer.js';
import type { ScorerWeights } from '../server/geo/scorer.js';
import { DEV_SETS } from './locate-sets.js';

const prettierBin = createRequire(import.meta.url).resolve('prettier/bin/prettier.cjs');

/** λ of the L2 penalty (on every weight but the bias). */
const LAMBDA = Number(process.env.FTO_FIT_LAMBDA ?? 1);
/** A wrong pin costs this many missed ones when the threshold is chosen. */
const WRONG_PIN_COST = Number(process.env.FTO_FIT_WRONG_COST ?? 2);

interface Row {
  set: string;
  id: string;
  expect: number | null;
  hand: number | null;
  /** One feature vector per candidate, with its place id. */
  cands: { place: number; x: number[] }[];
}

const gazetteer = openGazetteer();
const locator = createLocator(gazetteer, { scorer: null });
const rows: Row[] = [];
for (const [name, path] of DEV_SETS) {
  for (const c of loadCases(path) as Case[]) {
    const read = locator.reading(toInput(c));
    rows.push({
      set: name,
      id: c.id,
      expect: c.expect?.geonameId ?? null,
      hand: read.answer?.place.id ?? null,
      cands: candidatesOf(read).map((k) => ({
        place: k.place.id,
        x: featuresOf(read, k, locator.threshold),
      })),
    });
  }
}
gazetteer.close();

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((r, i) => r[n]! / r[i]!);
}

function fit(train: Row[]): ScorerWeights {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const r of train)
    for (const c of r.cands) {
      xs.push(c.x);
      ys.push(c.place === r.expect ? 1 : 0);
    }
  const n = FEATURE_NAMES.length;
  let w = new Array<number>(n).fill(0);
  for (let iter = 0; iter < 30; iter++) {
    const g = new Array<number>(n).fill(0);
    const h = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    xs.forEach((x, i) => {
      let z = 0;
      for (let k = 0; k < n; k++) z += w[k]! * x[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const e = p - ys[i]!;
      const s = p * (1 - p);
      for (let a = 0; a < n; a++) {
        if (x[a] === 0) continue;
        g[a]! += e * x[a]!;
        for (let b = 0; b < n; b++) h[a]![b]! += s * x[a]! * x[b]!;
      }
    });
    for (let k = 1; k < n; k++) {
      g[k]! += LAMBDA * w[k]!;
      h[k]![k]! += LAMBDA;
    }
    for (let k = 0; k < n; k++) h[k]![k]! += 1e-9;
    const step = solve(h, g);
    w = w.map((v, k) => v - step[k]!);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  const model: ScorerWeights = { features: FEATURE_NAMES, weights: w, threshold: 0.5 };
  // The threshold that serves the training posts best, a wrong pin costing WRONG_PIN_COST.
  let best = { t: 0.5, v: -Infinity };
  for (let t = 0.2; t <= 0.9; t += 0.01) {
    const s = score(train, { ...model, threshold: t });
    const v = s.correct + s.abstainOk - WRONG_PIN_COST * s.wrong;
    if (v > best.v) best = { t, v };
  }
  return { ...model, threshold: Math.round(best.t * 100) / 100 };
}

function answer(model: ScorerWeights | null, r: Row): number | null {
  if (!model) return r.hand;
  let best: { place: number; p: number } | null = null;
  for (const c of r.cands) {
    const p = likelihood(model, c.x);
    if (!best || p > best.p) best = { place: c.place, p };
  }
  return best && best.p >= model.threshold ? best.place : null;
}

function score(rs: Row[], model: ScorerWeights | null) {
  const s = { placed: 0, correct: 0, wrong: 0, named: 0, unnamed: 0, abstainOk: 0 };
  for (const r of rs) {
    const a = answer(model, r);
    if (r.expect !== null) s.named++;
    else s.unnamed++;
    if (a !== null) s.placed++;
    if (a !== null && a === r.expect) s.correct++;
    if (a !== null && a !== r.expect) s.wrong++;
    if (a === null && r.expect === null) s.abstainOk++;
  }
  return s;
}

const fmt = (s: ReturnType<typeof score>): string => {
  const f = (a: number, b: number): string => (b === 0 ? '  -  ' : (a / b).toFixed(3));
  return `${f(s.correct, s.placed)} / ${f(s.correct, s.named)} / ${f(s.abstainOk, s.unnamed)}`;
};

const sets = [...new Set(rows.map((r) => r.set))];
if (process.argv.includes('--cv')) {
  console.log('leave-one-set-out (precision / recall / abstain accuracy)');
  console.log(`${'set'.padEnd(12)} ${'hand rules'.padEnd(24)} fitted on the other sets`);
  const pooled = { fit: new Map<Row, number | null>() };
  for (const held of sets) {
    const test = rows.filter((r) => r.set === held);
    const model = fit(rows.filter((r) => r.set !== held));
    for (const r of test) pooled.fit.set(r, answer(model, r));
    console.log(
      `${held.padEnd(12)} ${fmt(score(test, null)).padEnd(24)} ${fmt(score(test, model))}  (threshold ${model.threshold})`,
    );
  }
  const all = [...pooled.fit.keys()];
  const pooledScore = { placed: 0, correct: 0, wrong: 0, named: 0, unnamed: 0, abstainOk: 0 };
  for (const r of all) {
    const a = pooled.fit.get(r) ?? null;
    if (r.expect !== null) pooledScore.named++;
    else pooledScore.unnamed++;
    if (a !== null) pooledScore.placed++;
    if (a !== null && a === r.expect) pooledScore.correct++;
    if (a !== null && a !== r.expect) pooledScore.wrong++;
    if (a === null && r.expect === null) pooledScore.abstainOk++;
  }
  console.log(`${'all'.padEnd(12)} ${fmt(score(all, null)).padEnd(24)} ${fmt(pooledScore)}`);
}
const model = fit(rows);
console.log(
  `fitted on all ${rows.length} posts: ${fmt(score(rows, model))}, hand ${fmt(score(rows, null))}`,
);
const order = FEATURE_NAMES.map((n, i) => [n, model.weights[i]!] as const).sort(
  (a, b) => Math.abs(b[1]) - Math.abs(a[1]),
);
console.log(order.map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', '));
if (process.argv.includes('--write')) {
  const out = fileURLToPath(new URL('../server/geo/scorer-weights.ts', import.meta.url));
  const lines = FEATURE_NAMES.map((n, i) => `    ${model.weights[i]!.toFixed(4)}, // ${n}`);
  writeFileSync(
    out,
    `// Generated by scripts/fit-locator-scorer.ts --write on ${new Date().toISOString().slice(0, 10)} from the
// development sets (${sets.join(', ')}; ${rows.length} posts). Do not edit by hand: refit.
import type { ScorerWeights } from './scorer.js';
import { FEATURE_NAMES } from './scorer.js';


export const FITTED: ScorerWeights = {
  features: FEATURE_NAMES,
  threshold: ${model.threshold},
  weights: [
${lines.join('\n')}
  ],
};
`,
  );
  // In the repository's own style, so `npm run lint` passes on the generated file.
  execFileSync(process.execPath, [prettierBin, '--write', out]);
  console.log(`wrote ${out}`);
}
if (process.argv.includes('--oracle'))
  for (const set of [...sets, null]) {
    const rs = rows.filter((r) => set === null || r.set === set);
    const named = rs.filter((r) => r.expect !== null);
    const inPool = named.filter((r) => r.cands.some((c) => c.place === r.expect)).length;
    console.log(
      `${(set ?? 'all').padEnd(12)} expected city among the candidates: ${(inPool / named.length).toFixed(3)} (${inPool}/${named.length})`,
    );
  }
