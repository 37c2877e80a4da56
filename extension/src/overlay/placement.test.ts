import { expect, it } from 'vitest';
import { clampPlacement } from './placement';

it('keeps a remembered position on screen when the window is smaller', () => {
  expect(
    clampPlacement({ right: 1500, bottom: -20, collapsed: true }, { width: 1024, height: 700 }),
  ).toEqual({ right: 724, bottom: 0, collapsed: true });
  expect(
    clampPlacement({ right: 40.4, bottom: 100.6, collapsed: false }, { width: 1024, height: 700 }),
  ).toEqual({ right: 40, bottom: 101, collapsed: false });
});
