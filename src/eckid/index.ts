export * from "./config.js";
export * from "./format.js";
export * from "./hash-pool.js";
export * from "./hpgn.js";
export * from "./nummervoorziening.js";
export * from "./pgn.js";
export * from "./progress.js";
export * from "./resolve.js";
export { translateNetworkError } from "./transport.js";
