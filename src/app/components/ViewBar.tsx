import { useApp } from '../state/context';
import { VIEWS, type View } from '../state/settings';

const LABELS: Record<View, string> = { sample: 'Samples', lab: 'Solver lab' };

/** The view switch (in the URL as `view`) and the link to what is on screen. */
export function ViewBar() {
  const view = useApp((s) => s.settings.view);
  const setSettings = useApp((s) => s.setSettings);
  const copyLink = useApp((s) => s.copyLink);
  const linkCopy = useApp((s) => s.linkCopy);
  const dismiss = useApp((s) => s.dismissLink);
  return (
    <nav className="viewbar row wrap" aria-label="Views">
      {VIEWS.map((v) => (
        <button
          key={v}
          type="button"
          data-testid={`view-${v}`}
          aria-pressed={view === v}
          className={view === v ? 'on' : undefined}
          onClick={() => setSettings({ view: v })}
        >
          {LABELS[v]}
        </button>
      ))}
      <button type="button" data-testid="copy-link" onClick={() => void copyLink()}>
        Copy link
      </button>
      {linkCopy?.state === 'copied' && (
        <span className="hint" role="status" data-testid="copy-link-done">
          Link copied.
        </span>
      )}
      {linkCopy?.state === 'manual' && (
        <span className="row wrap" role="status" data-testid="copy-link-fallback">
          <span className="hint">
            The clipboard is not available ({linkCopy.why}); copy it here:
          </span>
          <input
            type="text"
            readOnly
            value={linkCopy.url}
            aria-label="Link to this view"
            data-testid="copy-link-url"
            // Selected at once so Ctrl+C is all it takes.
            onFocus={(e) => e.target.select()}
            autoFocus
          />
          <button type="button" onClick={dismiss}>
            Done
          </button>
        </span>
      )}
    </nav>
  );
}
