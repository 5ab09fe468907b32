import { describe, expect, it } from 'vitest';
import { groupPicked, PICKED_PREFIX } from '../worker/picked';
import { modelFolderUrl, sortPicked } from './byo';

const PAGE = 'https://host.example/app/sub/?nfe=3';

describe('model URLs', () => {
  it('resolve a manifest or its folder, absolute or relative to the page', () => {
    expect(modelFolderUrl('models/x-qac/manifest.json', PAGE)).toBe(
      'https://host.example/app/sub/models/x-qac/',
    );
    expect(modelFolderUrl('/m/x-qac', PAGE)).toBe('https://host.example/m/x-qac/');
    expect(modelFolderUrl(' https://cdn.example/x/ ', PAGE)).toBe('https://cdn.example/x/');
    expect(modelFolderUrl('https://cdn.example/x/manifest.json?v=2#a', PAGE)).toBe(
      'https://cdn.example/x/',
    );
  });
});

const file = (text: string) => new File([text], 'f');

describe('picked files', () => {
  it('group by folder, one model per manifest, under internal URLs', async () => {
    const models = groupPicked(
      [
        { file: file('{"kind":"baseline"}'), path: 'both/b-base/manifest.json' },
        { file: file('x'), path: 'both/b-base/denoiser.onnx' },
        { file: file('{"kind":"qac"}'), path: 'both/a-qac/manifest.json' },
        { file: file('y'), path: 'both/a-qac/denoiser.onnx' },
        { file: file('z'), path: 'both/README.md' },
      ],
      7,
    );
    expect(models.map((m) => m.name)).toEqual(['a-qac', 'b-base']);
    expect(Object.keys(models[0].files)).toEqual([
      `${PICKED_PREFIX}7/0/a-qac/manifest.json`,
      `${PICKED_PREFIX}7/0/a-qac/denoiser.onnx`,
    ]);
    const pair = await sortPicked(models);
    expect(pair.qac.name).toBe('a-qac');
    expect(pair.baseline?.name).toBe('b-base');
  });

  it('a baseline picked alone (an imported model) takes the first slot', async () => {
    const alone = groupPicked(
      [
        { file: file('{"kind":"baseline"}'), path: 'ddpm/manifest.json' },
        { file: file('x'), path: 'ddpm/denoiser.onnx' },
      ],
      3,
    );
    const pair = await sortPicked(alone);
    expect(pair.qac.name).toBe('ddpm');
    expect(pair.baseline).toBeNull();
  });

  it('a plain file pick is one model; no manifest or two QAC models are refused', async () => {
    const one = groupPicked([{ file: file('{"kind":"qac"}'), path: 'manifest.json' }], 1);
    expect(one.map((m) => m.name)).toEqual(['picked']);
    await expect(sortPicked(groupPicked([{ file: file('x'), path: 'a.onnx' }], 2))).rejects.toThrow(
      /no manifest\.json/,
    );
    const two = groupPicked(
      [
        { file: file('{"kind":"qac"}'), path: 'r/a/manifest.json' },
        { file: file('{"kind":"qac"}'), path: 'r/b/manifest.json' },
      ],
      3,
    );
    await expect(sortPicked(two)).rejects.toThrow(/found 2 qac and 0 baseline: a, b/);
  });

  it('a file pick of two models is refused, naming the clash, instead of overwriting', () => {
    // What a browser gives for qac/* and baseline/* picked as files: names without folders.
    const pick = [
      'manifest.json',
      'denoiser.onnx',
      'encoder.onnx',
      'manifest.json',
      'denoiser.onnx',
    ];
    expect(() =>
      groupPicked(
        pick.map((path) => ({ file: file('x'), path })),
        4,
      ),
    ).toThrow(
      'the picked files clash (2 named manifest.json, 2 named denoiser.onnx): a file pick ' +
        'carries no folders, so the files of two models cannot be told apart; pick the folder ' +
        "that holds both models, or one model's files",
    );
  });
});
