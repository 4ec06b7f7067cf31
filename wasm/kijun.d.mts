// TypeScript looks for `kijun.d.mts` beside `kijun.mjs`; the types live in kijun.d.ts.
export * from "./kijun.js";
