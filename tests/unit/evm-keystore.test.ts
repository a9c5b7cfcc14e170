/**
 * The worker's V3 keystore loading: the Web3 Secret Storage definition's own test vectors (PBKDF2
 * and scrypt), keystores written fresh by the test, and every way a file or password can be wrong,
 * each with a message that names the problem and never the password or the key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { KeystoreError, decryptKeystoreV3 } from '../../worker/activities/execution/transactions/keystore.js';
import { openSigner } from '../../worker/activities/execution/transactions/signer.js';
import { chainConfigFromEnv } from '../../worker/config/chain-config.js';
import { encryptKeystoreV3 } from '../helpers/evm-keystore.js';

/** From the Web3 Secret Storage definition: password "testpassword". */
const SPEC_SECRET = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
const SPEC_PBKDF2 = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};
const SPEC_SCRYPT = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};

function writeKeystore(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dca-keystore-')), 'key.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** go-ethereum's accounts/keystore/testdata/very-light-scrypt.json: empty password. */
const GETH_LIGHT_SCRYPT = {
  address: '45dea0fb0bba44f4fcf290bba71fd57d7117cbb8',
  crypto: {
    cipher: 'aes-128-ctr',
    ciphertext: 'b87781948a1befd247bff51ef4063f716cf6c2d3481163e9a8f42e1f9bb74145',
    cipherparams: { iv: 'dc4926b48a105133d2f16b96833abf1e' },
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 2, p: 1, r: 8, salt: '004244bbdc51cadda545b1cfa43cff9ed2ae88e08c61f1479dbb45410722f8f0' },
    mac: '39990c1684557447940d4c69e06b1b82b2aceacb43f284df65c956daf3046b85',
  },
  id: 'ce541d8d-c79b-40f8-9f8c-20f59616faba',
  version: 3,
};

describe('decryptKeystoreV3', () => {
  it('opens the specification PBKDF2 vector and geth\'s scrypt vector', () => {
    expect(decryptKeystoreV3(SPEC_PBKDF2, 'testpassword')).toBe(SPEC_SECRET);
    expect(privateKeyToAddress(decryptKeystoreV3(GETH_LIGHT_SCRYPT, '')).toLowerCase()).toBe(`0x${GETH_LIGHT_SCRYPT.address}`);
    // geth's older files capitalise the section.
    const { crypto, ...rest } = SPEC_PBKDF2;
    expect(decryptKeystoreV3({ ...rest, Crypto: crypto }, 'testpassword')).toBe(SPEC_SECRET);
  });

  it.each(['scrypt', 'pbkdf2'] as const)('opens a freshly written %s keystore with a non-ASCII password', (kdf) => {
    const key = generatePrivateKey();
    const keystore = encryptKeystoreV3(key, 'pässwörd 🔑', { kdf });
    expect(decryptKeystoreV3(keystore, 'pässwörd 🔑')).toBe(key);
  });

  it("opens a keystore at geth's standard cost (n=262144, r=8, p=1)", () => {
    const key = generatePrivateKey();
    expect(decryptKeystoreV3(encryptKeystoreV3(key, 'standard', { kdf: 'scrypt', n: 262_144 }), 'standard')).toBe(key);
  });

  it('refuses a wrong password by its MAC, before decrypting anything', () => {
    expect(() => decryptKeystoreV3(SPEC_PBKDF2, 'testpasswore')).toThrow(new KeystoreError('the keystore password is wrong (MAC mismatch)'));
  });

  it.each([
    ['another version', { ...SPEC_PBKDF2, version: 1 }, 'keystore is not version 3'],
    ['no crypto section', { version: 3 }, 'keystore has no crypto section'],
    ['another cipher', { ...SPEC_PBKDF2, crypto: { ...SPEC_PBKDF2.crypto, cipher: 'aes-128-cbc' } }, 'keystore cipher aes-128-cbc is not supported (only aes-128-ctr)'],
    ['another kdf', { ...SPEC_PBKDF2, crypto: { ...SPEC_PBKDF2.crypto, kdf: 'argon2' } }, 'keystore kdf argon2 is not supported (scrypt or pbkdf2)'],
    ['another prf', { ...SPEC_PBKDF2, crypto: { ...SPEC_PBKDF2.crypto, kdfparams: { ...SPEC_PBKDF2.crypto.kdfparams, prf: 'hmac-sha512' } } }, 'keystore kdfparams.prf hmac-sha512 is not supported (only hmac-sha256)'],
    ['a short iv', { ...SPEC_PBKDF2, crypto: { ...SPEC_PBKDF2.crypto, cipherparams: { iv: 'abcd' } } }, 'keystore field cipherparams.iv must be 16 bytes'],
    ['a ciphertext that is not hex', { ...SPEC_PBKDF2, crypto: { ...SPEC_PBKDF2.crypto, ciphertext: 'zz' } }, 'keystore field ciphertext is not hex'],
    ['an scrypt cost that is not a power of two', { ...SPEC_SCRYPT, crypto: { ...SPEC_SCRYPT.crypto, kdfparams: { ...SPEC_SCRYPT.crypto.kdfparams, n: 1000 } } }, 'keystore field kdfparams.n must be a power of two'],
    // The specification's scrypt vector uses r=1 with n=2^18, which OpenSSL (RFC 7914) refuses.
    ['scrypt parameters outside RFC 7914', SPEC_SCRYPT, 'keystore scrypt parameters n=262144, r=1 are outside RFC 7914 (n must be below 2^(16·r)); re-encrypt the key with standard parameters (n=262144, r=8, p=1, as geth and cast write them)'],
    ['an scrypt cost meant to exhaust memory', { ...SPEC_SCRYPT, crypto: { ...SPEC_SCRYPT.crypto, kdfparams: { ...SPEC_SCRYPT.crypto.kdfparams, n: 2 ** 30 } } }, 'keystore field kdfparams.n must be an integer between 1 and 1048576'],
  ])('refuses %s', (_label, keystore, message) => {
    expect(() => decryptKeystoreV3(keystore as Record<string, unknown>, 'testpassword')).toThrow(new KeystoreError(message));
  });
});

