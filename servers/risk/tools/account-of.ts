/** The account a risk tool acts on: the one named, or the default paper account. */
import { DEFAULT_ACCOUNT } from '../../../schemas/temporal/ledger.js';

export const accountOf = (input: { account?: string | undefined }): string => input.account ?? DEFAULT_ACCOUNT;
