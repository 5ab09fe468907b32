import type { ReactNode } from 'react';

interface Props {
  id: string;
  title: string;
  /** One line: what the user sees here and why it matters. */
  explainer: string;
  children: ReactNode;
}

export function Panel({ id, title, explainer, children }: Props) {
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="explainer">{explainer}</p>
      {children}
    </section>
  );
}
