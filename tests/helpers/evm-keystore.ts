/**
 * Writes V3 JSON keystores the way geth and `cast wallet` do, for tests of the worker's keystore
 * loading: a random salt and IV, scrypt or PBKDF2-HMAC-SHA256, AES-128-CTR, keccak256 MAC.
 */
import { createCipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { keccak256 } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

export interface KeystoreOptions {
  kdf: 'scrypt' | 'pbkdf2';
  /** scrypt cost; tests use a small one (geth's default is 262144). */
  n?: number;
  /** PBKDF2 rounds. */
  c?: number;
}

export function encryptKeystoreV3(privateKey: `0x${string}`, password: string, options: KeystoreOptions): Record<string, unknown> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const kdfparams =
    options.kdf === 'scrypt'
      ? { dklen: 32, n: options.n ?? 1024, r: 8, p: 1, salt: salt.toString('hex') }
      : { dklen: 32, c: options.c ?? 1000, prf: 'hmac-sha256', salt: salt.toString('hex') };
  const derived =
    options.kdf === 'scrypt'
      ? scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: options.n ?? 1024, r: 8, p: 1, maxmem: 512 * 1024 * 1024 })
      : pbkdf2Sync(Buffer.from(password, 'utf8'), salt, options.c ?? 1000, 32, 'sha256');
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(privateKey.slice(2), 'hex')), cipher.final()]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  return {
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    crypto: { cipher: 'aes-128-ctr', cipherparams: { iv: iv.toString('hex') }, ciphertext: ciphertext.toString('hex'), kdf: options.kdf, kdfparams, mac },
    id: randomUUID(),
    version: 3,
  };
}
