/**
 * `@customElement(tag)` that leaves an existing definition alone, so the widget can be loaded
 * twice (module and classic script, or beside the page's own copy of the map) without throwing.
 */
export const customElement =
  (tag: string) =>
  (cls: CustomElementConstructor): void => {
    if (!customElements.get(tag)) customElements.define(tag, cls);
  };
