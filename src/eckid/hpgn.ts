import { scryptSync } from "node:crypto";
import { OverstapError } from "../errors.js";

/** The scrypt parameters of an HPGN. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  dkLen: number;
  /** Node's memory cap for one scrypt call, in bytes; must exceed 128 × N × r. */
  maxmem: number;
}

/** Kennisnet's parameters: N = 2^17, r = 8, p = 4, 32 bytes; one hash needs 128 MiB. */
export const HPGN_PARAMS: Readonly<ScryptParams> = Object.freeze({
  N: 131072,
  r: 8,
  p: 4,
  dkLen: 32,
  maxmem: 256 * 1024 * 1024,
});

/** Kennisnet's published test salt (base64); production salts are secret per environment. */
export const TEST_SALT = "rktYml0MIp9TC9u6Ny6uqw==";

const MIB = 1024 * 1024;

/**
 * Memory one hash holds while it runs: scrypt's 128 × N × r bytes plus headroom for the
 * worker; 140 MiB for Kennisnet's parameters.
 */
export function bytesPerHash(params: ScryptParams): number {
  return 128 * params.N * params.r + 12 * MIB;
}

/**
 * Decodes a base64 salt. The error names `where`, never the salt.
 *
 * @example
 * const salt = decodeSalt(TEST_SALT, "eckid.salt");
 */
export function decodeSalt(base64: string, where: string): Buffer {
  const trimmed = base64.trim();
  if (trimmed === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new OverstapError("CONFIG_INVALID", `${where}: the HPGN salt is not base64`, {
      hint: "Use the salt Kennisnet gave you for this environment, base64-encoded as delivered.",
    });
  }
  return Buffer.from(trimmed, "base64");
}

function input(pgn: string): Buffer {
  return Buffer.from(pgn.toLowerCase(), "utf8");
}

/**
 * Computes the HPGN of an already validated PGN on the calling thread (about 1.7 s and
 * 128 MiB with Kennisnet's parameters). For many values use {@link hashBatch}.
 *
 * @example
 * hpgnSync("063138219", decodeSalt(TEST_SALT, "test"));
 * // "9735dfd2235eaeb5f0300886bcc99c82ffc1d6420c4e0bde8de7218def2135fa"
 */
export function hpgnSync(pgn: string, salt: Buffer, params: ScryptParams = HPGN_PARAMS): string {
  const { N, r, p, dkLen, maxmem } = params;
  return scryptSync(input(pgn), salt, dkLen, { N, r, p, maxmem }).toString("hex");
}
