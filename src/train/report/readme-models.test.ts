import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { modelsTable, withModelsTable } from './readme-models';

describe("the README's models table", () => {
  it('states the steps, wall times and headline ratios that the shipped models record', async () => {
    const readme = await readFile('README.md', 'utf8');
    const table = await modelsTable('models');
    // On a mismatch: `npm run report -- --render-only` rewrites the table from models/.
    expect(withModelsTable(readme, table)).toBe(readme);
    expect(table).toMatch(/\| Avatars/);
  });

  it('refuses a README without the markers instead of guessing where the table goes', () => {
    expect(() => withModelsTable('# no table here\n', 'x')).toThrow(/lacks the models table/);
  });
});
