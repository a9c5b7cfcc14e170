/**
 * The worker's signing account, opened once at start-up from EVM_PRIVATE_KEY or a V3 keystore.
 * The key lives only inside viem's account closure: what leaves this module is the address and
 * signed transactions, both public.
 */
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { SignerSource } from '../../../config/chain-config.js';
import { KeystoreError, decryptKeystoreV3 } from './keystore.js';

export type EvmSigner = Pick<PrivateKeyAccount, 'address' | 'signTransaction'>;

function accountFrom(privateKey: `0x${string}`, variable: string): EvmSigner {
  try {
    const account = privateKeyToAccount(privateKey);
    return { address: account.address, signTransaction: account.signTransaction };
  } catch {
    // The curve library's message could quote the scalar; say only what is wrong and where.
    throw new Error(`${variable} does not hold a valid secp256k1 private key (it must be a nonzero 32-byte value below the curve order)`);
  }
}

/** Null when no key is configured; throws with the variable to fix when one is configured wrongly. */
export function openSigner(source: SignerSource): EvmSigner | null {
  switch (source.kind) {
    case 'none':
      return null;
    case 'private-key':
      return accountFrom(source.privateKey.reveal() as `0x${string}`, 'EVM_PRIVATE_KEY');
    case 'keystore': {
      let key: `0x${string}`;
      try {
        key = decryptKeystoreV3(source.keystore, source.password.reveal());
      } catch (err) {
        if (err instanceof KeystoreError) {
          throw new Error(`EVM_KEYSTORE_PATH=${source.path} cannot be opened with EVM_KEYSTORE_PASSWORD: ${err.message}`);
        }
        throw new Error(`EVM_KEYSTORE_PATH=${source.path} cannot be opened: ${err instanceof Error ? err.message : String(err)}`);
      }
      return accountFrom(key, `the keystore at EVM_KEYSTORE_PATH=${source.path}`);
    }
  }
}

