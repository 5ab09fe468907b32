import { z } from 'zod';
import { achievableNfes, SOLVER_NAMES, solverFacts, snapNfe, type SolverName } from '../../core';
import { boundedNumber, type Notices } from '../normalize';
import { shortUrl } from '../security/model-url';

export const EDIT_MODES = ['inpaint', 'colorize', 'sr2', 'sr4'] as const;
export type EditMode = (typeof EDIT_MODES)[number];
export const BACKEND_CHOICES = ['auto', 'wasm', 'webgpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const VIEWS = ['sample', 'lab'] as const;
/** What the page shows: the sampling panels, or the solver lab (every solver x NFE). */
export type View = (typeof VIEWS)[number];

/** The range of every numeric setting: the URL, the inputs and the sliders all read these. */
export const LIMITS = {
  nfe: { min: 1, max: 50 },
  churn: { min: 0, max: 80 },
  batch: { min: 1, max: 16 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  editSteps: { min: 1, max: 100 },
  editExample: { min: 0, max: Number.MAX_SAFE_INTEGER },
} as const;
type NumericKey = keyof typeof LIMITS;

/** The NFEs the slider offers for a solver: those it spends exactly within LIMITS.nfe. */
export function nfeChoices(solver: SolverName, afs: boolean): number[] {
  return achievableNfes(solver, afs && solverFacts(solver).afs, LIMITS.nfe.max);
}

/**
 * Everything that determines the images on screen. The URL holds exactly this, so a link
 * reproduces the same pixels.
 */
export interface Settings {
  pair: string;
  solver: SolverName;
  nfe: number;
  afs: boolean;
  gridEnd: 'zero' | 'sigmaMin';
  churn: number;
  batch: number;
  seed: number;
  /** null: every sample draws its code from the sampling weights; else one fixed code index. */
  code: number | null;
  /** Run the NFE sweep and the code gallery after each sample (slow backends may skip them). */
  extras: boolean;
  editMode: EditMode;
  editSteps: number;
  editExample: number;
  backend: BackendChoice;
  view: View;
  /**
   * A model loaded from a URL instead of a catalog pair: its manifest.json (or folder), absolute
   * or relative to the page; '' for the catalog pair. `baseline` is its optional baseline.
   */
  model: string;
  baseline: string;
}

// The opening view is the paper's setting (iPNDM + AFS on diff-sampler's grid) at NFE 4: on the
// shipped Fashion-MNIST pair both models are recognisable there and QAC's lead is clear, while
// NFE 5 is where fixed-coefficient iPNDM breaks down for both (models/REPORT.md).
export const DEFAULT_SETTINGS: Settings = {
  pair: '',
  solver: 'ipndm',
  nfe: 4,
  afs: true,
  gridEnd: 'sigmaMin',
  churn: 10,
  batch: 4,
  seed: 0,
  code: null,
  extras: true,
  editMode: 'inpaint',
  editSteps: 40,
  editExample: 0,
  backend: 'auto',
  view: 'sample',
  model: '',
  baseline: '',
};

/** A model URL longer than this is refused (data: URLs of whole models do not belong in links). */
const MAX_URL_CHARS = 4096;

const choiceSchemas = {
  pair: z.string(),
  solver: z.enum(SOLVER_NAMES as [SolverName, ...SolverName[]]),
  afs: z.boolean(),
  gridEnd: z.enum(['zero', 'sigmaMin']),
  extras: z.boolean(),
  editMode: z.enum(EDIT_MODES),
  backend: z.enum(BACKEND_CHOICES),
  view: z.enum(VIEWS),
  // Any URL the browser may fetch; its contents are checked by the loader, not here.
  model: z.string().max(MAX_URL_CHARS),
  baseline: z.string().max(MAX_URL_CHARS),
} as const;

/** Why a model URL was not taken, shortened: a 5,000-character link must still read well. */
function urlNotice(key: 'model' | 'baseline', raw: unknown, base: Settings): string {
  const text = String(raw);
  const kept = base[key]
    ? `keeping ${shortUrl(base[key])}`
    : key === 'model'
      ? 'showing the catalog pair instead'
      : 'loading no baseline';
  const why =
    typeof raw === 'string'
      ? `is ${text.length.toLocaleString('en')} characters long, over the ${MAX_URL_CHARS.toLocaleString('en')} a model URL may have`
      : 'is not text';
  return `the ${key} URL "${shortUrl(text)}" ${why}; ${kept}`;
}

const numeric = (key: NumericKey, raw: unknown, notices: Notices): number =>
  boundedNumber(key, raw, LIMITS[key], DEFAULT_SETTINGS[key], notices, key === 'churn');

/**
 * The one place settings are made valid, whenever they are written (URL, inputs, actions): bad
 * choices fall back to the default, numbers clamp to the nearest allowed value, the NFE snaps to
 * one the solver can spend exactly, AFS turns off for solvers without it. Each change is noticed.
 */
export function normalizeSettings(
  raw: Partial<Record<keyof Settings, unknown>>,
  base: Settings = DEFAULT_SETTINGS,
): { settings: Settings; notices: Notices } {
  const notices: Notices = [];
  const out: Settings = { ...base };
  for (const key of Object.keys(choiceSchemas) as (keyof typeof choiceSchemas)[]) {
    if (!(key in raw)) continue;
    const parsed = choiceSchemas[key].safeParse(raw[key]);
    if (parsed.success) (out as unknown as Record<string, unknown>)[key] = parsed.data;
    else if (key === 'model' || key === 'baseline') notices.push(urlNotice(key, raw[key], base));
    else
      notices.push(
        `${key} "${String(raw[key])}" is not one of the choices; using ${String(base[key])}`,
      );
  }
  for (const key of Object.keys(LIMITS) as NumericKey[]) {
    if (key in raw) out[key] = numeric(key, raw[key], notices);
  }
  if ('code' in raw) {
    const c = raw.code;
    if (c === null || c === 'random') out.code = null;
    else {
      // Decimal digits only: Number() would also take '' (0) and '0x10' (16).
      const v = typeof c === 'number' ? c : /^\d+$/.test(String(c)) ? Number(c) : NaN;
      if (Number.isSafeInteger(v) && v >= 0) out.code = v;
      else {
        notices.push(`code "${String(c)}" is not a code index; drawing codes from the weights`);
        out.code = null;
      }
    }
  }
  if (out.afs && !solverFacts(out.solver).afs) out.afs = false;
  const snapped = snapNfe(out.solver, out.afs, out.nfe, LIMITS.nfe.max);
  if (snapped !== out.nfe) {
    if ('nfe' in raw || 'solver' in raw || 'afs' in raw) {
      notices.push(
        `${out.solver}${out.afs ? ' with AFS' : ''} cannot spend ${out.nfe} NFE; using ${snapped}`,
      );
    }
    out.nfe = snapped;
  }
  return { settings: out, notices };
}

const BOOL_KEYS = new Set<keyof Settings>(['afs', 'extras']);

/** Reads settings from a query string; unknown keys are ignored, bad values normalised. */
export function settingsFromSearch(search: string): { settings: Settings; notices: Notices } {
  const q = new URLSearchParams(search);
  const raw: Partial<Record<keyof Settings, unknown>> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = q.get(key);
    if (v === null) continue;
    raw[key] = BOOL_KEYS.has(key) ? (v === '1' ? true : v === '0' ? false : v) : v;
  }
  return normalizeSettings(raw);
}

/** The query string for settings, every key written so a link is exact whatever the defaults. */
export function settingsToSearch(s: Settings): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = s[key];
    if (typeof v === 'boolean') q.set(key, v ? '1' : '0');
    else if (v === null) q.set(key, 'random');
    else q.set(key, String(v));
  }
  return `?${q.toString()}`;
}
