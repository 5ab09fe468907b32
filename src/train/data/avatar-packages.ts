/**
 * The DiceBear packages an avatars card names, next to its rasteriser (resvg-js in Node,
 * resvg-wasm in the browser). A module of its own, without imports, so the build config can read
 * it without loading DiceBear.
 */
export const AVATAR_DESIGN_PACKAGES = ['@dicebear/core', '@dicebear/collection'] as const;
