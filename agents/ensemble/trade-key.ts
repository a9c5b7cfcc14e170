/**
 * Trade ids derived from the prompt that caused them: re-reading the same nudge after a restart
 * produces the same intent_id, so the bus refuses to trade it twice, and the audit trail can walk
 * from a fill back to its nudge.
 */
export function intentIdFor(messageId: string, symbol: string): string {
  const safeSymbol = symbol.replace(/[^A-Za-z0-9]/g, '-');
  const id = `${messageId}.${safeSymbol}`.replace(/[^A-Za-z0-9._:-]/g, '-');
  return id.length <= 128 ? id : id.slice(id.length - 128).replace(/^[^A-Za-z0-9]+/, '');
}
