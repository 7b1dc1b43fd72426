import i18next from 'i18next';
import { Component, type ReactNode } from 'react';

/** A page that fails shows a way back instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="page" role="alert">
        <h1>{i18next.t('errors.generic', { ns: 'common' })}</h1>
        <button type="button" onClick={() => window.location.reload()}>
          {i18next.t('reload', { ns: 'common' })}
        </button>
      </section>
    );
  }
}
