/** Why a write to IndexedDB failed, in words: a full quota says so, anything else by name. */
export function storageProblem(e: unknown): string {
  const err = e as { name?: string; message?: string } | null;
  const name = err?.name ?? 'Error';
  if (name === 'QuotaExceededError') {
    return "this site's storage in the browser is full (QuotaExceededError)";
  }
  return err?.message ? `${name}: ${err.message}` : name;
}

/**
 * The message a run stopped by a failed save shows: what failed, and how much of the run is
 * kept, i.e. which step's checkpoint the saved run holds (`saved`, null when none of this run
 * is saved), and that the steps after it live only in this tab.
 */
export function saveFailureMessage(e: unknown, step: number, saved: number | null): string {
  const head = `Saving step ${step} failed (${storageProblem(e)}), so the run stopped at step ${step}. `;
  const export_ = 'export the models now to keep them, or free storage space and train again';
  if (saved === null) {
    return `${head}Nothing of this run is saved: its ${step} steps are only in this tab; ${export_}.`;
  }
  if (saved === step) return `${head}The saved run is still step ${step}'s checkpoint.`;
  return (
    `${head}The saved run is step ${saved}'s checkpoint: a reload or the next start resumes ` +
    `from there. Steps ${saved + 1}-${step} are only in this tab; ${export_}.`
  );
}
