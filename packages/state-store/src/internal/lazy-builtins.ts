import { createRequire } from "node:module";

/**
 * node:crypto and node:zlib loaded on first use: read-only commands (`weft status`) never hash or gunzip, and
 * loading them costs start-up time (OpenSSL initialisation) those commands do not need.
 */
const require = createRequire(import.meta.url);
let cryptoMod: typeof import("node:crypto") | undefined;
let zlibMod: typeof import("node:zlib") | undefined;

export function nodeCrypto(): typeof import("node:crypto") {
  cryptoMod ??= require("node:crypto") as typeof import("node:crypto");
  return cryptoMod;
}

export function nodeZlib(): typeof import("node:zlib") {
  zlibMod ??= require("node:zlib") as typeof import("node:zlib");
  return zlibMod;
}
