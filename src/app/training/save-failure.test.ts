// A failed IndexedDB save stops the browser run with a message saying which checkpoint survives.
import { describe, expect, it } from 'vitest';
import { saveFailureMessage, storageProblem } from './save-failure';

const quota = new DOMException('', 'QuotaExceededError');

describe('save failures', () => {
  it('names a full quota, and any other error by name and message', () => {
    expect(storageProblem(quota)).toBe(
      "this site's storage in the browser is full (QuotaExceededError)",
    );
    expect(storageProblem(new DOMException('disk gone', 'UnknownError'))).toBe(
      'UnknownError: disk gone',
    );
  });

  it('says which step the saved run holds, or that nothing is saved', () => {
    expect(saveFailureMessage(quota, 50, 25)).toBe(
      "Saving step 50 failed (this site's storage in the browser is full (QuotaExceededError)), " +
        "so the run stopped at step 50. The saved run is step 25's checkpoint: a reload or the " +
        'next start resumes from there. Steps 26-50 are only in this tab; export the models now ' +
        'to keep them, or free storage space and train again.',
    );
    expect(saveFailureMessage(quota, 25, null)).toMatch(
      /stopped at step 25\. Nothing of this run is saved: its 25 steps are only in this tab; export/,
    );
  });
});
