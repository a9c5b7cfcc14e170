import { agentStateSettingsFromEnv, inboxLimitsFromEnv, nudgeConfigFromEnv, type AgentStateSettings, type NudgeConfig } from './agents-config.js';
import { accountsConfigFromEnv } from './accounts-config.js';
import type { AccountsConfig } from './accounts-file.js';
import { conversationLimitsFromEnv } from './conversation-config.js';
import { chainConfigFromEnv, type ChainConfig } from './chain-config.js';
import { ledgerSettingsFromEnv } from './ledger-config.js';
import { marketConfigFromEnv, type MarketConfig } from './market-config.js';
import { paperExecutionConfigFromEnv, type PaperExecutionConfig } from './orders-config.js';
import { riskConfigFromEnv, type RiskConfig } from './risk-config.js';
import { intentBusSettingsFromEnv } from './intents-config.js';
import { workflowCacheConfigFromEnv, type WorkflowCacheConfig } from './workflow-cache-config.js';
import type { InboxLimits } from '../../schemas/temporal/agents.js';
import type { ConversationLimits } from '../../schemas/temporal/conversation.js';
import type { LedgerSettings } from '../../schemas/temporal/ledger.js';
import type { IntentBusSettings } from '../../schemas/temporal/intents.js';

/** Everything the worker's activities read from the environment, read once at start-up. */
export interface WorkerConfig {
  inboxLimits: InboxLimits;
  conversationLimits: ConversationLimits;
  nudge: NudgeConfig;
  agentState: AgentStateSettings;
  market: MarketConfig;
  chain: ChainConfig;
  ledger: LedgerSettings;
  orders: PaperExecutionConfig;
  risk: RiskConfig;
  intents: IntentBusSettings;
  /** The accounts the operator configured; every other account name is refused (UNKNOWN_ACCOUNT). */
  accounts: AccountsConfig;
  /** Read by createWorker, not by activities: the bound on workflow runs kept in memory. */
  workflowCache: WorkflowCacheConfig;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = {
    inboxLimits: inboxLimitsFromEnv(env),
    conversationLimits: conversationLimitsFromEnv(env),
    nudge: nudgeConfigFromEnv(env), agentState: agentStateSettingsFromEnv(env), market: marketConfigFromEnv(env), chain: chainConfigFromEnv(env),
    ledger: ledgerSettingsFromEnv(env),
    orders: paperExecutionConfigFromEnv(env),
    risk: riskConfigFromEnv(env),
    intents: intentBusSettingsFromEnv(env),
    workflowCache: workflowCacheConfigFromEnv(env),
  };
  // Accounts default to, and override, the global ledger and risk settings: read after them.
  return { ...config, accounts: accountsConfigFromEnv(env, { initialCash: config.ledger.initialCash, limits: config.risk.limits }) };
}
