/**
 * Opens a Web3 Secret Storage (V3 JSON) keystore, the format geth, Foundry's `cast wallet` and
 * most wallets export: the password is stretched with scrypt or PBKDF2-HMAC-SHA256, the MAC
 * (keccak256 of the derived key's second half and the ciphertext) proves the password right, and
 * AES-128-CTR under the derived key's first half yields the 32-byte private key.
 *
 * Errors name what is wrong with the file or the password, never the password or the key.
 */
import { createDecipheriv, pbkdf2Sync, scryptSync, timingSafeEqual } from 'node:crypto';
import { keccak256 } from 'viem';

export class KeystoreError extends Error {}

/** Bounds that keep a hostile or corrupt file from asking for gigabytes of memory or hours of CPU. */
const MAX_SCRYPT_N = 1 << 20;
const MAX_PBKDF2_ROUNDS = 10_000_000;

interface ScryptParams {
  n: number;
  r: number;
  p: number;
  dklen: number;
  salt: string;
}

interface Pbkdf2Params {
  c: number;
  dklen: number;
  prf: string;
  salt: string;
}

function hexBytes(value: unknown, field: string, length?: number): Buffer {
  if (typeof value !== 'string' || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) {
    throw new KeystoreError(`keystore field ${field} is not hex`);
  }
  const bytes = Buffer.from(value.replace(/^0x/, ''), 'hex');
  if (length !== undefined && bytes.length !== length) throw new KeystoreError(`keystore field ${field} must be ${length} bytes`);
  return bytes;
}

function positiveInteger(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new KeystoreError(`keystore field ${field} must be an integer between 1 and ${max}`);
  }
  return value;
}

function deriveKey(kdf: unknown, params: unknown, password: Buffer): Buffer {
  if (!params || typeof params !== 'object') throw new KeystoreError('keystore has no crypto.kdfparams');
  if (kdf === 'scrypt') {
    const p = params as ScryptParams;
    const n = positiveInteger(p.n, 'kdfparams.n', MAX_SCRYPT_N);
    if ((n & (n - 1)) !== 0 || n < 2) throw new KeystoreError('keystore field kdfparams.n must be a power of two');
    const r = positiveInteger(p.r, 'kdfparams.r', 64);
    const par = positiveInteger(p.p, 'kdfparams.p', 64);
    const dklen = positiveInteger(p.dklen, 'kdfparams.dklen', 64);
    if (dklen < 32) throw new KeystoreError('keystore field kdfparams.dklen must be at least 32');
    // OpenSSL holds scrypt to RFC 7914's bound N < 2^(128·r/8); geth's own writer never exceeds it
    // (n=262144 with r=8), but a few hand-made files do.
    if (Math.log2(n) >= 16 * r) {
      throw new KeystoreError(
        `keystore scrypt parameters n=${n}, r=${r} are outside RFC 7914 (n must be below 2^(16·r)); re-encrypt the key with standard parameters (n=262144, r=8, p=1, as geth and cast write them)`,
      );
    }
    // scrypt works in 128·r·(N+2) + 128·r·p bytes; Node refuses anything above maxmem.
    const maxmem = 128 * r * (n + 2) + 128 * r * par + 1024 * 1024;
    return scryptSync(password, hexBytes(p.salt, 'kdfparams.salt'), dklen, { N: n, r, p: par, maxmem });
  }
  if (kdf === 'pbkdf2') {
    const p = params as Pbkdf2Params;
    if (p.prf !== 'hmac-sha256') throw new KeystoreError(`keystore kdfparams.prf ${String(p.prf)} is not supported (only hmac-sha256)`);
    const rounds = positiveInteger(p.c, 'kdfparams.c', MAX_PBKDF2_ROUNDS);
    const dklen = positiveInteger(p.dklen, 'kdfparams.dklen', 64);
    if (dklen < 32) throw new KeystoreError('keystore field kdfparams.dklen must be at least 32');
    return pbkdf2Sync(password, hexBytes(p.salt, 'kdfparams.salt'), rounds, dklen, 'sha256');
  }
  throw new KeystoreError(`keystore kdf ${String(kdf)} is not supported (scrypt or pbkdf2)`);
}

/**
 * The private key (0x-prefixed hex) inside a V3 keystore. Synchronous on purpose: it runs once at
 * worker start-up, where a wrong password should stop the worker before it takes any work.
 */
export function decryptKeystoreV3(keystore: Record<string, unknown>, password: string): `0x${string}` {
  if (keystore.version !== 3) throw new KeystoreError('keystore is not version 3');
  // geth writes "crypto"; some older tools wrote "Crypto".
  const crypto = (keystore.crypto ?? keystore.Crypto) as Record<string, unknown> | undefined;
  if (!crypto || typeof crypto !== 'object') throw new KeystoreError('keystore has no crypto section');
  if (crypto.cipher !== 'aes-128-ctr') throw new KeystoreError(`keystore cipher ${String(crypto.cipher)} is not supported (only aes-128-ctr)`);
  const iv = hexBytes((crypto.cipherparams as { iv?: unknown } | undefined)?.iv, 'cipherparams.iv', 16);
  const ciphertext = hexBytes(crypto.ciphertext, 'ciphertext', 32);
  const mac = hexBytes(crypto.mac, 'mac', 32);

  const derived = deriveKey(crypto.kdf, crypto.kdfparams, Buffer.from(password, 'utf8'));
  const expectedMac = Buffer.from(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2), 'hex');
  if (!timingSafeEqual(expectedMac, mac)) {
    throw new KeystoreError('the keystore password is wrong (MAC mismatch)');
  }
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return `0x${key.toString('hex')}`;
}
