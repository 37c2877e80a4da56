import { useEffect, useState } from 'react';

/** Where the overlay sits (distance from the viewport's bottom-right corner) and whether it is collapsed. */
export interface Placement {
  right: number;
  bottom: number;
  collapsed: boolean;
}

export const DEFAULT_PLACEMENT: Placement = { right: 16, bottom: 16, collapsed: false };

/** Keeps the overlay on screen whatever the viewport size. */
export function clampPlacement(
  p: Placement,
  viewport: { width: number; height: number },
  size = { width: 300, height: 60 },
): Placement {
  const clamp = (v: number, max: number) => Math.min(Math.max(0, Math.round(v)), Math.max(0, max));
  return {
    ...p,
    right: clamp(p.right, viewport.width - size.width),
    bottom: clamp(p.bottom, viewport.height - size.height),
  };
}

/** The placement remembered per tool (adapter id), in the extension's own storage, never the page's. */
export function usePlacement(tool: string): [Placement, (p: Placement) => void] {
  const key = `overlayPlacement:${tool}`;
  const [placement, setPlacement] = useState<Placement>(DEFAULT_PLACEMENT);
  useEffect(() => {
    void browser.storage.local.get(key).then((s) => {
      const saved = s[key] as Placement | undefined;
      if (saved)
        setPlacement(
          clampPlacement(
            { ...DEFAULT_PLACEMENT, ...saved },
            { width: innerWidth, height: innerHeight },
          ),
        );
    });
  }, [key]);
  const update = (p: Placement) => {
    const next = clampPlacement(p, { width: innerWidth, height: innerHeight });
    setPlacement(next);
    void browser.storage.local.set({ [key]: next });
  };
  return [placement, update];
}
