import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestSchema } from './manifest';
import { modelSummary, QUALITY_SETTING, qualityText, recipeText } from './model-summary';

const shipped = (folder: string) =>
  manifestSchema.parse(JSON.parse(readFileSync(`models/${folder}/manifest.json`, 'utf8')));

describe('model summary', () => {
  const m = shipped('fashion-mnist-qac');
  const at20 = m.evaluation!.results.find(
    (r) => r.solver === QUALITY_SETTING.solver && r.nfe === QUALITY_SETTING.nfe && !r.afs,
  )!;

  it('quotes the FID proxy at DPM++(2M) NFE 20 and, given the floor, its multiple', () => {
    const floor = at20.fidProxy! / 8;
    const text = qualityText({ evaluation: { ...m.evaluation!, floor } })!;
    expect(text).toContain(`FID proxy ${at20.fidProxy!.toFixed(2)} at DPM-Solver++(2M) NFE 20`);
    expect(text).toContain(
      `${m.evaluation!.samples.toLocaleString('en')} samples; 8.0x the real-data floor of ${floor.toFixed(2)}`,
    );
    expect(qualityText({ evaluation: { ...m.evaluation!, floor: undefined } })).not.toContain(
      'floor',
    );
  });

  it('says "not evaluated" where the manifest has no NFE-20 result', () => {
    const bare = {
      ...m,
      evaluation: { ...m.evaluation!, results: m.evaluation!.results.filter((r) => r !== at20) },
    };
    expect(qualityText(bare)).toBeNull();
    expect(modelSummary(bare)).toMatch(/; not evaluated\.$/);
    expect(modelSummary({ ...m, evaluation: null })).toMatch(/^QAC: /);
    const bareTraining = { ...m, training: { config: {}, steps: 0, wallTimeSeconds: 0 } };
    expect(modelSummary({ ...bareTraining, evaluation: null })).toBe(
      'QAC: 0 steps; not evaluated.',
    );
  });

  it('states steps, batch and the recipe of the training config', () => {
    const text = modelSummary(m);
    expect(text).toContain(
      `${m.training.steps.toLocaleString('en')} steps x ${String(m.training.config.batch)} images`,
    );
    expect(text).toContain(recipeText(m.training.config));
    expect(
      recipeText({
        batch: 32,
        lr: 0.002,
        warmupSteps: 100,
        lrSchedule: 'wsd',
        lrDecaySteps: 24000,
        emaHalfLifeImages: 500000,
        emaRampup: 0.05,
      }),
    ).toBe(
      'batch 32, Adam lr 0.002 (100 warm-up steps, then wsd over 24,000 planned steps), EMA half-life min(500,000 images, 5% of the images seen)',
    );
  });
});
