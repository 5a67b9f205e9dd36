/** Tells the page that moderation changed, so the lists that show it can refresh. */
export function moderated(from: HTMLElement): void {
  from.dispatchEvent(new CustomEvent('fto-moderated', { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'fto-moderated': CustomEvent<void>;
  }
}