describe('the worker signer from EVM_KEYSTORE_PATH', () => {
  it('signs as the keystore address and keeps the password out of the configuration text', () => {
    const key = generatePrivateKey();
    const password = 'correct horse battery staple';
    const path = writeKeystore(encryptKeystoreV3(key, password, { kdf: 'scrypt' }));
    const config = chainConfigFromEnv({ EVM_KEYSTORE_PATH: path, EVM_KEYSTORE_PASSWORD: password });
    const json = JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const text of [json, inspect(config, { depth: 10 }), String(config.signer.kind === 'keystore' && config.signer.password)]) {
      expect(text).not.toContain(password);
    }
    expect(openSigner(config.signer)?.address).toBe(privateKeyToAddress(key));
  });

  it('stops the worker at start-up on a wrong password, naming both variables and neither secret', () => {
    const key = generatePrivateKey();
    const path = writeKeystore(encryptKeystoreV3(key, 'right', { kdf: 'pbkdf2' }));
    const config = chainConfigFromEnv({ EVM_KEYSTORE_PATH: path, EVM_KEYSTORE_PASSWORD: 'wrong-password' });
    let message = '';
    try {
      openSigner(config.signer);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`EVM_KEYSTORE_PATH=${path} cannot be opened with EVM_KEYSTORE_PASSWORD: the keystore password is wrong (MAC mismatch)`);
    expect(message).not.toContain('wrong-password');
    expect(message.toLowerCase()).not.toContain(key.slice(2));
  });

  it.each([
    ['a missing password', (path: string) => ({ EVM_KEYSTORE_PATH: path }), 'EVM_KEYSTORE_PATH is set but EVM_KEYSTORE_PASSWORD is not; set the keystore password too'],
    ['an unreadable path', () => ({ EVM_KEYSTORE_PATH: '/nonexistent/key.json', EVM_KEYSTORE_PASSWORD: 'x' }), 'EVM_KEYSTORE_PATH=/nonexistent/key.json cannot be read; point it at a V3 JSON keystore file'],
    ['a file that is not JSON', () => ({ EVM_KEYSTORE_PATH: writeKeystore('not json'), EVM_KEYSTORE_PASSWORD: 'x' }), /is not JSON; expected a V3 JSON keystore$/],
    ['a JSON file that is no keystore', () => ({ EVM_KEYSTORE_PATH: writeKeystore({ version: 1 }), EVM_KEYSTORE_PASSWORD: 'x' }), /is not a version 3 JSON keystore$/],
    ['both a key and a keystore', (path: string) => ({ EVM_KEYSTORE_PATH: path, EVM_KEYSTORE_PASSWORD: 'x', EVM_PRIVATE_KEY: generatePrivateKey() }), 'set either EVM_PRIVATE_KEY or EVM_KEYSTORE_PATH (with EVM_KEYSTORE_PASSWORD), not both'],
  ])('refuses %s at start-up', (_label, env, message) => {
    const path = writeKeystore(SPEC_PBKDF2);
    expect(() => chainConfigFromEnv(env(path))).toThrow(message);
  });
});
