import { AVATAR_DESIGN_PACKAGES } from '../../../train/data/avatar-packages.ts';

/** What the browser's avatars are made with: DiceBear, rasterised by resvg's wasm build. */
export const BROWSER_AVATAR_PACKAGES = [...AVATAR_DESIGN_PACKAGES, '@resvg/resvg-wasm'] as const;
