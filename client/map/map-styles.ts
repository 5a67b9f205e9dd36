import { css } from 'lit';

/** The look of <fto-map>: the outline, pins, clusters, ripples, labels and Leaflet's controls. */
export const mapStyles = css`
  :host {
    display: block;
    position: relative;
    min-block-size: 200px;
  }
  .map.leaflet-container {
    position: absolute;
    inset: 0;
    background: var(--fto-water);
    font: 0.75rem/1.4 var(--fto-font, system-ui, sans-serif);
  }
  .map:focus-visible {
    outline-offset: -3px;
  }
  .fto-land {
    fill: var(--fto-land);
    fill-opacity: 1;
    stroke: var(--fto-border);
    stroke-width: 0.5;
  }
  .fto-borders {
    fill: none;
    stroke: var(--fto-border);
    stroke-width: 0.6;
    stroke-dasharray: 2 2;
  }
  .leaflet-tile-pane {
    filter: var(--fto-tile-filter, none);
  }
  .fto-pin-icon {
    border-radius: 50%;
    transition:
      width 0.3s,
      height 0.3s,
      margin 0.3s;
  }
  .fto-pin {
    display: grid;
    place-items: center;
    box-sizing: border-box;
    inline-size: 100%;
    block-size: 100%;
    border-radius: 50%;
    border: 2px solid var(--fto-bg);
    background: var(--fto-accent);
    color: var(--fto-accent-fg);
    font: 700 0.8125rem/1 var(--fto-font, system-ui, sans-serif);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.35);
    cursor: pointer;
  }
  .fto-pin-icon:hover .fto-pin {
    filter: brightness(1.1);
  }
  .fto-pin--cluster {
    background: color-mix(in srgb, var(--fto-accent) 82%, var(--fto-bg));
    box-shadow:
      0 0 0 4px color-mix(in srgb, var(--fto-accent) 30%, transparent),
      0 1px 4px rgb(0 0 0 / 0.35);
    font-size: 0.75rem;
  }
  .fto-pin-icon[aria-expanded='true'] .fto-pin {
    box-shadow:
      0 0 0 3px var(--fto-fg),
      0 1px 6px rgb(0 0 0 / 0.4);
  }
  .fto-pin--new {
    animation: fto-arrive 0.7s ease-out;
  }
  .fto-pin--bump {
    animation: fto-bump 0.5s ease-out;
  }
  @keyframes fto-arrive {
    from {
      scale: 0.2;
      opacity: 0;
      box-shadow: 0 0 0 0 var(--fto-accent);
    }
    60% {
      scale: 1.15;
      opacity: 1;
      box-shadow: 0 0 0 12px transparent;
    }
    to {
      scale: 1;
    }
  }
  @keyframes fto-bump {
    50% {
      scale: 1.2;
    }
  }
  .fto-pulse {
    pointer-events: none;
  }
  /* The ring inside the icon grows, not the icon: Leaflet places the icon with a transform, and
     scaling it would scale that offset too, drifting the ring away from its pin. */
  .fto-pulse > span {
    display: block;
    box-sizing: border-box;
    block-size: 100%;
    border-radius: 50%;
    border: 3px solid var(--fto-accent);
    animation: fto-pulse 1.6s ease-out forwards;
  }
  @keyframes fto-pulse {
    from {
      scale: 0.3;
      opacity: 0.9;
    }
    to {
      scale: 2.4;
      opacity: 0;
    }
  }
  .fto-near {
    stroke: var(--fto-focus);
    stroke-width: 3;
    fill: var(--fto-focus);
    fill-opacity: 0.12;
  }
  .fto-origin {
    border-radius: 50%;
    background: var(--fto-focus);
    border: 3px solid var(--fto-bg);
    box-shadow: 0 0 0 2px var(--fto-focus);
  }
  @media (prefers-reduced-motion: reduce) {
    .fto-pin--new,
    .fto-pin--bump,
    .fto-pulse > span {
      animation: none;
    }
    .fto-pulse {
      display: none;
    }
  }
  .leaflet-bar a {
    background: var(--fto-bg);
    color: var(--fto-fg);
    border-color: var(--fto-line);
  }
  .leaflet-bar a:hover {
    background: var(--fto-surface);
  }
  .leaflet-bar a.leaflet-disabled {
    background: var(--fto-surface);
    color: var(--fto-muted);
    opacity: 0.6;
  }
  .leaflet-control-attribution.leaflet-control {
    background: color-mix(in srgb, var(--fto-bg) 85%, transparent);
    color: var(--fto-muted);
  }
  .leaflet-control-attribution a {
    color: var(--fto-link);
  }
  .fto-label {
    display: flex;
    align-items: center;
    box-sizing: border-box;
    block-size: 100%;
    color: var(--fto-muted);
    font: 600 11px/1 var(--fto-font, system-ui, sans-serif);
    white-space: nowrap;
    pointer-events: none;
    text-shadow:
      0 0 2px var(--fto-land),
      0 0 3px var(--fto-land);
  }
  .fto-label--country {
    justify-content: center;
    text-transform: uppercase;
    letter-spacing: 0.08em;
    font-size: 10px;
    opacity: 0.85;
  }
  .fto-label--city {
    gap: 3px;
    color: var(--fto-fg);
    font-weight: 500;
  }
  .fto-label--city::before {
    content: '';
    flex: none;
    inline-size: 4px;
    block-size: 4px;
    border-radius: 50%;
    background: var(--fto-muted);
  }
`;
